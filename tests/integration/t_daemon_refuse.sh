#!/bin/bash
# Non-root peers are refused with one clear line and exit 1, never a hang:
# first by the 0600 socket itself, then (socket opened up for the test) by
# the daemon's SO_PEERCRED check.  --allow-uid lets a user in.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
command -v setpriv >/dev/null || { echo "skipped: no setpriv"; exit 77; }
# uid 65534 must reach the binary, the socket dir and (later) the socket
chmod 0755 "$T"
cp "$NSLIFE" "$T/nslife" && chmod 0755 "$T/nslife"
nobody() { timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

daemon_start
[ "$(stat -c %a "$SOCK")" = 600 ] || fail "socket mode $(stat -c %a "$SOCK"), not 600"

nobody env NSLIFE_SOCKET="$SOCK" "$T/nslife" ls >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "non-root ls through a 0600 socket: exit $rc, not 1"
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "permission denied" "$T/err" ||
	fail "want one permission line, got: $(cat "$T/err")"

chmod 0666 "$SOCK"
nobody env NSLIFE_SOCKET="$SOCK" "$T/nslife" why net:[4026531840] >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "refused why: exit $rc, not 1 (124 is a hang)"
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "^nslife: daemon: permission denied: uid 65534 may not query" "$T/err" ||
	fail "want one refusal line, got: $(cat "$T/err")"
[ -s "$T/out" ] && fail "a refused query printed: $(cat "$T/out")"
# root still is served, after the refusal
"$NSLIFE" ls -n >/dev/null 2>"$T/err" || fail "root ls after a refusal: $(cat "$T/err")"
daemon_stop
grep -q "1 refused" "$T/daemon.err" || fail "the daemon did not count the refusal"

# an allowed uid gets an answer (the daemon runs the query as root)
daemon_start --allow-uid 65534
chmod 0666 "$SOCK"
nobody env NSLIFE_SOCKET="$SOCK" "$T/nslife" ls -n -t net >"$T/out" 2>"$T/err" ||
	fail "allowed uid refused: $(cat "$T/err")"
grep -q "^net:\[" "$T/out" || fail "allowed uid got no table"
daemon_stop
echo "non-root refused in one line (socket mode and SO_PEERCRED); --allow-uid served"
