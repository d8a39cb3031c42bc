# tests/: shared test helpers.  Each area adds its own tests in its own
# fragment; every test speaks TAP (see LOG_DRIVER in Makefile.am).
check_LIBRARIES = tests/libcheckrun.a
tests_libcheckrun_a_SOURCES = tests/check_run.c tests/check_run.h
EXTRA_DIST += tests/lib.sh

# make bench: compiler benchmark (prints figures; not a test).
EXTRA_DIST += tests/bench/genplan.py tests/bench/compile.sh tests/bench/diff.sh \
	tests/bench/cputime.py \
	tests/bench/commands.sh tests/bench/mountinfo.py
bench: mountplan
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/tests/bench/compile.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/tests/bench/commands.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' BENCH_WARM=1 $(SHELL) $(top_srcdir)/tests/bench/commands.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/tests/bench/diff.sh
.PHONY: bench

# The shell tests themselves: each check asserts one command.
TESTS += tests/one_assert.sh
EXTRA_DIST += tests/one_assert.sh

# Every writer (YAML, JSON, SARIF, text) against hostile strings.
TESTS += tests/writers.sh
EXTRA_DIST += tests/writers.sh tests/writers.py

# Whole-program tests over the shipped plans (compiler + executor).
TESTS += tests/golden.sh tests/run-plans.sh tests/params.sh
EXTRA_DIST += tests/golden.sh tests/run-plans.sh tests/params.sh tests/check_mountinfo.py \
	tests/demo.sh tests/run-all.sh tests/setup-debian.sh tests/golden

# make check-sanitize: the compiler's tests (its Check unit tests and its
# shell tests; not the executor's, which run the static musl binary as
# root) in this build directory.  tests/run-all.sh runs it in a second
# build configured with clang -fsanitize=address,undefined.  Not
# tests/fuzz_smoke.sh either: it builds the harnesses with its own clang
# ASan+UBSan flags whatever the build's CC and CFLAGS, so there it would
# run the same binaries on the same seeds again.
check-sanitize:
	@tests=; for t in $(TESTS); do case $$t in \
	  tests/exec/*|tests/verify.sh|tests/differential.sh|tests/run-plans.sh|tests/fuzz_smoke.sh) ;; \
	  *) tests="$$tests $$t" ;; esac; done; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$$tests"
.PHONY: check-sanitize
