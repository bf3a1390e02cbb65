#!/bin/bash
# The BPF walk of the kernel's namespace list in runs of 2 entries
# (NSLIFE_TREE_CHUNK): each run resumes after the last id the previous one
# read, which holds only if each list is in id order (6.18: one list per
# type; 6.19+: one list of all types).  ls then lists exactly what one
# long run lists, with the same states, owners and counts of children and
# other holders, and prints no note.  A list out of order stops
# resumption: ls would then note that the list is not in id order.
. "$(dirname "$0")/lib.sh" || exit 1
need_root
KILL=()
trap 'kill ${KILL[@]} 2>/dev/null; wait' EXIT
# a few namespaces of several types, one of them held by an fd in flight
unshare -u -i -n -m sleep infinity & P=$!; KILL+=($P)
wait_exec $P sleep
unshare -u sleep infinity & Q=$!
wait_exec $Q sleep
"$HELPERS/nsinflight" /proc/$Q/ns/uts >$T/inflight & KILL+=($!)
wait_for 10 has_line $T/inflight ready || fail "nsinflight did not start"
kill $Q; wait $Q 2>/dev/null
"$NSLIFE" ls -rn -o NS,STATE,OTHER,CHILDREN,OWNER >$T/one 2>$T/err1 || fail "ls failed: $(cat $T/err1)"
if grep -q 'lists no namespaces' $T/err1; then
	echo "skipped: $(uname -r) has no namespace list nslife can read (6.18+)"
	exit 77
fi
NSLIFE_TREE_CHUNK=2 "$NSLIFE" ls -rn -o NS,STATE,OTHER,CHILDREN,OWNER >$T/chunk 2>$T/err2 ||
	fail "ls in runs of 2 failed: $(cat $T/err2)"
[ -s $T/err2 ] && fail "ls in runs of 2 said: $(cat $T/err2)"
[ -s $T/err1 ] && fail "ls said: $(cat $T/err1)"
sort $T/one >$T/one.s
sort $T/chunk >$T/chunk.s
diff $T/one.s $T/chunk.s >$T/diff || fail "runs of 2 list otherwise: $(cat $T/diff)"
n=$(wc -l <$T/one.s)
[ "$n" -ge 12 ] || fail "only $n namespaces listed"
echo "$n namespaces, the same in runs of 2 and in one run"
exit 0
