#!/bin/bash
# file holder: a pid ns held only by a perf event fd its pid 1 opened, that
# pid 1 dead and reaped (perf_event_alloc: get_pid_ns of the opener).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case perf pid perf
