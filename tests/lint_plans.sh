#!/bin/bash
# tests/lint_plans.sh: plan-check on every shipped plan (plans/*.yaml);
# the findings, at every severity, must be exactly those recorded in
# tests/lint/plans.expected ("PLAN.yaml LINE:COL SEVERITY ID", sorted).
# A change to a plan or a rule that changes them must update that file
# (and the plan should say why a finding stands).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
expected=$top_srcdir/tests/lint/plans.expected
plans=("$top_srcdir"/plans/*.yaml)
plan $(( ${#plans[@]} + 1 ))

for p in "${plans[@]}"; do
	name=$(basename "$p")
	want=$(grep "^$name " "$expected" | LC_ALL=C sort)
	mapfile -t args < <(plan_args "$p" /var/lib/docker/containers/lint)
	got=$("$MOUNTPLAN" check --severity-threshold=note --format=json "${args[@]}" "$p" | "$PY" -c '
import json, os, sys
for x in json.load(sys.stdin):
    print("%s %d:%d %s %s" % (os.path.basename(x["file"]), x["line"], x["column"],
                              x["severity"], x["id"]))' | LC_ALL=C sort)
	if [ "$got" = "$want" ]; then
		ok "$name: $(printf '%s' "$got" | grep -c .) findings as recorded"
	else
		not_ok "$name: findings differ from tests/lint/plans.expected" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
	fi
done
# Every recorded plan still exists.
stale=$(awk '!/^#/ {print $1}' "$expected" | sort -u | while read -r n; do
	[ -f "$top_srcdir/plans/$n" ] || echo "$n"; done)
if [ -z "$stale" ]; then ok "plans.expected names only shipped plans"
else not_ok "plans.expected names only shipped plans" "$stale"; fi
done_testing
