#!/bin/bash
# A query through the daemon has history: a netns whose process exited but
# a bind mount holds is named with its mount holder (as one-shot why does)
# and with its creator (pid, comm), its lingering state and the pin's
# history; ls fills STATE, CREATOR and AGE.  Without a daemon why falls
# back to the one-shot scan and says once that history is unavailable.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
daemon_start --grace 1
unshare -n sleep 60 & P=$!
KILL+=($P)
wait_exec $P sleep
INUM=$(stat -L -c %i /proc/$P/ns/net)
touch "$T/bind"
mount --bind /proc/$P/ns/net "$T/bind" || fail "bind mount"
UMOUNT+=("$T/bind")
kill $P; wait $P 2>/dev/null
# lingering once the 1 s grace is over
lingers() {
	"$NSLIFE" why --json "net:[$INUM]" 2>/dev/null | jq -e '.ns.state == "lingering"' >/dev/null
}
wait_for 10 lingers || fail "never lingering"

"$NSLIFE" why "net:[$INUM]" >"$T/out" 2>"$T/err" || fail "why exited $?: $(cat "$T/err")"
[ -s "$T/err" ] && fail "why said on stderr: $(cat "$T/err")"
grep -q "^net:\[$INUM\]\( id [0-9]*\)\?: lingering, 0 processes" "$T/out" || fail "no lingering state line"
grep -q "nsfs mount $T/bind in mnt:" "$T/out" || fail "the mount holder is not named"
grep -q "^history: created by pid $P (unshare) via unshare at .*; last member exited (pid $P) .*; lingering since .*; pins: nsfs mount $T/bind " "$T/out" ||
	fail "no history line with creator, exit, lingering and pin"

"$NSLIFE" why --json "net:[$INUM]" >"$T/out" || fail "why --json exited $?"
jq -e --argjson p $P --arg b "$T/bind" '.ns.state == "lingering" and
	.history.creator.pid == $p and .history.creator.comm == "unshare" and
	.history.state == "lingering" and .history.lingering_since != null and
	any(.holders[]; .kind == "mount" and .path == $b) and
	any(.history.pins[]; .path == $b)' "$T/out" >/dev/null || fail "why --json lacks the history"

"$NSLIFE" ls -J -o NS,STATE,CREATOR,AGE -t net >"$T/out" || fail "ls exited $?"
jq -e --argjson ns "$INUM" --argjson p $P '.namespaces[] | select(.ns == $ns and .type == "net") |
	.state == "lingering" and (.creator | tonumber) == $p and .age != null' "$T/out" >/dev/null ||
	fail "ls lacks STATE/CREATOR/AGE for the held netns"

# the same command without the daemon: one note, the one-shot answer
NSLIFE_SOCKET=$T/none "$NSLIFE" why "net:[$INUM]" >"$T/out" 2>"$T/err" || fail "fallback why exited $?"
[ "$(cat "$T/err")" = "nslife: no daemon running, history unavailable" ] ||
	fail "fallback stderr: $(cat "$T/err")"
grep -q "^history:" "$T/out" && fail "history without a daemon?"
grep -q "nsfs mount $T/bind in mnt:" "$T/out" || fail "fallback why lost the mount holder"
"$NSLIFE" why --no-daemon "net:[$INUM]" >/dev/null 2>"$T/err" || fail "--no-daemon exited $?"
grep -q "no daemon running" "$T/err" && fail "--no-daemon still tried the daemon"
NSLIFE_SOCKET=$T/none "$NSLIFE" ls >/dev/null 2>"$T/err" || fail "fallback ls exited $?"
[ -s "$T/err" ] && fail "ls fallback is not quiet: $(cat "$T/err")"

umount "$T/bind"
daemon_stop
echo "why through the daemon: mount holder, creator $P (unshare), lingering"
