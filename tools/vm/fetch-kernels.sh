#!/bin/bash
# Fetch Debian's cloud kernels for the VM matrix with apt-get download,
# unpack them with dpkg -x into a cache outside the repo, and print one line
# per kernel: "<label> <kernel version> <path to vmlinuz>".
#
#   tools/vm/fetch-kernels.sh [LABEL...]      labels: 6.1 6.12 6.18 7.2 (default: 6.1 6.12)
#
# 6.1 and 6.12 are Debian 12's (its own apt sources).  6.18 comes from
# Debian 13's trixie-backports, through a private apt state under the
# cache, so the host's sources stay as they are: it is the ns-tree kernel
# where fentry attaches (this fleet's 6.18 refuses fentry).  7.2 comes from
# Debian unstable the same way: listns(), active references and mount
# namespaces made by open_tree/fsmount (7.0+).
#
# Env: NSLIFE_VM_CACHE (default /var/cache/nslife-vm)
#      NSLIFE_VM_KPKG_6_1, NSLIFE_VM_KPKG_6_12: force a package name
# The newest package matching the pattern wins, so a Debian version bump
# does not break this; a cached kernel is reused without asking apt.
# Set NSLIFE_VM_REFRESH=1 to look for a newer package even when one is cached.
set -eu
CACHE=${NSLIFE_VM_CACHE:-/var/cache/nslife-vm}
die() { echo "fetch-kernels: $*" >&2; exit 1; }

# label -> package-name regexes, best first (unsigned, then signed)
patterns() {
	case $1 in
	6.1)  echo '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$ ^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' ;;
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$ ^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64$' ;;
	6.18) echo '^linux-image-6\.18\.[0-9]+\+deb13-cloud-amd64-unsigned$ ^linux-image-6\.18\.[0-9]+\+deb13-cloud-amd64$' ;;
	7.2)  echo '^linux-image-7\.2\.[0-9]+\+deb14-cloud-amd64-unsigned$ ^linux-image-7\.2\.[0-9]+\+deb14-cloud-amd64$' ;;
	*) die "unknown kernel label '$1' (known: 6.1 6.12 6.18 7.2)" ;;
	esac
}

# apt options for a label: the host's sources, or a private apt state
# (trixie-backports for 6.18, unstable for 7.2)
APT=()
apt_for() {
	local suite
	APT=()
	case $1 in
	6.18) suite=trixie-backports ;;
	7.2) suite=unstable ;;
	*) return 0 ;;
	esac
	local d=$CACHE/apt-$suite
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" || die "cannot create $d"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" > "$d/sources.list"
	# Check-Valid-Until: a mirror that is a snapshot (this fleet's) serves
	# unstable's Release past its Valid-Until, and apt then refuses the
	# update; the signatures are still checked, and the packages are named
	# by version below
	APT=(-o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null
	     -o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache"
	     -o Acquire::Check-Valid-Until=false)
}

apt_updated=
apt_update() {
	case " $apt_updated " in *" ${APT[*]:-host} "*) return 0 ;; esac
	[ "$(id -u)" = 0 ] || die "need root for apt-get update"
	echo "fetch-kernels: apt-get update" >&2
	apt-get ${APT[@]+"${APT[@]}"} update -qq >&2 || die "apt-get update failed"
	apt_updated="$apt_updated ${APT[*]:-host}"
}

# newest package name (by version sort) among those apt knows for a label
candidates() {
	local label=$1 re forced
	forced=$(eval echo "\${NSLIFE_VM_KPKG_${label//./_}:-}")
	if [ -n "$forced" ]; then echo "$forced"; return; fi
	for re in $(patterns "$label"); do
		apt-cache ${APT[@]+"${APT[@]}"} pkgnames linux-image-${label%%.*} 2>/dev/null | grep -E "$re" | sort -rV
	done
}

# cached kernel for a label: the newest dir in $CACHE/<label>/ with a vmlinuz
cached() {
	local d
	for d in $(ls -d "$CACHE/$1"/*/ 2>/dev/null | sort -rV); do
		[ -f "$d/vmlinuz" ] && { echo "${d%/}"; return 0; }
	done
	return 1
}

depmod_cached() {	# a cache dir from before depmod was run on it
	local t; t=$(mktemp -d)
	mkdir -p "$t/lib/modules"
	ln -s "$1/modules" "$t/lib/modules/$(cat "$1/kver")"
	depmod -b "$t" "$(cat "$1/kver")" || die "depmod in $1 failed"
	rm -rf "$t"
}

fetch() {	# label -> prints "<label> <kver> <vmlinuz>"
	local label=$1 dir pkg tmp deb kver x vmlinuz
	apt_for "$label"
	if [ "${NSLIFE_VM_REFRESH:-0}" != 1 ] && dir=$(cached "$label"); then
		[ -f "$dir/modules/modules.dep" ] || depmod_cached "$dir"
		echo "$label $(cat "$dir/kver") $dir/vmlinuz"
		return
	fi
	[ -n "$(candidates "$label")" ] || apt_update
	[ -n "$(candidates "$label")" ] || die "apt knows no package for kernel $label (patterns: $(patterns "$label"))"
	mkdir -p "$CACHE/$label" || die "cannot create $CACHE/$label"
	tmp=$(mktemp -d "$CACHE/.dl.XXXXXX")
	for pkg in $(candidates "$label"); do
		if [ -d "$CACHE/$label/$pkg" ] && [ -f "$CACHE/$label/$pkg/vmlinuz" ]; then
			dir=$CACHE/$label/$pkg; break
		fi
		echo "fetch-kernels: apt-get download $pkg" >&2
		if ! (cd "$tmp" && apt-get ${APT[@]+"${APT[@]}"} download -q "$pkg" >&2 2>"$tmp/err"); then
			# index may be stale: update once and retry, then try the next one
			apt_update
			(cd "$tmp" && apt-get ${APT[@]+"${APT[@]}"} download -q "$pkg" >&2 2>"$tmp/err") || {
				echo "fetch-kernels: cannot download $pkg: $(tail -n 1 "$tmp/err")" >&2
				continue; }
		fi
		# Debian 14 splits the image: linux-image-V depends on
		# linux-binary-V (vmlinuz) and linux-modules-V (the modules)
		for x in binary modules; do
			x=linux-$x-${pkg#linux-image-}
			x=${x%-unsigned}
			apt-cache ${APT[@]+"${APT[@]}"} show "$x" >/dev/null 2>&1 || continue
			echo "fetch-kernels: apt-get download $x" >&2
			(cd "$tmp" && apt-get ${APT[@]+"${APT[@]}"} download -q "$x" >&2 2>"$tmp/err") ||
				die "cannot download $x: $(tail -n 1 "$tmp/err")"
		done
		rm -rf "$tmp/x"
		for deb in "$tmp"/*.deb; do
			dpkg -x "$deb" "$tmp/x" || die "dpkg -x $deb failed"
		done
		# Debian 13 packages are merged-/usr: /usr/lib/modules
		if [ ! -d "$tmp/x/lib/modules" ] && [ -d "$tmp/x/usr/lib/modules" ]; then
			mkdir -p "$tmp/x/lib" && ln -s ../usr/lib/modules "$tmp/x/lib/modules"
		fi
		kver=$(ls "$tmp/x/lib/modules/" 2>/dev/null | head -n 1)
		# /boot/vmlinuz-V, or (Debian 14) /usr/lib/modules/V/vmlinuz
		vmlinuz=$tmp/x/boot/vmlinuz-$kver
		[ -f "$vmlinuz" ] || vmlinuz=$tmp/x/lib/modules/$kver/vmlinuz
		[ -n "$kver" ] && [ -f "$vmlinuz" ] || die "$pkg: no /boot/vmlinuz-* inside"
		dir=$CACHE/$label/$pkg
		rm -rf "$dir.new" && mkdir -p "$dir.new"
		mv "$vmlinuz" "$dir.new/vmlinuz"
		cp "$tmp/x/boot/config-$kver" "$dir.new/config" 2>/dev/null || true
		cp "$tmp/x/boot/System.map-$kver" "$dir.new/System.map" 2>/dev/null || true
		# keep the modules tree (an initramfs may add one, e.g. veth); the
		# package has no modules.dep: postinst runs depmod, so run it here
		depmod -b "$tmp/x" "$kver" || die "depmod for $kver failed"
		mv "$tmp/x/lib/modules/$kver" "$dir.new/modules"
		echo "$kver" > "$dir.new/kver"
		echo "$pkg" > "$dir.new/package"
		rm -rf "$dir" && mv "$dir.new" "$dir"
		break
	done
	rm -rf "$tmp"
	[ -n "${dir:-}" ] && [ -f "$dir/vmlinuz" ] || die "no kernel $label could be downloaded"
	echo "$label $(cat "$dir/kver") $dir/vmlinuz"
}

[ $# -gt 0 ] || set -- 6.1 6.12
for l in "$@"; do patterns "$l" >/dev/null || exit 1; done
for l in "$@"; do fetch "$l"; done
