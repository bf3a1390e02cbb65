#!/bin/bash
# The daemon's request parser, the NS-specifier parser and the snapshot
# decoder (what a log's snapshot record says) under libFuzzer
# (ASan + UBSan), about 10 s each: any crash, sanitizer report, failed
# round trip or timeout fails.
cd "$(dirname "$0")/../.."
export OUTPUT=${OUTPUT:-.output}
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT

echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
	>"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" \
	>"$probe/err" 2>&1; then
	cat "$probe/err"
	if [ "${CI:-}" = true ]; then
		echo "clang cannot build libFuzzer targets, and CI=true (tools/deps.sh installs libclang-rt-14-dev)"
		exit 1
	fi
	echo "clang's libFuzzer runtime is missing (apt-get install libclang-rt-14-dev)"
	exit 77
fi
make -s test-fuzz-short FUZZ="request nsspec snapio"
