#!/bin/bash
# Through the daemon, a netns held only by an open /proc/PID/net/dev of an
# exited process is in ls and why on every kernel: from the kernel's own
# list where there is one (6.18+), else from the daemon's live map (the
# tracer saw it created); a one-shot ls there says it cannot see such
# namespaces.  Closing the file frees it.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
daemon_start --grace 1
unshare -n sleep infinity & P=$!
KILL+=($P)
for _ in $(seq 50); do
	i=$(stat -L -c %i /proc/$P/ns/net 2>/dev/null)
	[ -n "$i" ] && [ "$i" != "$(stat -L -c %i /proc/self/ns/net)" ] && break
	sleep 0.1
done
INUM=$(stat -L -c %i /proc/$P/ns/net)
exec 7</proc/$P/net/dev
kill $P; wait $P 2>/dev/null
state() {	# the netns's ls state through the daemon ("" if not listed)
	"$NSLIFE" ls -J -o NS,STATE -t net >"$T/out" 2>"$T/err" || fail "ls exited $?: $(cat "$T/err")"
	jq -r --arg ns "net:[$INUM]" '.namespaces[] | select("\(.type):[\(.ns)]" == $ns) | .state' "$T/out"
}
st=$(state)
case $st in
alive|lingering|inactive) ;;
*) fail "ls through the daemon: net:[$INUM] state '$st'" ;;
esac
"$NSLIFE" why --json "net:[$INUM]" >"$T/out" 2>"$T/err" || fail "why exited $?: $(cat "$T/err")"
jq -e '.ns.state != "dead" and (.holders | length) >= 1' "$T/out" >/dev/null || fail "why: not held"
NSLIFE_SOCKET=$T/none "$NSLIFE" ls -J -o NS >"$T/out" 2>"$T/err" || fail "one-shot ls exited $?"
if jq -e --arg ns "net:[$INUM]" 'any(.namespaces[]; "\(.type):[\(.ns)]" == $ns)' "$T/out" >/dev/null; then
	echo "one-shot ls lists it too (the kernel lists namespaces here)"
else
	grep -q "lists no namespaces" "$T/err" || fail "one-shot ls missed it without saying so"
	echo "one-shot ls: $(grep -o 'this kernel lists no namespaces[^:]*' "$T/err")"
fi
exec 7<&-
for _ in $(seq 150); do [ -z "$(state)" ] && break; sleep 0.1; done
[ -z "$(state)" ] || fail "still listed after the file was closed"
echo "net:[$INUM] $st through the daemon; gone once closed"
