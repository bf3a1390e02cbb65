#!/bin/bash
# The BPF live map (NSLIFE_LIVE_MAX, here tiny) overflows: namespaces it
# has no room for would never be seen dying in tracepoint mode.  That is
# said: once at start when nslife's own seeding fills it, and, for every
# namespace a traced task makes that does not fit, as lost events (a lost
# object with live_map_full, a stderr line, the summary) followed by a
# rescan; the rescan's own opens are not counted again.
. "$(dirname "$0")/lib_trace.sh"
need_root
export NSLIFE_LIVE_MAX=16
trace_start
# 40 uts namespaces held at once: more than the map holds on any host
"$HELPERS/nshold" 40 >"$TMP/hold" &
HOLD=$!
wait_for 10 has_line "$TMP/hold" ready || { kill $HOLD; fail "nshold did not start"; }
wait_for 10 has_line "$TMP/trace.err" "namespace records not followed (BPF live map full)" ||
	{ kill $HOLD; fail "no 'live map full' line on stderr: $(cat "$TMP/trace.err")"; }
kill $HOLD; wait $HOLD 2>/dev/null
trace_stop
has_line "$TMP/trace.err" "the BPF live map is full (16 namespaces" ||
	fail "no warning that the seeding filled the map: $(cat "$TMP/trace.err")"
lost=$(trace_lost)
[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no loss counted in the summary: $(tail -n 1 "$TMP/trace.err")"
ev -e 'any(.[]; .event == "lost" and .live_map_full > 0)' >/dev/null ||
	fail "no lost event naming the live map"
# the rescans do not feed themselves: a handful of lines, not one per pass
n=$(grep -c "live map full" "$TMP/trace.err")
[ "$n" -le 10 ] || fail "$n 'live map full' lines: rescans count their own opens"
echo "live map of 16 overflowed: $lost lost, said on stderr and as events"
