# Sourced after lib_daemon.sh by the metrics tests: the daemon's metrics
# URL, one sample's value, lingering net namespaces held by bind mounts
# (removed on exit), free loopback ports and bounded polls.
need_tool() {	# command, Debian package
	command -v "$1" >/dev/null && return 0
	[ "${CI:-}" = true ] && fail "$1 missing under CI=true (tools/deps.sh installs $2)"
	echo "skipped: $1 missing (apt-get install $2)"; exit 77
}

# the URL the daemon printed (port 0 picks a free one)
metrics_url() {
	sed -n 's#^nslife: metrics on \(http://.*/metrics\)$#\1#p' "$T/daemon.err" | tail -n 1
}

# metric FILE SAMPLE: the value of SAMPLE (name{labels} as printed), or nothing
metric() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# a port nothing listens on now (the caller retries if it is taken meanwhile)
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$p" | grep -q . || { echo $p; return 0; }
	done
	fail "no free port found"
}

# wait_until SECONDS COMMAND...: poll every 0.1 s, bounded in wall time
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# N net namespaces whose only process exited, each held by a bind mount
# ($T/held.K, in HELD): lingering after --grace
HELD=()
make_lingering() {
	local i p pids=() me
	me=$(stat -L -c %i /proc/self/ns/net)
	for i in $(seq "$1"); do
		unshare -n sleep 60 & p=$!
		KILL+=($p)
		pids+=($p)
	done
	for p in "${pids[@]}"; do
		wait_until 5 eval '[ "$(stat -L -c %i /proc/'$p'/ns/net 2>/dev/null)" != "$me" ]' ||
			fail "unshare -n did not start"
		i=$T/held.${#HELD[@]}
		touch "$i"
		mount --bind /proc/$p/ns/net "$i" || fail "bind mount"
		UMOUNT+=("$i")
		HELD+=("$i")
	done
	kill "${pids[@]}"
	for p in "${pids[@]}"; do wait $p 2>/dev/null; done
}

# how many net namespaces the daemon's own ls calls lingering
ls_lingering_net() {
	"$NSLIFE" ls -J -t net -o NS,STATE 2>/dev/null |
		jq '[.namespaces[] | select(.state == "lingering")] | length'
}

# all of ours lingering in the daemon's ls
ours_lingering() {
	local h inum
	"$NSLIFE" ls -J -t net -o NS,STATE >"$T/ls.json" 2>/dev/null && [ -s "$T/ls.json" ] || return 1
	for h in "${HELD[@]}"; do
		inum=$(stat -L -c %i "$h") || return 1
		jq -e --arg ns "net:[$inum]" 'any(.namespaces[]; "\(.type):[\(.ns)]" == $ns and .state == "lingering")' \
			"$T/ls.json" >/dev/null || return 1
	done
}
