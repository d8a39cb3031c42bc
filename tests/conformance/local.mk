# OCI conformance: the mount cases of runc's, crun's, runtime-tools' and
# bubblewrap's own suites, under runc, crun or bwrap and then under
# mountplan (README.md, doc/roundtrip.md "Conformance").
TESTS += tests/conformance/conformance.sh
EXTRA_DIST += tests/conformance/conformance.sh tests/conformance/run.py \
	tests/conformance/conformance.py tests/conformance/cases_runc.py \
	tests/conformance/cases_crun.py tests/conformance/cases_runtime_tools.py \
	tests/conformance/cases_bwrap.py

# make conformance: the suite alone, one line per case and runtime
# (RUNTIME=mountplan, runc, crun or bwrap, or a comma list; CASE=substring).
conformance: mountplan mountplan-exec
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(PYTHON3) $(top_srcdir)/tests/conformance/run.py \
		--runtime "$${RUNTIME:-runc,crun,bwrap,mountplan}" --case "$${CASE:-}"
.PHONY: conformance
