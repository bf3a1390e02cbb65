#!/bin/bash
# Measures, per namespace type, how long after the exit of the task that
# made a namespace (its last member) nslife reports the namespace freed.
# Run in a guest: tools/vm/run.sh -k 6.1 -m precise -c tools/vm/selftest/free-delay.sh
# or on the host as root.  Prints "TYPE n=N min=MS median=MS max=MS".
cd "$(dirname "$0")/../../.." || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./nslife trace --json ${NSLIFE_MODE:+--mode $NSLIFE_MODE} >"$out/t.json" 2>"$out/t.err" &
P=$!
for _ in $(seq 100); do grep -q tracing "$out/t.err" && break; sleep 0.1; done
for _ in 1 2 3 4 5; do
	for f in -m -n -u -i -C -T; do unshare $f true; sleep 0.1; done
	# a user ns alone leaves no leave event (tasks never leave the host
	# ones): give its creator a uts ns too, whose leave marks the exit
	unshare -U -u true
	unshare -p -f true
	sleep 0.1
done
sleep 3
kill -INT $P
wait $P
# reference: the creator's exit (its leave events); delay: free ts - that
jq -s -r '
	(map(select(.event == "leave" and .how == "exit")) | group_by(.pid)
	 | map({key: (.[0].pid | tostring), value: (map(.ts) | max)}) | from_entries) as $exit
	| map(select(.event == "create" and .comm == "unshare" and (.type != "uts" or .flags == 67108864))) as $c
	| map(select(.event == "free")) as $f
	| [$c[] | . as $x | ($f | map(select(.id == $x.id)) | first) as $fr
	   | select($fr != null and $exit[$x.pid | tostring] != null)
	   | {type, ms: (($fr.ts - $exit[$x.pid | tostring]) / 1e6)}]
	| group_by(.type)[] | (map(.ms) | sort) as $m
	| "\(.[0].type) n=\($m | length) min=\($m[0] | floor) median=\($m[($m | length) / 2 | floor] | floor) max=\($m[-1] | floor) ms"
' "$out/t.json"
echo "nslife trace: $(tail -n 1 "$out/t.err")"
