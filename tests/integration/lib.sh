# Sourced by every integration test, first thing (the other lib_*.sh
# source it): the nslife under test, one temp dir, the root check, fail(),
# and bounded readiness waits, so that no test sleeps a fixed time.
set -u
: "${NSLIFE:=$PWD/nslife}"
: "${HELPERS:=$PWD/.output/bin}"
T=$(mktemp -d /tmp/nslife-test.XXXXXX)
TMP=$T			# the trace and record tests' name for it
FAIL_SHOW=()		# "label:file" pairs whose tail fail() prints

need_root() {
	[ "$(id -u)" = 0 ] && return 0
	[ "${CI:-}" = true ] && { echo "not root under CI=true"; exit 1; }
	echo "skipped: needs root"; exit 77
}

fail() {
	local f
	echo "FAIL: $*"
	for f in "${FAIL_SHOW[@]}"; do
		[ -s "${f#*:}" ] || continue
		echo "--- ${f%%:*}:"
		tail -c 4000 "${f#*:}"
	done
	exit 1
}

# wait_for SECONDS CMD...: 0 as soon as CMD succeeds (tried every 50 ms),
# 1 once SECONDS (of the clock, however long CMD takes) have gone by
wait_for() {
	local end=$((SECONDS + $1 + 1))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# a background process has exec'd COMM: whatever it set up before (unshare,
# nsenter, an fd redirection) is in place
is_comm() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
wait_exec() {	# pid comm
	wait_for 10 is_comm "$1" "$2" || fail "pid $1 never became $2"
}

# a background nslife said LINE on stderr (file), or died: stop waiting
# How long nslife may take to start before a test gives up on it: loading
# and verifying its BPF programs took 3.6-5.3 s in the 6.18 TCG test guest
# (the first start after boot the slowest, the host busy), 0.4 s here.
START_WAIT=${NSLIFE_TEST_START_WAIT:-30}

started() {	# file line pid
	grep -q -- "$2" "$1" 2>/dev/null || ! kill -0 "$3" 2>/dev/null
}

# a file has a line matching a pattern (grep -q semantics)
has_line() { grep -q -- "$2" "$1" 2>/dev/null; }
