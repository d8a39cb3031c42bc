# tests/exec/: the executor's own tests (assembler, malformed corpus,
# hostile rootfs, fault injection) and its benchmark.

# mpbmangle: writes the malformed .mpb corpus (links the compiler's
# program builder and the shared decoder, to build and to double-check).
check_PROGRAMS += tests/exec/mpbmangle
tests_exec_mpbmangle_SOURCES = tests/exec/mpbmangle.c
tests_exec_mpbmangle_LDADD = $(PLAN_LIBS)

# The executor's adversarial tests: each runs the real kernel, as root.
EXECTEST_TESTS = tests/exec/malformed.sh tests/exec/hostile.sh tests/exec/harden.sh \
	tests/exec/lean.sh \
	tests/exec/fault.sh tests/exec/fallback.sh tests/exec/cond.sh \
	tests/exec/freshroot.sh tests/exec/namespaces.sh tests/exec/pidns.sh \
	tests/exec/hostdev.sh tests/exec/size.sh tests/exec/relpath.sh \
	tests/exec/inherit.sh tests/exec/nodeacl.sh tests/exec/racing.sh \
	tests/exec/nodeowner.sh tests/exec/anchored.sh \
	tests/exec/named.sh
TESTS += $(EXECTEST_TESTS)
EXTRA_DIST += $(EXECTEST_TESTS)

# The benchmark (make bench-exec; prints figures, not a test): benchrun
# times interleaved runs; two references, static and built like the
# executor: naive is the floor (runc-default's mounts with plain mount(2)
# on string paths, no openat2, no checks), handwritten the same safe
# syscalls as the executor by hand.
check_PROGRAMS += tests/exec/benchrun
tests_exec_benchrun_SOURCES = tests/exec/benchrun.c
tests_exec_benchrun_LDADD =
check_SCRIPTS += tests/exec/handwritten tests/exec/naive tests/exec/intruder
CLEANFILES += tests/exec/handwritten tests/exec/naive tests/exec/intruder
EXTRA_DIST += tests/exec/handwritten.c tests/exec/naive.c tests/exec/runc_nodes.h \
	tests/exec/bench.sh tests/exec/intruder.c
tests/exec/handwritten: tests/exec/handwritten.c tests/exec/runc_nodes.h
	@$(MKDIR_P) tests/exec
	$(AM_V_CC)$(EXEC_CC) -static -O2 $(WARN_CFLAGS) -o $@ $(srcdir)/tests/exec/handwritten.c
tests/exec/naive: tests/exec/naive.c tests/exec/runc_nodes.h
	@$(MKDIR_P) tests/exec
	$(AM_V_CC)$(EXEC_CC) -static -O2 $(WARN_CFLAGS) -o $@ $(srcdir)/tests/exec/naive.c
# intruder: a hostile container's process (tests/exec/inherit.sh)
tests/exec/intruder: tests/exec/intruder.c
	@$(MKDIR_P) tests/exec
	$(AM_V_CC)$(EXEC_CC) -static -O2 $(WARN_CFLAGS) -o $@ $(srcdir)/tests/exec/intruder.c

bench-exec: mountplan mountplan-exec mountplan-exec-test tests/exec/benchrun \
		tests/exec/handwritten tests/exec/naive
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/tests/exec/bench.sh
.PHONY: bench-exec
