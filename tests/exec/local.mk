# tests/exec/: the executor's own tests (assembler, malformed corpus,
# hostile rootfs, fault injection) and its benchmark.

# mpbmangle: writes the malformed .mpb corpus (links the compiler's
# program builder and the shared decoder, to build and to double-check).
check_PROGRAMS += tests/exec/mpbmangle
tests_exec_mpbmangle_SOURCES = tests/exec/mpbmangle.c
tests_exec_mpbmangle_LDADD = libplan.a $(YAML_LIBS) $(MOUNT_LIBS)

TESTS += tests/exec/malformed.sh
EXTRA_DIST += tests/exec/malformed.sh
