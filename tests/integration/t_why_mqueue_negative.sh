#!/bin/bash
# Negative control: an mqueue mount takes only a passive reference to its
# ipc ns.  A mount ns (kept alive by a bind mount of its nsfs file) holds
# an mqueue mount of an ipc ns whose tasks all exited: the ipc ns is dead,
# and nslife must not call it "held by mqueue".
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
touch $T/mntb
unshare -m -i sh -c "mount --make-rprivate / && mkdir -p $T/mq && mount -t mqueue mqueue $T/mq && \
	$NSLIFE why --json /proc/self/ns/ipc > $T/ipcns && touch $T/ready && sleep 30" & S=$!; KILL+=($S)
wait_for 10 test -e $T/ready
INUM=$(jq .ns.inum $T/ipcns); ID=$(jq .ns.id $T/ipcns)
[ -n "$INUM" ] && [ "$INUM" != null ] || fail "setup: no inum"
M=$(pgrep -P $S sleep || echo $S)
mount --bind /proc/$M/ns/mnt $T/mntb && UMOUNT+=($T/mntb) || fail "setup: bind"
kill -9 $S $M 2>/dev/null; wait $S 2>/dev/null
wait_dead "$ID" "ipc:[$INUM]"
check '.ns.state == "dead"'
check '.holders | all(.kind != "mount" and .kind != "nopin")'
# the mount ns with the mqueue mount is alive, held by the bind mount
why_json $T/mntb
check '.ns.state == "alive" and .ns.type == "mnt"'
echo ok
