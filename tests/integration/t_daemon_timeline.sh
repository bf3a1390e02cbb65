#!/bin/bash
# timeline of a netns pinned by a bind mount, left by its process (so it
# lingers), then unpinned and freed: the events come in that order, the
# pin and unpin name the mount path, and text and JSON agree.  Without a
# daemon timeline says where history comes from.
. "$(dirname "$0")/lib_daemon.sh" || exit 1
need_root
daemon_start --grace 1
make_held_netns
timeline() {	# args: into $T/out, failing on a bad exit
	local rc
	"$NSLIFE" timeline "$@" >"$T/out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || fail "timeline $* exited $rc"
}
lingers() { timeline "net:[$HELD_INUM]"; grep -q "lingering" "$T/out"; }
wait_for 10 lingers || fail "no lingering while it lingers"
umount "$T/bind"
freed() { timeline --json "net:[$HELD_INUM]"; jq -e '.ns.state == "dead"' "$T/out" >/dev/null; }
wait_for 5 freed
jq -e '.ns.state == "dead"' "$T/out" >/dev/null || fail "never freed"
order=$(jq -r '[.timeline[].event | select(. == "created" or . == "pinned" or
	. == "lingering" or . == "unpinned" or . == "freed")] | join(",")' "$T/out")
[ "$order" = "created,pinned,lingering,unpinned,freed" ] || fail "order: $order"
jq -e --arg b "$T/bind" '[.timeline[] | select(.event == "pinned" or .event == "unpinned") |
	.path == $b and .mntns_id > 0] | length == 2 and all' "$T/out" >/dev/null ||
	fail "pin/unpin do not name $T/bind and its mount ns"
jq -e '[.timeline[].ts] as $t | $t == ($t | sort)' "$T/out" >/dev/null || fail "not in time order"
jq -e '.timeline[] | select(.event == "created") | .how == "unshare" and .pid > 0' "$T/out" >/dev/null ||
	fail "created lacks who and how"

"$NSLIFE" timeline "net:[$HELD_INUM]" >"$T/out" 2>&1 || fail "timeline (text) exited $?"
text=$(awk 'NR > 1 { print $2 }' "$T/out" | grep -E '^(created|pinned|lingering|unpinned|freed)$' | paste -sd,)
[ "$text" = "created,pinned,lingering,unpinned,freed" ] || fail "text order: $text"
head -n 1 "$T/out" | grep -q "^net:\[$HELD_INUM\] id [0-9]*: dead" || fail "text head: $(head -n 1 "$T/out")"
daemon_stop

NSLIFE_SOCKET=$T/none "$NSLIFE" timeline "net:[$HELD_INUM]" >"$T/out" 2>&1
[ $? -eq 1 ] || fail "timeline without a daemon did not exit 1"
grep -q "start 'nslife daemon'" "$T/out" || fail "no pointer to the daemon: $(cat "$T/out")"
echo "timeline: created, pinned, lingering, unpinned, freed, in order"
