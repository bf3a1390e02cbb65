#!/bin/bash
# make install puts the binary, the man page, the systemd unit and the docs
# under DESTDIR/PREFIX, the unit starts the installed binary, that binary
# runs (its version, and the BPF load of `features`), and make uninstall
# removes them all.  --version, -V and version print one line; without git the
# version is the Makefile's.
. "$(dirname "$0")/lib_trace.sh"
need_root
ROOT=$TMP/root
# a make of our own, not a job of the make that may run the tests
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$@"; }

mk install DESTDIR="$ROOT" PREFIX=/opt/nsl >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "make install failed"; }
for f in sbin/nslife share/man/man8/nslife.8 lib/systemd/system/nslife.service \
	 share/doc/nslife/README.md $(ls docs/*.md | sed 's#^#share/doc/nslife/#'); do
	[ -f "$ROOT/opt/nsl/$f" ] || fail "make install did not install $f: $(cd "$ROOT" && find . -type f)"
done
[ -x "$ROOT/opt/nsl/sbin/nslife" ] || fail "installed nslife is not executable"
[ "$(stat -c %a "$ROOT/opt/nsl/share/man/man8/nslife.8")" = 644 ] || fail "man page not mode 0644"
grep -qx 'ExecStart=/opt/nsl/sbin/nslife daemon' "$ROOT/opt/nsl/lib/systemd/system/nslife.service" ||
	fail "the unit does not start the installed binary: $(grep ExecStart= "$ROOT/opt/nsl/lib/systemd/system/nslife.service")"

v=$("$ROOT/opt/nsl/sbin/nslife" --version) || fail "installed nslife --version failed"
[ "$v" = "$(./nslife --version)" ] || fail "installed version '$v' is not ./nslife's"
[[ "$v" =~ ^nslife\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version line '$v'"
for a in -V version; do
	[ "$("$ROOT/opt/nsl/sbin/nslife" $a)" = "$v" ] || fail "nslife $a is not nslife --version"
done
# a build without git (a fresh Debian has none) takes the Makefile's VERSION
mkdir "$TMP/bin" && ln -s "$(command -v dirname)" "$TMP/bin/"
[ "$(PATH=$TMP/bin /bin/sh tools/version.sh 9.8.7)" = 9.8.7 ] || fail "tools/version.sh needs git"
"$ROOT/opt/nsl/sbin/nslife" features >"$TMP/feat" 2>&1 || { cat "$TMP/feat"; fail "installed nslife features failed"; }
grep -q '^strategy: ' "$TMP/feat" || fail "installed nslife features printed: $(cat "$TMP/feat")"
MANWIDTH=80 man -l "$ROOT/opt/nsl/share/man/man8/nslife.8" 2>&1 >/dev/null | grep . && fail "installed man page warns"

mk uninstall DESTDIR="$ROOT" PREFIX=/opt/nsl || fail "make uninstall failed"
left=$(find "$ROOT" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
exit 0
