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
sleep 0.5
ID=$(jq .ns.id "$T/netns")
[ -n "$ID" ] && [ "$ID" != 0 ] || fail "setup: no id"
wait_gone nt20 || fail "the netns outlived its last member: sysfs pinned it?"
# its id, while the mount ns that holds the sysfs mount still lives
why_json -p $S -t mnt
check '.ns.state == "alive"'
# by id: its inum may already belong to a new namespace
why_json "id:$ID"
check '.holders | all(.kind != "mount" and .kind != "nopin")'
check '.ns.state == "dead"'
echo ok
