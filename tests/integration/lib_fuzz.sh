# Sourced by the fuzz integration tests: run `make test-fuzz-short` for the
# targets named, once clang is known to build libFuzzer targets here (skip
# outside CI if it cannot, fail under CI=true).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export OUTPUT=${OUTPUT:-.output}

fuzz_short() {	# targets
	local probe
	probe=$(mktemp -d)
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
		>"$probe/p.c"
	if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" \
		>"$probe/err" 2>&1; then
		cat "$probe/err"
		rm -rf "$probe"
		if [ "${CI:-}" = true ]; then
			echo "clang cannot build libFuzzer targets, and CI=true (tools/deps.sh installs libclang-rt-14-dev)"
			exit 1
		fi
		echo "clang's libFuzzer runtime is missing (apt-get install libclang-rt-14-dev)"
		exit 77
	fi
	rm -rf "$probe"
	make -s test-fuzz-short FUZZ="$*"
}
