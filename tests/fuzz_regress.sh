#!/bin/bash
# tests/fuzz_regress.sh: every input the fuzzers found (tests/fuzz/regress/
# HARNESS/) replayed through the mountplan command its harness drives, so
# each stays fixed in every build (the sanitizer build of tests/run-all.sh
# too; `make fuzz` replays them through the harnesses themselves).  Each
# command must exit 0, 1 or 2: a crash or sanitizer abort fails.  An
# include/ input is written out as fuzz_include writes it and compiled;
# a fmt/ input is skipped (no command reaches the executor's formatter:
# tests/fuzz_smoke.sh replays it through fuzz_fmt).
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
		# the table, against the plan after the separator (none:
		# runc-default), with the options fuzz_mountinfo takes from
		# the input's size (bit 0: JSON, 1: --nodes /, 2: --rootfs /)
		if split "$f"; then p=$work/b; else p=$top_srcdir/plans/runc-default.yaml; fi
		size=$(wc -c <"$f"); opts=()
		[ $((size & 1)) = 0 ] || opts+=(--format=json)
		[ $((size & 2)) = 0 ] || opts+=(--nodes=/)
		[ $((size & 4)) = 0 ] || opts+=(--rootfs=/)
		"$MOUNTPLAN" verify "$p" "$work/a" "${opts[@]}" >/dev/null 2>"$work/err"
		rc=$? ;;
	check/*)
		# no separator: b is empty, an empty config (check refuses /dev/null)
		split "$f" || :
		"$MOUNTPLAN" check --config="$work/b" "$work/a" >/dev/null 2>"$work/err"; rc=$? ;;
	diff/*)
		split "$f" || cp "$work/a" "$work/b"
		"$MOUNTPLAN" diff "$work/a" "$work/b" >/dev/null 2>"$work/err"; rc=$? ;;
	include/*)
		# the plan and its named files in a directory of their own, as
		# fuzz_include writes them (a name it would skip is skipped)
		rm -rf "$work/inc" && mkdir "$work/inc"
		"${PYTHON3:-python3}" - "$f" "$work/inc" <<'PY'
import os, re, sys
parts = open(sys.argv[1], "rb").read().split(b"\n#8<\n")
open(os.path.join(sys.argv[2], "plan.yaml"), "wb").write(parts[0])
for p in parts[1:]:
    name, _, text = p.partition(b"\n")
    n = name.decode("latin-1")
    if (not re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?", n) or len(n) > 64
            or set(n.split("/")) & {".", ".."} or n in ("plan.yaml", "link.yaml")):
        continue
    path = os.path.join(sys.argv[2], n)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(text)
    except OSError:
        pass
PY
		"$MOUNTPLAN" compile "$work/inc/plan.yaml" -o "$work/inc.mpb" >/dev/null 2>"$work/err"
		rc=$? ;;
	fmt/*)
		# the executor's formatter has no command: make fuzz and
		# tests/fuzz_smoke.sh replay it through fuzz_fmt
		ok "$name # SKIP no command reaches executor/fmt.c (fuzz_smoke.sh replays it)"
		continue ;;
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
