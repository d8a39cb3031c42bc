# compiler/: the mountplan CLI.  libplan.a holds every pass so the Check
# tests link the same code as the binary; front.mk and back.mk add to it.
noinst_LIBRARIES += libplan.a
libplan_a_SOURCES = \
	compiler/diag.c compiler/diag.h \
	compiler/util.c compiler/util.h \
	compiler/cli.c compiler/cli.h \
	compiler/json_write.c compiler/json_write.h \
	compiler/yaml_write.c compiler/yaml_write.h \
	compiler/plan.h compiler/passes.h \
	compiler/prog.c compiler/prog.h compiler/commands.h \
	executor/mpb.c executor/mpb.h executor/mp_ops.h executor/glob.c

bin_PROGRAMS += mountplan
mountplan_SOURCES = compiler/main.c
mountplan_LDADD = $(PLAN_LIBS)

# What links the compiler's code, and what every Check test links with
# (the default LDADD, Makefile.am).
PLAN_LIBS = libplan.a $(YAML_LIBS) $(MOUNT_LIBS) $(PTHREAD_LIBS)
PLAN_TEST_LIBS = tests/libcheckrun.a $(PLAN_LIBS) $(CHECK_LIBS)
