#!/bin/bash
# A real Prometheus (Debian's) scrapes the daemon's endpoint every second;
# /api/v1/query?query=nslife_lingering_namespaces returns what the daemon
# serves and its ls counts (2 lingering net namespaces made here among
# them).  The alert rules in tools/prometheus pass promtool check rules
# and their unit tests, and load in the server; every query of the
# Grafana dashboard parses as JSON and runs there, returning data.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
. "$(dirname "$0")/lib_metrics.sh" || exit 1
need_root
need_tool prometheus prometheus
need_tool promtool prometheus
need_tool curl curl
RULES=$PWD/tools/prometheus/nslife-alerts.yml
DASH=$PWD/tools/prometheus/grafana-nslife.json

promtool check rules "$RULES" >"$T/out" 2>&1 || fail "promtool check rules: $(cat "$T/out")"
(cd tools/prometheus && promtool test rules nslife-alerts.test.yml) >"$T/out" 2>&1 ||
	fail "promtool test rules: $(cat "$T/out")"
[ -s "$DASH" ] && jq -e '.panels | length > 0' "$DASH" >/dev/null || fail "the dashboard is not JSON with panels"

daemon_start --grace 1 --metrics-listen 0
URL=$(metrics_url)
TARGET=${URL#http://}
TARGET=${TARGET%/metrics}
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: nslife
    static_configs:
      - targets: ['$TARGET']
EOF
for try in 1 2 3; do
	PP=$(free_port)
	prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
		--web.listen-address="127.0.0.1:$PP" >"$T/prom.log" 2>&1 &
	PPID_=$!
	KILL+=($PPID_)
	wait_until 30 curl -sf -o /dev/null "http://127.0.0.1:$PP/-/ready" && break
	kill $PPID_ 2>/dev/null
	PP=
done
[ -n "$PP" ] || { tail -5 "$T/prom.log"; fail "prometheus did not become ready"; }
API=http://127.0.0.1:$PP/api/v1

query() {	# PROMQL -> $T/q (the API's JSON; never empty: jq 1.6 -e passes on that)
	curl -sS -G --data-urlencode "query=$1" "$API/query" >"$T/q" && [ -s "$T/q" ]
}

make_lingering 2
wait_until 20 ours_lingering || fail "our 2 netns are not lingering in ls"
# the server's value = the endpoint's now = the daemon's ls, and >= 2
prom_agrees() {
	local p d l
	query 'nslife_lingering_namespaces{type="net"}' || return 1
	p=$(jq -r '.data.result[0].value[1] // empty' "$T/q")
	curl -sS "$URL" >"$T/m" || return 1
	d=$(metric "$T/m" 'nslife_lingering_namespaces{type="net"}')
	l=$(ls_lingering_net)
	[ -n "$p" ] && [ "$p" = "$d" ] && [ "$d" = "$l" ] && [ "$p" -ge 2 ]
}
wait_until 30 prom_agrees ||
	fail "prometheus says $(jq -c .data.result "$T/q"), the endpoint $(metric "$T/m" 'nslife_lingering_namespaces{type="net"}'), ls $(ls_lingering_net)"
N=$(jq -r '.data.result[0].value[1]' "$T/q")
query 'nslife_lingering_namespaces'
[ "$(jq '.data.result | length' "$T/q")" = 8 ] || fail "not one series per type: $(jq -c .data.result "$T/q")"
query 'up{job="nslife"}'
[ "$(jq -r '.data.result[0].value[1]' "$T/q")" = 1 ] || fail "target not up"

# the rules loaded and evaluate
curl -sS "$API/rules" >"$T/r" && [ -s "$T/r" ] || fail "no answer from $API/rules"
jq -e '[.data.groups[].rules[] | select(.health == "ok") | .name] |
	index("NslifeNamespaceLingering") and index("NslifeLostEvents")' "$T/r" >/dev/null ||
	fail "rules not loaded healthy: $(jq -c '[.data.groups[].rules[] | {name, health, lastError}]' "$T/r")"

# every dashboard query runs; those on gauges and counters return data
jq -r '.panels[].targets[].expr' "$DASH" >"$T/exprs"
while IFS= read -r e; do
	q=${e//\$instance/.*}
	query "$q" || fail "query failed: $q"
	jq -e '.status == "success"' "$T/q" >/dev/null || fail "dashboard query '$q': $(cat "$T/q")"
	case $q in
	*histogram_quantile*|*increase*|*rate*) ;;	# need samples over time or observations
	*) jq -e '.data.result | length > 0' "$T/q" >/dev/null || fail "no data for '$q'" ;;
	esac
done <"$T/exprs"
echo "prometheus: nslife_lingering_namespaces{type=net} = $N (= endpoint = ls); rules and $(wc -l <"$T/exprs") dashboard queries ok"
