# Sourced by t_why_file_*.sh: a namespace held only by one open file of
# nsl_holdfile (see tests/helpers/nsl_holdfile.c).  holdfile_case KIND
# TYPE WHAT: the namespace is alive with no task, why names the file
# holder with our pid and fd (JSON "what" WHAT), its release hint, and
# (net, mnt: exact types) a reference count the holders explain in full;
# ls lists it with the holder in FDS; killing the holder makes it die (a
# net ns: its veth probe goes too, the kernel's own word).
. "$(dirname "$0")/lib_why.sh" || exit 1

holdfile_case() {
	local kind=$1 type=$2 what=$3 cp ino id fd line
	coproc HF { exec "$HELPERS/nsl_holdfile" "$kind"; }
	local hpid=$HF_PID
	KILL+=($hpid)
	read -r -t 10 cp ino id fd <&"${HF[0]}" || fail "nsl_holdfile $kind did not start"
	[ "$type" = net ] && probe_add "hf$$" /proc/$cp/ns/net
	echo go >&"${HF[1]}"
	read -r -t 10 line <&"${HF[0]}" && [ "$line" = released ] ||
		fail "nsl_holdfile $kind: the opener did not exit"
	why_balanced "$type:[$ino]"
	check '(.ns.state == "alive" or .ns.state == "inactive") and .ns.nprocs == 0'
	# another nslife scanning meanwhile may hold an nsfs fd on it for a moment
	check '[.holders[] | select(.kind == "task" or (.kind == "fd" and .comm != "nslife"))] | length == 0'
	check --argjson p "$hpid" --argjson fd "$fd" --arg w "$what" \
		'[.holders[] | select(.kind == "file" and .pid == $p and .fd == $fd and .what == $w)] | length == 1'
	if [ "$kind" = uring ]; then
		check --argjson fd "$fd" \
			'.holders[] | select(.kind == "file") | .io_uring.slot == 0 and (.release | test("slot 0 of io_uring fd \($fd) "))'
	else
		check --argjson fd "$fd" \
			'.holders[] | select(.kind == "file") | .io_uring == null and (.path | length > 0) and (.release | test("close fd \($fd) "))'
	fi
	if [ "$type" = net ] || [ "$type" = mnt ]; then
		check '.refs.exact and .refs.count >= 1 and .refs.unexplained == 0 and .refs.count == .refs.explained'
	fi
	"$NSLIFE" ls -J -o NS,TYPE,FDS >"$T/ls" 2>"$T/err" || fail "nslife ls exited $?"
	# ls -J is lsns-compatible: "ns" is the inum, "type" beside it
	jq -e --argjson i "$ino" --arg t "$type" '[.. | objects | select(.ns == $i and .type == $t and .fds >= 1)] | length == 1' \
		"$T/ls" >/dev/null || fail "ls does not list $type:[$ino] with an fd holder"
	[ "$id" = 0 ] && id=$(jq .ns.id "$T/out")
	kill -9 "$hpid"; wait "$hpid" 2>/dev/null
	wait_dead "$id" "$type:[$ino]" || fail "$type:[$ino] still alive after its holder died"
	if [ "$type" = net ]; then
		wait_gone "hf$$" || fail "the veth probe in $type:[$ino] is still there"
	fi
	echo ok
}
