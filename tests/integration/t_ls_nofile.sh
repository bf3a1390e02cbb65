#!/bin/bash
# More namespaces than nslife may open fds (it holds one per namespace
# while it reads): ls lists every one, or says that it is out of file
# descriptors; never a silently short list.  300 uts namespaces held by
# nshold, ls and why under a hard limit of 100.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
"$HELPERS/nshold" 300 >$T/hold &
HP=$!; KILL+=($HP)
wait_for 20 has_line $T/hold ready || fail "nshold 300 not ready"
LAST=$(stat -L -c %i /proc/$HP/ns/uts)

# all 300 when the limit allows
n=$(NSLIFE_SOCKET=$T/none "$NSLIFE" ls -n -o NS -t uts 2>$T/err | wc -l)
[ "$n" -gt 300 ] || fail "ls found $n uts namespaces, want 301 or more"
! grep -q 'out of file descriptors' $T/err || fail "a note without a shortage: $(cat $T/err)"

n=$(NSLIFE_SOCKET=$T/none prlimit --nofile=100:100 "$NSLIFE" ls -n -o NS -t uts 2>$T/err | wc -l)
if [ "$n" -le 300 ]; then
	grep -q 'out of file descriptors' $T/err ||
		fail "ls listed $n of 301+ uts namespaces and said nothing: $(cat $T/err)"
	echo "ls under 100 fds: $n listed, and says: $(cat $T/err)"
else
	echo "ls under 100 fds: all $n listed (the limit was raised)"
fi
NSLIFE_SOCKET=$T/none prlimit --nofile=100:100 "$NSLIFE" why "uts:[$LAST]" >$T/why 2>$T/err
if ! grep -q "uts:\[$LAST\]" $T/why; then
	grep -q 'out of file descriptors' $T/err ||
		fail "why missed uts:[$LAST] and said nothing: $(cat $T/err)"
fi
echo "ok"
