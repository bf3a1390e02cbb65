# Sourced by the trace integration tests: start nslife trace --json in the
# background, wait until it is attached, stop it, and query what it printed.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TRACE_PID=
# nslife's own account of lost and skipped runs, when an assertion fails
FAIL_SHOW=("nslife trace stderr:$TMP/trace.err")
MODE_ARGS=()
[ -n "${NSLIFE_MODE:-}" ] && MODE_ARGS=(--mode "$NSLIFE_MODE")

trace_start() {	# extra nslife trace args
	"$NSLIFE" trace --json "${MODE_ARGS[@]}" "$@" >"$TMP/trace.json" 2>"$TMP/trace.err" &
	TRACE_PID=$!
	wait_for $START_WAIT started "$TMP/trace.err" tracing $TRACE_PID
	has_line "$TMP/trace.err" tracing && return 0
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
	twins_honest
}

# A twin hook rescues only what a skipped run of its first program missed:
# more rescues than skipped first runs means a twin ran first and counted
# every event as rescued (the fentry twins' link order, 2026-12-04)
twins_honest() {
	local skipped rescued
	skipped=$(awk '/runs skipped by BPF recursion protection/ && !/\(twin\)/ {
		sub(/ runs skipped.*/, ""); n += $NF } END { print n + 0 }' "$TMP/trace.err")
	rescued=$(awk '/that skipped runs missed were/ { n += $2 } END { print n + 0 }' "$TMP/trace.err")
	[ "$rescued" -le "$skipped" ] ||
		fail "twin hooks rescued $rescued events, yet first programs skipped only $skipped runs: $(grep -h 'skipped\|twin' "$TMP/trace.err")"
}

# jq over every event object, slurped: ev 'FILTER'
ev() { jq -s "$@" "$TMP/trace.json"; }

# features' liveness poll line in the test's mode; empty where no poll runs
poll_hook() {
	"$NSLIFE" features ${MODE_ARGS[@]+"${MODE_ARGS[@]}"} 2>/dev/null | grep '^hook: liveness poll'
}

# the lost count nslife reported on exit (from its summary line)
trace_lost() { sed -n 's/.* events, \([0-9]*\) lost$/\1/p' "$TMP/trace.err"; }

cleanup_trace() {
	[ -n "$TRACE_PID" ] && kill -INT $TRACE_PID 2>/dev/null && wait $TRACE_PID
	rm -rf "$TMP"
}
trap cleanup_trace EXIT
