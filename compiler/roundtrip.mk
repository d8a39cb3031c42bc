# Round trips: simulate (predicted table), verify, diff, OCI import/export.
libplan_a_SOURCES += \
	compiler/simulate.c compiler/simulate.h \
	compiler/table_cmd.c compiler/verify.c \
	compiler/diff.c compiler/diff.h compiler/diff_out.c \
	compiler/diff_cmd.c compiler/oci.h compiler/oci.c compiler/oci_import.c \
	compiler/oci_export.c compiler/hostnode.c compiler/hostnode.h

# Tests: the simulation on C-built plans; verify/diff/OCI on the command
# line; the differential test against runc and crun.
TESTS += tests/verify.sh tests/diff.sh tests/review.sh tests/oci.sh
EXTRA_DIST += tests/verify.sh tests/diff.sh tests/review.sh tests/review tests/oci.sh
TESTS += tests/differential.sh
EXTRA_DIST += tests/differential.sh tests/differential.known
check_PROGRAMS += tests/check_simulate
TESTS += tests/check_simulate
tests_check_simulate_SOURCES = tests/check_simulate.c
dist_doc_DATA += doc/roundtrip.md
# diff's property over random plan mutations (seeded: DIFF_SEED,
# DIFF_CASES change the run).
check_PROGRAMS += tests/check_diff
TESTS += tests/check_diff
tests_check_diff_SOURCES = tests/check_diff.c
