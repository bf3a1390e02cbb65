#!/bin/bash
# The scan's BPF objects are loaded once per boot and pinned under
# /sys/fs/bpf/nslife (user/tracer/bpfpin.c): a later ls or why reuses them
# instead of loading again; its answer is the same as from a fresh load;
# concurrent runs sharing the pinned .bss each get their own answer whole;
# a damaged or stale pin directory is replaced; NSLIFE_PIN=0 pins nothing.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
PD=/sys/fs/bpf/nslife
export NSLIFE_SOCKET=$T/none	# a daemon would answer instead

# a net ns only an fd on /proc/PID/net/dev holds: the file iterator's
# learnt f_ops must be right to name it
coproc HF { exec "$HELPERS/nsl_holdfile" procnet; }
HP=$HF_PID
KILL+=($HP)
read -r -t 10 cp ino id fd <&"${HF[0]}" || fail "nsl_holdfile did not start"
echo go >&"${HF[1]}"
read -r -t 10 line <&"${HF[0]}" && [ "$line" = released ] || fail "the opener did not exit"

fds_of() {	# the FDS column of net:[ino] in ls output file $1
	awk -v ns="net:[$ino]" '$1 == ns { print $2 }' "$1"
}

# which directory is ours: the one a run of ours makes (other nslife
# builds on this host may pin theirs meanwhile)
rm -rf "$PD"/inspect-* "$PD"/refs-* 2>/dev/null
"$NSLIFE" ls -n -o NS >/dev/null 2>$T/err || fail "ls exited $?: $(cat $T/err)"
dir=$(ls -d "$PD"/inspect-* 2>/dev/null | head -1)
[ -n "$dir" ] || fail "ls pinned nothing under $PD"

# a fresh load, pinning nothing
rm -rf "$dir"
NSLIFE_PIN=0 "$NSLIFE" ls -n -o NS,FDS >$T/fresh 2>$T/err || fail "ls exited $?: $(cat $T/err)"
[ -e "$dir" ] && fail "NSLIFE_PIN=0 pinned $dir"
[ "$(fds_of $T/fresh)" = 1 ] || fail "a fresh load does not see the fd holder: $(grep "$ino" $T/fresh)"

# the first run pins; the second reuses (libbpf loads nothing: no log)
"$NSLIFE" ls -n -o NS,FDS >$T/first 2>$T/err || fail "ls exited $?: $(cat $T/err)"
[ -d "$dir" ] || fail "ls did not pin $dir again"
for p in fd_pidns learn_fops ns_tree net_ifnames inflight files mnt_walk bss; do
	[ -e "$dir/$p" ] || fail "$dir/$p is missing"
done
NSLIFE_BPF_DEBUG=1 "$NSLIFE" ls -n -o NS,FDS >$T/second 2>$T/err || fail "ls exited $?"
grep -q "loading object" $T/err && fail "the second ls loaded the object again"
[ "$(fds_of $T/second)" = 1 ] || fail "a pinned run does not see the fd holder: $(grep "$ino" $T/second)"
# the host is not still (other tests, daemons): the same size, give or take
a=$(wc -l <$T/fresh) b=$(wc -l <$T/second)
[ "$b" -ge $((a - 3)) ] && [ "$b" -le $((a + 3)) ] ||
	fail "a fresh load listed $a namespaces, a pinned run $b"

# why: the refs object pins too, and the count still adds up
"$NSLIFE" why --json "net:[$ino]" >$T/why1 2>$T/err || fail "why exited $?: $(cat $T/err)"
ls -d "$PD"/refs-* >/dev/null 2>&1 || fail "why pinned no refs object"
NSLIFE_BPF_DEBUG=1 "$NSLIFE" why --json "net:[$ino]" >$T/why2 2>$T/err || fail "why exited $?"
grep -q "loading object" $T/err && fail "the second why loaded an object again"
jq -e --argjson p "$HP" '.refs.exact and .refs.count == .refs.explained and
	([.holders[] | select(.kind == "file" and .pid == $p)] | length == 1)' $T/why2 >/dev/null ||
	fail "why through the pins: $(jq -c '{refs, holders: [.holders[] | {kind, pid}]}' $T/why2)"

# concurrent runs share the pinned .bss: each answer is whole.  Whole
# means every namespace a lone run lists both before and after them (a
# count could be fooled by namespaces other tests leave dying meanwhile)
runs=()
for r in 1 2 3 4; do
	( for i in $(seq 8); do "$NSLIFE" ls -n -o NS,FDS >$T/c.$r.$i 2>&1; done ) &
	runs+=($!)
done
wait "${runs[@]}"	# not the coproc
"$NSLIFE" ls -n -o NS >$T/after 2>&1 || fail "ls exited $?"
comm -12 <(awk '{print $1}' $T/second | sort) <(awk '{print $1}' $T/after | sort) >$T/stable
[ "$(wc -l <$T/stable)" -ge 5 ] || fail "setup: only $(wc -l <$T/stable) namespaces lived through the runs"
for f in $T/c.*; do
	v=$(fds_of $f)
	# the others may hold an nsfs fd on it while they read: more, never fewer
	[ "${v:-0}" -ge 1 ] || fail "a concurrent run lost the fd holder ($f): ${v:-no line}"
	miss=$(comm -23 $T/stable <(awk '{print $1}' $f | sort) | tr '\n' ' ')
	[ -z "$miss" ] || fail "a concurrent run ($f, $(wc -l <$f) lines) missed $miss (lone runs: $(wc -l <$T/second), $(wc -l <$T/after))"
done

# the lock is real: while another holds the iterator area, ls waits for it
is_comm_child() { pgrep -P "$1" >/dev/null; }
waiting() {	# a thread of pid $1 sleeps in flock()
	grep -qx locks_lock_inode_wait /proc/$1/task/*/wchan 2>/dev/null
}
flock "$dir/lock0" sleep 600 >/dev/null 2>&1 &
LP=$!
KILL+=($LP)
# flock(1) holds it once its child runs
wait_for 10 is_comm_child $LP || fail "flock did not take the lock"
CP=$(pgrep -P $LP)
KILL+=($CP)
"$NSLIFE" ls -n -o NS,FDS >$T/locked 2>&1 &
NP=$!
KILL+=($NP)
wait_for 20 waiting $NP || fail "ls did not wait for the lock ($(cat /proc/$NP/task/*/wchan 2>/dev/null | sort -u | tr '\n' ' '))"
kill -0 $NP 2>/dev/null || fail "ls finished while another held the lock"
kill $CP
wait $NP || fail "ls exited $? after the lock was released"
[ "$(fds_of $T/locked)" -ge 1 ] 2>/dev/null || fail "after the wait: $(grep "$ino" $T/locked)"

# a pin removed by hand: the next run loads and puts a whole set back
rm "$dir/files"
"$NSLIFE" ls -n -o NS,FDS >$T/third 2>$T/err || fail "ls exited $?: $(cat $T/err)"
[ "$(fds_of $T/third)" = 1 ] || fail "after a damaged pin: $(grep "$ino" $T/third)"
[ -e "$dir/files" ] || fail "the damaged pin directory was not replaced"
NSLIFE_BPF_DEBUG=1 "$NSLIFE" ls -n -o NS >/dev/null 2>$T/err
grep -q "loading object" $T/err && fail "the replaced pins are not reused"

# another build's pins (another checksum) are removed by a fresh pin once
# unused for an hour; not before (two builds run in turn keep theirs)
mkdir "$PD/inspect-00000000" "$PD/inspect-00000001" || fail "mkdir in bpffs"
touch -d "2 hours ago" "$PD/inspect-00000000" || fail "touch in bpffs"
rm -rf "$dir"
"$NSLIFE" ls -n -o NS >/dev/null 2>$T/err || fail "ls exited $?: $(cat $T/err)"
[ -e "$PD/inspect-00000000" ] && fail "a stale pin directory was left"
[ -e "$PD/inspect-00000001" ] || fail "a pin directory in use by another build was removed"
rmdir "$PD/inspect-00000001"
[ -d "$dir" ] || fail "no new pins"

kill -9 $HP; wait $HP 2>/dev/null
echo ok
