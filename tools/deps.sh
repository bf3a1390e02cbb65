#!/bin/sh
# Install, with apt-get, whatever nslife's build and tests need and this
# Debian 12 host lacks.  Safe to run again: it installs only what is missing.
# --bench: also what the benchmarks in tools/ need (bpftrace, the peer of
# tools/bench-trace.sh; bc); the tests never use them.
set -e
PKGS="make gcc libc6-dev clang llvm bpftool pkg-config
libbpf-dev libelf-dev zlib1g-dev libcmocka-dev libsmartcols-dev libmount-dev
libmicrohttpd-dev libsystemd-dev
prometheus prometheus-node-exporter curl systemd
libjson-c-dev podman runc
iproute2 util-linux mount procps jq kmod libclang-rt-14-dev
qemu-system-x86 busybox-static cpio xz-utils patch man-db groff-base"
[ "${1:-}" = --bench ] && PKGS="$PKGS bpftrace bc"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "nslife: need root to install:$missing" >&2
	exit 1
fi
echo "nslife: installing:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
