#!/bin/bash
# cred, a file's: a user ns held only by the credentials of an open file
# (file->f_cred) in a process outside it.  No task, nsfs fd or mount shows
# that user ns; nslife reads open files' credentials with a BPF iterator.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
"$HELPERS/nsl_fcred" > $T/fcred & H=$!; KILL+=($H)
read -r UINO FD < <(wait_line $T/fcred) || fail "nsl_fcred did not start"
why_json user:$UINO
# 6.19+: a file's creds are no active reference (inactive, never dead)
check '.ns.state == "alive" or .ns.state == "inactive"'
check --argjson p $H --argjson fd $FD \
	'[.holders[] | select(.kind == "cred" and .pid == $p and .fd == $fd)] | length == 1'
check '[.holders[] | select(.kind == "task" or (.kind == "cred" and .fd == null))] | length == 0'
check --argjson fd $FD '.holders[] | select(.kind == "cred") | .release | test("close fd \($fd) ")'
ID=$(jq .ns.id $T/out)
kill -9 $H; wait $H 2>/dev/null
# the last put queues free_user_ns on a workqueue
wait_dead "$ID" user:$UINO
check '.ns.state == "dead"'
echo ok
