#!/bin/bash
# 7.x makes mount namespaces outside clone/unshare(CLONE_NEWNS):
# open_tree(OPEN_TREE_NAMESPACE), open_tree_attr() with that flag and
# fsmount(FSMOUNT_NAMESPACE), with no clone, unshare or setns, held by an
# nsfs fd only; and unshare(UNSHARE_EMPTY_MNTNS), whose argument has no
# CLONE_NEWNS.  Both attach strategies must report its create (how the
# syscall's name, or unshare), the fd, and its free once the holder is
# gone; ls must list it while it lives.  docs/kernel-support.md has the kernel's
# list of creation paths.
. "$(dirname "$0")/lib_trace.sh"
need_root
H=$HELPERS/nsl_mntns_fd
[ -x "$H" ] || fail "missing helper $H (make)"
HOWS=()
for how in open_tree open_tree_attr fsmount unshare_empty; do
	"$H" $how </dev/null >/dev/null 2>&1
	case $? in
	0) HOWS+=($how) ;;
	3) echo "$how: this kernel ($(uname -r)) cannot make a mount namespace that way (7.x)" ;;
	*) fail "$how: helper failed" ;;
	esac
done
[ ${#HOWS[@]} -gt 0 ] || { echo "skipped: this kernel makes no mount namespace any of these ways (7.x)"; exit 77; }
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
	got=$(ev -r --argjson id "$ID" '[.[] | select(.event=="create" and .id==$id)][0].how')
	want=$how
	[ "$how" = unshare_empty ] && want=unshare
	[ "$got" = "$want" ] || fail "$how: create says how $got, want $want"
	echo "$how: mnt:[$INUM] id $ID created ($got) and freed"
done
