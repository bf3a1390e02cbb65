#!/bin/bash
# file holder: a net ns held only by its /proc/PID/net/dev file registered in an
# io_uring ring, our own fd on the file closed: the ring holds the file.
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
dis=$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)
[ "$dis" = 0 ] || { echo "skipped: io_uring disabled (kernel.io_uring_disabled=$dis)"; exit 77; }
holdfile_case uring net proc_net
