#!/bin/bash
# tests/invalid.sh: `mountplan compile` on every tests/invalid/*.yaml must
# exit 1, create no output file, leave an existing output file untouched,
# and report exactly the diagnostics of NAME.expected, one per line as
# `LINE:COL: ID` (0:0 for a diagnostic about the whole file), in the order
# printed; a diagnostic in another file (an included plan, a values file,
# the --set arguments) as `FILE:LINE:COL: ID`.  NAME.args, when present,
# holds more arguments for compile, one per line (--set, --values).  Run
# from tests/invalid, so positions read NAME.yaml:L:C.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
dir=$top_srcdir/tests/invalid
cases=$(cd "$dir" && ls *.yaml)
[ -n "$cases" ] || skip_all "no invalid plans"
plan "$(echo "$cases" | wc -l)"
make_work

# ids NAME FILE: the diagnostics of compile's stderr as LINE:COL: ID lines
# (FILE:LINE:COL: ID for a file other than NAME.yaml).
ids() {
	sed -n -E \
		-e "s/^$1\\.yaml:([0-9]+):([0-9]+): [a-z]+: .* \\[([A-Z0-9-]+)\\]\$/\\1:\\2: \\3/p" \
		-e "s/^$1\\.yaml: [a-z]+: .* \\[([A-Z0-9-]+)\\]\$/0:0: \\1/p" \
		-e "/^$1\\.yaml[:]/b" \
		-e 's/^([^ :]+):([0-9]+):([0-9]+): [a-z]+: .* \[([A-Z0-9-]+)\]$/\1:\2:\3: \4/p' "$2"
}

for p in $cases; do
	name=${p%.yaml}
	out=$work/$name.mpb
	args=()
	[ -f "$dir/$name.args" ] && mapfile -t args <"$dir/$name.args"
	(cd "$dir" && "$MOUNTPLAN" compile "$p" "${args[@]}" -o "$out") >"$work/stdout" 2>"$work/stderr"
	rc=$?
	problems=()
	[ "$rc" = 1 ] || problems+=("exit status $rc, expected 1")
	[ -e "$out" ] && problems+=("an output file was created")
	got=$(ids "$name" "$work/stderr")
	want=$(cat "$dir/$name.expected" 2>/dev/null)
	[ -f "$dir/$name.expected" ] || problems+=("no $name.expected")
	[ "$got" = "$want" ] || problems+=("diagnostics differ:" \
		"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed -n '2,$p')" \
		"$(head -c 2000 "$work/stderr")")
	# an existing output stays as it was
	printf 'old output\n' >"$out"
	(cd "$dir" && "$MOUNTPLAN" compile "$p" "${args[@]}" -o "$out") >/dev/null 2>&1
	[ "$(cat "$out")" = "old output" ] || problems+=("an existing output file was changed")
	rm -f "$out"
	leftover=$(ls -A "$work" | grep -v -x -e stdout -e stderr)
	[ -z "$leftover" ] || problems+=("files left behind: $leftover")
	if [ ${#problems[@]} = 0 ]; then
		ok "$name: exit 1, $(echo "$want" | wc -l) diagnostic(s) as expected, no output"
	else
		not_ok "$name" "${problems[@]}"
	fi
done
done_testing
