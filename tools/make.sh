#!/bin/sh
# The README's entry point on a fresh Debian 12: install what is missing
# (make and the compiler included), then run make with the given targets.
set -e
cd "$(dirname "$0")/.."
sh tools/deps.sh
exec make "$@"
