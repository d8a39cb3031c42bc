#!/bin/bash
# tests/exec/size.sh: the executor stays small and self-contained
# (DESIGN.md; doc/executor.md): stripped, at most 64 KiB, a static binary
# with no program interpreter, and none of the libc parts that a careless
# call drags in (musl's stdio number scanner behind strtol/sscanf, its
# two-way strstr, printf's float formatting).  Not timed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
command -v strip >/dev/null || skip_all "strip not installed"
make_work
plan 4
strip -o "$work/x" "$MOUNTPLAN_EXEC"
size=$(stat -c %s "$work/x")
check "stripped size at most 65536 bytes ($size)" [ "$size" -le 65536 ]
check "no program interpreter (static)" \
	sh -c '! LC_ALL=C readelf -l "$1" | grep -q "Requesting program interpreter"' sh "$MOUNTPLAN_EXEC"
syms=$(nm "$MOUNTPLAN_EXEC" 2>/dev/null | awk '{ print $NF }')
check "symbols readable (unstripped build)" [ -n "$syms" ]
check "no stdio scanner, two-way strstr or float printf linked" \
	sh -c '! printf "%s\n" "$1" | grep -qxE "__intscan|__shgetc|twoway_strstr|fmt_fp|__floatscan"' sh "$syms"
done_testing
