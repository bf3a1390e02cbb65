#!/bin/bash
# When nslife cannot read the kernel's namespace list it says why, once, as
# a note, with the real cause: "BPF needs root" only when that is the
# reason, the errno otherwise (here: out of file descriptors, as at 90,000
# namespaces under RLIMIT_NOFILE), and ls still lists what holders show.
. "$(dirname "$0")/lib.sh" || exit 1
need_root
"$NSLIFE" ls >/dev/null 2>$T/err || fail "nslife ls failed: $(cat $T/err)"
if grep -q 'lists no namespaces' $T/err; then
	echo "skipped: $(uname -r) has no namespace list nslife can read (6.18+)"
	exit 77
fi
grep -q 'could not read' $T/err && fail "ls as root could not read the list: $(cat $T/err)"

# out of fds before the BPF inspector loads: the cause is EMFILE, not root.
# Where that happens depends on how many fds nslife has open by then: the
# highest limit (from 24 down) at which the kernel list cannot be read
for n in $(seq 24 -1 15); do
	(ulimit -n $n; exec "$NSLIFE" ls) >$T/out 2>$T/err
	grep -q 'could not read' $T/err && break
done
grep -q "could not read the kernel's namespace list (Too many open files)" $T/err ||
	fail "no EMFILE note at $n fds: $(cat $T/err)"
grep -q 'needs root' $T/err && fail "EMFILE misreported as root: $(cat $T/err)"
[ "$(grep -c 'could not read' $T/err)" = 1 ] || fail "the note is not said once: $(cat $T/err)"
grep -q '^mnt:\[' $T/out || fail "ls listed nothing at $n fds"

# not root: that is the cause
setpriv --reuid 65534 --regid 65534 --clear-groups "$NSLIFE" ls >/dev/null 2>$T/err
grep -q "could not read the kernel's namespace list (BPF needs root)" $T/err ||
	fail "no root note for an unprivileged ls: $(cat $T/err)"
exit 0
