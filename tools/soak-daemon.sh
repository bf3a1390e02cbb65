#!/bin/bash
# Soak: N namespace lifecycles (default 1,000,000; SOAK_N=100000 for a
# shorter run) through a running `nslife daemon`, in batches of
# tests/helpers/nschurn (each iteration: fork, unshare one of the 8 types,
# exit).  Prints the daemon's RSS at start, every SOAK_EVERY lifecycles
# (default N/10) and at the end, with a query through the socket at each
# step.  RSS must stay flat: history is bounded per namespace and dead
# namespaces are capped (NSM_DEAD_MAX).  Prints figures; asserts nothing.
set -u
cd "$(dirname "$0")/.."
NSLIFE=${NSLIFE:-$PWD/nslife}
CHURN=${CHURN:-$PWD/.output/bin/nschurn}
N=${SOAK_N:-1000000}
EVERY=${SOAK_EVERY:-$(( N / 10 ))}
BATCH=${SOAK_BATCH:-5000}
[ "$(id -u)" = 0 ] || { echo "soak-daemon: needs root" >&2; exit 1; }
[ -x "$NSLIFE" ] && [ -x "$CHURN" ] || { echo "soak-daemon: run make first" >&2; exit 1; }
[ "$EVERY" -ge 1 ] || EVERY=$N

T=$(mktemp -d /tmp/nslife-soak.XXXXXX)
export NSLIFE_SOCKET=$T/nslife.sock
DPID=
cleanup() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID"
	rm -rf "$T"
}
trap cleanup EXIT

: >"$T/daemon.err"
"$NSLIFE" daemon --socket "$NSLIFE_SOCKET" 2>"$T/daemon.err" &
DPID=$!
for _ in $(seq 150); do
	grep -q "daemon serving" "$T/daemon.err" && break
	kill -0 $DPID 2>/dev/null || { cat "$T/daemon.err"; exit 1; }
	sleep 0.1
done

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$DPID/status"; }
report() {	# lifecycles done
	local q rc
	q=$("$NSLIFE" ls -n 2>/dev/null | wc -l)
	rc=${PIPESTATUS[0]}
	printf '%9d lifecycles  %6.0f s  RSS %7d KiB  (ls: %d rows, exit %d)\n' \
		"$1" "$(( $(date +%s) - start ))" "$(rss)" "$q" "$rc"
}

start=$(date +%s)
sleep 1
report 0
first=$(rss)
done_n=0 next=$EVERY
while [ $done_n -lt "$N" ]; do
	b=$(( N - done_n < BATCH ? N - done_n : BATCH ))
	"$CHURN" "$b" >/dev/null || { echo "soak-daemon: nschurn failed" >&2; exit 1; }
	done_n=$(( done_n + b ))
	if [ $done_n -ge $next ] || [ $done_n -ge "$N" ]; then
		sleep 0.5	# let the frees arrive
		report $done_n
		next=$(( next + EVERY ))
	fi
done
last=$(rss)
kill -TERM $DPID; wait $DPID; DPID=
tail -n 1 "$T/daemon.err"
echo "RSS start ${first} KiB, end ${last} KiB ($(( last - first )) KiB)"
