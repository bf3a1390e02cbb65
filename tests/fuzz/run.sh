#!/bin/bash
# Runs libFuzzer targets for a bounded time: run.sh SECONDS NAME...
# Each NAME has $OUTPUT/fuzz/fuzz_NAME, seeds from $OUTPUT/fuzz/seed_NAME
# (if built) and tests/fuzz/corpus/NAME/ (if committed), and a working
# corpus kept in $OUTPUT/fuzz/corpus/NAME.  Any crash, leak, sanitizer
# report or timeout fails the run; the reproducer is left in $OUTPUT/fuzz/.
cd "$(dirname "$0")/../.."
OUTPUT=${OUTPUT:-.output}
secs=$1
shift
rc=0
# a small quarantine: fresh pages for every allocation made the VM's page
# faults, not the code, the bottleneck (4x fewer runs)
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:max_malloc_fill_size=0}
for name in "$@"; do
	bin=$OUTPUT/fuzz/fuzz_$name
	corpus=$OUTPUT/fuzz/corpus/$name
	log=$OUTPUT/fuzz/$name.log
	mkdir -p "$corpus"
	if [ -x "$OUTPUT/fuzz/seed_$name" ]; then
		"$OUTPUT/fuzz/seed_$name" "$corpus" || { rc=1; continue; }
	fi
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$corpus/"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -error_exitcode=1 -timeout_exitcode=1 \
		-print_final_stats=1 -artifact_prefix="$OUTPUT/fuzz/crash-$name-" \
		"$corpus" >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $st -eq 0 ]; then
		echo "  FUZZ     $name: ${runs:-?} runs in ${secs}s, no crash"
	else
		echo "  FUZZ     $name: FAILED (exit $st), log $log"
		grep -E 'ERROR|SUMMARY|runtime error|disagree|Test unit written' "$log" | head -20 | sed 's/^/    /'
		rc=1
	fi
done
exit $rc
