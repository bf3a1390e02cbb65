#!/bin/bash
# ls counts the nsfs and procfs mounts of every mount namespace: a net ns
# bind-mounted by `ip netns add` is held once by that mount and once more
# by each private mount namespace made after it (each has a copy), and
# the pid ns's OTHER column grows by one procfs copy per namespace.
# ls reads the copies from their mount trees (BPF, NSLIFE_MNTNS_DEBUG says
# "walk"), not from each mountinfo, and the counts must be the same.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
export NSLIFE_SOCKET=$T/none
N=4
name=nsl-mc-$$
ip netns add $name || fail "ip netns add"
NETNS+=($name)
ino=$(stat -L -c %i /run/netns/$name)
cols() {	# NS MOUNTS OTHER of every namespace
	NSLIFE_MNTNS_DEBUG=1 "$NSLIFE" ls -n -o NS,MOUNTS,OTHER >$T/ls 2>$T/err ||
		fail "ls exited $?: $(cat $T/err)"
}
cols
m0=$(awk -v ns="net:[$ino]" '$1 == ns { print $2 }' $T/ls)
p0=$(awk '$1 == "pid:['$(stat -L -c %i /proc/self/ns/pid)']" { print $3 }' $T/ls)
[ -n "$m0" ] && [ "$m0" -ge 1 ] || fail "net:[$ino] has no mount holder: $(grep $ino $T/ls)"
for i in $(seq $N); do
	unshare --mount --propagation private sleep infinity &
	KILL+=($!)
	wait_exec $! sleep
done
cols
m1=$(awk -v ns="net:[$ino]" '$1 == ns { print $2 }' $T/ls)
p1=$(awk '$1 == "pid:['$(stat -L -c %i /proc/self/ns/pid)']" { print $3 }' $T/ls)
[ "$m1" = $((m0 + N)) ] || fail "net:[$ino]: $m1 mounts with $N more copies, $m0 before"
[ "$p1" -ge $((p0 + N)) ] || fail "the pid ns: OTHER $p1 with $N more /proc copies, $p0 before"
w=$(grep -c ': walk ' $T/err)
[ "$w" -ge $N ] || fail "$w mount tables counted from their trees, want $N or more: $(head -3 $T/err)"
echo "ok: $N copies counted by the walk ($w tables), mounts $m0 -> $m1"
