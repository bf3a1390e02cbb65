#!/bin/bash
# Bad input and missing privileges: one clear line on stderr, non-zero exit.
# SIGTERM stops a trace cleanly with its summary line.
. "$(dirname "$0")/lib_trace.sh"
need_root

one_line_err() {	# expected-exit pattern cmd...
	local want=$1 pat=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq $want ] || fail "'$*' exited $rc, want $want"
	[ "$(wc -l <"$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "'$*' printed more than one error line"; }
	grep -q "$pat" "$TMP/err" || fail "'$*' said: $(cat "$TMP/err")"
}

one_line_err 2 "unknown namespace type" "$NSLIFE" trace -t net,bogus
one_line_err 2 "invalid pid" "$NSLIFE" trace -p 12x
# one decimal parser for every number: no base 0, no sign, no overflow
one_line_err 2 "invalid pid '0x10': not a decimal number" "$NSLIFE" trace -p 0x10
one_line_err 2 "invalid pid '2147483648': out of range" "$NSLIFE" trace -p 2147483648
one_line_err 2 "invalid pid '': not a decimal number" "$NSLIFE" trace -p ''
one_line_err 2 "invalid id '-5'" "$NSLIFE" trace --id -5
one_line_err 2 "invalid id '99999999999999999999': out of range" "$NSLIFE" trace --id 99999999999999999999
one_line_err 2 "invalid poll period" "$NSLIFE" trace --poll-ms 5x
one_line_err 2 "invalid grace 'nan'" "$NSLIFE" trace --grace nan
one_line_err 2 "invalid size" "$NSLIFE" record -o "$TMP/x.log" --max-size 10X
one_line_err 2 "invalid file count '010x'" "$NSLIFE" record -o "$TMP/x.log" --max-size 1M --keep 010x
one_line_err 2 "unknown mode" "$NSLIFE" trace --mode fast
one_line_err 2 "unknown command" "$NSLIFE" bogus

# not root: copy the binary where an unprivileged user can run it
chmod 755 "$TMP"
cp "$NSLIFE" "$TMP/nslife"
one_line_err 1 "run as root" setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/nslife" trace

# no kernel BTF: hide /sys/kernel/btf under an empty tmpfs, in a private
# mount namespace of this one command
one_line_err 1 "no kernel BTF" unshare -m sh -c \
	'mount --make-rprivate / && mount -t tmpfs none /sys/kernel/btf && exec "$0" trace' "$NSLIFE"

# precise mode where the kernel refuses fentry: said plainly, not faked
if "$NSLIFE" features | grep -q "strategy: tracepoint"; then
	one_line_err 1 "precise mode unavailable" "$NSLIFE" trace --mode precise
fi

# SIGTERM: clean stop, summary line, exit 0
"$NSLIFE" trace >/dev/null 2>"$TMP/term.err" &
P=$!
wait_for $START_WAIT started "$TMP/term.err" tracing $P
kill -TERM $P
wait $P || fail "trace exited $? on SIGTERM"
grep -q "events, 0 lost" "$TMP/term.err" || fail "no summary line on SIGTERM"
echo "errors are one line each; SIGTERM stops cleanly"
