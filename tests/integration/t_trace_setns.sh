#!/bin/bash
# setns joins (nsenter): a join into the target namespace, and a leave of
# the one the task was in, both naming the joining task.
. "$(dirname "$0")/lib_trace.sh"
need_root
trace_start
unshare -n -u sleep 30 & HOLD=$!
trap 'kill $HOLD 2>/dev/null; cleanup_trace' EXIT
wait_exec $HOLD sleep
netino=$(stat -L -c %i /proc/$HOLD/ns/net)
nsenter -t $HOLD -n -u sh -c 'echo $$ > '"$TMP/joiner"
kill $HOLD
j=$(cat "$TMP/joiner")
joined() {
	ev -e --argjson i $netino --argjson j $j '
		any(.[]; .event=="join" and .how=="setns" and .type=="net" and .inum==$i and .task==$j) and
		any(.[]; .event=="leave" and .how=="setns" and .type=="net" and .to.inum==$i and .task==$j) and
		any(.[]; .event=="join" and .how=="setns" and .type=="uts" and .task==$j)' >/dev/null 2>&1
}
wait_for 10 joined
trace_stop
ev -e --argjson i $netino --argjson j $j \
	'any(.[]; .event=="join" and .how=="setns" and .type=="net" and .inum==$i and .task==$j and .from.type=="net")' \
	>/dev/null || fail "no setns join into net:[$netino] by $j"
ev -e --argjson i $netino --argjson j $j \
	'any(.[]; .event=="leave" and .how=="setns" and .type=="net" and .to.inum==$i and .task==$j)' \
	>/dev/null || fail "no setns leave towards net:[$netino]"
ev -e --argjson j $j 'any(.[]; .event=="join" and .how=="setns" and .type=="uts" and .task==$j)' \
	>/dev/null || fail "no uts join"
echo "setns joins seen"
