#!/bin/bash
# Usage errors name their real cause in one line, before any note, and
# mutually exclusive options are refused (lsns-style table), never "the
# last one wins".  The no-daemon note comes only with an answer history
# would have made fuller.
. "$(dirname "$0")/lib_why.sh"
need_root
export NSLIFE_SOCKET=$T/none	# no daemon here

one_line_err() {	# expected-exit expected-line cmd...
	local want=$1 line=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq $want ] || { cat "$T/err"; fail "'$*' exited $rc, want $want"; }
	[ "$(cat "$T/err")" = "$line" ] || fail "'$*' said: $(cat "$T/err") (want: $line)"
	[ -s "$T/out" ] && fail "'$*' printed on stdout: $(head -c 300 "$T/out")"
	return 0
}

one_line_err 2 "nslife: why: --json and --dot are mutually exclusive" "$NSLIFE" why -J --dot net:1
one_line_err 2 "nslife: why: --dot and --json are mutually exclusive" "$NSLIFE" why --dot --json net:1
one_line_err 2 "nslife: why: --addr and --ifname are mutually exclusive" \
	"$NSLIFE" why --addr 10.0.0.1 --ifname lo
one_line_err 2 "nslife: why: --addr and NS 'net:1' are mutually exclusive" \
	"$NSLIFE" why --addr 10.0.0.1 net:1
one_line_err 2 "nslife: why: --ifname and --pid are mutually exclusive" \
	"$NSLIFE" why --ifname lo -p 1
one_line_err 2 "nslife: why: -p PID -t TYPE and NS 'net:1' are mutually exclusive" \
	"$NSLIFE" why -p 1 -t net net:1
one_line_err 2 "nslife: why: '999.1.1.1' is not an IP address" "$NSLIFE" why --addr 999.1.1.1
one_line_err 2 "nslife: why: 'a/b' is not an interface name" "$NSLIFE" why --ifname a/b
one_line_err 2 "nslife: why: -p PID needs -t TYPE" "$NSLIFE" why -p 1
one_line_err 2 "nslife: why: -t TYPE needs -p PID" "$NSLIFE" why -t net
one_line_err 2 "nslife: why: unknown namespace type 'bogus'" "$NSLIFE" why -p 1 -t bogus
one_line_err 2 "nslife: why: invalid pid '0x10': not a decimal number" "$NSLIFE" why -p 0x10 -t net
one_line_err 2 "nslife: why: --pid needs a value" "$NSLIFE" why --pid
one_line_err 2 "nslife: why: bad option '--bogus' (try 'nslife why --help')" "$NSLIFE" why --bogus
one_line_err 2 "nslife: why: unexpected argument 'b'" "$NSLIFE" why net:1 b
one_line_err 2 "nslife: why: 'id:0x5' is not a namespace, id or path" "$NSLIFE" why id:0x5
# a pid that names no process says so, not "net names no namespace"
P=$(sh -c 'echo $$')
while kill -0 "$P" 2>/dev/null; do P=$((P + 1)); done
one_line_err 1 "nslife: why: no process $P" "$NSLIFE" why -p "$P" -t net
one_line_err 2 "nslife: timeline: -p PID needs -t TYPE" "$NSLIFE" timeline -p 1
one_line_err 2 "nslife: timeline: unexpected argument 'y'" "$NSLIFE" timeline x y
one_line_err 2 "nslife: ls: --json and --raw are mutually exclusive" "$NSLIFE" ls -J -r
one_line_err 2 "nslife: ls: --list and --tree are mutually exclusive" "$NSLIFE" ls -l -T
one_line_err 2 "nslife: ls: --output needs a value" "$NSLIFE" ls -o

# the note only with an answer: a live namespace, and only once
"$NSLIFE" why /proc/self/ns/net >"$T/out" 2>"$T/err" || fail "why exited $?"
[ "$(cat "$T/err")" = "nslife: no daemon running, history unavailable" ] ||
	fail "why of a live ns said: $(cat "$T/err")"
echo "usage errors: one line each, real cause, no note before them; exclusive options refused"
