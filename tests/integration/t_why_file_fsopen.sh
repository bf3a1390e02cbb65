#!/bin/bash
# file holder: a net ns held only by an fsopen("tmpfs") fd made inside it
# and passed out (alloc_fs_context takes get_net, put_fs_context drops it).
. "$(dirname "$0")/lib_holdfile.sh" || exit 1
need_root
holdfile_case fsopen net fscontext
