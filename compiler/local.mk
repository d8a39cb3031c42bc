# compiler/: the mountplan CLI.  libplan.a holds every pass so the Check
# tests link the same code as the binary; front.mk and back.mk add to it.
noinst_LIBRARIES += libplan.a
libplan_a_SOURCES = \
	compiler/diag.c compiler/diag.h \
	compiler/util.c compiler/util.h \
	compiler/cli.c compiler/cli.h \
	compiler/json_write.c compiler/json_write.h \
	compiler/plan.h compiler/passes.h \
	compiler/prog.c compiler/prog.h compiler/commands.h \
	executor/mpb.c executor/mpb.h executor/mp_ops.h
libplan_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(MOUNT_CFLAGS)

bin_PROGRAMS += mountplan
mountplan_SOURCES = compiler/main.c
mountplan_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(MOUNT_CFLAGS)
mountplan_LDADD = libplan.a $(YAML_LIBS) $(MOUNT_LIBS)

# What every Check test compiles and links with (named _CPPFLAGS/_LIBS only
# so automake does not take them for a program's variables).
PLAN_TEST_CPPFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(YAML_CFLAGS) $(MOUNT_CFLAGS)
PLAN_TEST_LIBS = tests/libcheckrun.a libplan.a $(CHECK_LIBS) $(YAML_LIBS) $(MOUNT_LIBS)
