#!/bin/bash
# record's refusals: an existing file without --force (one line, non-zero
# exit, file untouched), replaced with --force (mode 0600 even if it was
# 0644), an unwritable path, and bad options; each one stderr line.
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
F=$TMP/exists.log

one_line() {	# what, expected pattern; stderr in $TMP/err
	[ "$(wc -l <"$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "$1: not one stderr line"; }
	grep -q "$2" "$TMP/err" || fail "$1: stderr '$(cat "$TMP/err")' lacks '$2'"
}

head -c 5000 /dev/urandom >"$F"
chmod 0644 "$F"
cp "$F" "$TMP/orig"
timeout 20 "$NSLIFE" record -o "$F" 2>"$TMP/err"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "record over an existing file exited $rc"
one_line "existing file" "^nslife: $F: file exists (use --force"
cmp -s "$F" "$TMP/orig" || fail "the existing file was changed"
[ "$(stat -c %a "$F")" = 644 ] || fail "the existing file's mode was changed"

record_start "$F" --force
record_stop || { cat "$TMP/record.err"; fail "record --force exited non-zero"; }
[ "$(stat -c %a "$F")" = 600 ] || fail "--force left mode $(stat -c %a "$F"), not 600"
"$NSLIFE" replay "$F" >/dev/null 2>"$TMP/err" || fail "the replaced log does not replay: $(cat "$TMP/err")"
[ -s "$TMP/err" ] && fail "the replaced log has damage: $(cat "$TMP/err")"
cmp -s "$F" "$TMP/orig" && fail "--force did not replace the file"

# a fresh file is 0600 whatever the umask
(umask 0; record_start "$TMP/fresh.log"; record_stop) || fail "record with umask 0 failed"
[ "$(stat -c %a "$TMP/fresh.log")" = 600 ] || fail "a new log is mode $(stat -c %a "$TMP/fresh.log")"

for bad in /proc/nslife-no/such.log /sys/kernel/nslife.log "$TMP/no/dir/x.log"; do
	timeout 20 "$NSLIFE" record -o "$bad" 2>"$TMP/err"
	rc=$?
	[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "record -o $bad exited $rc"
	one_line "unwritable $bad" "^nslife: $bad: "
	[ -e "$bad" ] && fail "$bad was created"
done

# bad options fail fast, before BPF is loaded
for args in "" "-o" "-o $TMP/x --max-size 10X" "-o $TMP/x --max-size 0" \
	    "-o $TMP/x --keep 3" "-o $TMP/x --max-size 1M --keep 0" "-o $TMP/x -J" \
	    "-o $TMP/x --bogus" "-o $TMP/x extra" "-o $TMP/x -t nope"; do
	# shellcheck disable=SC2086
	timeout 5 "$NSLIFE" record $args 2>"$TMP/err"
	rc=$?
	[ $rc = 2 ] || fail "record $args exited $rc, not 2"
	one_line "record $args" "^nslife: "
	[ -e "$TMP/x" ] && fail "record $args created its file"
done
echo "existing file kept, --force replaced it 0600, unwritable paths and bad options refused"
