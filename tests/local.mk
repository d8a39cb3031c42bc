# tests/: shared test helpers.  Each area adds its own tests in its own
# fragment; every test speaks TAP (see LOG_DRIVER in Makefile.am).
check_LIBRARIES = tests/libcheckrun.a
tests_libcheckrun_a_SOURCES = tests/check_run.c tests/check_run.h
tests_libcheckrun_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
EXTRA_DIST += tests/lib.sh
