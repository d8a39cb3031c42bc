#!/bin/bash
# tests/fuzz_regress.sh: every input the fuzzers found (tests/fuzz/regress/
# HARNESS/) replayed through the mountplan command its harness drives, so
# each stays fixed in every build (the sanitizer build of tests/run-all.sh
# too; `make fuzz` replays them through the harnesses themselves).  Each
# command must exit 0, 1 or 2: a crash or sanitizer abort fails.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
R=$top_srcdir/tests/fuzz/regress
inputs=$(find "$R" -type f | sort)
[ -n "$inputs" ] || skip_all "no regression inputs"
plan "$(echo "$inputs" | wc -l)"
make_work

# split FILE: FILE's parts before and after the harnesses' separator
# "\n#8<\n" into $work/a and $work/b (no separator: b is empty, returns 1).
split() {
	"${PYTHON3:-python3}" - "$1" "$work/a" "$work/b" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
a, sep, b = d.partition(b"\n#8<\n")
open(sys.argv[2], "wb").write(a)
open(sys.argv[3], "wb").write(b)
sys.exit(0 if sep else 1)
PY
}

for f in $inputs; do
	name=${f#"$R"/}
	case $name in
	pipeline/*|mpb/*)
		"$MOUNTPLAN" dump "$f" >/dev/null 2>"$work/err"; rc=$?
		[ $rc -le 2 ] && { "$MOUNTPLAN" table "$f" >/dev/null 2>>"$work/err"; rc=$?; } ;;
	import_oci/*)
		"$MOUNTPLAN" import-oci "$f" -o - >/dev/null 2>"$work/err"; rc=$? ;;
	mountinfo/*)
		"$MOUNTPLAN" verify "$top_srcdir/plans/runc-default.yaml" "$f" >/dev/null 2>"$work/err"
		rc=$? ;;
	check/*)
		# no separator: b is empty, an empty config (check refuses /dev/null)
		split "$f" || :
		"$MOUNTPLAN" check --config="$work/b" "$work/a" >/dev/null 2>"$work/err"; rc=$? ;;
	diff/*)
		split "$f" || cp "$work/a" "$work/b"
		"$MOUNTPLAN" diff "$work/a" "$work/b" >/dev/null 2>"$work/err"; rc=$? ;;
	*)
		rc=99; echo "no harness for $name" >"$work/err" ;;
	esac
	if [ $rc -le 2 ]; then
		ok "$name: exit $rc"
	else
		not_ok "$name: exit $rc" "$(head -20 "$work/err")"
	fi
done
done_testing
