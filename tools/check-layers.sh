#!/bin/bash
# The layering of user/ (see the Makefile): core < scan < log < tracer, ipc
# < cmd.  Fails, one line per fault, on
#  - an #include "x.h" of a folder above the includer's, or sideways
#    (tracer and ipc must not include each other);
#  - a cycle among modules (a module is x.c with x.h; x includes y when
#    x.c or x.h includes y.h);
#  - a header declaring a function that its own .c does not define: then a
#    module calls another through a header that is not the other's, which
#    is how a cycle hides from the include graph.
# Usage: tools/check-layers.sh [ROOT]   (ROOT: the tree holding user/)
root=${1:-$(dirname "$0")/..}
cd "$root/user" || exit 2
declare -A rank=([core]=0 [scan]=1 [log]=2 [tracer]=3 [ipc]=3 [cmd]=4)
declare -A home
bad=0 edges=()

say() {
	echo "check-layers: $*"
	bad=1
}

for h in */*.h; do
	home[${h#*/}]=${h%%/*}
done
for d in */; do
	d=${d%/}
	[ -n "${rank[$d]:-}" ] || say "user/$d: a folder outside the layers"
done

includes() {	# the quoted includes of a file
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"
}

for f in */*.[ch]; do
	dir=${f%%/*} base=${f#*/}
	mod=$dir/${base%.*}
	for inc in $(includes "$f"); do
		d=${home[$inc]:-}
		[ -n "$d" ] || continue		# bpf/, generated or system
		[ "$d/${inc%.h}" = "$mod" ] || edges+=("$mod $d/${inc%.h}")
		[ "$d" = "$dir" ] && continue
		if [ "${rank[$d]:-9}" -gt "${rank[$dir]:-0}" ]; then
			say "user/$f includes $d/$inc: upward ($dir is below $d)"
		elif [ "${rank[$d]:-9}" -eq "${rank[$dir]:-0}" ]; then
			say "user/$f includes $d/$inc: sideways ($dir and $d are one layer)"
		fi
	done
done

# cycles: tsort names the modules of each loop it meets
loop=$(printf '%s\n' "${edges[@]}" | tsort 2>&1 >/dev/null |
	sed -n 's/^tsort: \([a-z]*\/[a-z_0-9]*\)$/\1/p' | tr '\n' ' ')
[ -z "$loop" ] || say "include cycle among modules: $loop"

# every function a header declares is its module's
for h in */*.h; do
	c=${h%.h}.c
	[ -f "$c" ] || continue
	for fn in $(grep -E '^[A-Za-z_]' "$h" | grep -vE '^(static|typedef|extern "|#)' |
		    grep '(' | sed -E 's/\(.*//; s/.*[^A-Za-z0-9_]//'); do
		grep -qE "^[A-Za-z_].*[^A-Za-z0-9_]$fn\(" "$c" ||
			say "user/$h declares $fn(), which user/$c does not define"
	done
done

[ $bad -eq 0 ] && echo "check-layers: user/ is layered, no cycles"
exit $bad
