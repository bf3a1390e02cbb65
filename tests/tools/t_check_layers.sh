#!/bin/bash
# tools/check-layers.sh passes on the tree and fails on each kind of fault
# planted in a copy of it: upward, sideways, a cycle, a header declaring
# another module's function.
cd "$(dirname "$0")/../.."
check=$PWD/tools/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fresh() {
	rm -rf "$tmp/user"
	cp -r user "$tmp/user"
}

expect_fail() {	# what, the line it must print
	local out
	if out=$("$check" "$tmp" 2>&1); then
		echo "FAIL: $1 passed the check"
		fails=$((fails + 1))
	elif ! grep -qF -- "$2" <<<"$out"; then
		echo "FAIL: $1: no '$2' in:"
		echo "$out"
		fails=$((fails + 1))
	fi
}

if ! out=$("$check" . 2>&1); then
	echo "FAIL: the tree itself: $out"
	fails=$((fails + 1))
fi

fresh
sed -i '0,/#include "json.h"/s//#include "json.h"\n#include "scan.h"/' "$tmp/user/core/json.c"
expect_fail "core including scan" "user/core/json.c includes scan/scan.h: upward"

fresh
echo '#include "client.h"' >>"$tmp/user/tracer/linger.c"
expect_fail "tracer including ipc" "user/tracer/linger.c includes ipc/client.h: sideways"

fresh
echo '#include "timespec.h"' >>"$tmp/user/core/json.h"
echo '#include "json.h"' >>"$tmp/user/core/timespec.c"
echo '#include "json.h"' >>"$tmp/user/core/timespec.h"
echo '#include "timespec.h"' >>"$tmp/user/core/json.c"
expect_fail "json <-> timespec" "include cycle among modules: core/"

fresh
echo 'int snap_scan_mounts_again(struct snap *s);' >>"$tmp/user/scan/scan.h"
expect_fail "a header declaring another module's function" \
	"user/scan/scan.h declares snap_scan_mounts_again()"

[ $fails -eq 0 ] && echo "check-layers: every planted fault caught"
[ $fails -eq 0 ]
