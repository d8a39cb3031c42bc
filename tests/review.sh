#!/bin/bash
# tests/review.sh: the corpus of review diffs (tests/review/*.case).  Each
# case holds an old plan, a new plan, the exit status `mountplan diff`
# must give and lines its output must hold exactly:
#
#     # what the change is (the test's name)
#     --- old
#     (plan)
#     --- new
#     (plan)
#     --- expect EXIT
#     (lines, each matched whole; "!LINE" means LINE must not appear)
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cases=("$top_srcdir"/tests/review/*.case)
plan ${#cases[@]}
make_work
cd "$work" || exit 99
for c in "${cases[@]}"; do
	name=$(basename "$c" .case)
	title=$(sed -n '1s/^# *//p' "$c")
	awk -v d="$name" '
		/^--- old$/ { f = d ".old.yaml"; next }
		/^--- new$/ { f = d ".new.yaml"; next }
		/^--- expect / { f = d ".expect"; print $3 > (d ".rc"); next }
		f { print > f }' "$c"
	"$MOUNTPLAN" diff "$name.old.yaml" "$name.new.yaml" >"$name.out" 2>&1
	rc=$?
	want=$(cat "$name.rc")
	bad=
	[ "$rc" = "$want" ] || bad="exit $rc, expected $want"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if [ "${line:0:1}" = "!" ]; then
			! grep -qxF -- "${line:1}" "$name.out" || bad="$bad; has: ${line:1}"
		else
			grep -qxF -- "$line" "$name.out" || bad="$bad; lacks: $line"
		fi
	done <"$name.expect"
	if [ -z "$bad" ]; then
		ok "$name: $title"
	else
		not_ok "$name: $title" "$bad" "$(cat "$name.out")"
	fi
done
done_testing
