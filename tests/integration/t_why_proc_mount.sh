#!/bin/bash
# A pid ns with zero processes, pinned by a procfs mount: a proc_mount
# holder.  Nothing in procfs names that pid ns (no pid 1); nslife reads it
# from the mount's superblock with BPF (and on 6.18 could also open it by
# nsfs file handle and attribute the mount by elimination).
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
R=$T/proc
mkdir -p "$R"
UMOUNT+=("$R")
unshare -p -f sh -c "readlink /proc/self/ns/pid >$T/pidns; mount -t proc proc $R" || fail "setup"
INUM=$(sed 's/[^0-9]//g' "$T/pidns")
[ "$(ls "$R" | grep -c '^[0-9]*$')" = 0 ] || fail "setup: pids visible"
why_json "pid:[$INUM]"
# 6.19+: a procfs mount is no active reference (inactive, never dead)
check --argjson i "$INUM" '.ns.type == "pid" and .ns.inum == $i and (.ns.state == "alive" or .ns.state == "inactive")'
check '.holders | any(.kind == "proc_mount" and .path == "'"$R"'" and .attributed == "direct")'
ID=$(jq .ns.id "$T/out")
umount "$R"
# pid ns teardown runs on a workqueue; before 6.18 only the inum names it
wait_dead "$ID" "pid:[$INUM]"
check '.ns.state == "dead"'
echo ok
