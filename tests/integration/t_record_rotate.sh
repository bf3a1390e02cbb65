#!/bin/bash
# Rotation: --max-size 16K --keep 3 under churn leaves FILE, FILE.1 and
# FILE.2 only, each within the size and replayable on its own; replayed
# together (in any argument order) they give one stream in time order.
# FILE alone stands for the set: replay FILE and --log FILE (timeline, ls,
# why) read FILE.1 and FILE.2 by themselves.
. "$(dirname "$0")/lib_trace.sh"
. "$(dirname "$0")/lib_record.sh"
need_root
MAX=16384
F=$TMP/rot.log
CHURN=$(own_helper nschurn nslrotchurn)
record_start "$F" --max-size 16K --keep 3
"$CHURN" 2000 >/dev/null || fail "nschurn failed"
# rotated twice at least: FILE.2 is there
wait_for 10 test -f "$F.2"
record_stop || { rc=$?; cat "$TMP/record.err"; fail "record exited $rc"; }

for f in "$F" "$F.1" "$F.2"; do
	[ -f "$f" ] || fail "$f missing: $(ls "$TMP")"
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is mode $(stat -c %a "$f")"
	size=$(stat -c %s "$f")
	[ "$size" -le $MAX ] || fail "$f is $size bytes, over --max-size $MAX"
	"$NSLIFE" replay --no-rotated --json "$f" >"$f.json" 2>"$TMP/err" ||
		fail "$f does not replay on its own: $(cat "$TMP/err")"
	[ -s "$TMP/err" ] && fail "$f has damage: $(cat "$TMP/err")"
	[ -s "$f.json" ] || fail "$f holds no events"
done
for f in "$F".*; do
	case $f in
	"$F".1 | "$F".2 | *.json) ;;
	*) fail "more than 3 files kept: $(ls "$TMP")" ;;
	esac
done

# oldest first: each file starts after the one before it began
first() { jq -s 'map(.ts) | min' "$1"; }
[ "$(first "$F.2.json")" -lt "$(first "$F.1.json")" ] &&
[ "$(first "$F.1.json")" -lt "$(first "$F.json")" ] || fail "rotated files are not oldest-first"

"$NSLIFE" replay --json "$F.2" "$F.1" "$F" >"$TMP/all.json" 2>"$TMP/err" ||
	fail "replay of the set failed: $(cat "$TMP/err")"
"$NSLIFE" replay --json "$F" "$F.2" "$F.1" >"$TMP/all2.json" 2>/dev/null
cmp -s "$TMP/all.json" "$TMP/all2.json" || fail "replay depends on the argument order"
[ "$(wc -l <"$TMP/all.json")" = "$(cat "$F.2.json" "$F.1.json" "$F.json" | wc -l)" ] ||
	fail "the set does not replay as its files do"
# in time order, but for the ring buffer's small reorderings across CPUs
# (a record is stamped before it is reserved): allow 50 ms
back=$(jq -s '[range(1; length) as $i | .[$i - 1].ts - .[$i].ts] | max' "$TMP/all.json")
[ "$back" -le 50000000 ] || fail "replay goes back in time by $back ns"
# FILE alone is the set
"$NSLIFE" replay --json "$F" >"$TMP/one.json" 2>"$TMP/err" ||
	fail "replay FILE failed: $(cat "$TMP/err")"
cmp -s "$TMP/all.json" "$TMP/one.json" || fail "replay FILE is not the whole rotated set"
# a namespace created in a rotated file (the oldest may hold little but
# the snapshot on a busy host): --log FILE knows its creation
ns=$(jq -r 'select(.event == "create") | "\(.type):[\(.inum)]"' "$F.2.json" "$F.1.json" | head -n 1)
[ -n "$ns" ] || fail "no create event in $F.2 or $F.1"
"$NSLIFE" timeline --json --log "$F" "$ns" >"$TMP/tl1.json" 2>"$TMP/err" ||
	fail "timeline --log FILE failed: $(cat "$TMP/err")"
"$NSLIFE" timeline --json --log "$F.2" --log "$F.1" --log "$F" "$ns" >"$TMP/tl3.json" 2>/dev/null
jq -e 'any(.timeline[]; .event == "created")' "$TMP/tl1.json" >/dev/null ||
	fail "timeline --log FILE misses the creation of $ns, in a rotated file"
cmp -s "$TMP/tl1.json" "$TMP/tl3.json" || fail "timeline --log FILE differs from the listed set"
"$NSLIFE" ls -J --log "$F" >"$TMP/ls1.json" 2>&1
"$NSLIFE" ls -J --log "$F" --log "$F.1" --log "$F.2" >"$TMP/ls3.json" 2>&1
cmp -s "$TMP/ls1.json" "$TMP/ls3.json" || fail "ls --log FILE differs from the listed set"
"$NSLIFE" why --json --log "$F" "$ns" >"$TMP/why1.json" 2>&1
"$NSLIFE" why --json --log "$F.2" --log "$F.1" --log "$F" "$ns" >"$TMP/why3.json" 2>&1
cmp -s "$TMP/why1.json" "$TMP/why3.json" || fail "why --log FILE differs from the listed set"
echo "3 files of <= $MAX bytes, $(wc -l <"$TMP/all.json") events in time order (max step back ${back} ns)"
