#!/bin/bash
# A namespace that outlives its container still names it: the daemon
# resolved the creator's cgroup id (BPF, at the create) to the container
# while it lived.  runc makes the container's uts ns from inside the
# container's cgroup; an nsfs bind mount keeps it after `podman rm -f`.
# (Its net ns is made by the podman CLI itself, in podman's own cgroup.)
# The daemon's log keeps the attribution: why --log names it too.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
. "$(dirname "$0")/lib_podman.sh" || exit 1
need_root
need_podman
podman_image || fail "podman import of a busybox root"
daemon_start -o "$T/log"
C=nslt-$$
podman_run $C sleep 1000 || fail "podman run"
P=$PODMAN_PID
ID=$(podman inspect -f '{{.Id}}' $C)
INUM=$(stat -L -c %i /proc/$P/ns/uts)
touch "$T/keep"
mount --bind /proc/$P/ns/uts "$T/keep" || fail "bind mount"
UMOUNT+=("$T/keep")
podman rm -f -t 0 $C >/dev/null || fail "podman rm"
for _ in $(seq 50); do kill -0 $P 2>/dev/null || break; sleep 0.1; done
kill -0 $P 2>/dev/null && fail "the container's process is still alive"

"$NSLIFE" why --json "uts:[$INUM]" >"$T/out" 2>"$T/err" || fail "why exited $?: $(cat "$T/err")"
jq -e --arg c $C --arg id "$ID" '.ns.state != "dead" and
	.history.creator.cgroup_id > 0 and
	.history.creator.owner.runtime == "podman" and .history.creator.owner.name == $c and
	.history.creator.owner.id == $id' "$T/out" >/dev/null || fail "creator's container not kept"
# (other nslife runs on the host may hold it for a moment through an fd)
jq -e --arg k "$T/keep" '.holders | any(.kind == "mount" and .path == $k and .owner == null) and
	all(.kind != "task")' "$T/out" >/dev/null || fail "holders: the bind mount, nobody's, and no task"
"$NSLIFE" why "uts:[$INUM]" >"$T/out" 2>&1 || fail "why text"
grep -q "^history: created by pid [0-9]* ([^)]*) via unshare in podman container $C (${ID:0:12}) at " "$T/out" ||
	fail "text: no 'created ... in podman container $C'"
daemon_stop

# the recorded log, read after the container is gone
"$NSLIFE" why --json --log "$T/log" "uts:[$INUM]" >"$T/out" 2>"$T/err" || fail "why --log exited $?: $(cat "$T/err")"
jq -e --arg c $C --arg id "$ID" '.history.creator.owner.runtime == "podman" and
	.history.creator.owner.name == $c and .history.creator.owner.id == $id' "$T/out" >/dev/null ||
	fail "why --log: the creator's container is not in the log"
"$NSLIFE" timeline --log "$T/log" "uts:[$INUM]" >"$T/out" 2>&1 || fail "timeline --log exited $?"
grep -q "in podman container $C" "$T/out" || fail "timeline --log: no creator's container"
echo ok
