#!/bin/bash
# The daemon's request parser, the NS-specifier parser and the snapshot
# decoder (what a log's snapshot record says) under libFuzzer
# (ASan + UBSan), about 10 s each: any crash, sanitizer report, failed
# round trip or timeout fails.
. "$(dirname "$0")/lib_fuzz.sh"
fuzz_short request nsspec snapio
