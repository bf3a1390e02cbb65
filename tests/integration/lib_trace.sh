# Sourced by the trace integration tests: start nslife trace --json in the
# background, wait until it is attached, stop it, and query what it printed.
set -u
: "${NSLIFE:=$PWD/nslife}"
: "${HELPERS:=$PWD/.output/bin}"
TMP=$(mktemp -d /tmp/nslife-test.XXXXXX)
TRACE_PID=
MODE_ARGS=()
[ -n "${NSLIFE_MODE:-}" ] && MODE_ARGS=(--mode "$NSLIFE_MODE")

need_root() {
	[ "$(id -u)" = 0 ] && return 0
	[ "${CI:-}" = true ] && { echo "not root under CI=true"; exit 1; }
	echo "skipped: needs root"; exit 77
}

fail() { echo "FAIL: $*"; exit 1; }

trace_start() {	# extra nslife trace args
	"$NSLIFE" trace --json "${MODE_ARGS[@]}" "$@" >"$TMP/trace.json" 2>"$TMP/trace.err" &
	TRACE_PID=$!
	for _ in $(seq 100); do
		grep -q "tracing" "$TMP/trace.err" 2>/dev/null && return 0
		kill -0 $TRACE_PID 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/trace.err"
	fail "nslife trace did not start"
}

trace_stop() {
	[ -n "$TRACE_PID" ] || return 0
	kill -INT $TRACE_PID 2>/dev/null
	wait $TRACE_PID
	local rc=$?
	TRACE_PID=
	[ $rc -eq 0 ] || { cat "$TMP/trace.err"; fail "nslife trace exited $rc"; }
	jq -e . "$TMP/trace.json" >/dev/null || fail "trace output is not valid JSON"
}

# jq over every event object, slurped: ev 'FILTER'
ev() { jq -s "$@" "$TMP/trace.json"; }

# the lost count nslife reported on exit (from its summary line)
trace_lost() { sed -n 's/.* events, \([0-9]*\) lost$/\1/p' "$TMP/trace.err"; }

cleanup_trace() {
	[ -n "$TRACE_PID" ] && kill -INT $TRACE_PID 2>/dev/null && wait $TRACE_PID
	rm -rf "$TMP"
}
trap cleanup_trace EXIT
