# doc/: formats, rules, man pages.
dist_doc_DATA += doc/mpb-format.md
dist_doc_DATA += doc/diagnostics.md
dist_doc_DATA += doc/plan-format.md doc/seed-systems.md doc/fuzzing.md \
	doc/performance.md
dist_man_MANS += doc/mountplan.1
