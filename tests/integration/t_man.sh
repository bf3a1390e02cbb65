#!/bin/bash
# The man page renders without a warning, documents every command, and
# names, in each command's section, every option that command's --help
# lists: so the two cannot drift apart.
. "$(dirname "$0")/lib_trace.sh"
MAN=docs/nslife.8
[ -f "$MAN" ] || fail "no $MAN"

out=$(MANWIDTH=80 man -l "$MAN" 2>&1 >/dev/null) || fail "man -l $MAN failed: $out"
[ -z "$out" ] || fail "man -l $MAN warns: $out"
out=$(groff -man -ww -z "$MAN" 2>&1) || fail "groff failed: $out"
[ -z "$out" ] || fail "groff -ww warns: $out"

# one section of the source, roff escapes of '-' and fonts removed
section() {	# .SS or .SH title
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" |
		awk -v t="$1" '/^\.S[HS] /{ on = (substr($0, 5) == t) } on'
}
# the options a --help text lists: -x and --long, as words
help_opts() {
	grep -oE '(^|[][ ,|(])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[][ ,|(]//' | sort -u
}

cmds=$("$NSLIFE" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -w)" -ge 8 ] || fail "nslife --help lists only: $cmds"
n=0
check() {	# section, help text on stdin
	local sec=$1 text o
	text=$(section "$sec")
	[ -n "$text" ] || fail "$MAN has no section '$sec'"
	for o in $(help_opts); do
		grep -qE -- "(^|[^a-zA-Z-])$o([^a-zA-Z-]|\$)" <<<"$text" ||
			fail "$MAN: '$sec' does not mention $o"
		n=$((n + 1))
	done
}
check OPTIONS < <("$NSLIFE" --help | sed -n '/^options:/,/^$/p')
for c in $cmds; do
	help=$("$NSLIFE" "$c" --help) || fail "nslife $c --help failed"
	# a command whose --help is another's (features takes trace's options)
	sec=$(sed -n '1s/^usage: \(nslife [a-z]*\).*/\1/p' <<<"$help")
	[ -n "$sec" ] || fail "nslife $c --help has no usage line"
	section "nslife $c" | grep -q . || fail "$MAN has no section for nslife $c"
	check "$sec" <<<"$help"
done
# options the client takes for ls, why and timeline (not in their --help)
for c in ls why timeline; do
	check "nslife $c" <<<"--socket --no-daemon"
done
echo "$n options of $(echo $cmds | wc -w) commands found in $MAN"
