#!/bin/bash
# A service's process, as systemd places one: systemd is not PID 1 here,
# so the test makes the same cgroup systemd would (system.slice/X.service
# in the name=systemd v1 hierarchy, or in cgroup2 where that is mounted)
# and moves a real process into it.  why names the unit and advises
# `systemctl restart X.service` beside kill; ls --unit finds it.
. "$(dirname "$0")/lib_why.sh" || exit 1
need_root
U=nslt-$$.service
if [ -d /sys/fs/cgroup/systemd ]; then
	CG=/sys/fs/cgroup/systemd/system.slice/$U
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	CG=/sys/fs/cgroup/system.slice/$U
else
	echo "skipped: neither a name=systemd nor a cgroup2 hierarchy mounted"; exit 77
fi
mkdir -p "$CG" || fail "mkdir $CG"
cleanup_unit() { cleanup_why; rmdir "$CG" 2>/dev/null; }
trap cleanup_unit EXIT
N=nsl-own-$$
ip netns add $N && NETNS+=($N) || fail "ip netns add"
# a service's helper that keeps the netns: in the unit's cgroup, then in it
sh -c "echo \$\$ > $CG/cgroup.procs && exec ip netns exec $N sleep 1000" & P=$!; KILL+=($P)
for _ in $(seq 50); do
	[ "$(readlink /proc/$P/ns/net)" != "$(readlink /proc/self/ns/net)" ] && grep -q "$U" /proc/$P/cgroup && break
	sleep 0.1
done
grep -q "system.slice/$U" /proc/$P/cgroup || fail "setup: $P is not in $U"

why_json -p $P -t net
check --arg u $U '.ns.owned_by == {"kind":"unit","runtime":null,"id":null,"name":null,"monitor":false,"pod":null,"unit":$u,"user_unit":false}'
check --arg u $U --argjson p $P '.holders | any(.kind == "task" and .pid == $p and .owner.unit == $u and .owner_release == "systemctl restart \($u)")'
# the /run/netns file: ip netns made it, no runtime's state claims it
check '.holders | any(.kind == "mount" and .owner == null and .owner_release == null)'
"$NSLIFE" ls -J --unit ${U%.service} -o NS,PID,UNIT >"$T/out" || fail "ls --unit"
check --arg u $U --arg p $P '.namespaces | length >= 1 and all(.unit == $u and (.pid | tostring) == $p)'
echo ok
