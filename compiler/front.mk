# The front end: load (YAML) and shape (plan model).
libplan_a_SOURCES += \
	compiler/node.h compiler/load.c compiler/json_read.c compiler/json_read.h \
	compiler/shape.c compiler/plan.c \
	compiler/params.c compiler/params.h compiler/include.c \
	compiler/fstypes.c compiler/fstypes.h

# Its tests: the loader, the shape check, and the invalid/valid corpus.
check_PROGRAMS += tests/check_load tests/check_shape tests/check_front_corpus \
	tests/check_params tests/check_include
TESTS += tests/check_load tests/check_shape tests/check_front_corpus \
	tests/check_params tests/check_include
FRONT_TEST = tests/front_test.c tests/front_test.h
tests_check_load_SOURCES = tests/check_load.c $(FRONT_TEST)
tests_check_shape_SOURCES = tests/check_shape.c $(FRONT_TEST)
tests_check_params_SOURCES = tests/check_params.c $(FRONT_TEST)
tests_check_include_SOURCES = tests/check_include.c
tests_check_front_corpus_SOURCES = tests/check_front_corpus.c
# The corpus: tests/invalid (shipped whole by back.mk) and tests/valid.
EXTRA_DIST += tests/valid
