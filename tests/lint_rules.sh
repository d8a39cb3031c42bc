#!/bin/bash
# tests/lint_rules.sh: every plan-check rule on YAML plans.  Each rule ID
# has tests/lint/<id>-bad.yaml (triggers it) and <id>-good.yaml (does
# not); the line "# expect: L:C ID[, L:C ID...]" (or "none") is the exact
# set of findings, at every severity, and "# args:" adds options.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
dir=$top_srcdir/tests/lint
files=("$dir"/*.yaml)
plan $(( ${#files[@]} + 1 ))

missing=
for id in $("$MOUNTPLAN" check --list-rules | awk '{print $1}'); do
	base=$(echo "${id#PC-}" | tr 'A-Z' 'a-z')
	for kind in bad good; do
		[ -f "$dir/$base-$kind.yaml" ] || missing="$missing $base-$kind.yaml"
	done
done
if [ -z "$missing" ]; then ok "every rule has a bad and a good plan"
else not_ok "every rule has a bad and a good plan" "missing:$missing"; fi

for f in "${files[@]}"; do
	name=$(basename "$f")
	want=$(sed -n 's/^# expect: //p' "$f")
	read -r -a args <<<"$(sed -n 's/^# args: //p' "$f")"
	out=$("$MOUNTPLAN" check --severity-threshold=note --format=json "${args[@]}" "$f")
	rc=$?
	got=$(printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print(", ".join("%d:%d %s" % (x["line"], x["column"], x["id"]) for x in d) or "none")')
	want_rc=1; [ "$want" = none ] && want_rc=0
	if [ "$got" = "$want" ] && [ "$rc" = "$want_rc" ]; then
		ok "$name: $want"
	else
		not_ok "$name" "want: $want (exit $want_rc)" "got:  $got (exit $rc)"
	fi
done
done_testing
