#!/bin/bash
# ls and why read tasks and their nsfs and socket fds with BPF iterators
# (procs, nsfds) instead of walking /proc: the answer must be the one the
# /proc walk gives (NSLIFE_PROC_SCAN=proc), for a thread in a net ns of
# its own, a zombie and its parent in a uts ns, namespaces held
# only by nsfs fds, and a net ns held only by a socket of a process
# outside it.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
N=nsl-ti-$$
N2=nsl-ti2-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
ip netns add $N2 && NETNS+=($N2) || fail "ip netns add"
NET=$(stat -L -c %i /run/netns/$N)
NET2=$(stat -L -c %i /run/netns/$N2)
"$HELPERS/nsl_thread" /run/netns/$N >"$T/thr" & P=$!; KILL+=($P)
TID=$(wait_line "$T/thr" | awk '{print $2}') || fail "nsl_thread did not start"
"$HELPERS/nsl_holdsock" /run/netns/$N2 >"$T/sock" & S=$!; KILL+=($S)
wait_line "$T/sock" >/dev/null || fail "nsl_holdsock did not start"
"$HELPERS/nshold" 3 >"$T/hold" & H=$!; KILL+=($H)
wait_line "$T/hold" >/dev/null || fail "nshold did not start"
ip netns del $N; ip netns del $N2
# a zombie in a new uts ns: its parent has become a sleep, which never
# reaps; the child exits only then (a FIFO), or sh could reap it first
mkfifo "$T/zf"
unshare --uts sh -c 'read x < '"$T"'/zf & exec sleep 100' & Z=$!; KILL+=($Z)
wait_exec $Z sleep || fail "setup: no zombie parent"
ZC=$(tr -d ' \n' < /proc/$Z/task/$Z/children)
[ -n "$ZC" ] || fail "setup: sleep has no child"
echo > "$T/zf"
zombie() { [ "$(awk '{print $3}' /proc/$ZC/stat 2>/dev/null)" = Z ]; }
wait_for 5 zombie || fail "setup: no zombie"
UTS=$(stat -L -c %i /proc/$Z/ns/uts)
# a user ns owning a pid ns, a net ns and a child user ns: owners and
# parents come from the kernel's list where BPF reads it (6.18+)
unshare -U -r -p -f --kill-child -n sh -c 'exec unshare -U sleep 100' & U=$!; KILL+=($U)
wait_for 5 pgrep -P $U >/dev/null || fail "setup: unshare has no child"
SL=$(pgrep -P $U)
wait_exec $SL sleep
USR=$(stat -L -c %i /proc/$SL/ns/user)
PID=$(stat -L -c %i /proc/$SL/ns/pid)
UNET=$(stat -L -c %i /proc/$SL/ns/net)
UP=$(stat -L -c %i /proc/$U/ns/user)
HELD=$(for f in /proc/$H/fd/*; do readlink "$f"; done | sed -n 's/^uts:\[\([0-9]*\)\]$/\1/p')
[ "$(echo "$HELD" | wc -l)" -ge 3 ] || fail "setup: nshold holds $(echo "$HELD" | wc -l) uts namespaces"

COLS=NS,NPROCS,NTASKS,HOLDERS,TASKS,FDS,SOCKETS,MOUNTS,CHILDREN,OTHER,STATE,PID,COMMAND,OWNER,PARENT
NSLIFE_SCAN_DEBUG=1 "$NSLIFE" ls -r -o $COLS >"$T/bpf" 2>"$T/bpf.err" || fail "ls exited $?"
grep -q "process scan: bpf iterators (.*fds too)" "$T/bpf.err" ||
	fail "ls did not use the BPF iterators: $(cat "$T/bpf.err")"
NSLIFE_PROC_SCAN=proc NSLIFE_SCAN_DEBUG=1 "$NSLIFE" ls -r -o $COLS >"$T/proc" 2>"$T/proc.err" ||
	fail "ls (/proc) exited $?"
grep -q "process scan: /proc" "$T/proc.err" || fail "NSLIFE_PROC_SCAN=proc was not the /proc walk"
for i in $NET $NET2 $UTS $HELD; do
	a=$(grep "\[$i\]" "$T/bpf"); b=$(grep "\[$i\]" "$T/proc")
	[ -n "$a" ] || fail "ls (bpf) does not list namespace $i"
	[ "$a" = "$b" ] || fail "namespace $i: bpf '$a', /proc '$b'"
done
# owners, parents and children: from the kernel's list as from the ioctls
HC=NS,OWNER,PARENT,CHILDREN,HOLDERS
"$NSLIFE" ls -r -o $HC >"$T/hier" || fail "ls exited $?"
NSLIFE_HIER_IOCTL=1 "$NSLIFE" ls -r -o $HC >"$T/hier.ioctl" || fail "ls exited $?"
for i in $USR $UP $PID $UNET $NET $UTS; do
	a=$(grep "\[$i\]" "$T/hier"); b=$(grep "\[$i\]" "$T/hier.ioctl")
	[ -n "$a" ] || fail "ls does not list namespace $i"
	[ "$a" = "$b" ] || fail "namespace $i: '$a', with the ioctls '$b'"
done
grep -q "^pid:\[$PID\] $UP 4026531836 " "$T/hier" || fail "pid ns $PID: owner $UP, parent the initial pid ns: $(grep "\[$PID\]" "$T/hier")"
grep -q "^user:\[$USR\] $UP $UP " "$T/hier" || fail "user ns $USR: owner and parent $UP: $(grep "\[$USR\]" "$T/hier")"
# what each holder is, not only how many
for spec in "net:[$NET]" "net:[$NET2]" "uts:[$UTS]"; do
	why_json "$spec"; jq -S '.holders' "$T/out" >"$T/h.bpf"
	NSLIFE_PROC_SCAN=proc why_json "$spec"; jq -S '.holders' "$T/out" >"$T/h.proc"
	diff "$T/h.bpf" "$T/h.proc" >"$T/h.diff" || fail "why $spec holders differ: $(cat "$T/h.diff")"
done
why_json "net:[$NET]"
check --argjson t "$TID" '.holders | any(.kind == "task" and .tid == $t)'
why_json "net:[$NET2]"
check --argjson s "$S" '.holders | any(.kind == "socket" and .pid == $s)'
why_json "uts:[$UTS]"
check --argjson z "$Z" '.holders | any(.kind == "task" and .pid == $z)'
echo ok
