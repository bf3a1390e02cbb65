#!/bin/bash
# file holder: a pid ns held only by a pidfd of its pid 1, dead and reaped (the
# struct pid holds the pid ns of its level).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case pidfd pid pidfd
