# The back end: normalize, validate, order, lower, emit, dump; the driver.
libplan_a_SOURCES += \
	compiler/options.c compiler/options.h compiler/paths.c compiler/paths.h \
	compiler/normalize.c compiler/validate.c compiler/order.c \
	compiler/lower.c compiler/emit.c compiler/pipeline.c \
	compiler/dump.c compiler/dump.h compiler/compile_cmd.c

# Check tests of the back-end passes, on plans built in C (plan_fixture).
check_PROGRAMS += tests/check_options tests/check_validate tests/check_order \
	tests/check_emit
TESTS += tests/check_options tests/check_validate tests/check_order \
	tests/check_emit
BACK_FIXTURE = tests/plan_fixture.c tests/plan_fixture.h
tests_check_options_SOURCES = tests/check_options.c $(BACK_FIXTURE)
tests_check_validate_SOURCES = tests/check_validate.c $(BACK_FIXTURE)
tests_check_order_SOURCES = tests/check_order.c $(BACK_FIXTURE)
tests_check_emit_SOURCES = tests/check_emit.c $(BACK_FIXTURE)

# Command-line tests: the invalid-plan corpus and the compile/dump CLI.
TESTS += tests/invalid.sh tests/cli.sh tests/inputs.sh tests/untrusted.sh
EXTRA_DIST += tests/invalid.sh tests/cli.sh tests/inputs.sh tests/untrusted.sh tests/invalid
