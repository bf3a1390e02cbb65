#!/bin/bash
# Every namespace type: a create and exactly one free with the same id, the
# free within 2 s of the namespace's last task exiting, never before it.
# Where the kernel has nsfs file handles (6.18+), the kernel itself is the
# judge: the id must equal the handle's ns_id, and the handle must be alive
# until the free and stale (ESTALE) after it.
. "$(dirname "$0")/lib_trace.sh"
need_root
trace_start
declare -A flag=([mnt]=-m [net]=-n [uts]=-u [ipc]=-i [cgroup]=-C [time]=-T [user]=-U [pid]="-p -f --kill-child")
TYPES="mnt net uts ipc cgroup time user pid"
for t in $TYPES; do
	unshare ${flag[$t]} sleep 60 &
	echo $! > "$TMP/$t.pid"
done
# each one has exec'd sleep: its namespaces are made (pid: its child has)
ready() {	# type
	local p c
	p=$(cat "$TMP/$1.pid")
	[ "$1" = pid ] || { is_comm "$p" sleep; return; }
	c=$(cat /proc/$p/task/$p/children 2>/dev/null) && c=${c%% *} && [ -n "$c" ] &&
		is_comm "$c" sleep
}
for t in $TYPES; do wait_for 10 ready $t || fail "$t: unshare did not start"; done
for t in $TYPES; do
	p=$(cat "$TMP/$t.pid")
	f=/proc/$p/ns/$t
	# pid: unshare -p leaves the caller outside.  time: 6.18 moves the task
	# into time_for_children at exec, 6.1 does not; that one is the new ns
	[ $t = pid ] && f=/proc/$p/ns/pid_for_children
	[ $t = time ] && f=/proc/$p/ns/time_for_children
	stat -L -c %i $f > "$TMP/$t.inum" || fail "$t: no $f"
	"$HELPERS/nshandle" get $f > "$TMP/$t.handle" 2>/dev/null
	echo $? > "$TMP/$t.hrc"
	"$HELPERS/nshandle" check "$(cut -d' ' -f4 < "$TMP/$t.handle")" >/dev/null 2>&1
	echo $? > "$TMP/$t.alive"
done
date +%s%N > "$TMP/killed"
# SIGKILL: unshare --fork ignores SIGTERM while it waits for its child.
# For pid, kill the namespace's init so that unshare reaps it at once: a
# zombie keeps its pid namespace until someone reaps it.
for t in $TYPES; do
	p=$(cat "$TMP/$t.pid")
	[ $t = pid ] && p=$(cat /proc/$p/task/$p/children)
	kill -KILL $p
done
for t in $TYPES; do wait "$(cat "$TMP/$t.pid")" 2>/dev/null; done
date +%s%N > "$TMP/exited"
all_freed() {
	local t
	for t in $TYPES; do
		ev -e --arg t $t --argjson i "$(cat "$TMP/$t.inum")" \
			'any(.[]; .event=="free" and .type==$t and .inum==$i)' >/dev/null 2>&1 || return 1
	done
}
wait_for 10 all_freed
trace_stop
exited=$(( $(cat "$TMP/exited") / 1000000 ))
killed=$(( $(cat "$TMP/killed") / 1000000 ))
for t in $TYPES; do
	inum=$(cat "$TMP/$t.inum")
	p=$(cat "$TMP/$t.pid")
	# inode numbers are recycled: pick the create made by this very task
	id=$(ev -r --arg t $t --argjson i $inum --argjson p $p \
		'[.[] | select(.event=="create" and .type==$t and .inum==$i and .member==$p)] | last | .id')
	[ -n "$id" ] && [ "$id" != null ] || fail "$t: no create event for $t:[$inum] by $p"
	n=$(ev --argjson id $id '[.[] | select(.event=="free" and .id==$id)] | length')
	[ "$n" = 1 ] || fail "$t: id $id has $n free events, want 1"
	# event times are CLOCK_BOOTTIME; compare on the wall clock of the JSON
	freed=$(ev -r --argjson id $id '.[] | select(.event=="free" and .id==$id) | .time')
	freed=$(( $(date -d "$freed" +%s%N) / 1000000 ))
	# `wait` returned after the last exit: the free must come within 2 s of it
	[ $((freed - exited)) -le 2000 ] || fail "$t: free came $((freed - exited)) ms after exit"
	# and not while its task was still alive
	[ $freed -ge $killed ] || fail "$t: freed $((killed - freed)) ms before its task was killed"
	if [ "$(cat "$TMP/$t.hrc")" = 0 ]; then
		hid=$(cut -d' ' -f1 < "$TMP/$t.handle")
		[ "$hid" = "$id" ] || fail "$t: event id $id, kernel ns_id $hid"
		[ "$(cat "$TMP/$t.alive")" = 0 ] || fail "$t: handle was not alive while its task ran"
		"$HELPERS/nshandle" check "$(cut -d' ' -f4 < "$TMP/$t.handle")" >/dev/null 2>&1
		[ $? = 1 ] || fail "$t: reported freed, but the kernel says it is alive"
		truth="ns_id and ESTALE agree"
	else
		truth="no nsfs handles on this kernel"
	fi
	echo "$t: id $id freed $((freed - exited)) ms after its last task exited; $truth"
done
