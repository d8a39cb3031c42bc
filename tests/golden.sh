#!/bin/bash
# tests/golden.sh: `mountplan dump` of every plan in plans/ must equal its
# golden file tests/golden/NAME.dump (run from plans/, so positions read
# NAME.yaml:L:C).  GOLDEN_UPDATE=1 rewrites the golden files instead.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plans=$(cd "$top_srcdir/plans" && ls *.yaml)
plan "$(echo "$plans" | wc -l)"
for p in $plans; do
	name=${p%.yaml}
	golden=$top_srcdir/tests/golden/$name.dump
	mapfile -t args < <(plan_args "$p" /var/lib/docker/containers/golden)
	out=$(cd "$top_srcdir/plans" && "$MOUNTPLAN" dump "$p" "${args[@]}" 2>&1)
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		printf '%s\n' "$out" >"$golden"
		ok "$name: golden file written"
	elif [ -f "$golden" ] && [ "$out" = "$(cat "$golden")" ]; then
		ok "$name: dump matches its golden file"
	else
		not_ok "$name: dump matches its golden file" \
			"$(diff <(printf '%s\n' "$out") "$golden" 2>&1 | head -20)"
	fi
done
done_testing
