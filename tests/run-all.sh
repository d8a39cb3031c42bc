#!/bin/bash
# tests/run-all.sh: set up a fresh Debian 12 machine (as root) and run every
# test: apt-get what is missing, autoreconf, configure, make, make check
# (and make distcheck).  Prints "N passed, N failed" last, counting test
# cases from every TAP log.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bash tests/setup-debian.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; echo "0 passed, 1 failed"; exit 1; }
mkdir -p build && cd build
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
echo "${skip:-0} skipped"
echo "${pass:-0} passed, ${fail:-0} failed"
[ "${fail:-0}" = 0 ]
