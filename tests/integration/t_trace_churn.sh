#!/bin/bash
# A churn of 2,000 namespaces of all 8 types: no lost events, and every
# create matched by a free of the same id.
. "$(dirname "$0")/lib_trace.sh"
need_root
N=2000
trace_start
"$HELPERS/nschurn" $N > "$TMP/made" || fail "nschurn failed"
# the ids created but not (yet) freed, from what trace printed so far
unfreed() {
	jq -s '[.[] | select(.event=="free") | .id] as $f
		| [.[] | select(.event=="create" and .comm=="nschurn") | .id
		   | select(. as $i | $f | index($i) | not)]' "$TMP/trace.json" 2>/dev/null
}
# Teardown is asynchronous (cleanup_net batches, free_user_ns is a work
# item, pid ns memory goes after an RCU grace period), and slow in a TCG
# guest: wait for the frees, up to 30 s.  A missed free never comes.
all_freed() { [ "$(unfreed | jq length)" = 0 ]; }
wait_for 3 all_freed || { echo "not all freed after 3 s: $(unfreed | jq -c '.[:10]'), waiting"
	wait_for 27 all_freed; }
trace_stop
lost=$(trace_lost)
# 7.x runs tracing programs preemptible: a run skipped by a hook and its
# twin alike is possible there, and nslife counts an upper bound of them as
# lost (and resyncs).  Elsewhere nothing may be lost.  Either way every
# create below must still be matched by its free.
if "$NSLIFE" features 2>/dev/null | grep -q '^preemptible: yes'; then
	[ "$lost" = 0 ] || { grep -q "runs skipped by BPF recursion" "$TMP/trace.err" ||
		fail "lost $lost events, and no skipped hook named"
		echo "preemptible tracing: $lost events counted as lost (an upper bound), resynced"; }
else
	[ "$lost" = 0 ] || { grep -v tracing "$TMP/trace.err"; fail "lost $lost events"; }
	ev -e 'all(.[]; .event != "lost")' >/dev/null || fail "a lost event was printed"
fi
creates=$(ev '[.[] | select(.event=="create" and .comm=="nschurn")] | length')
[ "$creates" -ge $N ] || fail "only $creates create events for $N namespaces"
unmatched=$(ev '[.[] | select(.event=="free") | .id] as $f
	| [.[] | select(.event=="create" and .comm=="nschurn") | .id | select(. as $i | $f | index($i) | not)]')
if [ "$(echo "$unmatched" | jq length)" != 0 ]; then
	# every event about the first few, to tell which signal missed
	ev -c --argjson u "$unmatched" '.[] | select(.id as $i | $u[:3] | index($i))' | head -20
	fail "creates without a free: $(echo "$unmatched" | jq -c '.[:10]')"
fi
dups=$(ev '[.[] | select(.event=="create" and .comm=="nschurn") | .id] | length - (unique | length)')
[ "$dups" = 0 ] || fail "$dups create ids reused"
for t in mnt net uts ipc pid user cgroup time; do
	c=$(ev --arg t $t '[.[] | select(.event=="create" and .comm=="nschurn" and .type==$t)] | length')
	[ "$c" -ge $((N / 8)) ] || fail "only $c $t creates"
done
# the frees the liveness poll found came from its direct loads where the
# kernel has bpf_rdonly_cast (6.2+), from probe reads before
poll=$(poll_hook)
if [ -n "$poll" ]; then
	want="direct loads"
	[ "$(printf '%s\n' 6.2 "$(uname -r)" | sort -V | head -n 1)" = 6.2 ] || want="probe reads"
	echo "$poll" | grep -q "$want" || fail "want the poll by $want here: $poll"
fi
echo "$creates creates, all freed, 0 lost${poll:+; ${poll#hook: }}"
