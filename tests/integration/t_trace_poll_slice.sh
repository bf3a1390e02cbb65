#!/bin/bash
# Past NSLIFE_POLL_SLICE namespaces (here 8) the liveness poll reads a
# slice of them each run, round robin: every death is still reported,
# once, only later.  nshold holds 120 uts namespaces by fds, far more than
# one slice; killing it frees all at once, and only the poll sees uts
# deaths in tracepoint mode.  Precise mode before 6.18 keeps the poll as a
# backstop; from 6.18 it runs none (its ns_tree hooks name every free):
# skipped there.
. "$(dirname "$0")/lib_trace.sh"
need_root
export NSLIFE_POLL_SLICE=8
N=120
poll=$(poll_hook)
if [ -z "$poll" ]; then
	# precise mode on 6.18+: the ns_tree hooks name every free, no poll runs
	echo "skipped: no liveness poll in this mode on $(uname -r)"
	exit 77
fi
[[ $poll == *"up to 8 namespaces a run"* ]] || fail "features does not name the slice: $poll"
trace_start
"$HELPERS/nshold" $N >"$TMP/hold" &
HOLD=$!
wait_for 20 has_line "$TMP/hold" ready || { kill $HOLD; fail "nshold did not start"; }
created() {
	ev --argjson p $HOLD '[.[] | select(.event=="create" and .type=="uts" and .member==$p)] | length'
}
all_created() { [ "$(created)" = $N ]; }
wait_for 10 all_created
[ "$(created)" = $N ] || { kill $HOLD; fail "$(created) creates by nshold, want $N"; }
kill $HOLD; wait $HOLD 2>/dev/null
freed() {
	ev --argjson p $HOLD '[.[] | select(.event=="create" and .type=="uts" and .member==$p) | .id] as $ids
		| [.[] | select(.event=="free" and (.id as $i | $ids | index($i)))] | length'
}
all_freed() { [ "$(freed)" -ge $N ]; }
wait_for 30 all_freed
trace_stop
n=$(freed)
[ "$n" = $N ] || fail "$n frees of nshold's $N namespaces reported, want $N, once each"
lost=$(trace_lost)
[ "$lost" = 0 ] || fail "$lost events lost"
echo "$N namespaces freed at once, poll slice 8: $n frees reported"
