#!/bin/bash
# Malformed requests get an error line, and the daemon keeps serving:
# after each one, a valid query still works.  A client that sends
# nothing is cut off after the request timeout (5 s), not kept forever.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
RAW=$HELPERS/nsl_rawreq
[ -x "$RAW" ] || fail "missing helper $RAW (make)"
daemon_start

expect() {	# mode, reply pattern
	timeout 30 "$RAW" "$SOCK" "$1" >"$T/out" 2>&1 || fail "$1: no reply"
	grep -q "$2" "$T/out" || fail "$1: reply '$(cat "$T/out")', want /$2/"
	kill -0 $DPID 2>/dev/null || fail "$1: the daemon died"
	"$NSLIFE" ls -n -t uts >"$T/ls" 2>&1 || fail "$1: the next query failed: $(cat "$T/ls")"
	grep -q "^uts:" "$T/ls" || fail "$1: the next query printed no table"
}

expect garbage   "^error: bad request: not an nslife request"
expect oversize  "^error: bad request: request length out of bounds"
expect badcmd    "^error: bad request: unknown command"
expect toomany   "^error: bad request: too many arguments"
expect nofds     "^error: bad request: stdout and stderr must come"
expect truncated "^error: bad request: truncated request"
start=$(date +%s)
expect silent    "^error: bad request: timed out waiting for the request"
[ $(( $(date +%s) - start )) -le 10 ] || fail "the silent client was held over 10 s"
expect valid     "^exit 0"
daemon_stop
grep -q "7 bad" "$T/daemon.err" || fail "bad requests not counted: $(tail -n 1 "$T/daemon.err")"
echo "7 kinds of bad request answered with an error; the daemon kept serving"
