# executor/: mountplan-exec, a static binary built with $(EXEC_CC) (musl
# when configure found musl-gcc, glibc -static otherwise); it links nothing
# but libc.  Automake cannot switch compilers per program, so the binary
# has an explicit rule and is installed as a "script".
EXEC_SRCS = executor/main.c executor/replay.c executor/ops_setup.c \
	executor/ops_node.c executor/ops_late.c executor/resolve.c \
	executor/mnt.c executor/copyup.c executor/userns.c executor/process.c \
	executor/planfile.c executor/fmt.c executor/mpb.c executor/cond.c \
	executor/detach.c executor/pidns.c executor/hostdev.c executor/glob.c
EXEC_HDRS = executor/mp_ops.h executor/mpb.h executor/exec.h executor/sys.h
EXTRA_DIST += $(EXEC_SRCS) $(EXEC_HDRS)

# -flto: link-time optimization across the executor's files (1,199
# bytes of code less at -Os, the same behaviour: doc/executor.md, "Size").
EXEC_CFLAGS = -std=gnu11 -Os -flto -static -D_GNU_SOURCE -ffunction-sections \
	-fdata-sections -fno-asynchronous-unwind-tables -Wl,--gc-sections \
	$(EXEC_LDFLAGS)
EXEC_BUILD = $(EXEC_CC) $(EXEC_CFLAGS) $(WARN_CFLAGS) \
	-I$(srcdir)/executor -DMP_PACKAGE_VERSION='"$(PACKAGE_VERSION)"' \
	-DMP_EXEC_LIBC='"$(EXEC_LIBC)"'

bin_SCRIPTS += mountplan-exec
CLEANFILES += mountplan-exec mountplan-exec-test
mountplan-exec: $(EXEC_SRCS) $(EXEC_HDRS)
	$(AM_V_CCLD)srcs=; for f in $(EXEC_SRCS); do srcs="$$srcs $(srcdir)/$$f"; done; \
	$(EXEC_BUILD) -o $@ $$srcs

# The test build: MP_FAULT_OP=N makes op N fail with EIO before it changes
# anything; MP_FORCE_FALLBACK=1 uses mount(2) on /proc/self/fd/N
# throughout.  The installed binary has neither.
check_SCRIPTS += mountplan-exec-test
mountplan-exec-test: $(EXEC_SRCS) $(EXEC_HDRS)
	$(AM_V_CCLD)srcs=; for f in $(EXEC_SRCS); do srcs="$$srcs $(srcdir)/$$f"; done; \
	$(EXEC_BUILD) -DMP_TEST_HOOKS -o $@ $$srcs

# mpbasm: a text op list -> .mpb (syntax at the top of the file and in
# doc/executor.md), so tests can craft any op sequence without the compiler.
check_PROGRAMS += tests/exec/mpbasm
tests_exec_mpbasm_SOURCES = tests/exec/mpbasm.c
tests_exec_mpbasm_LDADD = $(PLAN_LIBS)

# Each op kind on a busybox rootfs, in a private mount namespace.
TESTS += tests/exec/smoke.sh
EXTRA_DIST += tests/exec/smoke.sh tests/mkrootfs.sh

dist_man_MANS += doc/mountplan-exec.8
dist_doc_DATA += doc/executor.md
