#!/bin/bash
# file holder: a mount ns held only by an fd on /proc/PID/mountinfo of a process
# that has exited (mounts_open_common: get_mnt_ns).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case mountinfo mnt proc_mounts
