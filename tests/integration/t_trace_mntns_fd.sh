#!/bin/bash
# 7.0+: open_tree(OPEN_TREE_NAMESPACE) and fsmount(FSMOUNT_NAMESPACE) make
# a mount namespace with no clone, unshare or setns; only an nsfs fd holds
# it.  Both attach strategies must report its create (how open_tree or
# fsmount, or what the precise hook says), the fd, and its free once the
# fd is closed; ls must list it while it lives.
. "$(dirname "$0")/lib_trace.sh"
need_root
H=$HELPERS/nsl_mntns_fd
[ -x "$H" ] || fail "missing helper $H (make)"
HOWS=()
for how in open_tree fsmount; do
	"$H" $how </dev/null >/dev/null 2>&1
	case $? in
	0) HOWS+=($how) ;;
	3) echo "$how: this kernel ($(uname -r)) has no ${how^^}-namespace flag (7.0+)" ;;
	*) fail "$how: helper failed" ;;
	esac
done
[ ${#HOWS[@]} -gt 0 ] || { echo "skipped: no mount-namespace-making open_tree/fsmount here"; exit 77; }
trace_start
for how in "${HOWS[@]}"; do
	mkfifo "$TMP/in-$how"
	"$H" $how <"$TMP/in-$how" >"$TMP/out-$how" & P=$!
	exec 9>"$TMP/in-$how"
	for _ in $(seq 50); do [ -s "$TMP/out-$how" ] && break; sleep 0.1; done
	read -r ID INUM <"$TMP/out-$how" || fail "$how: helper printed nothing"
	"$NSLIFE" ls --json >"$TMP/ls.json" || fail "nslife ls failed"
	jq -e --argjson id "$ID" 'any(.namespaces[]; .id == $id and .type == "mnt")' \
		"$TMP/ls.json" >/dev/null || fail "$how: ls does not list mnt id $ID"
	exec 9>&-
	wait $P || fail "$how: helper exited $?"
	for _ in $(seq 30); do
		jq -se --argjson id "$ID" 'any(.[]; .event=="free" and .id==$id)' "$TMP/trace.json" \
			>/dev/null 2>&1 && break
		sleep 0.1
	done
	eval "ID_$how=$ID INUM_$how=$INUM"
done
trace_stop
for how in "${HOWS[@]}"; do
	eval "ID=\$ID_$how INUM=\$INUM_$how"
	ev -e --argjson id "$ID" --argjson i "$INUM" \
		'any(.[]; .event=="create" and .type=="mnt" and .id==$id and .inum==$i)' \
		>/dev/null || fail "$how: no create event for mnt:[$INUM] id $ID"
	n=$(ev --argjson id "$ID" '[.[] | select(.event=="free" and .id==$id)] | length')
	[ "$n" = 1 ] || fail "$how: mnt id $ID has $n free events, want 1"
	echo "$how: mnt:[$INUM] id $ID created ($(ev -r --argjson id "$ID" \
		'[.[] | select(.event=="create" and .id==$id)][0].how')) and freed"
done
