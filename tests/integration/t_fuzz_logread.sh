#!/bin/bash
# The log reader under libFuzzer (ASan + UBSan) for about 10 s, from a
# generated seed corpus: any crash, sanitizer report or timeout fails.
. "$(dirname "$0")/lib_fuzz.sh"
fuzz_short logread
