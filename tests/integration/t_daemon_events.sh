#!/bin/bash
# The daemon's events for log pipelines.  --events json: trace --json's
# objects on stdout for lingering (with holders), free and lost, each with
# host and boot_id.  --events journal: entries a real systemd-journald
# (started here on private sockets, in a mount namespace of this test's
# own) stores with NSLIFE_EVENT/TYPE/ID/INUM/HOLDERS, found by journalctl
# NSLIFE_EVENT=lingering.  A loss (small ring, stopped daemon) shows in
# both and in the metrics' lost and rescan counters.
if [ -z "${NSL_EVENTS_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	# /run/systemd/journal of our own: never the host's journald
	NSL_EVENTS_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib_daemon.sh" || exit 1
. "$(dirname "$0")/lib_metrics.sh" || exit 1
need_root
need_tool curl curl
BOOT=$(cat /proc/sys/kernel/random/boot_id)
HOST=$(hostname)
# a daemon whose ring of ~180 records overflows while it is stopped
lossy_start() {
	NSLIFE_RINGBUF_BYTES=16384 daemon_start "$@"
	kill -STOP $DPID
	"$HELPERS/nschurn" 400 >/dev/null || { kill -CONT $DPID; fail "nschurn failed"; }
	kill -CONT $DPID
}

# ---- json ----
daemon_start --grace 1 --events json
make_lingering 1
INUM=$(stat -L -c %i "${HELD[0]}")
# the whole lines of the daemon's stdout (a long holders list may be
# written in more than one piece)
lines() { head -n "$(wc -l <"$T/daemon.out")" "$T/daemon.out"; }
# any whole line matching COND (slurped: jq 1.6 -e passes on empty input)
has() { lines | jq -s -e --argjson i "$INUM" "any(.[]; $1)" >/dev/null 2>&1; }
wait_until 60 has '.event == "lingering" and .type == "net" and .inum == $i' ||
	fail "no lingering event for net:[$INUM] on stdout: $(head -c 1000 "$T/daemon.out")"
lines | jq -s -e --argjson i "$INUM" --arg p "${HELD[0]}" --arg h "$HOST" --arg b "$BOOT" '
	any(.[]; .event == "lingering" and .inum == $i and
	.id > 0 and .nholders >= 1 and .host == $h and .boot_id == $b and
	(.time | test("Z$")) and any(.holders[]; .kind == "mount" and .path == $p))' >/dev/null || fail "lingering line: $(grep "\"inum\":$INUM" "$T/daemon.out")"
umount -l "${HELD[0]}"	# lazy: a scan of the daemon may hold it a moment
wait_until 60 has '.event == "free" and .inum == $i' || fail "no free event for net:[$INUM]"
# only lingering, free and lost; every line a whole object with host and boot id
lines | jq -s -e --arg h "$HOST" --arg b "$BOOT" 'length > 0 and all(.[];
	(.event == "lingering" or .event == "free" or .event == "lost") and
	.host == $h and .boot_id == $b)' >/dev/null ||
	fail "unexpected lines: $(lines | jq -c 'select(.event != "lingering" and .event != "free") | {event, host, boot_id}' 2>&1 | head -3)"

daemon_stop

# a loss: said as a lost object, counted in the metrics with the rescan
lossy_start --events json --metrics-listen 0
URL=$(metrics_url)
wait_until 60 has '.event == "lost" and .lost > 0' ||
	fail "no lost event after a stopped daemon's ring overflowed"
curl -sS "$URL" >"$T/m" || fail "scrape failed"
[ "$(metric "$T/m" nslife_lost_events_total)" -gt 0 ] || fail "lost_events_total is 0"
[ "$(metric "$T/m" nslife_rescans_total)" -gt 0 ] || fail "rescans_total is 0"
daemon_stop

# ---- journal ----
JD=/lib/systemd/systemd-journald
if [ ! -x "$JD" ] || ! command -v journalctl >/dev/null; then
	[ "${CI:-}" = true ] && fail "systemd-journald missing under CI=true (tools/deps.sh installs systemd)"
	echo "json passed; skipped the journal part: no $JD (apt-get install systemd)"
	exit 77
fi
# in this test's mount namespace only: a /run of its own (the host's /run
# is untouched) and, if the host keeps a persistent journal, a tmpfs on it
mount -t tmpfs tmpfs /run || fail "tmpfs on /run"
mkdir -p /run/systemd/journal /run/log/journal
[ -d /var/log/journal ] && { mount -t tmpfs tmpfs /var/log/journal || fail "tmpfs on /var/log/journal"; }
$JD >"$T/journald.log" 2>&1 &
KILL+=($!)
wait_until 10 test -S /run/systemd/journal/socket || fail "journald did not start: $(cat "$T/journald.log")"
HELD=()
daemon_start --grace 1 --events journal
make_lingering 1
INUM=$(stat -L -c %i "${HELD[0]}")
jq_journal() {	# EVENT FILTER [jq args]: the entries of EVENT, as one array
	local ev=$1 f=$2
	shift 2
	journalctl -D /run/log/journal --no-pager -o json "NSLIFE_EVENT=$ev" 2>/dev/null |
		jq -e -s --arg i "$INUM" "$@" "$f" >/dev/null
}
wait_until 60 jq_journal lingering 'any(.[]; .NSLIFE_INUM == $i)' ||
	fail "journalctl NSLIFE_EVENT=lingering has no net:[$INUM]: $(journalctl -D /run/log/journal --no-pager -n 5 2>&1)"
jq_journal lingering 'any(.[];
	.NSLIFE_INUM == $i and .NSLIFE_TYPE == "net" and (.NSLIFE_ID | tonumber) > 0 and
	(.NSLIFE_HOLDERS | contains("mount:" + $p)) and .PRIORITY == "4" and
	.NSLIFE_HOST == $h and .NSLIFE_BOOT_ID == $b and
	._BOOT_ID == ($b | gsub("-"; "")) and .SYSLOG_IDENTIFIER == "nslife")' \
	--arg p "${HELD[0]}" --arg h "$HOST" --arg b "$BOOT" ||
	fail "lingering entry lacks fields: $(journalctl -D /run/log/journal -o json NSLIFE_EVENT=lingering | tail -1)"
umount -l "${HELD[0]}"	# lazy: a scan of the daemon may hold it a moment
wait_until 60 jq_journal free 'any(.[]; .NSLIFE_INUM == $i and .PRIORITY == "6")' ||
	fail "no free entry for net:[$INUM]"
daemon_stop
lossy_start --events journal
wait_until 60 jq_journal lost 'any(.[]; (.NSLIFE_LOST | tonumber) > 0)' || fail "no lost entry"
daemon_stop
echo "events: json and journal carry lingering (holders), free and lost with host and boot id"
