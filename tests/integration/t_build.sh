#!/bin/bash
# Header dependencies (-MMD -MP): a changed header rebuilds exactly the
# objects that include it, directly or through other headers, as the
# compiler itself reports them (cc -MM), not every object.  Asked with
# `make -n -W HEADER` (what if HEADER changed), so nothing is touched.
. "$(dirname "$0")/lib_trace.sh"
cd "$(dirname "$0")/../.."
OUT=${OUTPUT:-.output}
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }
[ -f "$OUT/nslife.skel.h" ] || fail "build first (make): no $OUT/nslife.skel.h"
inc=(-I"$OUT" -Ibpf)
for d in user/*/; do inc+=(-I"${d%/}"); done

all=$(ls user/*/*.c | wc -l)
for h in user/core/timespec.h user/scan/scan.h bpf/nslife.h; do
	want=$(for c in user/*/*.c; do
		cc -MM -D_GNU_SOURCE "${inc[@]}" "$c" | tr ' \\' '\n\n' | grep -qx "$h" && echo "$c"
	done | sort)
	# main.c includes the generated version.h, which -n assumes rewritten
	got=$(mk -n -W "$h" nslife | grep -o ' -c user/[^ ]*' | sed 's/^ -c //' |
		grep -vx user/cmd/main.c | sort)
	want=$(grep -vx user/cmd/main.c <<<"$want")
	[ -n "$want" ] || fail "no source includes $h: the test is wrong"
	[ "$got" = "$want" ] || fail "a change to $h rebuilds:
$got
but the sources that include it are:
$want"
	echo "$h: $(wc -l <<<"$got") of $all objects"
done
# and the BPF objects follow their headers too
bpf=$(mk -n -W bpf/core_fixes.bpf.h nslife | grep -c -- '-target bpf')
[ "$bpf" -ge 1 ] || fail "a change to bpf/core_fixes.bpf.h rebuilds no BPF object"
exit 0
