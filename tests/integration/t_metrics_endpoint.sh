#!/bin/bash
# The daemon's metrics, served and written: GET /metrics passes promtool,
# everything else is 404/405, non-loopback addresses are refused; the
# lingering gauge counts the namespaces the daemon's ls calls lingering
# (3 made here among them), queries show in the latency histogram; the
# textfile (atomic, 0644, rewritten at exit) is served by a real
# node_exporter with the same counts.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
. "$(dirname "$0")/lib_metrics.sh" || exit 1
need_root
need_tool promtool prometheus
need_tool prometheus-node-exporter prometheus-node-exporter
need_tool curl curl

# refused before anything starts: one line, exit 2
for bad in 0.0.0.0:9100 192.0.2.1:80 '[::]:80' 127.0.0.1:70000 nonsense; do
	"$NSLIFE" daemon --socket "$T/x.sock" --metrics-listen "$bad" >"$T/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] || fail "--metrics-listen $bad: exit $rc, want 2"
	[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q "^nslife: --metrics-listen '" "$T/out" ||
		fail "--metrics-listen $bad: $(cat "$T/out")"
done
grep -q "not a loopback address" <("$NSLIFE" daemon --metrics-listen 0.0.0.0:1 2>&1) ||
	fail "no reason given for a non-loopback address"

mkdir -p "$T/tf"
PROM=$T/tf/nslife.prom
daemon_start --grace 1 --metrics-listen 0 --metrics-file "$PROM" --metrics-interval 1
URL=$(metrics_url)
[ -n "$URL" ] || fail "no 'metrics on' line"
case $URL in http://127.0.0.1:*) ;; *) fail "bare port not on 127.0.0.1: $URL" ;; esac

curl -sS -D "$T/hdr" -o "$T/m" "$URL" || fail "GET /metrics failed"
grep -q "^HTTP/1.1 200" "$T/hdr" || fail "GET /metrics: $(head -1 "$T/hdr")"
grep -qi "^content-type: text/plain; version=0.0.4" "$T/hdr" || fail "content type: $(cat "$T/hdr")"
promtool check metrics <"$T/m" >"$T/out" 2>&1 || fail "promtool check metrics: $(cat "$T/out")"
grep -q "^nslife_build_info{version=\"[^\"]*\",kernel=\"$(uname -r)\",strategy=\"\(precise\|tracepoint\)\"} 1$" "$T/m" ||
	fail "build_info: $(grep build_info "$T/m")"

code() { curl -sS -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code -X POST --data x "$URL")" = 405 ] || fail "POST /metrics is not 405"
[ "$(code -I "$URL")" = 405 ] || fail "HEAD /metrics is not 405"
[ "$(code -X DELETE "$URL")" = 405 ] || fail "DELETE /metrics is not 405"
curl -sS -o /dev/null -D "$T/hdr" -X PUT "$URL"
grep -qi "^allow: GET" "$T/hdr" || fail "405 without Allow: GET"
[ "$(code "${URL%/metrics}/")" = 404 ] || fail "GET / is not 404"
[ "$(code "${URL}x")" = 404 ] || fail "GET /metricsx is not 404"

# 3 lingering namespaces: the gauge equals the daemon's ls count, ours in it
make_lingering 3
wait_until 20 ours_lingering || fail "our 3 netns are not lingering in ls"
gauge_matches_ls() {	# file-or-url-getter
	local want got
	"$@" >"$T/m" 2>/dev/null || return 1
	want=$(ls_lingering_net)
	got=$(metric "$T/m" 'nslife_lingering_namespaces{type="net"}')
	[ -n "$got" ] && [ "$got" -ge 3 ] && [ "$got" = "$want" ]
}
wait_until 20 gauge_matches_ls curl -sS "$URL" ||
	fail "endpoint: lingering net $(metric "$T/m" 'nslife_lingering_namespaces{type="net"}'), ls says $(ls_lingering_net)"
L=$(metric "$T/m" 'nslife_namespaces{type="net",state="lingering"}')
[ "$L" = "$(metric "$T/m" 'nslife_lingering_namespaces{type="net"}')" ] || fail "the two gauges disagree"
age=$(metric "$T/m" 'nslife_oldest_lingering_age_seconds{type="net"}')
awk -v a="$age" 'BEGIN { exit !(a > 0) }' || fail "oldest lingering age is $age"
[ "$(metric "$T/m" 'nslife_events_total{type="net",event="lingering"}')" -ge 3 ] ||
	fail "fewer than 3 lingering events counted"

# queries on the socket show in the latency histogram
q0=$(metric "$T/m" nslife_query_duration_seconds_count)
"$NSLIFE" why "${HELD[0]}" >/dev/null 2>&1 || fail "why through the daemon failed"
"$NSLIFE" ls >/dev/null 2>&1 || fail "ls through the daemon failed"
# the daemon counts a query when it reaps its child, which may come after
# the client has its answer, and a scrape may see a snapshot up to 50 ms old
q1=$q0
counted() { curl -sS "$URL" >"$T/m" && q1=$(metric "$T/m" nslife_query_duration_seconds_count) &&
	[ $((q1 - q0)) -ge 2 ]; }
wait_for 5 counted || fail "query count $q0 -> $q1 after 2 queries (ls_lingering_net makes more)"

# the textfile: whole, readable, no temp file left
[ -f "$PROM" ] || fail "no $PROM"
[ "$(stat -c %a "$PROM")" = 644 ] || fail "$PROM mode $(stat -c %a "$PROM")"
promtool check metrics <"$PROM" >"$T/out" 2>&1 || fail "promtool on the file: $(cat "$T/out")"
wait_until 5 gauge_matches_ls cat "$PROM" || fail "file: lingering net is not ls's count"

# a real node_exporter serves it
for try in 1 2 3; do
	NE=$(free_port)
	prometheus-node-exporter --web.listen-address="127.0.0.1:$NE" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$T/tf" >"$T/ne.log" 2>&1 &
	NEP=$!
	KILL+=($NEP)
	wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$NE/metrics" && break
	kill $NEP 2>/dev/null
	NE=
done
[ -n "$NE" ] || { cat "$T/ne.log"; fail "node_exporter did not start"; }
wait_until 20 gauge_matches_ls curl -sS "http://127.0.0.1:$NE/metrics" ||
	fail "node_exporter: lingering net $(metric "$T/m" 'nslife_lingering_namespaces{type="net"}'), ls says $(ls_lingering_net)"
grep -q '^node_textfile_scrape_error 0$' "$T/m" || fail "node_exporter: textfile scrape error"
ls "$T/tf" | grep -qv '^nslife.prom$' && fail "left in the textfile dir: $(ls "$T/tf")"
daemon_stop

# rewritten at exit: a query made after the last periodic write shows
rm -f "$PROM"
daemon_start --metrics-file "$PROM" --metrics-interval 3600
[ -f "$PROM" ] || fail "no file at start"
"$NSLIFE" ls >/dev/null 2>&1 || fail "ls through the daemon failed"
daemon_stop
[ "$(metric "$PROM" nslife_query_duration_seconds_count)" = 1 ] ||
	fail "file not rewritten at exit: $(grep query_duration_seconds_count "$PROM")"
echo "metrics: endpoint and textfile pass promtool; lingering net $L = ls; node_exporter agrees"
