#!/bin/bash
# nslife leaves out its own looks at namespaces by process, not by name:
# a process that merely calls itself "nslife" is traced like any other (by
# the daemon, its log and record), while the setns children that nslife's
# scans fork to read a process-less mount namespace leave nothing.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
# this test's nslife under a comm of its own, so that nslife runs of other
# test suites on the same host (other binaries: traced) are not counted
cp "$NSLIFE" "$T/nslself" || fail "copy nslife"
NSLIFE=$T/nslself
REC=
cleanup() {
	[ -n "$REC" ] && kill -INT "$REC" 2>/dev/null && wait "$REC"
	cleanup_daemon
}
trap cleanup EXIT

# a mount namespace with no process in it, pinned by a bind mount: every
# full scan forks a child that setns into it to read its mounts
mkdir "$T/m" && mount --bind "$T/m" "$T/m" && mount --make-private "$T/m" || fail "private dir"
UMOUNT+=("$T/m")
touch "$T/m/mnt" && unshare --mount="$T/m/mnt" true || fail "unshare --mount=FILE"
UMOUNT=("$T/m/mnt" "${UMOUNT[@]}")

daemon_start -o "$T/daemon.log"
"$NSLIFE" record -o "$T/rec.log" 2>"$T/rec.err" & REC=$!
wait_for $START_WAIT started "$T/rec.err" "recording to" $REC
grep -q "recording to" "$T/rec.err" || fail "record did not start: $(cat "$T/rec.err")"

make_held_netns
# the impostor: bash under the name nslife opens the netns and keeps it
cp "$(command -v bash)" "$T/nslife" || fail "no bash"
mkfifo "$T/ready"
"$T/nslife" -c 'exec 7<"$1"; echo "$BASHPID" >"$2"; exec sleep infinity' x "$T/bind" "$T/ready" &
KILL+=($!)
read -r F <"$T/ready" || fail "the impostor did not start"

# a daemon query scans too (its children setns into $T/m/mnt), and so
# does a one-shot run of the same nslife binary
"$NSLIFE" ls >/dev/null || fail "ls through the daemon exited $?"
"$NSLIFE" ls --no-daemon >/dev/null || fail "ls --no-daemon exited $?"
# (the daemon's bounded history may drop it among other tests' events:
# its log, which keeps every event, is what is checked, after the stop)

# record: stop it, then its log has the open and no other look by "nslife"
# (frees the liveness poll finds are stamped with nslife's pid: real events)
kill -INT $REC; wait $REC || fail "record exited $?"
REC=
"$NSLIFE" replay --json "$T/rec.log" >"$T/out" || fail "replay exited $?"
jq -e -s --argjson f "$F" --argjson i "$HELD_INUM" \
	'any(.[]; .event == "open" and .pid == $f and .comm == "nslife" and .inum == $i)' \
	"$T/out" >/dev/null || fail "record left out an open by a process named nslife (pid $F)"
jq -e -s '[.[] | select(.comm == "nslself" and
	(.event == "open" or .event == "join" or .event == "leave"))] | length == 0' \
	"$T/out" >/dev/null || fail "record logged nslife's own looks: $(jq -c -s \
	'[.[] | select(.comm == "nslself" and
	(.event == "open" or .event == "join" or .event == "leave"))][:3]' "$T/out")"
daemon_stop
"$NSLIFE" replay --json "$T/daemon.log" >"$T/out" || fail "replay of the daemon's log exited $?"
jq -e -s '[.[] | select(.comm == "nslself" and
	(.event == "open" or .event == "join" or .event == "leave"))] | length == 0' \
	"$T/out" >/dev/null || fail "the daemon logged nslife's own looks: $(jq -c -s \
	'[.[] | select(.comm == "nslself" and
	(.event == "open" or .event == "join" or .event == "leave"))][:3]' "$T/out")"
jq -e -s --argjson f "$F" 'any(.[]; .event == "open" and .pid == $f)' "$T/out" >/dev/null ||
	fail "the daemon's log left out the impostor's open"
echo "a process named nslife is traced; nslife's own scan children are not"
