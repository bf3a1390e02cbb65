#!/bin/bash
# The syscalls nslife follows are hooked one tracepoint each where tracefs
# gives them, not through raw_syscalls (which runs on every syscall of the
# host); `features` says which.  The raw_syscalls fallback must still see
# the same events: the mount and setns tests run again under it.
. "$(dirname "$0")/lib_trace.sh"
need_root
DIR=$(dirname "$0")
f=$("$NSLIFE" features) || fail "nslife features failed"
if echo "$f" | grep -q '^preemptible: yes'; then
	# 7.x: the kernel skips per-syscall tracepoint programs wholesale
	# there, so raw hooks with twins are used instead
	echo "$f" | grep -q '^syscalls: raw_syscalls.*preemptible' ||
		fail "preemptible tracing, yet: $(echo "$f" | grep '^syscalls:')"
	for h in "tp_btf/sys_enter" "tp_btf/sys_exit"; do
		[ "$(echo "$f" | grep -c "^hook: $h$")" = 2 ] || fail "$h without its twin"
	done
	echo "$f" | grep -q 'hook: tracepoint/syscalls/' && fail "per-syscall hooks attached beside raw ones"
	for t in t_trace_setns t_trace_mounts; do
		bash "$DIR/$t.sh" || fail "$t with twinned raw hooks"
	done
	echo "preemptible tracing: raw syscall hooks with twins; setns and mounts pass"
	exit 0
fi
echo "$f" | grep -q '^syscalls: one tracepoint per followed syscall' ||
	fail "per-syscall tracepoints not in use: $(echo "$f" | grep '^syscalls:')"
echo "$f" | grep -q 'hook: tracepoint/syscalls/sys_exit_unshare' || fail "no sys_exit_unshare hook"
echo "$f" | grep -q 'hook: tp_btf/sys_enter' && fail "raw sys_enter attached beside the per-syscall hooks"
f=$(NSLIFE_SYSCALLS=raw "$NSLIFE" features) || fail "nslife features (raw) failed"
echo "$f" | grep -q '^syscalls: raw_syscalls' || fail "NSLIFE_SYSCALLS=raw did not select the fallback"
echo "$f" | grep -q 'hook: tp_btf/sys_exit' || fail "fallback without tp_btf/sys_exit"
for t in t_trace_setns t_trace_mounts; do
	NSLIFE_SYSCALLS=raw bash "$DIR/$t.sh" || fail "$t under the raw_syscalls fallback"
done
echo "per-syscall tracepoints in use; the raw_syscalls fallback still passes setns and mounts"
