#!/bin/bash
# Ring-buffer overflow: a stopped reader and a small ring buffer lose
# events.  The loss is counted and said (a lost event, a stderr line, the
# summary), a rescan follows, and every namespace whose create was seen
# gets its free (from the rescan if its own event was lost).  Tracing
# goes on afterwards.
. "$(dirname "$0")/lib_trace.sh"
need_root
export NSLIFE_RINGBUF_BYTES=16384	# ~180 records
# a stopped tracer never stops on SIGINT: wake it first, whatever failed
cleanup() { [ -n "$TRACE_PID" ] && kill -CONT $TRACE_PID 2>/dev/null; cleanup_trace; }
trap cleanup EXIT
trace_start
kill -STOP $TRACE_PID
"$HELPERS/nschurn" 400 >/dev/null || fail "nschurn failed"
kill -CONT $TRACE_PID
# the loss is said once the reader has drained the ring, and the rescan
# that follows ends with the frees it found (the ring is small: events made
# while the rescan runs, under load, could be lost again)
wait_for 10 has_line "$TMP/trace.err" "events lost (ring buffer full" ||
	fail "no 'events lost' line on stderr"
rescanned() { ev -e 'any(.[]; .event == "free" and .how == "scan")' >/dev/null 2>&1; }
wait_for 20 rescanned || fail "no free from the rescan"
# still tracing: a uts ns made now is seen born and dead
unshare -u sh -c 'stat -L -c %i /proc/self/ns/uts' > "$TMP/uts" || fail "unshare"
INUM=$(cat "$TMP/uts")
freed() { jq -s -e --argjson i "$INUM" 'any(.[]; .event == "free" and .inum == $i)' \
	"$TMP/trace.json" >/dev/null 2>&1; }
wait_for 10 freed
trace_stop
lost=$(trace_lost)
[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no loss counted in the summary: $(tail -n 1 "$TMP/trace.err")"
grep -q "events lost (ring buffer full" "$TMP/trace.err" || fail "no 'events lost' line on stderr"
n=$(ev '[.[] | select(.event == "lost") | .lost // .val // .count] | length')
[ "$n" -ge 1 ] || fail "no lost event in the output"
unmatched=$(ev '[.[] | select(.event=="free") | .id] as $f
	| [.[] | select(.event=="create" and .comm=="nschurn") | .id | select(. as $i | $f | index($i) | not)] | length')
[ "$unmatched" = 0 ] || fail "$unmatched seen creates without a free after the resync"
ev -e 'any(.[]; .event == "free" and .how == "scan")' >/dev/null || fail "no free from the rescan"
ev -e --argjson i "$INUM" 'any(.[]; .event == "create" and .inum == $i)' >/dev/null ||
	fail "uts:[$INUM] made after the loss was not traced"
ev -e --argjson i "$INUM" 'any(.[]; .event == "free" and .inum == $i)' >/dev/null ||
	fail "the free of uts:[$INUM] made after the loss was not traced"
echo "lost $lost, said on stderr and as an event; the rescan freed the rest"
