#!/bin/bash
# kill -9 of the recorder mid-run: every event flushed before the kill
# (killed once a live replay of the log shows the workload's creates and
# frees: record flushes at least once a second) is readable; replay exits 0 or reports only a torn tail.
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
N=400
LOG=$TMP/k9.log
CHURN=$(own_helper nschurn nslk9churn)
record_start "$LOG"
"$CHURN" $N >/dev/null || fail "nschurn failed"
flushed() {	# the log, read live, has the creates and most frees
	"$NSLIFE" replay --json "$LOG" 2>/dev/null | jq -e -s --argjson n $N '
		([.[] | select(.event=="create" and .comm=="nslk9churn") | .id] | unique) as $c
		| ($c | length) >= $n and ([.[] | select(.event=="free") | .id
		| select(. as $i | $c | index($i))] | unique | length) >= ($n * 9 / 10)' >/dev/null
}
wait_for 15 flushed || echo "the live log lacks the workload after 15 s (checked below)"
kill -9 $REC_PID
wait $REC_PID 2>/dev/null
REC_PID=

"$NSLIFE" replay --json "$LOG" >"$TMP/replay.json" 2>"$TMP/replay.err"
rc=$?
case $rc in
0) ;;
1)	# a torn tail is the only damage a kill can leave
	[ "$(wc -l <"$TMP/replay.err")" = 1 ] && grep -q "corrupt block at offset" "$TMP/replay.err" ||
		{ cat "$TMP/replay.err"; fail "replay reported more than a torn tail"; } ;;
*)	cat "$TMP/replay.err"; fail "replay exited $rc" ;;
esac
jq -e . "$TMP/replay.json" >/dev/null || fail "replay output is not valid JSON"
creates=$(jq -s '[.[] | select(.event=="create" and .comm=="nslk9churn") | .id] | unique | length' "$TMP/replay.json")
[ "$creates" -ge $N ] || fail "only $creates of $N creates readable after kill -9"
# the deaths came well before the last flush too (net teardown is the slowest)
frees=$(jq -s '[.[] | select(.event=="create" and .comm=="nslk9churn") | .id] as $c
	| [.[] | select(.event=="free") | .id | select(. as $i | $c | index($i))] | unique | length' "$TMP/replay.json")
[ "$frees" -ge $((N * 9 / 10)) ] || fail "only $frees of $N frees readable after kill -9"
echo "after kill -9: $creates creates, $frees frees readable (replay exit $rc)"
