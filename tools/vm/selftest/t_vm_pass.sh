#!/bin/bash
# VM self-test: must PASS.  The guest has BTF, the mode reached the test, and
# nslife starts.
set -u
fail() { echo "FAIL: $*"; exit 1; }
[ -f /sys/kernel/btf/vmlinux ] || fail "no /sys/kernel/btf/vmlinux"
[ -n "${NSLIFE_MODE:-}" ] || fail "NSLIFE_MODE is not set (nslife.mode= missing?)"
grep -q "nslife.mode=$NSLIFE_MODE" /proc/cmdline || fail "NSLIFE_MODE differs from the cmdline"
"$NSLIFE" --help >/dev/null || fail "nslife --help failed"
exit 0
