#!/bin/bash
# Negative control: sysfs mounted from inside a netns, then every member
# leaves.  sysfs takes only a passive reference: the netns is dead, and
# nslife must not call it "held by sysfs".
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
HOSTNET=/proc/$$/ns/net
unshare -m -n sh -c "mount -t sysfs sysfs /sys; $NSLIFE why --json /proc/self/ns/net >$T/netns; \
	ip link add h-nt20 type veth peer name c-nt20; ip link set h-nt20 netns $HOSTNET; \
	exec nsenter --net=$HOSTNET sleep infinity" & S=$!; KILL+=($S)
PROBES+=(nt20)
# wait for the why inside (it loads BPF: slow under load) and the probe
inside() { jq -e .ns.inum "$T/netns" >/dev/null 2>&1 && alive nt20; }
wait_for 10 inside
ID=$(jq .ns.id "$T/netns")
INUM=$(jq .ns.inum "$T/netns")
# ids come from NS_GET_ID (6.18+, as do nsfs file handles); before it nslife
# reports id 0 and the netns can be named by its inum only
"$HELPERS/nshandle" get /proc/self/ns/net >/dev/null 2>&1
case $? in 0) HAVE_ID=1 ;; 3) HAVE_ID=0 ;; *) fail "nshandle get failed" ;; esac
[ -n "$INUM" ] && [ "$INUM" != null ] || fail "setup: no inum"
if [ $HAVE_ID = 1 ]; then
	[ -n "$ID" ] && [ "$ID" != 0 ] || fail "setup: no id"
else
	[ "$ID" = 0 ] || fail "setup: id $ID on a kernel without NS_GET_ID"
fi
wait_gone nt20 || fail "the netns outlived its last member: sysfs pinned it?"
# its id, while the mount ns that holds the sysfs mount still lives
why_json -p $S -t mnt
check '.ns.state == "alive"'
if [ $HAVE_ID = 1 ]; then
	# by id: its inum may already belong to a new namespace
	why_json "id:$ID"
	check '.holders | all(.kind != "mount" and .kind != "nopin")'
	check '.ns.state == "dead"'
else
	# by inum: dead, unless the inum was recycled for a live netns; the
	# sysfs mount is never a holder either way
	why_json "net:[$INUM]"
	check '.holders | all(.kind != "mount" and .kind != "nopin")'
	if ! stat -L -c %i /proc/[0-9]*/task/*/ns/net 2>/dev/null | grep -qx "$INUM"; then
		check '.ns.state == "dead"'
	fi
fi
echo ok
