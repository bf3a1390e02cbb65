#!/bin/bash
# A net namespace that outlives its podman container still names it.
# The podman CLI makes the net ns itself, in its own cgroup (no container
# there); runc then joins it from inside the container's cgroup.  BPF
# records the joining task's cgroup id (NSL_EF_JOIN_CGROUP), the daemon
# names it while it lives: after `podman rm -f` the ns, kept by an nsfs
# bind mount, says which container used it (history.used_by), and so does
# the daemon's log (why --log, timeline --log).
. "$(dirname "$0")/lib_daemon.sh" || exit 1
. "$(dirname "$0")/lib_podman.sh" || exit 1
need_root
need_podman
podman_image || fail "podman import of a busybox root"
daemon_start -o "$T/log"
C=nslt-net-$$
podman_run $C sleep 1000 || fail "podman run"
P=$PODMAN_PID
ID=$(podman inspect -f '{{.Id}}' $C)
INUM=$(stat -L -c %i /proc/$P/ns/net)
[ "$INUM" != "$(stat -L -c %i /proc/self/ns/net)" ] || fail "the container shares the host's net ns"
touch "$T/keep"
mount --bind /proc/$P/ns/net "$T/keep" || fail "bind mount"
UMOUNT+=("$T/keep")
podman rm -f -t 0 $C >/dev/null || fail "podman rm"
for _ in $(seq 50); do kill -0 $P 2>/dev/null || break; sleep 0.1; done
kill -0 $P 2>/dev/null && fail "the container's process is still alive"

"$NSLIFE" why --json "net:[$INUM]" >"$T/out" 2>"$T/err" || fail "why exited $?: $(cat "$T/err")"
# the premise: its creator is not the container (podman's CLI made it)
jq -e --arg id "$ID" '.history.creator.owner.id != $id' "$T/out" >/dev/null ||
	fail "the net ns's creator is the container: the premise of this test changed"
jq -e --arg c $C --arg id "$ID" '.ns.state != "dead" and
	.history.used_by.cgroup_id > 1 and .history.used_by.how == "setns" and
	.history.used_by.owner.runtime == "podman" and .history.used_by.owner.name == $c and
	.history.used_by.owner.id == $id and .history.used_by.at.ts > 0' "$T/out" >/dev/null ||
	fail "used_by: the container that joined it is not kept"
jq -e --arg k "$T/keep" '.holders | any(.kind == "mount" and .path == $k and .owner == null) and
	all(.kind != "task")' "$T/out" >/dev/null || fail "holders: the bind mount, nobody's, and no task"
"$NSLIFE" why "net:[$INUM]" >"$T/out" 2>&1 || fail "why text"
grep -q "^history: created by .*; joined by pid [0-9]* ([^)]*) in podman container $C (${ID:0:12}) at " "$T/out" ||
	fail "text: no 'joined by ... in podman container $C'"
grep -q "release: umount $T/keep.* (left behind by podman container $C (${ID:0:12}), which is gone)$" "$T/out" ||
	fail "text: the release advice does not name the container it outlived"
"$NSLIFE" timeline "net:[$INUM]" >"$T/out" 2>&1 || fail "timeline exited $?"
grep -q "joined .* in podman container $C (${ID:0:12})" "$T/out" || fail "timeline: no joiner's container"
# no member, no holder with an owner: ls names it from the daemon's history
"$NSLIFE" ls -J -o NS,CONTAINER --container $C >"$T/out" 2>&1 || fail "ls exited $?"
jq -e --arg c $C --argjson i "$INUM" '.namespaces | any(.ns == $i and .container == $c)' \
	"$T/out" >/dev/null || fail "ls --container: the leaked net ns is not the container's"
daemon_stop

# the recorded log, read after the container is gone
"$NSLIFE" why --json --log "$T/log" "net:[$INUM]" >"$T/out" 2>"$T/err" ||
	fail "why --log exited $?: $(cat "$T/err")"
jq -e --arg c $C --arg id "$ID" '.history.used_by.owner.runtime == "podman" and
	.history.used_by.owner.name == $c and .history.used_by.owner.id == $id' "$T/out" >/dev/null ||
	fail "why --log: the joiner's container is not in the log"
"$NSLIFE" why --log "$T/log" "net:[$INUM]" >"$T/out" 2>&1 || fail "why --log text"
grep -q "^history: created by .*; joined by pid [0-9]* ([^)]*) in podman container $C (${ID:0:12}) at " "$T/out" ||
	fail "why --log text: no 'joined by ... in podman container $C'"
"$NSLIFE" timeline --log "$T/log" "net:[$INUM]" >"$T/out" 2>&1 || fail "timeline --log exited $?"
grep -q "joined .* in podman container $C (${ID:0:12})" "$T/out" || fail "timeline --log: no joiner's container"
# a log records no cgroups of its own: ls --log names the container from the history
"$NSLIFE" ls --log "$T/log" -J -o NS,CONTAINER,RUNTIME >"$T/out" 2>&1 || fail "ls --log exited $?"
jq -e --arg c $C --argjson i "$INUM" '.namespaces | any(.ns == $i and .container == $c and
	.runtime == "podman")' "$T/out" >/dev/null || fail "ls --log: no CONTAINER for the net ns"
echo ok
