#!/bin/bash
# The log codec's figures from one run: write rate, replay rate (decode +
# iterate; the goal is >= 2 M events/s) and bytes per event on disk, for
# N synthetic events (default 2,000,000) at zlib levels 1 (the default)
# and 6.  It prints; it does not judge.  Usage: tools/bench-log.sh [N]
set -e
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-.output}
n=${1:-2000000}
bin=$OUTPUT/bin/logbench
mkdir -p "$OUTPUT/bin"
# built here from the codec alone, so it does not wait on the tracer
${CC:-cc} -g -O2 -Wall -D_GNU_SOURCE -std=gnu11 -Ibpf -Iuser/core -Iuser/scan -Iuser/log -Itests/unit \
	tests/unit/test_logbench.c user/log/logfmt.c -lz -lcmocka -o "$bin"
dir=${TMPDIR:-/tmp}
echo "nslife log codec benchmark ($(uname -r), $(nproc) CPUs, files in $dir)"
for level in 1 6; do
	echo
	"$bin" --bench "$n" --level "$level" "$dir"
done
