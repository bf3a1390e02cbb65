#!/bin/bash
# Every JSON output stays valid JSON (and valid UTF-8) when the kernel
# hands nslife bytes that are not UTF-8: a task whose comm is 0xff 0xfe and
# an nsfs bind mount under a directory whose name has 0xff 0xfe.  Checked:
# trace --json, record + replay --json, why --json (one-shot and through
# the daemon), ls -J (both), timeline --json (daemon and --log).  jq alone
# would not do: it quietly replaces bad bytes, so iconv checks the UTF-8.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
BAD=$'\xff\xfe'

valid() {	# what, file: valid UTF-8, valid JSON (one value a line or one)
	[ -s "$2" ] || fail "$1: no output"
	iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1 || fail "$1: not UTF-8"
	jq -e . "$2" >/dev/null 2>&1 || fail "$1: not JSON"
}

has_bad() {	# what, file: the bytes are there, escaped
	grep -qF '\u00ff\u00fe' "$2" || fail "$1: the 0xff 0xfe bytes are not in it"
}

daemon_start -o "$T/d.log"
"$NSLIFE" trace -J >"$T/trace.json" 2>"$T/trace.err" & TR=$!
KILL+=($TR)
for _ in $(seq 150); do
	grep -qs "tracing" "$T/trace.err" && break
	sleep 0.1
done
grep -q "tracing" "$T/trace.err" || fail "trace did not start: $(cat "$T/trace.err")"

# the mount path, and a holder thread whose comm is the bad bytes
mkdir "$T/d$BAD" && touch "$T/d$BAD/net" || fail "mkdir"
unshare --net="$T/d$BAD/net" true || fail "unshare --net=PATH"
UMOUNT+=("$T/d$BAD/net")
INUM=$(stat -L -c %i "$T/d$BAD/net")
cp "$HELPERS/nsl_thread" "$T/$BAD" || fail "no helper nsl_thread"
mkfifo "$T/ready"
"$T/$BAD" "$T/d$BAD/net" >"$T/ready" & H=$!
KILL+=($H)
read -r _ TID <"$T/ready" || fail "nsl_thread did not start"
# and a namespace created by a task with that comm, for the event streams
cp "$HELPERS/nschurn" "$T/c$BAD" && "$T/c$BAD" 8 >/dev/null || fail "nschurn"

"$NSLIFE" why --json --no-daemon "net:[$INUM]" >"$T/why1.json" || fail "why --no-daemon exited $?"
valid "why --json" "$T/why1.json"
has_bad "why --json" "$T/why1.json"
"$NSLIFE" why --json "net:[$INUM]" >"$T/why2.json" || fail "why via the daemon exited $?"
valid "why --json (daemon)" "$T/why2.json"
has_bad "why --json (daemon)" "$T/why2.json"
NSLIFE_SOCKET=$T/none "$NSLIFE" ls -J -t net >"$T/ls1.json" 2>/dev/null || fail "ls -J exited $?"
valid "ls -J" "$T/ls1.json"
"$NSLIFE" ls -J -t net -o +CREATOR >"$T/ls2.json" || fail "ls -J via the daemon exited $?"
valid "ls -J (daemon)" "$T/ls2.json"
"$NSLIFE" timeline --json "net:[$INUM]" >"$T/tl1.json" || fail "timeline --json exited $?"
valid "timeline --json" "$T/tl1.json"
has_bad "timeline --json" "$T/tl1.json"

# every event of the churn is in the trace before it stops
for _ in $(seq 100); do
	[ "$(grep -c "c\\\\u00ff\\\\u00fe" "$T/trace.json")" -ge 16 ] && break
	sleep 0.1
done
kill -INT $TR; wait $TR
valid "trace --json" "$T/trace.json"
has_bad "trace --json" "$T/trace.json"
daemon_stop
"$NSLIFE" replay --json "$T/d.log" >"$T/replay.json" || fail "replay --json exited $?"
valid "replay --json" "$T/replay.json"
has_bad "replay --json" "$T/replay.json"
"$NSLIFE" timeline --json --log "$T/d.log" "net:[$INUM]" >"$T/tl2.json" ||
	fail "timeline --json --log exited $?"
valid "timeline --json --log" "$T/tl2.json"
has_bad "timeline --json --log" "$T/tl2.json"
"$NSLIFE" why --json --log "$T/d.log" "net:[$INUM]" >"$T/why3.json" ||
	fail "why --json --log exited $?"
valid "why --json --log" "$T/why3.json"
has_bad "why --json --log" "$T/why3.json"
echo "every JSON output valid with a comm and a path that are not UTF-8"
