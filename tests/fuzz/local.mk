# tests/fuzz/: libFuzzer harnesses (doc/fuzzing.md).  `make fuzz
# FUZZ_SECONDS=N` builds them with clang (ASan+UBSan) outside automake's
# own compiler, replays tests/fuzz/regress/ and runs each harness for N
# seconds; it fails on any crash or sanitizer report.
FUZZ_HARNESSES = tests/fuzz/fuzz_pipeline.c tests/fuzz/fuzz_mpb.c \
	tests/fuzz/fuzz_import_oci.c tests/fuzz/fuzz_mountinfo.c \
	tests/fuzz/fuzz_check.c tests/fuzz/fuzz_diff.c tests/fuzz/fuzz_json.c \
	tests/fuzz/fuzz_fmt.c tests/fuzz/fuzz_include.c
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/coverage.sh tests/fuzz/fuzz.h tests/fuzz/fuzz.c \
	tests/fuzz/plan.dict tests/fuzz/cov-floor tests/fuzz/regress $(FUZZ_HARNESSES)
# The inputs the fuzzers found, replayed through the CLI by every make check.
TESTS += tests/fuzz_regress.sh
EXTRA_DIST += tests/fuzz_regress.sh
# What tests/fuzz/run.sh needs from the build, for make fuzz and the
# suite's tests/fuzz_smoke.sh alike.
FUZZ_ENV = FUZZ_SOURCES='$(libplan_a_SOURCES) $(nodist_libplan_a_SOURCES)' \
	FUZZ_CPPFLAGS='-D_GNU_SOURCE -I$(abs_top_srcdir)/executor -I$(abs_top_srcdir)/compiler $(YAML_CFLAGS) $(MOUNT_CFLAGS)' \
	FUZZ_LIBS='$(YAML_LIBS) $(MOUNT_LIBS)'
FUZZ_SECONDS = 10
fuzz: mountplan
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' FUZZ_SECONDS='$(FUZZ_SECONDS)' $(FUZZ_ENV) \
	$(SHELL) $(srcdir)/tests/fuzz/run.sh
.PHONY: fuzz
# make fuzz-coverage: what the harnesses reach, per parser file, under
# clang's source-based coverage (tests/fuzz/coverage.sh; figures, not a
# test).  FUZZ_COV_CORPUS: directories of corpora (default: make fuzz's).
fuzz-coverage: mountplan
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(FUZZ_ENV) $(SHELL) $(srcdir)/tests/fuzz/coverage.sh
.PHONY: fuzz-coverage
# Every harness built as make fuzz builds it and run once over its seeds
# and regression inputs (run.sh with FUZZ_SECONDS=0): a broken property
# fails make check, not only make fuzz.
TESTS += tests/fuzz_smoke.sh
EXTRA_DIST += tests/fuzz_smoke.sh
AM_TESTS_ENVIRONMENT += export $(FUZZ_ENV);
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz-cov tests/fuzz/obj tests/fuzz/corpus tests/fuzz/seeds tests/fuzz/crashes \
		tests/fuzz/fuzz_pipeline tests/fuzz/fuzz_mpb tests/fuzz/fuzz_import_oci \
		tests/fuzz/fuzz_mountinfo tests/fuzz/fuzz_check tests/fuzz/fuzz_diff tests/fuzz/fuzz_json tests/fuzz/fuzz_fmt \
		tests/fuzz/fuzz_include \
		tests/fuzz/libplan-fuzz.a tests/fuzz/*.log
.PHONY: clean-fuzz
