#!/bin/bash
# A full disk: record into a small tmpfs under namespace churn until the
# writes fail.  One clear error line, a non-zero exit, and a log that
# replays cleanly (the writer cuts a failed block back off, so the file
# ends at the last good block).
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
SMALL=$TMP/small
LOG=$SMALL/full.log
cleanup() {
	cleanup_record_only
	umount "$SMALL" 2>/dev/null
	cleanup_trace
}
cleanup_record_only() {
	[ -n "$REC_PID" ] && kill -INT $REC_PID 2>/dev/null && wait $REC_PID
	REC_PID=
}
trap cleanup EXIT
mkdir "$SMALL"
# 64 KiB past what a log holds at its start (the first scan's snapshot:
# ~30 KiB here, but a host with a thousand more namespaces outgrew 64 KiB
# before the churn began)
record_start "$TMP/probe.log"
record_stop || fail "the probe recording failed"
size=$(( ($(stat -c %s "$TMP/probe.log") + 65536 + 4095) / 4096 * 4 ))
mount -t tmpfs -o size=${size}k,mode=0700 nsl-full "$SMALL" || fail "cannot mount a tmpfs"
CHURN=$(own_helper nschurn nslfullchurn)
record_start "$LOG"
end=$((SECONDS + 120))
while kill -0 $REC_PID 2>/dev/null && [ $SECONDS -lt $end ]; do
	"$CHURN" 200 >/dev/null || fail "nschurn failed"
done
kill -0 $REC_PID 2>/dev/null && fail "record still running after 120 s of churn into ${size} KiB"
wait $REC_PID
rc=$?
REC_PID=
[ $rc -ne 0 ] || fail "record exited 0 on a full disk"
n=$(grep -c "no space left on device" "$TMP/record.err")
[ "$n" = 1 ] || { cat "$TMP/record.err"; fail "$n 'no space' lines, not one"; }
grep -q "^nslife: $LOG: no space left on device" "$TMP/record.err" ||
	{ cat "$TMP/record.err"; fail "the error line does not name the file"; }
others=$(grep -v -e "recording to" -e "no space left" -e "events, [0-9]* lost$" \
	-e "events lost (ring buffer full)" "$TMP/record.err")
[ -z "$others" ] || fail "unexpected stderr: $others"

"$NSLIFE" replay --json "$LOG" >"$TMP/replay.json" 2>"$TMP/replay.err" ||
	{ cat "$TMP/replay.err"; fail "the log of a full disk does not replay cleanly"; }
[ -s "$TMP/replay.err" ] && fail "replay reported damage: $(cat "$TMP/replay.err")"
creates=$(jq -s '[.[] | select(.event=="create" and .comm=="nslfullchurn")] | length' "$TMP/replay.json")
[ "$creates" -gt 0 ] || fail "no workload events kept"
echo "full disk at $(stat -c %s "$LOG") bytes: one error line, exit $rc, $creates creates replay cleanly"
