#!/bin/bash
# Build the guest's initramfs: busybox-static, a statically linked nslife
# (.output/static/nslife, `make static`) and the test helpers, the test
# scripts, and the host's own tools (bash, ip, unshare, nsenter, mount, jq,
# coreutils...) with every library ldd lists and the loader.
#
#   tools/vm/mkinitramfs.sh -o OUT.cpio [-m MODULES_DIR] [-c COMMAND] [-x FILE]...
#
#   -o OUT   the cpio archive to write (newc, uncompressed: fastest to unpack
#            under TCG)
#   -m DIR   a kernel's unpacked /lib/modules/<kver> (from fetch-kernels.sh);
#            the modules named in NSLIFE_VM_MODULES (default: veth tun and the sock_diag ones) and their
#            dependencies are added, decompressed, and insmod'ed at boot
#   -c CMD   the command the guest runs, with bash, from /nslife, a copy of the
#            repo's test layout (default: "tests/run.sh integration")
#   -x FILE  an extra host executable to add with its libraries (repeatable;
#            e.g. -x /usr/sbin/bpftool for a debug image)
#
# The image is two cpio archives back to back (the kernel unpacks both):
#  - a base layer of host tools and busybox, which takes ~30 s (ldd is slow),
#    cached in $NSLIFE_VM_CACHE keyed on the installed package versions;
#  - a top layer, rebuilt each time: /init, nslife, tests, helpers, modules.
# Must run from a built tree: .output/bin/* is added.  nslife goes in as
# /nslife/nslife from .output/static/nslife, statically linked, with no
# libraries; `make static` is run first to bring it up to date.
set -eu
die() { echo "mkinitramfs: $*" >&2; exit 1; }
usage="usage: $0 -o OUT [-m MODULES_DIR] [-c COMMAND] [-x FILE]..."

out='' moddir='' cmd="tests/run.sh integration" extra=()
while getopts o:m:c:x: opt; do
	case $opt in
	o) out=$OPTARG ;;
	m) moddir=$OPTARG ;;
	c) cmd=$OPTARG ;;
	x) extra+=("$(realpath "$OPTARG")") || die "-x $OPTARG: no such file" ;;
	*) die "$usage" ;;
	esac
done
[ -n "$out" ] || die "$usage"
out=$(realpath -m "$out")
[ -z "$moddir" ] || moddir=$(realpath "$moddir") || die "-m: no such directory"
cd "$(dirname "$0")/../.."

CACHE=${NSLIFE_VM_CACHE:-/var/cache/nslife-vm}
OUTPUT=${OUTPUT:-.output}
BUSYBOX=${NSLIFE_VM_BUSYBOX:-/bin/busybox}
# the static nslife, brought up to date with the tree (a no-op after make
# test-vm; the first time, tools/static-libs.sh takes a few minutes)
NSLIFE=$OUTPUT/static/nslife
command -v make >/dev/null || die "make is missing: run tools/deps.sh"
make -s OUTPUT="$OUTPUT" static >&2 || die "make static failed"
[ -x "$NSLIFE" ] || die "$NSLIFE is missing after make static"
ldd "$NSLIFE" 2>&1 | grep -q 'not a dynamic' || die "$NSLIFE is not statically linked"
[ -x "$BUSYBOX" ] && ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' ||
	die "$BUSYBOX is not a static busybox: apt-get install busybox-static"
command -v cpio >/dev/null || die "cpio is missing: apt-get install cpio"

# host packages whose every bin/sbin executable goes in, so a test using e.g.
# findmnt or pgrep gets the real tool, not busybox's subset
PKGS_BIN="bash dash coreutils util-linux mount iproute2 procps findutils grep
sed gawk mawk jq psmisc kmod libc-bin"

is_elf() { [ "$(head -c 4 "$1" | tail -c 3)" = ELF ]; }
# copy one host file to a path in the staging root; a symlink becomes a
# symlink to its resolved target, which is copied too (no duplicate copies)
put() {	# src [dst-in-root]
	local dst=$root${2:-$1} real
	[ -e "$dst" ] || [ -L "$dst" ] && return 0
	mkdir -p "$(dirname "$dst")"
	if [ -L "$1" ] && [ -z "${2:-}" ]; then
		real=$(readlink -f "$1")
		put "$real"
		[ -e "$dst" ] || ln -s "$real" "$dst"
	else
		cp -L "$1" "$dst"
	fi
}
# libraries (and loader) of ELF files, one ldd run for all of them
put_libs() {
	local lib
	for lib in $(ldd "$@" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u); do
		put "$lib"
	done
}
archive() {	# dir -> cpio on stdout
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0)
}

mkdir -p "$CACHE" "$OUTPUT/vm" || die "cannot create $CACHE or $OUTPUT/vm"
root=
trap 'rm -rf "${root:-}" "$out.tmp"' EXIT

# ---- base layer (cached) ----
key=$( { cat "$0"; dpkg-query -W $PKGS_BIN busybox-static libc6 2>/dev/null;
	 md5sum "$BUSYBOX"; } | md5sum | cut -c1-12)
base=$CACHE/initramfs-base-$key.cpio
if [ ! -s "$base" ]; then
	echo "mkinitramfs: building the base layer (host tools, ~30 s, cached as $base)" >&2
	root=$(mktemp -d "$OUTPUT/vm/base.XXXXXX")
	mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,tmp,run,root,mnt,var/tmp}
	# Debian 12 is merged-/usr: keep that layout so ldd's paths just work
	ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
	ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
	ln -s ../run "$root/var/run"
	elves=()
	for f in $(dpkg -L $PKGS_BIN 2>/dev/null | grep -E '^/(usr/)?s?bin/[^/]+$' | sort -u); do
		[ -f "$f" ] && [ -x "$f" ] || continue
		case $f in */ldconfig|*/iconvconfig|*/zdump) continue ;; esac
		put "$f"
		is_elf "$f" && elves+=("$f")
	done
	# the loader, and what glibc dlopens for user names (id, ls -l, ps)
	for lib in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 \
		   /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
		[ -e "$lib" ] && put "$lib" && elves+=("$lib")
	done
	put_libs "${elves[@]}"
	[ -e /usr/libexec/coreutils/libstdbuf.so ] && put /usr/libexec/coreutils/libstdbuf.so
	# awk is an alternatives symlink on the host: make it point inside
	rm -f "$root/usr/bin/awk"
	for a in gawk mawk; do
		[ -e "$root/usr/bin/$a" ] && { ln -s $a "$root/usr/bin/awk"; break; }
	done
	ln -sf dash "$root/usr/bin/sh"
	# busybox-static: /init's shell, and every applet the host did not give
	cp "$BUSYBOX" "$root/usr/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] ||
			ln -s busybox "$root/usr/bin/$a"
	done
	cat > "$root/etc/passwd" <<-'EOT'
	root:x:0:0:root:/root:/bin/bash
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOT
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$root/etc/nsswitch.conf"
	echo '127.0.0.1 localhost nslife-vm' > "$root/etc/hosts"
	ln -s /proc/self/mounts "$root/etc/mtab"
	archive "$root" > "$base.tmp.$$" && mv "$base.tmp.$$" "$base"
	rm -rf "$root"
fi

# ---- top layer: /init, nslife, tests, helpers, modules ----
root=$(mktemp -d "$OUTPUT/vm/top.XXXXXX")
# the same merged-/usr symlinks: a directory entry named lib here would make
# the kernel's unpacker replace the base's lib -> usr/lib symlink
mkdir -p "$root"/{etc,usr/bin,usr/sbin,usr/lib/modules,usr/lib64}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
R=/nslife	# the repo's layout, so tests/run.sh works unchanged
mkdir -p "$root$R/$OUTPUT/bin"
put "$NSLIFE" $R/nslife	# static: no libraries to add
cp -r tests "$root$R/"
mkdir -p "$root$R/tools/vm/selftest"	# run.sh -s
cp tools/vm/selftest/*.sh "$root$R/tools/vm/selftest/"
elves=()
for f in "$OUTPUT"/bin/*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	put "$f" "$R/$f"
	is_elf "$f" && elves+=("$f")
done
for f in ${extra[@]+"${extra[@]}"}; do
	[ -x "$f" ] || die "-x $f: not an executable"
	put "$f"
	elves+=("$f")
done
# a missing library would only show up as a confusing failure in the guest
if [ ${#elves[@]} -gt 0 ]; then
	if ldd "${elves[@]}" 2>/dev/null | grep -q 'not found'; then
		die "missing library: $(ldd "${elves[@]}" 2>/dev/null | grep -E '^[^[:space:]]|not found' | grep -B1 'not found' | head -n 2 | tr -d '\n\t')"
	fi
	put_libs "${elves[@]}"	# same files as in the base are harmless: later wins
fi

: > "$root/etc/nslife-vm-modules"
if [ -n "$moddir" ]; then
	[ -f "$moddir/modules.dep" ] || die "$moddir/modules.dep is missing (fetch-kernels.sh runs depmod)"
	declare -A mseen=()
	add_mod() {	# path relative to moddir; dependencies first
		local rel=$1 dep line name
		[ -n "${mseen[$rel]:-}" ] && return 0
		mseen[$rel]=1
		line=$(grep -m1 "^$rel:" "$moddir/modules.dep") || die "module $rel is not in modules.dep"
		for dep in ${line#*:}; do add_mod "$dep"; done
		name=${rel##*/}; name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
		# decompressed: busybox insmod uses init_module, not finit_module
		case $rel in
		*.xz) xz -dc "$moddir/$rel" ;;
		*.zst) zstd -qdc "$moddir/$rel" ;;
		*.gz) gzip -dc "$moddir/$rel" ;;
		*) cat "$moddir/$rel" ;;
		esac > "$root/lib/modules/$name"
		echo "$name" >> "$root/etc/nslife-vm-modules"
	}
	for m in ${NSLIFE_VM_MODULES-veth tun inet_diag tcp_diag udp_diag unix_diag}; do
		rel=$(grep -m1 -oE "^[^:]*/$m\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep") ||
			{ echo "mkinitramfs: no module $m in $moddir, skipped" >&2; continue; }
		add_mod "${rel%:}"
	done
fi

cp tools/vm/init "$root/init"
chmod 755 "$root/init"
printf '%s\n' "$cmd" > "$root/etc/nslife-vm-cmd"
printf 'CI=%s\nGUEST_TIMEOUT=%s\n' "'${CI:-}'" "'${NSLIFE_VM_GUEST_TIMEOUT:-}'" > "$root/etc/nslife-vm-env"
{ cat "$base"; archive "$root"; } > "$out.tmp"
mv "$out.tmp" "$out"
