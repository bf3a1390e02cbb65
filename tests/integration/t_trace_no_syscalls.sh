#!/bin/bash
# NSLIFE_SYSCALLS=none: no syscall hook at all (where fentry is refused, a
# syscall tracepoint would put every syscall of the host on the kernel's
# slow path).  features says so and lists no syscall hook; nslife mounts
# no tracefs for it; the trace still follows clone joins, exits and frees
# with nothing lost, and has none of what only the syscalls tell (setns
# and unshare joins, nsfs mounts and umounts, opens).
. "$(dirname "$0")/lib_trace.sh"
need_root
HOLD=
trap '[ -n "$HOLD" ] && kill $HOLD 2>/dev/null; umount "$TMP/b" 2>/dev/null; cleanup_trace' EXIT
export NSLIFE_SYSCALLS=none

tracefs() { grep -c ' tracefs ' /proc/self/mounts; }
before=$(tracefs)
f=$("$NSLIFE" features) || fail "nslife features failed"
echo "$f" | grep -q '^syscalls: none (NSLIFE_SYSCALLS=none).*not followed: joins by setns and unshare' ||
	fail "syscalls line: $(echo "$f" | grep '^syscalls:')"
echo "$f" | grep '^hook: \(tracepoint/syscalls/\|tp_btf/sys_e\|f\(entry\|exit\)/__x64_sys_\)' &&
	fail "a syscall hook attached under NSLIFE_SYSCALLS=none"
echo "$f" | grep -q '^hook: tp_btf/sched_process_exit' || fail "no exit hook: $f"
[ "$(tracefs)" = "$before" ] || fail "tracefs mounted with no syscall tracepoint to attach"

trace_start
unshare -u sleep 30 & HOLD=$!
wait_exec $HOLD sleep
uts=$(stat -L -c %i /proc/$HOLD/ns/uts)
nsenter -t $HOLD -u true
touch "$TMP/b"
mount --bind /proc/$HOLD/ns/uts "$TMP/b"
umount "$TMP/b"
exec 3</proc/$HOLD/ns/uts
exec 3<&-
# a clone into a pid namespace its parent unshared: a join by clone
unshare -p --fork sh -c 'readlink /proc/self/ns/pid' >"$TMP/pidns"
pidns=$(sed 's/.*\[\([0-9]*\)\]/\1/' "$TMP/pidns")
kill $HOLD; wait $HOLD 2>/dev/null; HOLD=
seen() {
	ev -e --argjson u $uts --argjson p $pidns '
		any(.[]; .event=="free" and .type=="uts" and .inum==$u) and
		any(.[]; .event=="join" and .how=="clone" and .type=="pid" and .inum==$p)' >/dev/null 2>&1
}
wait_for 10 seen || fail "no free of uts:[$uts] or no clone join of pid:[$pidns]: $(ev -c \
	--argjson u $uts --argjson p $pidns '[.[] | select(.inum==$u or .inum==$p) | [.event,.how,.type]]')"
trace_stop
[ "$(trace_lost)" = 0 ] || fail "$(trace_lost) events lost"
ev -e 'any(.[]; (.how=="setns" or .how=="unshare") and (.event=="join" or .event=="leave")
	or .event=="mount" or .event=="umount" or .event=="open")' >/dev/null &&
	fail "syscall events under NSLIFE_SYSCALLS=none: $(ev -c '[.[] | select(.how=="setns"
	or .how=="unshare" or .event=="mount" or .event=="umount" or .event=="open") | [.event,.how]]')"
echo "no syscall hooks: clone joins, exits and frees followed, nothing lost"
