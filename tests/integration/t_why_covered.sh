#!/bin/bash
# Covered and shadowed nsfs mounts: `ip netns del` detaches only the top of
# two stacked mounts (the second stays, covered until then), and a tmpfs
# mounted over the directory hides a netns mount below it.  Both still pin
# their namespace; why reports them as mount holders marked covered, and a
# visible one as not covered.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
D=$T/run
mkdir -p $D
mount -t tmpfs nsl-cov $D && UMOUNT+=($D) || fail "tmpfs"
unshare -n sleep infinity & A=$!; KILL+=($A)
unshare -n sleep infinity & B=$!; KILL+=($B)
unshare -n sleep infinity & C=$!; KILL+=($C)
for p in $A $B $C; do wait_exec $p sleep; done
IA=$(stat -L -c %i /proc/$A/ns/net)
IB=$(stat -L -c %i /proc/$B/ns/net)
IC=$(stat -L -c %i /proc/$C/ns/net)
touch $D/x $D/y
mkdir $D/sub && touch $D/sub/z
mount --bind /proc/$A/ns/net $D/x || fail "bind A"
mount --bind /proc/$B/ns/net $D/x || fail "bind B over A"	# A is now covered
mount --bind /proc/$C/ns/net $D/sub/z || fail "bind C"
mount -t tmpfs nsl-shadow $D/sub || fail "shadow"		# C is now shadowed
# twice: with the tasks alive the namespaces are known before their mounts
# are read (coverage comes from the mount table); once the tasks are gone
# the mounts are the only way in (coverage comes from what the path opens)
for round in tasks mounts; do
	why_json net:$IA
	check '.ns.state == "alive"'
	check --arg p $D/x '[.holders[] | select(.kind == "mount" and .path == $p and .covered == true)] | length == 1'
	why_json net:$IB
	check --arg p $D/x '[.holders[] | select(.kind == "mount" and .path == $p and .covered == false)] | length == 1'
	why_json net:$IC
	check --arg p $D/sub/z '[.holders[] | select(.kind == "mount" and .path == $p and .covered == true)] | length == 1'
	kill -9 $A $B $C 2>/dev/null
	wait $A $B $C 2>/dev/null
done
umount $D/sub
why_json net:$IC
check --arg p $D/sub/z '[.holders[] | select(.kind == "mount" and .path == $p and .covered == false)] | length == 1'
echo ok
