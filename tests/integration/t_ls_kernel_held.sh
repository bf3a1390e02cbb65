#!/bin/bash
# Namespaces that no task, nsfs fd or mount of any process holds come from
# the kernel's own list (read by BPF: 6.18 per-type lists, 6.19+ one list):
# ls lists each with a state that is never dead (inactive on 6.19+, which
# counts only tasks, nsfs fds and mounts as active), why --ifname finds
# the net ones, and releasing the one file that held it frees it.
#  1. a netns held by an fd on /proc/PID/net/dev of an exited process
#  2. a netns held by an unattached /dev/net/tun fd opened inside it
#  3. a netns held by its nsfs fd in flight in a unix socket queue
#  4. a mnt ns with no task, pinned by an open /proc/PID/mountinfo, whose
#     nsfs mount keeps a netns alive
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
"$NSLIFE" ls >/dev/null 2>$T/lserr || fail "nslife ls failed"
if grep -q 'lists no namespaces' $T/lserr; then
	echo "skipped: $(uname -r) has no namespace list nslife can read (6.18+): $(cat $T/lserr)"
	exit 77
fi

# a process alone in a new netns with probe h-$1/c-$1; sets P and INUM
netns_proc() {
	unshare -n sleep infinity & P=$!; KILL+=($P)
	local i
	for _ in $(seq 50); do
		i=$(stat -L -c %i /proc/$P/ns/net 2>/dev/null)
		[ -n "$i" ] && [ "$i" != "$(stat -L -c %i /proc/self/ns/net)" ] && break
		sleep 0.1
	done
	probe_add "$1" $P
	INUM=$(stat -L -c %i /proc/$P/ns/net)
}
# ls: the state of NS ("" if not listed)
ls_state() {
	"$NSLIFE" ls --json >$T/ls.json 2>/dev/null || fail "nslife ls --json"
	jq -r --arg ns "$1" '.namespaces[] | select("\(.type):[\(.ns)]" == $ns) | .state' $T/ls.json
}
# NS listed, not dead; the netns of probe $2 found by why --ifname (an
# inactive one, 6.19+, cannot be entered: BPF reads its interface names)
seen() {
	local st
	st=$(ls_state "$1")
	case $st in
	alive|inactive) ;;
	*) fail "$1: ls state '$st', want alive or inactive" ;;
	esac
	why_json --ifname "c-$2"
	check --arg ns "$1" --arg st "$st" '"\(.ns.type):[\(.ns.inum)]" == $ns and .ns.state == $st'
	echo "$1 ($3): $st in ls, found by why --ifname c-$2"
}

# 1. /proc/PID/net/dev of an exited process
netns_proc kh1
exec 7</proc/$P/net/dev
kill $P; wait $P 2>/dev/null
alive kh1 || fail "1: the netns died with its task"
seen "net:[$INUM]" kh1 "an open /proc/PID/net/dev"
exec 7<&-
wait_gone kh1 || fail "1: netns alive after /proc/PID/net/dev was closed"

# 2. an unattached tun fd opened inside the netns, held from outside it
[ -c /dev/net/tun ] || fail "2: no /dev/net/tun (modprobe tun)"
netns_proc kh2
A=$P
nsenter -t $A -n bash -c "exec 7<>/dev/net/tun && exec nsenter --net=/proc/$$/ns/net sleep infinity" &
P=$!; KILL+=($P)
for _ in $(seq 50); do
	[ "$(readlink /proc/$P/ns/net)" = "$(readlink /proc/$$/ns/net)" ] &&
		[ "$(readlink /proc/$P/fd/7)" = /dev/net/tun ] && break
	sleep 0.1
done
[ "$(readlink /proc/$P/fd/7)" = /dev/net/tun ] || fail "2: no tun fd"
kill $A; wait $A 2>/dev/null
alive kh2 || fail "2: the netns died with its task"
seen "net:[$INUM]" kh2 "an unattached tun fd"
kill $P; wait $P 2>/dev/null
wait_gone kh2 || fail "2: netns alive after the tun fd was closed"

# 3. its nsfs fd in flight
netns_proc kh3
"$HELPERS/nsinflight" /proc/$P/ns/net >$T/inflight & H=$!; KILL+=($H)
wait_line $T/inflight >/dev/null || fail "3: nsinflight did not start"
kill $P; wait $P 2>/dev/null
alive kh3 || fail "3: the netns died with its task"
seen "net:[$INUM]" kh3 "an nsfs fd in flight"
kill $H; wait $H 2>/dev/null
wait_gone kh3 || fail "3: netns alive after the fd in flight was freed"

# 4. a task-less mnt ns kept by an open mountinfo, holding a netns mount
netns_proc kh4
mkdir -p $T/m
unshare -m --propagation private sh -c "mount -t tmpfs kh4 $T/m && touch $T/m/n &&
	mount --bind /proc/$P/ns/net $T/m/n && echo ready >$T/m4 && exec sleep infinity" &
M=$!; KILL+=($M)
wait_line $T/m4 >/dev/null || fail "4: setup"
MNT=$(readlink /proc/$M/ns/mnt)
exec 8</proc/$M/mountinfo
kill $M $P; wait $M $P 2>/dev/null
alive kh4 || fail "4: the netns died"
seen "net:[$INUM]" kh4 "a mount in a task-less mnt ns"
st=$(ls_state "$MNT")
case $st in alive|inactive) ;; *) fail "4: $MNT: ls state '$st'" ;; esac
why_json "$MNT"
check '.ns.state == "alive" or .ns.state == "inactive"'
echo "$MNT (kept by an open mountinfo): $st"
exec 8<&-
wait_gone kh4 || fail "4: netns alive after the mountinfo was closed"
echo ok
