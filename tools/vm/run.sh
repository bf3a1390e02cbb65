#!/bin/bash
# make test-vm: run nslife's integration tests inside qemu (TCG) on Debian 12's
# 6.1 and 6.12 cloud kernels, Debian 13's 6.18 (backports; fentry attaches
# there, unlike on this fleet's 6.18) and Debian unstable's 7.2 (listns,
# active references, OPEN_TREE_NAMESPACE), once per attach mode, and print a
# per-kernel, per-mode summary.  Exits non-zero if any run failed or timed out.
# See tools/vm/README.md for how it works and the NSLIFE_VM_* variables.
#
#   tools/vm/run.sh [-k "6.1 6.12 6.18 7.2"] [-m "precise tracepoint"] [-c CMD] [-x FILE]... [-v] [-d]
#     -k  kernels (labels of fetch-kernels.sh)   default $NSLIFE_VM_KERNELS or "6.1 6.12 6.18 7.2"
#     -m  modes, each passed as nslife.mode= and NSLIFE_MODE; "default" passes none
#                                                default $NSLIFE_VM_MODES or "precise tracepoint"
#     -c  command run in the guest from the repo copy (bash -c)
#                                                default $NSLIFE_VM_CMD or "tests/run.sh integration"
#     -x  extra host executable for the image (e.g. /usr/sbin/bpftool)
#     -j  guests run at once                      default $NSLIFE_VM_JOBS or the CPUs, at most 4
#         (each TCG guest is one host thread: 2 on 2 CPUs halve the wall time)
#     -v  stream the guest consoles here too      (NSLIFE_VM_VERBOSE=1)
#     -d  interactive debug: a shell in the guest after the command, on this terminal
#     -s  self-test of the runner: prints BTF, nslife features and which attach
#         types work in each guest, and checks that a trivial test passes and
#         a deliberately failing one comes back as failed (logs are kept)
set -eu
cd "$(dirname "$0")/../.."
die() { echo "test-vm: $*" >&2; exit 1; }
t0=$(date +%s.%N)

KERNELS=${NSLIFE_VM_KERNELS:-6.1 6.12 6.18 7.2}
MODES=${NSLIFE_VM_MODES:-precise tracepoint}
CMD=${NSLIFE_VM_CMD:-tests/run.sh integration}
TIMEOUT=${NSLIFE_VM_TIMEOUT:-1000}	# seconds per boot, qemu is killed after it: runs take
				# 290-350 s on a quiet host, 380-735 s on 2026-12-03's
				# slower one; a host busy with other work slows TCG
MEM=${NSLIFE_VM_MEM:-1G}
SMP=${NSLIFE_VM_SMP:-2}
VERBOSE=${NSLIFE_VM_VERBOSE:-0}
JOBS=${NSLIFE_VM_JOBS:-$(n=$(nproc); echo $((n < 4 ? n : 4)))}
OUTPUT=${OUTPUT:-.output}
LOGDIR=$OUTPUT/vm
DEBUG=0 SELFTEST=0
extra=()
for x in ${NSLIFE_VM_EXTRA_BINS:-}; do extra+=(-x "$x"); done
while getopts k:m:c:x:j:vds opt; do
	case $opt in
	k) KERNELS=$OPTARG ;;
	m) MODES=$OPTARG ;;
	c) CMD=$OPTARG ;;
	x) extra+=(-x "$OPTARG") ;;
	j) JOBS=$OPTARG ;;
	v) VERBOSE=1 ;;
	d) DEBUG=1 ;;
	s) SELFTEST=1 ;;
	*) sed -n '7,19s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
case $TIMEOUT in ''|*[!0-9]*) die "NSLIFE_VM_TIMEOUT must be whole seconds, not '$TIMEOUT'" ;; esac
[ "$TIMEOUT" -ge 60 ] || die "NSLIFE_VM_TIMEOUT must be at least 60 seconds"
case $JOBS in ''|*[!0-9]*|0) die "NSLIFE_VM_JOBS (-j) must be a whole number of guests, not '$JOBS'" ;; esac
[ "$DEBUG" = 1 ] && JOBS=1

# what the runner needs, installed on demand like the rest of the build deps
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v cpio >/dev/null ||
   [ ! -x /bin/busybox ] || ! command -v depmod >/dev/null; then
	sh tools/deps.sh || die "cannot install qemu-system-x86, busybox-static, cpio, kmod"
fi
[ -x ./nslife ] || die "./nslife is missing: run make (make test-vm builds it)"

mkdir -p "$LOGDIR"
if [ "$SELFTEST" = 1 ]; then
	# the guest runs only the self-test scripts, in place of the real ones
	CMD="tools/vm/selftest/info.sh; rm -f tests/integration/t_*.sh;
cp tools/vm/selftest/t_vm_*.sh tests/integration/; tests/run.sh integration"
	NSLIFE_VM_KEEP_LOGS=1
	# attach-probe: a small libbpf program, built like nslife's BPF side
	probe=$PWD/$LOGDIR/attach-probe
	if { clang -g -O2 -Wall -target bpf -D__TARGET_ARCH_x86 -Ivmlinux/x86 \
		-c tools/vm/selftest/attach.bpf.c -o "$LOGDIR/attach.bpf.o" &&
	     llvm-strip -g "$LOGDIR/attach.bpf.o" &&
	     bpftool gen skeleton "$LOGDIR/attach.bpf.o" name attach_bpf > "$LOGDIR/attach.skel.h" &&
	     cc -g -O2 -Wall -I"$LOGDIR" tools/vm/selftest/attach.c -lbpf -lelf -lz -o "$probe"
	   } >&2; then
		extra+=(-x "$probe")
		CMD="ATTACH_PROBE=$probe $CMD"
	else
		echo "test-vm: building attach-probe failed; self-test goes on without it" >&2
	fi
fi
kernels=$(tools/vm/fetch-kernels.sh $KERNELS) || die "fetching the kernels failed"

cleanup() {
	local f
	# each guest's timeout process (qemu's parent), as run_guest wrote it
	for f in "$LOGDIR"/*.qpid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	rm -f "$LOGDIR"/initramfs-*.cpio "$LOGDIR"/*.res "$LOGDIR"/*.qpid
}
trap cleanup EXIT
trap 'echo "test-vm: interrupted" >&2; exit 130' INT TERM

# the guest's own timeout ends the command early enough to print its result
guest_to=${NSLIFE_VM_GUEST_TIMEOUT:-$((TIMEOUT - 45))}
fmt='  %-28s %-11s %-8s %7s %7s  %s\n'

# one guest: boot, wait, judge; its result line goes to $LOGDIR/$label-$mode.res
run_guest() {	# label kver vmlinuz initrd mode
	local label=$1 kver=$2 vmlinuz=$3 initrd=$4 mode=$5
	local log=$LOGDIR/$1-$5.log res=$LOGDIR/$1-$5.res
	local append b0 rc secs out info boot summary status qpid
	append="console=ttyS0 panic=-1 loglevel=5 8250.nr_uarts=1"
	[ "$mode" = default ] || append="$append nslife.mode=$mode"
	[ "$DEBUG" = 1 ] && append="$append nslife.debug=1"
	append="$append ${NSLIFE_VM_APPEND:-}"
	echo "test-vm: booting $kver, mode $mode (timeout ${TIMEOUT}s, log $log)"
	b0=$(date +%s.%N)
	# thread=single: with one host thread per vCPU (MTTCG, QEMU 7.2) a
	# vCPU ran a stale int3 the kernel's text_poke_bp had already
	# removed while BPF enabled the sys_exit tracepoint's static key
	# ("Oops: int3" in syscall_exit_to_user_mode_prepare, 6.12 guest)
	qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu max -m "$MEM" -smp "$SMP"
	      -nographic -no-reboot -nic none
	      -kernel "$vmlinuz" -initrd "$initrd" -append "$append")
	set +e
	if [ "$DEBUG" = 1 ]; then
		"${qemu[@]}" | tee "$log"
		rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null >"$log" 2>&1 &
		qpid=$!
		echo $qpid >"$LOGDIR/$label-$mode.qpid"
		[ "$VERBOSE" = 1 ] && tail -n +1 -f --pid=$qpid "$log" &
		wait $qpid
		rc=$?
		rm -f "$LOGDIR/$label-$mode.qpid"
		wait	# the tail
	fi
	set -e
	secs=$(awk -v a="$b0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b - a}')
	out=$(tr -d '\r' < "$log" | grep -a '^NSLIFE-VM-RESULT: ' | tail -n 1) || true
	info=$(tr -d '\r' < "$log" | grep -a '^NSLIFE-VM-INFO ' | tail -n 1) || true
	boot=$(echo "$info" | sed -n 's/.*uptime=\([0-9.]*\)s.*/\1s/p')
	summary=$(echo "$out" | sed -n 's/.* summary=//p')
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		status=TIMEOUT summary="guest killed after ${TIMEOUT}s"
	elif [ -z "$out" ]; then
		status=FAIL summary="no result block (qemu exit $rc; guest crashed?): $(tr -d '\r' < "$log" | grep -a -m1 -E 'Kernel panic|BUG:|Oops' || tail -n 1 "$log")"
	elif [ "$SELFTEST" = 1 ]; then
		if grep -aq '^NSLIFE-VM-TEST: PASS integration/t_vm_pass' "$log" &&
		   grep -aq '^NSLIFE-VM-TEST: FAIL integration/t_vm_fail' "$log" &&
		   ! echo "$out" | grep -q ' rc=0 '; then
			status=PASS summary="self-test ok: $summary (t_vm_fail must fail)"
		else
			status=FAIL summary="self-test: want t_vm_pass PASS and t_vm_fail FAIL; got: $summary"
		fi
	elif ! echo "$out" | grep -q ' rc=0 '; then
		status=FAIL
	elif tr -d '\r' < "$log" | grep -aqE '^\[ *[0-9.]+\] (BUG:|Oops|Kernel panic)'; then
		status=FAIL summary="$summary; kernel BUG/Oops in the console log"
	else
		status=PASS
	fi
	printf "$fmt" "$kver" "$mode" "$status" "${boot:-?}" "$secs" "$summary" >"$res"
	sed 's/^  /test-vm: /' "$res"
	if [ "$status" = PASS ]; then
		[ "${NSLIFE_VM_KEEP_LOGS:-0}" = 1 ] || rm -f "$log"
	else
		tr -d '\r' < "$log" | grep -aE '^NSLIFE-VM-TEST: (FAIL| {4})' | sed 's/^NSLIFE-VM-TEST: /    /' || true
		echo "    console log kept: $log"
	fi
}

# every initramfs first (they share a build cache), then the guests, JOBS at once
cells=()
while read -r label kver vmlinuz; do
	moddir=$(dirname "$vmlinuz")/modules
	initrd=$LOGDIR/initramfs-$label.cpio
	NSLIFE_VM_GUEST_TIMEOUT=$guest_to tools/vm/mkinitramfs.sh -o "$initrd" \
		-m "$moddir" -c "$CMD" ${extra[@]+"${extra[@]}"} ||
		die "building the initramfs for $kver failed"
	for mode in $MODES; do
		rm -f "$LOGDIR/$label-$mode.res"
		cells+=("$label $kver $vmlinuz $initrd $mode")
	done
done <<< "$kernels"
for c in "${cells[@]}"; do
	if [ "$JOBS" = 1 ]; then
		run_guest $c
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || true
	done
	run_guest $c &
done
wait
results=() failed=0
for c in "${cells[@]}"; do
	set -- $c
	res=$LOGDIR/$1-$5.res
	if [ -s "$res" ]; then
		results+=("$(cat "$res")")
	else
		results+=("$(printf "$fmt" "$2" "$5" FAIL "?" "?" "no result (runner interrupted?)")")
	fi
	[ "$(echo "${results[-1]}" | awk '{print $3}')" = PASS ] || failed=$((failed + 1))
done

echo
echo "nslife VM matrix (qemu TCG, -smp $SMP -m $MEM, $JOBS at once):"
printf "$fmt" kernel mode result boot total summary
printf '%s\n' "${results[@]}"
echo "test-vm: total wall time $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b - a}')s," \
	"$failed of ${#results[@]} runs failed"
[ "$failed" -eq 0 ]
