# plan-check: rules, suppressions, SARIF; cmd_check and cmd_explain.
libplan_a_SOURCES += \
	compiler/rules.c compiler/rules.h \
	compiler/suppress.c compiler/suppress.h \
	compiler/lint.c compiler/lint.h \
	compiler/sarif.c compiler/sarif.h \
	compiler/check_cmd.c
# `mountplan explain` prints doc pages embedded at build time, so it works
# from the build tree and after install alike.
nodist_libplan_a_SOURCES = compiler/rules_doc.c
CLEANFILES += compiler/rules_doc.c
EXTRA_DIST += compiler/embed-doc.awk
compiler/rules_doc.c: $(srcdir)/compiler/embed-doc.awk $(srcdir)/doc/rules.md \
		$(srcdir)/doc/diagnostics.md
	$(MKDIR_P) compiler
	$(AWK) -f $(srcdir)/compiler/embed-doc.awk $(srcdir)/doc/rules.md \
		$(srcdir)/doc/diagnostics.md >$@.tmp && mv $@.tmp $@

# Installed also as plan-check (main.c dispatches on argv[0]).
install-exec-hook:
	cd $(DESTDIR)$(bindir) && rm -f plan-check$(EXEEXT) && \
		$(LN_S) mountplan$(EXEEXT) plan-check$(EXEEXT)
uninstall-hook:
	rm -f $(DESTDIR)$(bindir)/plan-check$(EXEEXT)
	cd $(DESTDIR)$(bashcompletiondir) && rm -f $(COMPLETION_LINKS)

dist_doc_DATA += doc/rules.md
dist_man_MANS += doc/plan-check.1

# Tests: the rules on C-built plans and on YAML plans with the exact
# expected positions; JSON/SARIF output; the command line; the shipped plans.
check_PROGRAMS += tests/check_lint
TESTS += tests/check_lint tests/lint_rules.sh tests/check_sarif.sh \
	tests/plan_check_cli.sh tests/lint_plans.sh
tests_check_lint_SOURCES = tests/check_lint.c tests/plan_fixture.c tests/plan_fixture.h
EXTRA_DIST += tests/lint_rules.sh tests/check_sarif.sh tests/plan_check_cli.sh \
	tests/lint_plans.sh tests/lint tests/data/sarif-schema-2.1.0.json

# make bench-check: plan-check on a generated 10,000-entry plan (prints
# the figure; not a test).  Target: <= 0.2 s.
EXTRA_DIST += tests/bench/check.sh
bench-check: mountplan
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/tests/bench/check.sh
.PHONY: bench-check
