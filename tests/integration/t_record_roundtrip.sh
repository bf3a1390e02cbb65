#!/bin/bash
# record -> replay round trip: `nslife trace --json` and `nslife record`
# run side by side over one workload (unshare of all 8 types, an nsfs bind
# mount and its umount); `nslife replay --json` of the log must give the
# same events as the trace printed for that workload.
#
# Compared: event, how, type, inum, id, pid, tid, comm, path.  Frees seen
# by the liveness poll or a teardown work item are stamped by each tracer
# instance on its own (poll: pid is nslife itself; which of poll and work
# comes first depends on the instance's poll phase), so for those only
# event, type, inum and id must agree.  Times are not compared.
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
LOG=$TMP/rt.log
cleanup() {
	umount "$TMP/b" 2>/dev/null
	[ -n "${HOLD:-}" ] && kill $HOLD 2>/dev/null
	cleanup_record
}
trap cleanup EXIT
U=$(cp "$(command -v unshare)" "$TMP/nslrtU" && echo "$TMP/nslrtU")

trace_start
record_start "$LOG"
"$U" -m -u -i -n -C -T true || fail "unshare of 6 types failed"
"$U" -p -f true || fail "unshare -p failed"
"$U" -U true || fail "unshare -U failed"
"$U" -n sleep 60 & HOLD=$!
wait_exec $HOLD sleep
touch "$TMP/b"
mount --bind /proc/$HOLD/ns/net "$TMP/b" || fail "bind mount failed"
umount "$TMP/b" || fail "umount failed"
kill $HOLD; wait $HOLD 2>/dev/null; HOLD=
# stop once the trace has seen every workload namespace die (net teardown
# is asynchronous), so that no late free reaches one tracer and not the other
all_freed() {	# file: every workload namespace in it was created and freed
	jq -s -e '[.[] | select(.event=="create" and .comm=="nslrtU") | .id] as $c
		| [.[] | select(.event=="free") | .id] as $f
		| ($c | length) >= 9 and all($c[]; . as $i | $f | index($i))' \
		"$1" >/dev/null 2>&1
}
wait_for 10 all_freed "$TMP/trace.json"
# and the recorder too: its log, flushed every second, replayed
rec_freed() { "$NSLIFE" replay --json "$LOG" >"$TMP/partial.json" 2>/dev/null; all_freed "$TMP/partial.json"; }
wait_for 10 rec_freed
record_stop || { rc=$?; cat "$TMP/record.err"; fail "nslife record exited $rc"; }
trace_stop
[ "$(stat -c %a "$LOG")" = 600 ] || fail "log mode is $(stat -c %a "$LOG"), not 600"
grep -q "events, [0-9]* lost$" "$TMP/record.err" || fail "no summary line: $(cat "$TMP/record.err")"

"$NSLIFE" replay --json "$LOG" >"$TMP/replay.json" 2>"$TMP/replay.err" ||
	{ rc=$?; cat "$TMP/replay.err"; fail "replay exited $rc"; }
jq -e . "$TMP/replay.json" >/dev/null || fail "replay output is not valid JSON"

# the workload's namespaces: made by our copy of unshare
ids=$(jq -s '[.[] | select(.event=="create" and .comm=="nslrtU") | .id] | unique' "$TMP/trace.json")
n=$(echo "$ids" | jq length)
[ "$n" -ge 9 ] || fail "trace saw only $n namespaces made by the workload"
select_norm() {
	jq -c --argjson ids "$ids" --arg tmp "$TMP/" '
		select((.id as $i | $ids | index($i)) or ((.path // "") | startswith($tmp)))
		| {event, how, type, inum, id, pid, tid, comm, path: (.path // null)}
		| if .event == "free" and (.how == "poll" or .how == "work")
		  then {event, type, inum, id} else . end' "$1" | sort
}
select_norm "$TMP/trace.json" >"$TMP/want"
select_norm "$TMP/replay.json" >"$TMP/got"
[ "$(wc -l <"$TMP/want")" -ge 30 ] || fail "only $(wc -l <"$TMP/want") workload events traced"
if ! diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
	head -40 "$TMP/diff"
	fail "replay differs from trace"
fi
for e in create join leave free mount umount; do
	grep -q "\"event\":\"$e\"" "$TMP/got" || fail "no $e event in the replay"
done
echo "$(wc -l <"$TMP/got") workload events, $n namespaces: replay equals trace"
