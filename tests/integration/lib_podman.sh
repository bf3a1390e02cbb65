# Sourced by the container tests, after lib_why.sh or lib_daemon.sh: real podman (Debian's
# 4.3) with an image made here (no registry is reachable): busybox-static
# as /bin/sh and sleep, imported once and kept as localhost/nslife-bb.
# This host is cgroup v1 hybrid: crun refuses it, runc works; the ulimits
# must be explicit.  Every container a test makes is removed on exit.
PODMAN_IMAGE=localhost/nslife-bb:latest
PODMAN_CTRS=()

need_podman() {
	command -v podman >/dev/null && command -v runc >/dev/null && [ -x /bin/busybox ] && return 0
	[ "${CI:-}" = true ] && { echo "podman, runc or busybox-static missing under CI=true (tools/deps.sh)"; exit 1; }
	echo "skipped: needs podman, runc and busybox-static (tools/deps.sh)"; exit 77
}

podman_image() {
	podman image exists "$PODMAN_IMAGE" && return 0
	local root=$T/bbroot
	mkdir -p "$root/bin" || return 1
	cp /bin/busybox "$root/bin/" || return 1
	for c in sh sleep cat; do ln -s busybox "$root/bin/$c"; done
	tar -C "$root" -cf "$T/bb.tar" . && podman import -q "$T/bb.tar" "$PODMAN_IMAGE" >/dev/null
}

# podman_run NAME ARGS...: a detached container; its pid in PODMAN_PID
# (not printed: a $(...) subshell would lose PODMAN_CTRS, and the cleanup)
podman_run() {
	local name=$1
	shift
	PODMAN_CTRS+=("$name")
	podman run -d --name "$name" --runtime runc \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		"$PODMAN_IMAGE" "$@" >/dev/null || return 1
	PODMAN_PID=$(podman inspect -f '{{.State.Pid}}' "$name")
}

cleanup_podman() {
	local c
	for c in "${PODMAN_CTRS[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1; done
	if declare -F cleanup_why >/dev/null; then cleanup_why; else cleanup_daemon; fi
}
trap cleanup_podman EXIT
