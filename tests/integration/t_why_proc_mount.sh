#!/bin/bash
# A pid ns with zero processes, pinned by a procfs mount: a proc_mount
# holder.  Nothing in procfs names that pid ns (no pid 1), so nslife finds
# the ns through an nsfs file handle and the mount by elimination.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
# Before 6.18 (no nsfs file handles, no NS_GET_ID) nothing in user space
# names a pid ns that has no process left: there is nothing to check.
"$HELPERS/nshandle" get /proc/self/ns/pid >/dev/null 2>&1
case $? in
0) ;;
3) echo "skipped: no nsfs file handles on $(uname -r): a process-less pid ns cannot be looked up"; exit 77 ;;
*) fail "nshandle get failed" ;;
esac
R=$T/proc
mkdir -p "$R"
UMOUNT+=("$R")
unshare -p -f sh -c "readlink /proc/self/ns/pid >$T/pidns; mount -t proc proc $R" || fail "setup"
INUM=$(sed 's/[^0-9]//g' "$T/pidns")
[ "$(ls "$R" | grep -c '^[0-9]*$')" = 0 ] || fail "setup: pids visible"
why_json "pid:[$INUM]"
check --argjson i "$INUM" '.ns.type == "pid" and .ns.inum == $i and .ns.state == "alive"'
check '.holders | any(.kind == "proc_mount" and .path == "'"$R"'")'
ID=$(jq .ns.id "$T/out")
umount "$R"
sleep 0.3	# pid ns teardown runs on a workqueue
why_json "id:$ID"
check '.ns.state == "dead"'
echo ok
