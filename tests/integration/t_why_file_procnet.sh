#!/bin/bash
# file holder: a net ns held only by an fd on /proc/PID/net/dev of a process that has
# exited (seq_open_net: get_net), in a process of our own net ns.
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case procnet net proc_net
