#!/bin/bash
# A net ns pinned only by an nsfs bind mount inside a mount ns no process
# is in (itself held by an nsfs bind mount in ours): why finds that mount,
# by either path.  6.11+: a task-less mount ns whose nsfs and proc mounts
# show only namespaces the scan holds is read by listmount/statmount, with
# no setns child; the one with the new net ns needs the child before 6.18,
# and on 6.18+ opens that net ns by nsfs file handle (its ns_id from the
# BPF mount-tree walk) and is read by listmount too.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
M=$T/m
mkdir -p "$M" && mount --bind "$M" "$M" && UMOUNT+=("$M") &&
	mount --make-private "$M" || fail "private bind mount"
touch "$M/m1" "$M/m2" "$M/net" || fail "touch"
unshare --mount="$M/m1" unshare --net="$M/net" true || fail "unshare m1, net"
unshare --mount="$M/m2" true || fail "unshare m2"
nsenter --mount="$M/m1" ip link add h-nlm type veth peer name c-nlm \
	netns "$M/net" && PROBES+=(nlm) || fail "veth"
NET=$(nsenter --mount="$M/m1" stat -L -c %i "$M/net")
M1=$(stat -L -c %i "$M/m1")
M2=$(stat -L -c %i "$M/m2")
[ -n "$NET" ] && [ -n "$M1" ] && [ -n "$M2" ] || fail "inums"

found() {	# the net ns is held by $M/net in mount ns m1, and nothing else
	check --argjson i "$NET" '.ns.inum == $i and .ns.state == "alive" and .ns.nprocs == 0'
	check --argjson m "$M1" '[.holders[] | select(.kind == "mount" and
		.path == "'"$M/net"'" and .mntns.inum == $m and .covered == false)] | length == 1'
	check '.holders[] | select(.kind == "mount") | .release ==
		"nsenter --mount='"$M/m1"' umount '"$M/net"'"'
}
NSLIFE_MNTNS_DEBUG=1 why_json "net:$NET"
found
grep -Eq "mnt ns $M1: (listmount|setns) \(0\)" "$T/err" || fail "m1 not read: $(cat "$T/err")"
IFS=. read -r MAJ MIN _ <<<"$(uname -r)"
if [ "$MAJ" -gt 6 ] || { [ "$MAJ" -eq 6 ] && [ "${MIN%%[!0-9]*}" -ge 11 ]; }; then
	grep -q "mnt ns $M2: listmount (0)" "$T/err" || fail "m2 not read by listmount: $(cat "$T/err")"
	grep -q "mnt ns $M2: setns" "$T/err" && fail "m2 entered by a setns child"
fi
# (unless listmount listed fewer nsfs and proc mounts than the mount tree
# has, ENODATA: seen in the 6.12 and 6.18 test VMs, whose root is the
# initramfs's rootfs; then the child, whose mountinfo has them all)
if { [ "$MAJ" -gt 6 ] || { [ "$MAJ" -eq 6 ] && [ "${MIN%%[!0-9]*}" -ge 18 ]; }; } &&
   ! grep -q "mnt ns $M1: listmount (-61)" "$T/err"; then
	grep -q "mnt ns $M1: handles (0)" "$T/err" || fail "m1: the new net ns not opened by handle: $(cat "$T/err")"
	grep -q "mnt ns $M1: setns" "$T/err" && fail "m1 entered by a setns child on 6.18+"
fi
NSLIFE_MNTNS_READ=setns NSLIFE_MNTNS_DEBUG=1 why_json "net:$NET"
found
grep -q "mnt ns $M1: setns (0)" "$T/err" || fail "forced setns: $(cat "$T/err")"
grep -q "listmount" "$T/err" && fail "listmount used under NSLIFE_MNTNS_READ=setns"
echo ok
