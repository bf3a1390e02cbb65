#!/bin/bash
# Runs nslife's tests: cmocka unit tests, then integration tests against the
# real kernel.  Prints one closing line: "N passed, N failed, N skipped".
# An integration script exits 0 (pass), 77 (skip, reason on stdout) or other.
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-.output}
what=${1:-all}
# further arguments: only these integration tests (names without .sh)
shift
only=" $* "
pass=0 fail=0 skip=0 failed=()

run_one() {	# name, command...
	local name=$1 rc out
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "PASS $name"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIP $name: $(echo "$out" | tail -n 1)"
	else
		fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc)"
		echo "$out" | tail -n 40 | sed 's/^/    /'
	fi
}

# the layering of user/ (tools/check-layers.sh) and the checker's own test
if [ "$what" = all ] || [ "$what" = tools ]; then
	run_one "tools/check-layers" tools/check-layers.sh
	for t in tests/tools/t_*.sh; do
		run_one "tools/$(basename "$t" .sh)" bash "$t"
	done
fi

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$OUTPUT"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
fi

if [ "$what" = all ] || [ "$what" = integration ]; then
	if [ "$(id -u)" != 0 ]; then
		if [ "${CI:-}" = true ]; then
			echo "FAIL integration: not root, and CI=true: these tests need root and BPF"
			fail=$((fail + 1))
		else
			echo "SKIP integration: not root (they load BPF and make namespaces)"
			skip=$((skip + 1))
		fi
	else
		export HELPERS="$PWD/$OUTPUT/bin"
		# once with the normal binary, once with the ASan+UBSan one: a
		# memory error or undefined behaviour aborts it, failing the test
		bins=("integration=$PWD/nslife")
		[ -n "${NSLIFE_ASAN:-}" ] && bins+=("asan=$PWD/$NSLIFE_ASAN")
		export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
		export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
		for b in "${bins[@]}"; do
			export NSLIFE="${b#*=}"
			for t in tests/integration/t_*.sh; do
				[ -f "$t" ] || continue
				[ "$only" = "  " ] || [[ "$only" == *" $(basename "$t" .sh) "* ]] || continue
				run_one "${b%%=*}/$(basename "$t" .sh)" timeout 300 bash "$t"
			done
		done
	fi
fi

[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
