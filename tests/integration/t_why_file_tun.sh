#!/bin/bash
# file holder: a net ns held only by an unattached /dev/net/tun fd opened inside it,
# passed out by SCM_RIGHTS, the opener gone (the tun file is a socket).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
[ -c /dev/net/tun ] || { echo "skipped: no /dev/net/tun"; exit 77; }
holdfile_case tun net tun
