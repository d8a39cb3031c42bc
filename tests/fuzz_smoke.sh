#!/bin/bash
# tests/fuzz_smoke.sh: every libFuzzer harness of tests/fuzz/ built as
# `make fuzz` builds it (clang -fsanitize=fuzzer,address,undefined) and
# run once over its seeds and regression inputs, fuzzing nothing
# (tests/fuzz/run.sh with FUZZ_SECONDS=0); one case per harness
# (tests/fuzz/fuzz_NAME.c), which fails on a crash, a sanitizer report or
# a broken property (FUZZ_ASSERT).  Writes only in the build directory
# (tests/fuzz/ there, as make fuzz).  Skipped without clang or its
# libFuzzer runtime (tests/setup-debian.sh installs both).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null ||
	skip_all "no $cc: the harnesses need clang and libFuzzer (clang-14, libclang-rt-14-dev)"
[ -n "${FUZZ_SOURCES:-}" ] || { echo "Bail out! run through make check (FUZZ_SOURCES unset)"; exit 1; }
make_work
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$work/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" >"$work/probe.log" 2>&1 ||
	skip_all "$cc cannot link -fsanitize=fuzzer,address,undefined (libclang-rt-14-dev?): $(head -3 "$work/probe.log")"

harnesses=$(cd "$top_srcdir/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
plan "$(echo "$harnesses" | wc -l)"
env -u FUZZ_TARGETS -u FUZZ_JOBS FUZZ_SECONDS=0 FUZZ_CC="$cc" \
	bash "$top_srcdir/tests/fuzz/run.sh" >"$work/run.log" 2>&1
rc=$?
for t in $harnesses; do
	# run.sh's verdicts for fuzz_$t, each FAIL with the lines under it.
	fails=$(awk -v t="fuzz_$t" '
		/^(PASS|FAIL): |^fuzz: / { show = 0 }
		$0 ~ "^FAIL: " t "[ :]" { show = 1 }
		show' "$work/run.log")
	pass=$(grep -E "^PASS: fuzz_$t:" "$work/run.log")
	if [ -n "$fails" ]; then
		not_ok "fuzz_$t" "$fails"
	elif [ -n "$pass" ]; then
		pass=${pass#PASS: }
		ok "${pass//#/}" # no TAP directive in libFuzzer's "#N DONE"
	elif [ "$rc" = 2 ]; then
		not_ok "fuzz_$t: libplan did not build" "$(tail -30 "$work/run.log")"
	else
		not_ok "fuzz_$t: no result (not among run.sh's harnesses?)" "$(tail -30 "$work/run.log")"
	fi
done
done_testing
