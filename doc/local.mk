# doc/: formats, rules, man pages.
dist_doc_DATA += doc/mpb-format.md
dist_doc_DATA += doc/diagnostics.md
