#!/bin/bash
# More namespaces than one run of the BPF walk of the kernel's list reads
# (16,384): the walk resumes where it stopped, so ls lists every one,
# the newest too (held by its nsfs fd in flight: its id is past the first
# run's), and prints no note.  Before the walk resumed, ls said the list
# was longer than it read.
. "$(dirname "$0")/lib.sh" || exit 1
need_root
N=17000
KILL=()
trap 'kill ${KILL[@]} 2>/dev/null; wait' EXIT
"$HELPERS/nshold" $N >$T/hold & KILL+=($!)
wait_for 60 has_line $T/hold ready || fail "nshold did not start"
unshare -u sleep infinity & P=$!
wait_exec $P sleep
INUM=$(stat -L -c %i /proc/$P/ns/uts)
"$HELPERS/nsinflight" /proc/$P/ns/uts >$T/inflight & KILL+=($!)
wait_for 10 has_line $T/inflight ready || fail "nsinflight did not start"
kill $P; wait $P 2>/dev/null
"$NSLIFE" ls -rn -o NS >$T/out 2>$T/err
rc=$?
[ $rc = 0 ] || fail "ls failed (exit $rc): $(cat $T/err)"
if grep -q 'lists no namespaces' $T/err; then
	echo "skipped: $(uname -r) has no namespace list nslife can read (6.18+)"
	exit 77
fi
n=$(grep -c '^uts:' $T/out)
[ "$n" -gt $N ] || fail "ls listed $n uts namespaces, nshold holds $N"
grep -qx "uts:\[$INUM\]" $T/out ||
	fail "uts:[$INUM], held only by its fd in flight and newest, not listed ($n uts listed)"
[ -s $T/err ] && fail "ls said: $(cat $T/err)"
echo "ls listed $n uts namespaces, uts:[$INUM] (fd in flight) among them, no note"
exit 0
