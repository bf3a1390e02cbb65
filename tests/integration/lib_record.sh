# Sourced by the record integration tests, after lib_trace.sh: start
# `nslife record` in the background, wait until it records, stop it.
# Other test suites may make namespaces on the same host at the same time,
# so each test names its own workload: a helper copied under a unique name
# gives its tasks a comm nobody else uses.
REC_PID=

record_start() {	# log file, extra nslife record args
	local log=$1
	shift
	"$NSLIFE" record -o "$log" "${MODE_ARGS[@]}" "$@" 2>"$TMP/record.err" &
	REC_PID=$!
	wait_for $START_WAIT started "$TMP/record.err" "recording to" $REC_PID
	has_line "$TMP/record.err" "recording to" && return 0
	cat "$TMP/record.err"
	fail "nslife record did not start"
}

# stop with SIGINT; returns nslife's exit status
record_stop() {
	[ -n "$REC_PID" ] || return 0
	kill -INT $REC_PID 2>/dev/null
	wait $REC_PID
	local rc=$?
	REC_PID=
	return $rc
}

# a copy of a helper under a comm of our own: named NAME (<= 15 chars)
own_helper() {	# helper, name
	cp "$HELPERS/$1" "$TMP/$2" || fail "no helper $1"
	echo "$TMP/$2"
}

cleanup_record() {
	[ -n "$REC_PID" ] && kill -INT $REC_PID 2>/dev/null && wait $REC_PID
	cleanup_trace
}
trap cleanup_record EXIT
