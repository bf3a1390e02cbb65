#!/bin/bash
# The syscalls nslife follows are hooked by fentry/fexit on their functions
# where the kernel allows fentry (no syscall tracepoint at all), else one
# tracepoint each where tracefs gives them, else through raw_syscalls
# (which runs on every syscall of the host); `features` says which, and
# why not the better ones.  Each kind must see unshare, setns, mount,
# umount and nsfs opens: the hooks in use here, then the ones
# NSLIFE_SYSCALLS forces (tracepoint where tracing programs are not
# preemptible, raw everywhere), then the mount and setns tests under raw.
. "$(dirname "$0")/lib_trace.sh"
need_root
DIR=$(dirname "$0")
HOLD=
trap '[ -n "$HOLD" ] && kill $HOLD 2>/dev/null; cleanup_trace' EXIT

sys_line() { echo "$1" | grep '^syscalls:'; }

# unshare, setns, an nsfs open, its bind mount and umount: all seen, none lost
events_seen() {	# label
	local uts o
	trace_start
	unshare -u sleep 30 & HOLD=$!
	wait_exec $HOLD sleep
	uts=$(stat -L -c %i /proc/$HOLD/ns/uts)
	nsenter -t $HOLD -u true
	sh -c 'exec 3<"$1"; echo $$ >"$2"' sh /proc/$HOLD/ns/uts "$TMP/opener"
	o=$(cat "$TMP/opener")
	touch "$TMP/b"
	mount --bind /proc/$HOLD/ns/uts "$TMP/b"
	umount "$TMP/b"
	all_() {
		ev -e --argjson i $uts --argjson o $o --arg b "$TMP/b" '
			any(.[]; .event=="create" and .how=="unshare" and .inum==$i) and
			any(.[]; .event=="join" and .how=="setns" and .inum==$i) and
			any(.[]; .event=="open" and .inum==$i and .pid==$o) and
			any(.[]; .event=="mount" and .how=="mount" and .path==$b and .inum==$i) and
			any(.[]; .event=="umount" and .path==$b)' >/dev/null 2>&1
	}
	wait_for 10 all_ || fail "$1: unshare, setns, open, mount or umount missing: $(ev -c \
		--argjson i $uts '[.[] | select(.inum==$i or .event=="umount") | [.event,.how]]')"
	kill $HOLD; HOLD=
	trace_stop
	[ "$(trace_lost)" = 0 ] || fail "$1: $(trace_lost) events lost"
	echo "$1: unshare, setns, open, mount and umount seen"
}

f=$("$NSLIFE" features) || fail "nslife features failed"
# a kernel that lets the precise hooks attach lets the syscall ones attach too
if "$NSLIFE" features --mode precise >/dev/null 2>&1; then
	echo "$f" | grep -q '^syscalls: fentry/fexit' || fail "fentry allowed, yet: $(sys_line "$f")"
fi
preempt=$(echo "$f" | grep -c '^preemptible: yes')
if echo "$f" | grep -q '^syscalls: fentry/fexit'; then
	for h in fentry/__x64_sys_unshare fentry/__x64_sys_setns fentry/__x64_sys_mount \
		 fentry/__x64_sys_umount fentry/__x64_sys_move_mount fexit/__x64_sys_unshare \
		 fexit/__x64_sys_openat fexit/__x64_sys_open_tree fexit/__x64_sys_fsmount; do
		# and a twin beside each: fentry programs run preemptible on
		# every kernel (migration disabled only), so a run can be skipped
		[ "$(echo "$f" | grep -c "^hook: $h$")" = 2 ] ||
			fail "$h: $(echo "$f" | grep -c "^hook: $h$") hooks, want it and its twin"
	done
	# the precise create hook has one too, where it is used
	pf=$("$NSLIFE" features --mode precise 2>/dev/null)
	if echo "$pf" | grep -q '^hook: fexit/__ns_tree_add_raw$'; then
		[ "$(echo "$pf" | grep -c '^hook: fexit/__ns_tree_add_raw$')" = 2 ] ||
			fail "fexit/__ns_tree_add_raw without its twin"
	fi
	echo "$f" | grep -q 'hook: tracepoint/syscalls/\|hook: tp_btf/sys_e' &&
		fail "syscall tracepoints attached beside the fentry hooks"
	# the fentry hooks need no tracefs: nslife must not mount it
	before=$(grep -c ' tracefs ' /proc/self/mounts)
	"$NSLIFE" features >/dev/null || fail "nslife features failed"
	[ "$(grep -c ' tracefs ' /proc/self/mounts)" = "$before" ] || fail "tracefs mounted for fentry hooks"
	events_seen fentry
	fentry=1
else
	# fentry refused (this fleet's 6.18) or missing: the line says why
	echo "$f" | grep -q '^syscalls: .*fentry \(refused\|not used\)' ||
		fail "no fentry syscall hooks, and no reason: $(sys_line "$f")"
	echo "$f" | grep -q 'hook: f\(entry\|exit\)/__x64_sys_' && fail "fentry syscall hooks attached beside others"
	fentry=0
fi
# the fork and exit hooks have twins where tracing programs run preemptible
for h in tp_btf/task_newtask tp_btf/sched_process_exit; do
	[ "$(echo "$f" | grep -c "^hook: $h$")" = $((preempt + 1)) ] ||
		fail "$h: $(echo "$f" | grep -c "^hook: $h$") hooks, want $((preempt + 1)) (preemptible: $preempt)"
done
if [ $preempt = 1 ]; then
	# 7.x: the kernel skips per-syscall tracepoint programs wholesale
	# there, so raw hooks with twins are the fallback
	[ $fentry = 1 ] || echo "$f" | grep -q '^syscalls: raw_syscalls.*preemptible' ||
		fail "preemptible tracing, yet: $(sys_line "$f")"
elif [ $fentry = 0 ]; then
	echo "$f" | grep -q '^syscalls: one tracepoint per followed syscall' ||
		fail "per-syscall tracepoints not in use: $(sys_line "$f")"
	echo "$f" | grep -q 'hook: tracepoint/syscalls/sys_exit_unshare' || fail "no sys_exit_unshare hook"
	echo "$f" | grep -q 'hook: tp_btf/sys_enter' && fail "raw sys_enter attached beside the per-syscall hooks"
	events_seen tracepoint
else
	f=$(NSLIFE_SYSCALLS=tracepoint "$NSLIFE" features) || fail "nslife features (tracepoint) failed"
	echo "$f" | grep -q '^syscalls: one tracepoint per followed syscall.*fentry not tried: NSLIFE_SYSCALLS=tracepoint' ||
		fail "NSLIFE_SYSCALLS=tracepoint: $(sys_line "$f")"
	echo "$f" | grep -q 'hook: f\(entry\|exit\)/__x64_sys_' && fail "fentry syscall hooks beside the tracepoints"
	NSLIFE_SYSCALLS=tracepoint events_seen tracepoint
fi
f=$(NSLIFE_SYSCALLS=raw "$NSLIFE" features) || fail "nslife features (raw) failed"
echo "$f" | grep -q '^syscalls: raw_syscalls' || fail "NSLIFE_SYSCALLS=raw did not select the fallback"
[ "$(echo "$f" | grep -c '^hook: tp_btf/sys_exit$')" = $((preempt + 1)) ] || fail "fallback without tp_btf/sys_exit (or its twin)"
NSLIFE_SYSCALLS=raw events_seen raw
for t in t_trace_setns t_trace_mounts; do
	NSLIFE_SYSCALLS=raw bash "$DIR/$t.sh" || fail "$t under the raw_syscalls fallback"
done
# forcing what the kernel refuses fails, and says so
if [ $fentry = 0 ]; then
	NSLIFE_SYSCALLS=fentry "$NSLIFE" features >/dev/null 2>"$TMP/ferr" && fail "NSLIFE_SYSCALLS=fentry did not fail"
	grep -q 'NSLIFE_SYSCALLS=fentry' "$TMP/ferr" || fail "NSLIFE_SYSCALLS=fentry failed silently: $(cat "$TMP/ferr")"
fi
echo "syscall hooks: $(sys_line "$("$NSLIFE" features)" | cut -c11-50)...; the forced ones pass too"
