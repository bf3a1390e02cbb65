#!/bin/bash
# Does serving metrics slow the tracer?  One `nslife daemon --metrics-listen`
# traces bench-trace's workloads (the 8-type namespace churn, fork+exit);
# each round runs a workload three times: not scraped, scraped every second
# (curl, as a Prometheus would), not scraped again.  Printed per workload:
# the median and spread (min-max) of the per-round ratios scraped/unscraped
# of the workload's time and, as the noise to judge it by, of
# unscraped/unscraped; the same for the daemon's own CPU time (all its
# threads) during the run; the scrapes made and the slowest.  Not a test:
# it measures.
# Needs root and `make bench` (nslife and the helpers).
set -eu
cd "$(dirname "$0")/.."
BIN=.output/bin
ROUNDS=${ROUNDS:-5}
FORKS=${FORKS:-5000}
CHURN=${CHURN:-2000}
[ "$(id -u)" = 0 ] || { echo "bench-metrics: needs root" >&2; exit 1; }
for b in forkexit nschurn; do
	[ -x ./nslife ] && [ -x $BIN/$b ] ||
		{ echo "bench-metrics: run 'make bench' (builds nslife and helpers)" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "bench-metrics: needs curl" >&2; exit 1; }
D=$(mktemp -d)
DP= SP=
trap '[ -n "$SP" ] && kill $SP 2>/dev/null; [ -n "$DP" ] && kill -KILL $DP 2>/dev/null; wait; rm -rf "$D"' EXIT

# wall us of the workload, and the daemon's CPU ticks meanwhile
us() {
	local t0 t1 c0 c1
	c0=$(cpu); t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N); c1=$(cpu)
	echo $(( (t1 - t0) / 1000 )) $((c1 - c0))
}
cpu() { awk '{ print $14 + $15 }' /proc/$DP/stat; }

./nslife daemon --socket "$D/sock" --metrics-listen 0 2>"$D/err" &
DP=$!
for _ in $(seq 300); do grep -q "daemon serving" "$D/err" 2>/dev/null && break; sleep 0.1; done
grep -q "daemon serving" "$D/err" || { echo "bench-metrics: daemon did not start: $(cat "$D/err")" >&2; exit 1; }
URL=$(sed -n 's#^nslife: metrics on \(http://.*/metrics\)$#\1#p' "$D/err")
sleep "${SETTLE:-1}"	# its first scans finish

scrape_on() {
	( while :; do
		curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "$URL" >>"$D/scrapes" 2>&1
		sleep 1
	done ) &
	SP=$!
}
scrape_off() { kill $SP; wait $SP 2>/dev/null || true; SP=; }

stats() {	# ratios on stdin → "median (min-max)"
	sort -g | awk '{ v[NR] = $1 } END { printf "%.3f (%.3f-%.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

NAMES=("ns churn x$CHURN (8 types)" "fork+exit x$FORKS")
run_w() {
	case $1 in
	0) us $BIN/nschurn "$CHURN" ;;
	1) us $BIN/forkexit "$FORKS" ;;
	esac
}

echo "metrics scraping vs not, $(uname -r), $(nproc) cpus, $ROUNDS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
	for w in 0 1; do
		read -r a ac < <(run_w $w)
		scrape_on; read -r s sc < <(run_w $w); scrape_off
		read -r b bc < <(run_w $w)
		echo "$s $a $b" | awk '{ printf "%.4f\n", 2 * $1 / ($2 + $3) }' >>"$D/on.$w"
		echo "$b $a" | awk '{ printf "%.4f\n", $1 / $2 }' >>"$D/aa.$w"
		echo "$sc $ac $bc" | awk '{ d = $2 + $3; printf "%.4f\n", d ? 2 * $1 / d : 1 }' >>"$D/con.$w"
		echo "$bc $ac" | awk '{ printf "%.4f\n", $2 ? $1 / $2 : 1 }' >>"$D/caa.$w"
		echo "$a" >>"$D/base.$w"
		echo "$ac" >>"$D/cbase.$w"
	done
done
# stop it: SIGTERM, and SIGKILL if it is still busy after 10 s
kill -TERM $DP
for _ in $(seq 100); do kill -0 $DP 2>/dev/null || break; sleep 0.1; done
kill -KILL $DP 2>/dev/null || true
wait $DP 2>/dev/null || true
DP=
med() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for w in 0 1; do
	printf '%-26s time: base %.3f s, scraped/unscraped %s, unscraped/unscraped %s\n' "${NAMES[$w]}" \
		"$(med <"$D/base.$w" | awk '{ print $1 / 1e6 }')" "$(stats <"$D/on.$w")" "$(stats <"$D/aa.$w")"
	printf '%-26s daemon CPU: base %d ticks, scraped/unscraped %s, unscraped/unscraped %s\n' "" \
		"$(med <"$D/cbase.$w")" "$(stats <"$D/con.$w")" "$(stats <"$D/caa.$w")"
done
n=$(grep -c '^200 ' "$D/scrapes" || true)
printf 'scrapes: %d answered 200 of %d, slowest %.3f s; daemon: %s\n' "$n" \
	"$(wc -l <"$D/scrapes")" "$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$D/scrapes")" \
	"$(grep -c 'events lost' "$D/err" || true) loss reports"
