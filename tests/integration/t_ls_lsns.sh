#!/bin/bash
# nslife ls against lsns: every namespace lsns lists is there with the
# same NPROCS, and a process-less netns (which lsns 2.38 misses) is there
# too.  Processes come and go between the two runs, so a few tries.  ls's
# MOUNTS (counted, not a holder each) agrees with why's mount holders.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
command -v lsns >/dev/null || { echo "skipped: no lsns"; exit 77; }
N=nsl-tls-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
INUM=$(stat -L -c %i /run/netns/$N)

same() {
	lsns -J -l -o NS,TYPE,NPROCS >"$T/lsns" || fail "lsns"
	"$NSLIFE" ls -J -o INUM,TYPE,NPROCS >"$T/out" || fail "nslife ls"
	jq -e --slurpfile l "$T/lsns" '
		[.namespaces[] | {key: "\(.type):\(.inum)", value: .nprocs}] | from_entries as $m
		| [$l[0].namespaces[] | select($m["\(.type):\(.ns)"] != .nprocs)] | length == 0' \
		"$T/out" >/dev/null
}
ok=0
wait_for 5 same && ok=1
if [ $ok = 0 ]; then
	jq -c --slurpfile n "$T/out" '
		[$n[0].namespaces[] | {key: "\(.type):\(.inum)", value: .nprocs}] | from_entries as $m
		| .namespaces[] | select($m["\(.type):\(.ns)"] != .nprocs)
		| {lsns: ., nslife: $m["\(.type):\(.ns)"]}' "$T/lsns" | head
	fail "lsns and nslife ls disagree"
fi
# strictly more: the process-less netns
check --argjson i "$INUM" '.namespaces | any(.inum == $i and .type == "net" and .nprocs == 0)'
jq -e --argjson i "$INUM" '.namespaces | any(.ns == $i)' "$T/lsns" >/dev/null &&
	echo "note: this lsns lists process-less namespaces"
# MOUNTS: ls counts a namespace's nsfs mounts beyond the first without
# making a holder of each; the count must be why's number of mount holders,
# here two mounts, each in our mount ns and in a private copy of it
touch $T/b1 && mount --bind /run/netns/$N $T/b1 && UMOUNT+=($T/b1) || fail "bind"
unshare -m --propagation private sleep infinity & KILL+=($!)
wait_exec $! sleep
why_json net:$INUM
W=$(jq '[.holders[] | select(.kind == "mount")] | length' "$T/out")
[ "$W" -ge 4 ] || fail "why: $W mount holders, expected at least 4"
"$NSLIFE" ls -J -t net -o INUM,MOUNTS >"$T/out" || fail "ls -o MOUNTS"
check --argjson i "$INUM" --argjson w "$W" '.namespaces | any(.inum == $i and .mounts == $w)'
# options: -t, --leaked, -r -n, -T
"$NSLIFE" ls -J -t net -o TYPE >"$T/out" || fail "ls -t"
check '.namespaces | all(.type == "net")'
"$NSLIFE" ls -J --leaked -o INUM,MOUNTS >"$T/out" || fail "ls --leaked"
check --argjson i "$INUM" '.namespaces | any(.inum == $i and .mounts >= 1)'
"$NSLIFE" ls -r -n -t net -o NS,NPROCS >"$T/out" || fail "ls -r -n"
grep -q "^net:\[$INUM\] 0$" "$T/out" || fail "raw row"
"$NSLIFE" ls -J -T -o NS >"$T/out" || fail "ls -T"
check '[.namespaces[] | select(.children)] | length >= 1'
"$NSLIFE" ls -o NOPE >/dev/null 2>&1 && fail "an unknown column was accepted"
# lsns -J's keys and JSON types for the default columns: "ns" a number,
# "type" a string, so lsns users' jq filters work on nslife's output
"$NSLIFE" ls -J >"$T/out" || fail "ls -J"
check --argjson i "$INUM" '[.namespaces[] | select(.type == "net")] | any(.ns == $i)'
check '.namespaces | all((.ns | type) == "number" and (.type | type) == "string" and
	(.nprocs | type) == "number" and ((.pid | type) == "number" or .pid == null) and
	(.command | type) == "string" or .command == null)'
lsns -J >"$T/lsns" || fail "lsns -J"
jq -e --slurpfile n "$T/out" '[.namespaces[0] | to_entries[] | select(.key == "ns" or .key == "type"
	or .key == "nprocs" or .key == "pid" or .key == "command") | {key, t: (.value | type)}] as $l
	| $n[0].namespaces[0] as $m | $l | all(. as $e | ($m[$e.key] | type) == $e.t)' "$T/lsns" >/dev/null ||
	fail "lsns -J and nslife ls -J differ in keys or JSON types"
"$NSLIFE" ls -r -n -t net -o NS >"$T/out" || fail "ls -o NS"
grep -q "^net:\[$INUM\]$" "$T/out" || fail "the text NS column is no longer type:[inum]"
echo ok
