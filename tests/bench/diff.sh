#!/bin/bash
# tests/bench/diff.sh: `mountplan diff` against `mountplan compile` in one
# run, on generated plans of 20,000, 100,000 and 200,000 entries (genplan.py;
# NEW is the plan with every size=64k changed, so half the mounts differ).
# Prints the best of 3 wall times of: compile OLD; diff OLD NEW (two plans
# compiled, simulated and linted); diff of the two .mpb (no lint); and the
# ratios diff/compile and t(200k)/t(20k) (linear: about 10).  Figures, not
# a pass/fail test.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
make_work
# best CMD...: the best wall time of 3 runs of CMD (output discarded).
best() {
	local b= t
	for _ in 1 2 3; do
		/usr/bin/time -f '%e' -o "$work/t" "$@" >/dev/null 2>&1 || [ $? = 1 ]
		t=$(tail -n 1 "$work/t")
		if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
	done
	echo "$b"
}
declare -A dt
for n in ${BENCH_SIZES:-20000 100000 200000}; do
	"$PY" "$top_srcdir/tests/bench/genplan.py" $n >"$work/a$n.yaml"
	sed 's/size=64k/size=65k/' "$work/a$n.yaml" >"$work/b$n.yaml"
	"$MOUNTPLAN" compile "$work/a$n.yaml" -o "$work/a$n.mpb"
	"$MOUNTPLAN" compile "$work/b$n.yaml" -o "$work/b$n.mpb"
	tc=$(best "$MOUNTPLAN" compile "$work/a$n.yaml" -o "$work/out.mpb")
	td=$(best "$MOUNTPLAN" diff "$work/a$n.yaml" "$work/b$n.yaml")
	tm=$(best "$MOUNTPLAN" diff "$work/a$n.mpb" "$work/b$n.mpb")
	dt[$n]=$td
	changes=$("$MOUNTPLAN" diff "$work/a$n.mpb" "$work/b$n.mpb" | wc -l || true)
	printf 'n=%6d  compile %6.3f s  diff yaml %6.3f s (%4.1fx compile)  diff mpb %6.3f s (%4.1fx)  %s changes\n' \
		$n "$tc" "$td" "$(awk "BEGIN{print $td/($tc>0.005?$tc:0.005)}")" "$tm" \
		"$(awk "BEGIN{print $tm/($tc>0.005?$tc:0.005)}")" "$changes"
done
if [ -n "${dt[20000]:-}" ] && [ -n "${dt[200000]:-}" ]; then
	awk -v a="${dt[20000]}" -v b="${dt[200000]}" \
		'BEGIN{ if (a < 0.005) a = 0.005; printf "diff t(200k)/t(20k): %.1f (linear: 10)\n", b/a }'
fi
