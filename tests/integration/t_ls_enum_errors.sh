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

# Out of fds.  The BPF inspector loads in a thread beside the /proc scan,
# so which open runs out first varies from run to run: at every limit ls
# either lists all it listed unlimited, or says what is missing, or fails
# with one line.  At some limit the inspector is what runs out: the note
# then names EMFILE, not root.
"$NSLIFE" ls -rn -o NS | sort >$T/base
found=
for n in $(seq 32 -1 5); do
	for try in 1 2; do
		(ulimit -n $n; exec "$NSLIFE" ls -rn -o NS) >$T/out 2>$T/err
		rc=$?
		if [ $rc != 0 ]; then
			[ "$(wc -l <$T/err)" = 1 ] && grep -q 'Too many open files' $T/err ||
				fail "ls at $n fds failed unclearly (exit $rc): $(cat $T/err)"
			continue
		fi
		grep -q 'needs root' $T/err && fail "EMFILE misreported as root at $n fds: $(cat $T/err)"
		if ! grep -q 'out of file descriptors\|could not read' $T/err; then
			sort $T/out | comm -23 $T/base - >$T/missing
			[ -s $T/missing ] &&
				fail "ls at $n fds lost $(wc -l <$T/missing) namespaces and said nothing: $(head -3 $T/missing | tr '\n' ' ')"
		fi
		grep -q "could not read the kernel's namespace list (Too many open files)" $T/err || continue
		[ "$(grep -c 'could not read' $T/err)" = 1 ] || fail "the note is not said once: $(cat $T/err)"
		grep -q '^mnt:\[' $T/out || fail "ls listed nothing at $n fds"
		found=$n
	done
done
[ "$found" ] || fail "no EMFILE note at any limit from 32 fds down to 5"

# not root: that is the cause
setpriv --reuid 65534 --regid 65534 --clear-groups "$NSLIFE" ls >/dev/null 2>$T/err
grep -q "could not read the kernel's namespace list (BPF needs root)" $T/err ||
	fail "no root note for an unprivileged ls: $(cat $T/err)"
exit 0
