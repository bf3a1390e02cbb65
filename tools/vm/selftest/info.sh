#!/bin/bash
# tools/vm/run.sh -s: what the guest offers nslife, printed on the console.
echo "== kernel $(uname -r), NSLIFE_MODE=${NSLIFE_MODE:-unset}"
if [ -f /sys/kernel/btf/vmlinux ]; then
	echo "== BTF: /sys/kernel/btf/vmlinux, $(stat -c %s /sys/kernel/btf/vmlinux) bytes"
else
	echo "== BTF: /sys/kernel/btf/vmlinux MISSING"
fi
echo "== ./nslife (no arguments)"
./nslife; echo "(exit $?)"
if ./nslife --help 2>&1 | grep -q '^  features'; then
	echo "== ./nslife features"
	./nslife features; echo "(exit $?)"
	for m in precise tracepoint; do
		echo "== ./nslife features --mode $m"
		./nslife features --mode $m; echo "(exit $?)"
	done
fi
if [ -n "${ATTACH_PROBE:-}" ]; then
	echo "== attach-probe: which attach types load, attach and fire here"
	"$ATTACH_PROBE"
fi
