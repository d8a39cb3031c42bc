#!/bin/bash
# tests/bench/compile.sh: compile generated plans of 10,000 and 100,000
# entries and print wall time (best of 3) and peak memory, and the ratio
# t(100k)/t(10k).  Targets (issue 2): 100k in <= 1.0 s and <= 256 MiB,
# ratio <= 12.  Prints figures; it is not a pass/fail test.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
make_work
declare -A best
for n in 10000 100000; do
	"$PY" "$top_srcdir/tests/bench/genplan.py" $n >"$work/p$n.yaml"
	"$MOUNTPLAN" compile "$work/p$n.yaml" -o "$work/p$n.mpb" >/dev/null
	b=
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$work/t" "$MOUNTPLAN" compile "$work/p$n.yaml" -o "$work/p$n.mpb"
		read -r t kb <"$work/t"
		if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; mem=$kb; fi
	done
	best[$n]=$b
	printf 'compile %6d entries: %6.3f s  peak %6.1f MiB  yaml %s KiB  mpb %s KiB\n' \
		$n "$b" "$(awk "BEGIN{print $mem/1024}")" \
		$(( $(stat -c %s "$work/p$n.yaml") / 1024 )) $(( $(stat -c %s "$work/p$n.mpb") / 1024 ))
done
awk -v a="${best[10000]}" -v b="${best[100000]}" \
	'BEGIN{ if (a < 0.005) a = 0.005; printf "ratio t(100k)/t(10k): %.1f (times below 5 ms count as 5 ms)\n", b/a }'
