#!/bin/bash
# More namespaces than the BPF walk of the kernel's list holds (16,384):
# ls still lists every one its holders show, uses what the walk read, and
# says the list was longer than it read, not that it could not read it.
. "$(dirname "$0")/lib.sh" || exit 1
need_root
N=17000
"$HELPERS/nshold" $N >$T/hold &
HOLD=$!
wait_for 30 has_line $T/hold ready || { kill $HOLD; fail "nshold did not start"; }
"$NSLIFE" ls -rn -o NS >$T/out 2>$T/err
rc=$?
kill $HOLD; wait $HOLD 2>/dev/null
[ $rc = 0 ] || fail "ls failed (exit $rc): $(cat $T/err)"
if grep -q 'lists no namespaces' $T/err; then
	echo "skipped: $(uname -r) has no namespace list nslife can read (6.18+)"
	exit 77
fi
n=$(grep -c '^uts:' $T/out)
[ "$n" -gt $N ] || fail "ls listed $n uts namespaces, nshold holds $N"
grep -q "could not read" $T/err && fail "a long list reported as unread: $(cat $T/err)"
grep -q "longer than nslife's BPF walk reads (16384)" $T/err ||
	fail "no note that the list was longer than read: $(cat $T/err)"
exit 0
