#!/bin/bash
# A real podman container: why names it (pod-less) for the namespace and
# each holder, netns file included, and advises `podman rm -f NAME`; ls
# shows and filters by it, by name and by id prefix.
. "$(dirname "$0")/lib_why.sh" || exit 1
. "$(dirname "$0")/lib_podman.sh" || exit 1
need_root
need_podman
podman_image || fail "podman import of a busybox root"
C=nslt-$$
podman_run $C sleep 1000 || fail "podman run"
P=$PODMAN_PID
ID=$(podman inspect -f '{{.Id}}' $C)

why_json -p "$P" -t net
check --arg c $C '.ns.owned_by.kind == "container" and .ns.owned_by.runtime == "podman" and .ns.owned_by.name == $c'
check --arg id "$ID" '.ns.owned_by.id == $id and .ns.owned_by.pod == null'
check --arg c $C --argjson p "$P" \
	'.holders | any(.kind == "task" and .pid == $p and .owner.name == $c and .owner_release == "podman rm -f \($c)" and .release == "kill \($p)")'
# the netns file podman made: its state (the OCI config) says whose it is
check --arg c $C '.holders | any(.kind == "mount" and (.path | startswith("/run/netns/netns-")) and .owner.name == $c and .owner_release == "podman rm -f \($c)")'

"$NSLIFE" why -p "$P" -t net >"$T/out" 2>/dev/null || fail "why text"
grep -q "^owned by: podman container $C (${ID:0:12})" "$T/out" || fail "why text: no owner line"
grep -q "release: podman rm -f $C (kernel level: kill $P)" "$T/out" || fail "why text: no owner release"

# ls: every namespace of the container, by name and by id prefix
"$NSLIFE" ls -J --container $C -o NS,PID,CONTAINER,RUNTIME >"$T/out" || fail "ls --container"
check --arg c $C --arg p "$P" '.namespaces | length >= 4 and all(.container == $c and .runtime == "podman" and (.pid | tostring) == $p)'
check '.namespaces | any(.type == "net")'
"$NSLIFE" ls -J --container "${ID:0:8}" -o NS,CONTAINER >"$T/out" || fail "ls --container ID"
check --arg c $C '.namespaces | length >= 4 and all(.container == $c)'
"$NSLIFE" ls -J --container nslt-none-$$ >"$T/out" || fail "ls --container none"
check '.namespaces | length == 0'

# why --container: each of its namespaces
why_json --container $C
[ "$(jq -s 'length' "$T/out")" -ge 4 ] || fail "why --container: fewer than 4 namespaces"
jq -s -e --arg c $C 'all(.ns.owned_by.name == $c)' "$T/out" >/dev/null || fail "why --container: another owner"
echo ok
