#!/bin/bash
# trace --container NAME: the container's own creates (runc, inside its
# cgroup) and nothing of another container's nor the host's.
. "$(dirname "$0")/lib_why.sh" || exit 1
. "$(dirname "$0")/lib_podman.sh" || exit 1
need_root
need_podman
podman_image || fail "podman import of a busybox root"
C=nslt-$$
"$NSLIFE" trace -J --container $C >"$T/trace" 2>"$T/trace.err" & TP=$!; KILL+=($TP)
for _ in $(seq 100); do grep -q "nslife: tracing" "$T/trace.err" && break; sleep 0.1; done
grep -q "nslife: tracing" "$T/trace.err" || fail "trace did not start: $(cat "$T/trace.err")"
podman_run $C sleep 1000 || fail "podman run"
P=$PODMAN_PID
podman_run $C-other sleep 1000 || fail "podman run (other)"
P2=$PODMAN_PID
unshare --uts true
# its creates are in: mnt, uts, ipc, pid (the net ns is the podman CLI's)
for _ in $(seq 50); do
	[ "$(jq -s '[.[] | select(.event == "create")] | length' "$T/trace")" -ge 4 ] && break
	sleep 0.1
done
kill -INT $TP; wait $TP
jq -s -e --arg m "$(readlink /proc/$P/ns/mnt)" --arg u "$(readlink /proc/$P/ns/uts)" \
	'[.[] | select(.event == "create") | "\(.type):[\(.inum)]"] as $c |
	 ($c | index($m)) != null and ($c | index($u)) != null' "$T/trace" >/dev/null ||
	{ head -c 3000 "$T/trace"; fail "the container's mnt and uts creates are missing"; }
jq -s -e --arg u "$(readlink /proc/$P2/ns/uts)" \
	'all(.[]; "\(.type):[\(.inum)]" != $u) and all(.[]; .comm != "unshare")' "$T/trace" >/dev/null ||
	fail "events of another container or of the host passed the filter"
echo ok
