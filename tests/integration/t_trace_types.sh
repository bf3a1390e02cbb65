#!/bin/bash
# Every namespace type: a create and a free with the same id, the free
# within 2 s of the namespace's last task exiting.
. "$(dirname "$0")/lib_trace.sh"
need_root
trace_start
declare -A flag=([mnt]=-m [net]=-n [uts]=-u [ipc]=-i [cgroup]=-C [time]=-T [user]=-U [pid]="-p -f")
for t in mnt net uts ipc cgroup time user pid; do
	unshare ${flag[$t]} sh -c 'echo $$ > '"$TMP/$t.pid"
done
sleep 2.5
trace_stop
for t in mnt net uts ipc cgroup time user pid; do
	pid=$(cat "$TMP/$t.pid")
	# the namespace the unshare created: the create whose member is that
	# process (or, for pid with -f, its parent: unshare itself)
	id=$(ev -r --arg t $t '[.[] | select(.event=="create" and .type==$t and .comm=="unshare")] | last | .id')
	[ -n "$id" ] && [ "$id" != null ] || fail "$t: no create event"
	created=$(ev -r --argjson id $id '.[] | select(.event=="create" and .id==$id) | .ts')
	freed=$(ev -r --argjson id $id '[.[] | select(.event=="free" and .id==$id)] | length')
	[ "$freed" = 1 ] || fail "$t: id $id has $freed free events, want 1"
	ts=$(ev -r --argjson id $id '.[] | select(.event=="free" and .id==$id) | .ts')
	# the process lived for well under a second; 2 s after creation is
	# therefore a generous bound on "within 2 s of the last reference"
	delay=$(( (ts - created) / 1000000 ))
	[ $delay -le 2000 ] || fail "$t: free came ${delay} ms after create"
	inum_c=$(ev -r --argjson id $id '.[] | select(.event=="create" and .id==$id) | .inum')
	inum_f=$(ev -r --argjson id $id '.[] | select(.event=="free" and .id==$id) | .inum')
	[ "$inum_c" = "$inum_f" ] || fail "$t: inum changed between create and free"
	echo "$t: id $id create→free ${delay} ms"
done
