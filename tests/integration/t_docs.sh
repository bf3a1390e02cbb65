#!/bin/bash
# The docs match the tree: every file or folder README.md and docs/*.md name
# (user/..., bpf/..., tools/..., tests/..., docs/...) and every relative
# link exists, every user/ layer folder is in the README's picture, and
# every docs/*.md is linked from the README.  Moving or renaming a file
# without its docs fails here.
. "$(dirname "$0")/lib_trace.sh"
cd "$(dirname "$0")/../.."
n=0
for f in README.md docs/*.md; do
	base=$(dirname "$f")
	# paths in the text, from the top of the tree
	for p in $(grep -ohE '(^|[^A-Za-z0-9_./-])(user|bpf|tools|tests|docs|vmlinux)/[A-Za-z0-9_./*-]*' "$f" |
		   sed -E 's/^[^a-z]//; s/[.,]+$//' | sort -u); do
		# a glob (tests/integration/t_*.sh) must match something
		compgen -G "$p" >/dev/null || fail "$f names $p, which does not exist"
		n=$((n + 1))
	done
	# relative links, from the file's own folder
	for l in $(grep -oE '\]\([^)#:]+(#[^)]*)?\)' "$f" | sed -E 's/^\]\(//; s/[#)].*$//' | sort -u); do
		[ -e "$base/$l" ] || fail "$f links $l, which does not exist"
		n=$((n + 1))
	done
done
for d in user/*/; do
	grep -q "user/$(basename "$d")/" README.md || fail "README.md's picture does not show $d"
done
for d in docs/*.md; do
	grep -q "](docs/$(basename "$d"))" README.md || fail "README.md does not link $d"
done
echo "$n paths and links checked"
