#!/bin/bash
# why/ls/timeline --log [--at TIME]: the state as it stood at TIME, from a
# recorded log alone.  Scenario: a netns whose only process exits while a
# bind mount pins it (it lingers), then the mount goes (it is freed).
#   --at before the exit:   alive, held by the mount and the task
#   --at while it lingers:  lingering, held by the mount (path), no task
#   at the end:             dead
#   timeline:               created, pinned, lingering, unpinned, freed
#   ls --at:                lists it as lingering
# Then a log with a flipped byte in a middle block and a truncated one:
# one line per damaged block, and still an answer from what is readable.
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
LOG=$TMP/at.log
B=$TMP/bind
cleanup() {
	umount "$B" 2>/dev/null
	[ -n "${HELD:-}" ] && kill $HELD 2>/dev/null
	cleanup_record
}
trap cleanup EXIT
U=$TMP/nslatU
cp "$(command -v unshare)" "$U" || fail "no unshare"
now() { date +%s.%N; }

record_start "$LOG" --grace 1
"$U" -n sleep 30 & HELD=$!
wait_exec $HELD sleep
ino=$(stat -L -c %i /proc/$HELD/ns/net) || fail "no netns for the helper"
touch "$B"
mount --bind /proc/$HELD/ns/net "$B" || fail "bind mount failed"
# (not readiness waits: --at TIME needs instants clearly between events,
# as the log's boot-to-wall clock conversion is not exact)
sleep 0.3
T_PIN=$(now)
sleep 0.3
HELD_PID=$HELD
kill $HELD; wait $HELD 2>/dev/null; HELD=
# until the log (flushed every second) has it: slow builds (ASan) take longer
# (by id: inums are recycled, and other tests make namespaces meanwhile)
in_log() {	# event; prints the first match
	"$NSLIFE" replay --json "$LOG" 2>/dev/null | jq -e -c --argjson i "$ino" \
		--argjson p "$HELD_PID" --arg e "$1" --argjson id "${LID:-0}" \
		'select(.event == $e and .inum == $i and
		 (.id == $id or (.event == "create" and .member == $p)))' | head -n 1 | grep .
}
logged() {
	wait_for 20 in_log "$1" && return 0
	echo "FAIL: no $1 event in the log after 20 s" >&2
	return 1
}
LID=$(logged create | jq .id) || exit 1
logged lingering >/dev/null || exit 1	# grace 1 s
T_LINGER=$(now)
sleep 0.3
umount "$B" || fail "umount failed"
logged free >/dev/null || exit 1
record_stop || { rc=$?; cat "$TMP/record.err"; fail "nslife record exited $rc"; }

NS="net:[$ino]"
why() { "$NSLIFE" why --log "$LOG" --json "$@" 2>"$TMP/why.err"; }

# pinned and still with its process
why --at "@$T_PIN" "$NS" >"$TMP/pin.json" || { rc=$?; cat "$TMP/why.err"; fail "why --at pin exited $rc"; }
# (the task still has the comm the log saw at its creation: exec is not recorded)
jq -e --arg b "$B" --argjson p "$HELD_PID" '
	.ns.state == "alive" and .source == "log" and
	any(.holders[]; .kind == "mount" and .path == $b) and
	any(.holders[]; .kind == "task" and .pid == $p)' "$TMP/pin.json" >/dev/null ||
	{ cat "$TMP/pin.json"; fail "at the pin: not alive with mount and task holders"; }
id=$(jq -r .ns.id "$TMP/pin.json")
[ "$id" -gt 0 ] || fail "no id"

# lingering: the mount is the only holder
why --at "@$T_LINGER" "$NS" >"$TMP/linger.json" || fail "why --at linger exited $?"
jq -e --arg b "$B" '
	.ns.state == "lingering" and .history.state == "lingering" and
	([.holders[] | select(.kind == "mount" and .path == $b)] | length) == 1 and
	all(.holders[]; .kind != "task") and .history.last_exit != null' \
	"$TMP/linger.json" >/dev/null ||
	{ cat "$TMP/linger.json"; fail "at T_LINGER: not lingering with only the mount"; }
"$NSLIFE" why --log "$LOG" --at "@$T_LINGER" "$NS" >"$TMP/linger.txt" 2>&1 ||
	fail "text why exited $?"
grep -q "lingering" "$TMP/linger.txt" && grep -q "recorded holders" "$TMP/linger.txt" &&
	grep -q "nsfs mount $B" "$TMP/linger.txt" ||
	{ cat "$TMP/linger.txt"; fail "text why: no lingering / recorded mount holder"; }

# the end (default) and an explicit relative TIME: dead.  By id: the
# kernel recycles inums at once, so by the end net:[INUM] may name a newer
# namespace (other tests run alongside)
why "id:$id" >"$TMP/end.json" || fail "why at the end exited $?"
jq -e --argjson id "$id" '.ns.state == "dead" and .holders == [] and .ns.id == $id and
	.history.freed != null' "$TMP/end.json" >/dev/null ||
	{ cat "$TMP/end.json"; fail "at the end: not dead"; }
why --at -0s "id:$id" | jq -e '.ns.state == "dead"' >/dev/null || fail "--at -0s: not dead"
why --at end "id:$id" | jq -e '.ns.state == "dead"' >/dev/null || fail "--at end id:$id: not dead"

# the whole life, in order
"$NSLIFE" timeline --log "$LOG" --json "id:$id" >"$TMP/tl.json" 2>"$TMP/tl.err" ||
	{ rc=$?; cat "$TMP/tl.err"; fail "timeline --log exited $rc"; }
order=$(jq -r '[.timeline[].event | select(. == "created" or . == "pinned" or
	. == "lingering" or . == "unpinned" or . == "freed")] | join(",")' "$TMP/tl.json")
[ "$order" = "created,pinned,lingering,unpinned,freed" ] ||
	{ cat "$TMP/tl.json"; fail "timeline order: $order"; }
jq -e --arg b "$B" 'any(.timeline[]; .event == "unpinned" and .path == $b) and
	any(.timeline[]; .event == "pinned" and .path == $b) and
	any(.timeline[]; .event == "exited") and .ns.state == "dead"' "$TMP/tl.json" >/dev/null ||
	{ cat "$TMP/tl.json"; fail "timeline: no pinned/unpinned path or exit"; }
ts=$(jq '[.timeline[].ts] | . == sort' "$TMP/tl.json")
[ "$ts" = true ] || fail "timeline not in time order"
"$NSLIFE" timeline --log "$LOG" --at "@$T_LINGER" "$NS" >"$TMP/tl.txt" 2>&1 || fail "text timeline exited $?"
grep -q "pinned *$B" "$TMP/tl.txt" && grep -q "lingering" "$TMP/tl.txt" &&
	! grep -q "unpinned\|freed" "$TMP/tl.txt" ||
	{ cat "$TMP/tl.txt"; fail "text timeline --at: not pinned and lingering only"; }

# ls at TIME lists it, lingering; at the end it is gone
"$NSLIFE" ls --log "$LOG" --at "@$T_LINGER" -J -o NS,INUM,STATE,MOUNTS >"$TMP/ls.json" ||
	fail "ls --log exited $?"
jq -e --argjson i "$ino" 'any(.namespaces[]; .inum == $i and .state == "lingering" and .mounts == 1)' \
	"$TMP/ls.json" >/dev/null || { cat "$TMP/ls.json"; fail "ls --at: not listed lingering"; }
"$NSLIFE" ls --log "$LOG" -J -o INUM,ID,STATE >"$TMP/ls_end.json" || fail "ls --log at the end exited $?"
jq -e --argjson id "$id" 'all(.namespaces[]; .id != $id)' "$TMP/ls_end.json" >/dev/null ||
	fail "ls at the end lists the freed netns"

# bad TIME: one line, exit 2; before the log began: exit 2
"$NSLIFE" why --log "$LOG" --at "yesterday" "$NS" >/dev/null 2>"$TMP/bad.err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$TMP/bad.err")" -eq 1 ] && grep -q "bad --at" "$TMP/bad.err" ||
	{ cat "$TMP/bad.err"; fail "bad --at: exit $rc"; }
"$NSLIFE" why --log "$LOG" --at "@1000" "$NS" >/dev/null 2>"$TMP/early.err"
[ $? -eq 2 ] && grep -q "before the log begins" "$TMP/early.err" || fail "--at before the log: $(cat "$TMP/early.err")"
# a namespace the log never saw
why "net:[4026500001]" >"$TMP/unk.json"
[ $? -eq 1 ] && jq -e '.ns.state == "unknown"' "$TMP/unk.json" >/dev/null ||
	fail "unknown namespace: $(cat "$TMP/unk.json" "$TMP/why.err")"

# damage: flip a byte inside a middle block
mapfile -t offs < <(LC_ALL=C grep -obUaP '\xd3nslBLK\x8a' "$LOG" | cut -d: -f1)
[ ${#offs[@]} -ge 3 ] || fail "only ${#offs[@]} blocks in the log"
mid=${offs[$(( ${#offs[@]} / 2 ))]}
cp "$LOG" "$TMP/bad.log"
printf '\x55' | dd of="$TMP/bad.log" bs=1 seek=$((mid + 60)) conv=notrunc status=none
"$NSLIFE" why --log "$TMP/bad.log" --json "id:$id" >"$TMP/bad.json" 2>"$TMP/bad.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || fail "why on a damaged log exited $rc"
jq -e '.ns.state' "$TMP/bad.json" >/dev/null || fail "no answer from a damaged log"
[ "$(grep -c "corrupt block at offset $mid " "$TMP/bad.err")" -eq 1 ] &&
	[ "$(grep -c "offset" "$TMP/bad.err")" -eq 1 ] ||
	{ cat "$TMP/bad.err"; fail "damage at $mid not reported exactly once"; }
# truncated in the middle of its last block
size=$(stat -c %s "$LOG")
last=${offs[$(( ${#offs[@]} - 1 ))]}
head -c $(( (last + size) / 2 )) "$LOG" >"$TMP/trunc.log"
"$NSLIFE" why --log "$TMP/trunc.log" --at "@$T_LINGER" --json "$NS" >"$TMP/trunc.json" 2>"$TMP/trunc.err"
[ "$(grep -c "offset $last " "$TMP/trunc.err")" -eq 1 ] && [ "$(wc -l <"$TMP/trunc.err")" -eq 1 ] ||
	{ cat "$TMP/trunc.err"; fail "truncation at $last not reported in one line"; }
jq -e '.ns.state == "lingering"' "$TMP/trunc.json" >/dev/null ||
	{ cat "$TMP/trunc.json"; fail "truncated log: the readable part gives no lingering state"; }
echo "why/ls/timeline --log at TIME: alive, lingering (mount $B), dead; damage reported and skipped"
