# Ecosystem: bash completion for mountplan, plan-check and mountplan-exec
# (one file, linked under each command's name, which bash-completion
# looks up), and pre-commit's hooks file (.pre-commit-hooks.yaml, used
# from the repository).  The links are removed by lint.mk's
# uninstall-hook.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/mountplan.bash
COMPLETION_LINKS = plan-check.bash mountplan-exec.bash
install-data-hook:
	cd $(DESTDIR)$(bashcompletiondir) && for l in $(COMPLETION_LINKS); do \
		rm -f $$l && $(LN_S) mountplan.bash $$l; done
EXTRA_DIST += .pre-commit-hooks.yaml
TESTS += tests/ecosystem.sh
EXTRA_DIST += tests/ecosystem.sh
