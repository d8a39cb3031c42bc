#!/bin/bash
# tests/run-all.sh: set up a fresh Debian 12 machine (as root) and run every
# test: apt-get what is missing, autoreconf, configure, make, make check
# (and make distcheck), then the compiler's tests again in a clang
# ASan+UBSan build (build-san/).  Prints "N passed, N failed" last,
# counting test cases from every TAP log of both builds.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bash tests/setup-debian.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; echo "0 passed, 1 failed"; exit 1; }
mkdir -p build && cd build
# Only this run's results are counted: TAP results of tests since removed
# and a distcheck's leftover tree (mountplan-*/, kept when it failed) go.
find . -name '*.trs' -delete
chmod -R u+w mountplan-[0-9]*/ 2>/dev/null; rm -rf mountplan-[0-9]*/
../configure -q || { echo "0 passed, 1 failed"; exit 1; }
make -j"$(nproc)" >make.out 2>&1 || { tail -50 make.out; echo "0 passed, 1 failed"; exit 1; }
make -j"$(nproc)" check >check.out 2>&1
check_status=$?
grep -E '^(PASS|FAIL|XFAIL|XPASS|SKIP|ERROR):' check.out | grep -v '^PASS:' | head -200
sed -n '/^=\+$/,/^=\+$/p' check.out | head -20
# count_results PATTERN: test cases whose :test-result: matches PATTERN.
count_results() { find . -name '*.trs' -exec cat {} + 2>/dev/null | grep -cE "^:test-result: ($1)"; }
pass=$(count_results 'PASS|XFAIL')
fail=$(count_results 'FAIL|XPASS|ERROR')
skip=$(count_results 'SKIP')
if [ "${MOUNTPLAN_DISTCHECK:-1}" = 1 ] && [ "$check_status" = 0 ]; then
	if make -j"$(nproc)" distcheck >distcheck.out 2>&1; then
		pass=$((pass + 1)); echo "PASS: make distcheck"
	else
		fail=$((fail + 1)); echo "FAIL: make distcheck"; tail -40 distcheck.out
	fi
fi
[ "$check_status" = 0 ] || fail=$((fail > 0 ? fail : 1))

# The compiler again, built with clang -fsanitize=address,undefined in
# build-san/: its Check unit tests and shell tests (make check-sanitize;
# not the static executor's root tests).  A sanitizer report aborts the
# program and is also written to build-san/reports/, so one that a test
# would take for an expected failure still fails the run.
cd "$top"
san_pass=0 san_fail=0
if [ "${MOUNTPLAN_SANITIZE:-1}" = 1 ]; then
	mkdir -p build-san && cd build-san && rm -rf reports && mkdir reports &&
		find . -name '*.trs' -delete
	san_flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
	if ../configure -q CC=clang CFLAGS="$san_flags" >configure.out 2>&1 &&
	   make -j"$(nproc)" mountplan >make.out 2>&1; then
		# Check's per-test timeouts are hang guards tuned for the plain
		# build; ASan+UBSan runs several times slower (check_emit's 3,000
		# random plans passed 4 s at load 16), so they are stretched here.
		CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10} \
		ASAN_OPTIONS="log_path=$PWD/reports/asan:exitcode=99:detect_leaks=1" \
		UBSAN_OPTIONS="log_path=$PWD/reports/ubsan:print_stacktrace=1:halt_on_error=1" \
			make -j"$(nproc)" check-sanitize >check.out 2>&1
		san_status=$?
		grep -E '^(FAIL|XPASS|ERROR):' check.out | sed 's/^/sanitizer build: /' | head -50
		san_pass=$(count_results 'PASS|XFAIL')
		san_fail=$(count_results 'FAIL|XPASS|ERROR')
		[ "$san_status" = 0 ] || san_fail=$((san_fail > 0 ? san_fail : 1))
		reports=$(ls reports)
		if [ -n "$reports" ]; then
			san_fail=$((san_fail + $(echo "$reports" | wc -l)))
			echo "FAIL: sanitizer reports:"; head -40 reports/*
		fi
		echo "sanitizer build (clang ASan+UBSan): $san_pass passed, $san_fail failed"
	else
		san_fail=1
		echo "FAIL: sanitizer build"; tail -30 configure.out make.out
	fi
	cd "$top"
fi
pass=$((pass + san_pass)); fail=$((fail + san_fail))
echo "${skip:-0} skipped"
echo "${pass:-0} passed, ${fail:-0} failed"
[ "${fail:-0}" = 0 ]
