#!/bin/bash
# nsfs bind mounts and their umounts, through mount(2) (util-linux 2.38
# `mount --bind`), the new mount API (open_tree + move_mount) and
# `ip netns add`/`del`; and a procfs mount, which pins its pid namespace.
. "$(dirname "$0")/lib_trace.sh"
need_root
NS=nsl-tm-$$
cleanup() {
	umount "$TMP/b1" "$TMP/b2" "$TMP/proc" 2>/dev/null
	ip netns del $NS 2>/dev/null
	[ -n "${HOLD:-}" ] && kill $HOLD 2>/dev/null
	cleanup_trace
}
trap cleanup EXIT
trace_start
unshare -n sleep 60 & HOLD=$!
wait_exec $HOLD sleep
touch "$TMP/b1" "$TMP/b2"; mkdir "$TMP/proc"
mount --bind /proc/$HOLD/ns/net "$TMP/b1"
"$HELPERS/nsbind" /proc/$HOLD/ns/net "$TMP/b2"
umount "$TMP/b1"
umount -l "$TMP/b2"
ip netns add $NS
ip netns del $NS
unshare -p -f sh -c "mount -t proc proc $TMP/proc"
umount "$TMP/proc"
kill $HOLD; HOLD=
# every event is in once the held netns (last holder gone) and the
# procfs mount's umount are printed
done_() {
	ev -e --arg b "$TMP/b1" --arg p "$TMP/proc" --arg n "/run/netns/$NS" '. as $all
		| ([$all[] | select(.event=="mount" and .path==$b) | .id][0]) as $id
		| ([$all[] | select(.event=="mount" and .path==$n) | .id][0]) as $ip
		| any($all[]; .event=="free" and .id==$id) and any($all[]; .event=="umount" and .path==$p)
		and any($all[]; .event=="free" and .id==$ip)' >/dev/null 2>&1
}
wait_for 10 done_
trace_stop

netid=$(ev -r --arg p "$TMP/b1" '.[] | select(.event=="mount" and .path==$p) | .id')
[ -n "$netid" ] || fail "no mount event for mount(2) --bind"
[ "$(ev -r --arg p "$TMP/b1" '.[] | select(.event=="mount" and .path==$p) | [.type,.how] | join(" ")')" = "net mount" ] ||
	fail "mount(2) event has the wrong type or how"
[ "$(ev -r --arg p "$TMP/b2" '.[] | select(.event=="mount" and .path==$p) | [.type,.how,(.id|tostring)] | join(" ")')" = "net move_mount $netid" ] ||
	fail "no move_mount event for the same netns (id $netid)"
[ "$(ev -r --arg p "$TMP/b1" '.[] | select(.event=="umount" and .path==$p) | .flags')" = 0 ] ||
	fail "no umount event for $TMP/b1"
[ "$(ev -r --arg p "$TMP/b2" '.[] | select(.event=="umount" and .path==$p) | .flags')" = 2 ] ||
	fail "no umount event with MNT_DETACH for $TMP/b2"
# the mount events name the mount namespace they happened in
[ "$(ev -r --arg p "$TMP/b1" '.[] | select(.event=="mount" and .path==$p) | .mntns.type')" = mnt ] ||
	fail "mount event lacks its mount namespace"
# ip netns add: the netns is created, bound under /run/netns, then freed on del
ipid=$(ev -r --arg p /run/netns/$NS '.[] | select(.event=="mount" and .path==$p) | .id')
[ -n "$ipid" ] || fail "no mount event for ip netns add"
ev -e --argjson id $ipid 'any(.[]; .event=="create" and .id==$id and .type=="net")' >/dev/null ||
	fail "no create for the ip netns namespace"
ev -e --argjson id $ipid 'any(.[]; .event=="free" and .id==$id)' >/dev/null ||
	fail "ip netns del did not free the namespace"
ev -e --arg p /run/netns/$NS 'any(.[]; .event=="umount" and .path==$p)' >/dev/null ||
	fail "no umount event for ip netns del"
# the held netns dies once the holder and both binds are gone
ev -e --argjson id $netid 'any(.[]; .event=="free" and .id==$id)' >/dev/null ||
	fail "the bound netns was never freed"
# procfs: its pid namespace is named
pidns=$(ev -r --arg p "$TMP/proc" '.[] | select(.event=="proc_mount" and .path==$p) | .type')
[ "$pidns" = pid ] || fail "no proc_mount event naming a pid namespace"
echo "mount(2), move_mount, umount, ip netns and proc mounts seen"
