# Round trips: simulate (predicted table), verify, diff, OCI import/export.
libplan_a_SOURCES += \
	compiler/simulate.c compiler/simulate.h \
	compiler/json_write.c compiler/json_write.h \
	compiler/plan_input.c compiler/plan_input.h \
	compiler/table_cmd.c compiler/verify.c \
	compiler/diff.c compiler/oci.h compiler/oci_import.c \
	compiler/oci_export.c

# Tests: the simulation on C-built plans; verify/diff/OCI on the command
# line; the differential test against runc and crun.
TESTS += tests/verify.sh
EXTRA_DIST += tests/verify.sh
