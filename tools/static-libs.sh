#!/bin/sh
# Build static libsmartcols.a, libmount.a and libblkid.a, which Debian 12 does
# not ship (libblkid.a it does, but the three are built together), from the
# util-linux source of exactly the version installed here (libsmartcols-dev),
# fetched from Debian's archive with apt-get source, so `make static` can link
# a fully static nslife.  Prints the directory holding the three .a files.
#
#   tools/static-libs.sh        -> e.g. /var/cache/nslife-vm/static/util-linux-2.38.1-5+deb12u3
#
# Each library is one object whose only global symbols are its public API
# (see below), so util-linux's internal helpers cannot clash with nslife's.
#
# Cached in $NSLIFE_VM_CACHE/static/util-linux-<version>/ (default cache
# /var/cache/nslife-vm): a second run prints the directory at once.  A new
# Debian version, or a change to this script's commands, builds afresh.  Cold: one apt-get
# update of a temporary deb-src list (~10 MB), ~8 MB of source, ~3-4 min of
# compiling.  Needs gcc, make, patch and xz-utils (tools/deps.sh) and root.
#
# Only the libraries are built: every program off, no NLS, no SELinux, udev,
# systemd, cryptsetup or btrfs.  Debian's patches are applied, except the few
# that touch configure.ac or Makemodule.am (tests, lsfd and tty-setgid
# install rules; none concerns the libraries), as applying those would make
# the build want autotools.
set -eu
die() { echo "static-libs: $*" >&2; exit 1; }
CACHE=${NSLIFE_VM_CACHE:-/var/cache/nslife-vm}/static

ver=$(dpkg-query -W -f='${Version}' libsmartcols-dev 2>/dev/null) ||
	die "libsmartcols-dev is not installed (tools/deps.sh)"
mver=$(dpkg-query -W -f='${Version}' libmount-dev 2>/dev/null) ||
	die "libmount-dev is not installed (tools/deps.sh)"
[ "$ver" = "$mver" ] || die "libsmartcols-dev $ver and libmount-dev $mver differ"
upver=${ver#*:}; upver=${upver%-*}	# 2.38.1-5+deb12u3 -> 2.38.1
dir=$CACHE/util-linux-$ver
stamp=$(grep -v '^[[:space:]]*#' "$0" | md5sum | cut -c1-12)	# comments aside
cached() {
	[ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ] &&
		[ -s "$dir/libsmartcols.a" ] && [ -s "$dir/libmount.a" ] && [ -s "$dir/libblkid.a" ]
}
if cached; then echo "$dir"; exit 0; fi

mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || die "cannot write $CACHE (run as root)"
for t in cc make patch xz apt-get ld objcopy ar nm; do
	command -v $t >/dev/null || die "$t is missing: run tools/deps.sh"
done
# one build at a time; whoever waited finds it cached
exec 9>"$CACHE/.lock"
flock 9
if cached; then echo "$dir"; exit 0; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nslife-static.XXXXXX")
trap 'rm -rf "$tmp" "$dir.tmp"' EXIT
log=$CACHE/build-$ver.log
echo "static-libs: building util-linux $ver's libsmartcols, libmount, libblkid (~4 min on 2 CPUs, cached in $dir; log $log)" >&2
: > "$log"
t0=$(date +%s)
fail() { tail -n 25 "$log" >&2; die "$* (full log: $log)"; }
phase() { echo "static-libs: [$(( $(date +%s) - t0 )) s] $*" >> "$log"; }

# the source, from Debian's archive only: a private deb-src list so neither
# the host's sources nor its apt lists and caches are touched; apt checks
# the files against the signed Sources index
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache" "$tmp/apt/parts" "$tmp/src"
cat > "$tmp/apt/debian-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_src() {
	apt-get -q -o Dir::Etc::SourceList="$tmp/apt/debian-src.sources" \
		-o Dir::Etc::SourceParts="$tmp/apt/parts" \
		-o Dir::State::Lists="$tmp/apt/lists" -o Dir::Cache="$tmp/apt/cache" \
		-o APT::Sandbox::User=root "$@" >> "$log" 2>&1
}
phase "apt-get update (deb-src)"
apt_src update || fail "apt-get update of deb.debian.org's deb-src lists failed"
(cd "$tmp/src" && apt_src source --download-only "util-linux=$ver") ||
	fail "apt-get source util-linux=$ver failed (is $ver still in the archive?)"

phase "unpack, patch"
src=$tmp/src/util-linux-$upver
tar -C "$tmp/src" -xf "$tmp/src/util-linux_$upver.orig.tar.xz" || fail "cannot unpack the orig tarball"
[ -d "$src" ] || fail "the orig tarball has no util-linux-$upver/"
tar -C "$src" -xf "$tmp/src"/util-linux_"${ver#*:}".debian.tar.* || fail "cannot unpack the debian tarball"
if [ -f "$src/debian/patches/series" ]; then
	for p in $(sed -e 's/#.*//' "$src/debian/patches/series"); do
		if grep -qE '^\+\+\+ [^[:space:]]*(configure\.ac|\.am|\.m4)([[:space:]]|$)' "$src/debian/patches/$p"; then
			echo "static-libs: not applied (build system only): $p" >> "$log"
			continue
		fi
		echo "static-libs: applying $p" >> "$log"
		patch -d "$src" -p1 -s --no-backup-if-mismatch < "$src/debian/patches/$p" >> "$log" 2>&1 ||
			fail "Debian patch $p does not apply"
	done
fi

phase "configure"
(cd "$src" && ./configure --disable-shared --enable-static \
	--disable-all-programs --enable-libsmartcols --enable-libmount --enable-libblkid \
	--disable-libuuid --disable-libfdisk --disable-pylibmount --without-python \
	--without-selinux --without-udev --without-systemd --without-audit \
	--without-cryptsetup --without-btrfs --without-libz --without-libmagic \
	--without-ncursesw --without-ncurses --without-tinfo --without-readline \
	--without-cap-ng --without-user --without-utempter \
	--disable-nls --disable-asciidoc --disable-poman --disable-bash-completion \
	--disable-gtk-doc --disable-dependency-tracking --enable-silent-rules \
	CFLAGS="-O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2" \
	) >> "$log" 2>&1 || fail "configure failed"
phase "make"
make -C "$src" -j"$(nproc)" libsmartcols.la libmount.la libblkid.la >> "$log" 2>&1 ||
	fail "make failed"

phase "localize internal symbols"
# A .a exports what the .so hides: util-linux's internal helpers (lib/*.c,
# e.g. parse_size(), which nslife has too) are global in every library.  So
# each library becomes one object with only its public API global, the
# symbols of its version script (lib*.sym), as in Debian's .so.
rm -rf "$dir.tmp" "$dir"
mkdir -p "$dir.tmp"
for l in smartcols mount blkid; do
	[ -s "$src/.libs/lib$l.a" ] || fail "lib$l.a was not built"
	sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' \
		"$src/lib$l/src/lib$l.sym" > "$tmp/lib$l.syms"
	[ -s "$tmp/lib$l.syms" ] || fail "no symbols in lib$l/src/lib$l.sym"
	{ ld -r -o "$tmp/lib$l.o" --whole-archive "$src/.libs/lib$l.a" &&
	  objcopy --keep-global-symbols="$tmp/lib$l.syms" "$tmp/lib$l.o" &&
	  ar rcs "$dir.tmp/lib$l.a" "$tmp/lib$l.o"; } >> "$log" 2>&1 ||
		fail "cannot make lib$l.a's internal symbols local"
	echo "static-libs: lib$l.a: $(nm -g --defined-only "$tmp/lib$l.o" | wc -l) global symbols, $(wc -l < "$tmp/lib$l.syms") in lib$l.sym" >> "$log"
done
echo "$stamp" > "$dir.tmp/.stamp"
mv "$dir.tmp" "$dir"
echo "static-libs: done in $(( $(date +%s) - t0 )) s" >&2
echo "$dir"
