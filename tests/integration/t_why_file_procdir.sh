#!/bin/bash
# file holder: a pid ns held only by an open /proc/PID directory of its pid 1, dead
# and reaped (the proc inode holds the struct pid).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case procdir pid proc_pid
