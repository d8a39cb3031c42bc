# The front end: load (YAML) and shape (plan model).
libplan_a_SOURCES += \
	compiler/node.h compiler/load.c compiler/shape.c compiler/plan.c

# Its tests: the loader, the shape check, and the invalid/valid corpus.
check_PROGRAMS += tests/check_load tests/check_shape tests/check_front_corpus
TESTS += tests/check_load tests/check_shape tests/check_front_corpus
tests_check_load_SOURCES = tests/check_load.c tests/front_test.c tests/front_test.h
tests_check_load_CFLAGS = $(PLAN_TEST_CPPFLAGS)
tests_check_load_LDADD = $(PLAN_TEST_LIBS)
tests_check_shape_SOURCES = tests/check_shape.c tests/front_test.c tests/front_test.h
tests_check_shape_CFLAGS = $(PLAN_TEST_CPPFLAGS)
tests_check_shape_LDADD = $(PLAN_TEST_LIBS)
tests_check_front_corpus_SOURCES = tests/check_front_corpus.c
tests_check_front_corpus_CFLAGS = $(PLAN_TEST_CPPFLAGS)
tests_check_front_corpus_LDADD = $(PLAN_TEST_LIBS)
EXTRA_DIST += $(FRONT_CORPUS)
FRONT_CORPUS = \
	tests/invalid/load-alias-key.expected \
	tests/invalid/load-alias-key.yaml \
	tests/invalid/load-aliases.expected \
	tests/invalid/load-aliases.yaml \
	tests/invalid/load-billion-laughs.expected \
	tests/invalid/load-billion-laughs.yaml \
	tests/invalid/load-comments-only.expected \
	tests/invalid/load-comments-only.yaml \
	tests/invalid/load-complex-key.expected \
	tests/invalid/load-complex-key.yaml \
	tests/invalid/load-control-char.expected \
	tests/invalid/load-control-char.yaml \
	tests/invalid/load-depth.expected \
	tests/invalid/load-depth.yaml \
	tests/invalid/load-dup-key-nested.expected \
	tests/invalid/load-dup-key-nested.yaml \
	tests/invalid/load-dup-key.expected \
	tests/invalid/load-dup-key.yaml \
	tests/invalid/load-empty-document.expected \
	tests/invalid/load-empty-document.yaml \
	tests/invalid/load-empty.expected \
	tests/invalid/load-empty.yaml \
	tests/invalid/load-merge-key.expected \
	tests/invalid/load-merge-key.yaml \
	tests/invalid/load-multi-doc.expected \
	tests/invalid/load-multi-doc.yaml \
	tests/invalid/load-recursive-alias.expected \
	tests/invalid/load-recursive-alias.yaml \
	tests/invalid/load-syntax.expected \
	tests/invalid/load-syntax.yaml \
	tests/invalid/load-tag.expected \
	tests/invalid/load-tag.yaml \
	tests/invalid/load-undefined-alias.expected \
	tests/invalid/load-undefined-alias.yaml \
	tests/invalid/load-utf16.expected \
	tests/invalid/load-utf16.yaml \
	tests/invalid/load-utf8-overlong.expected \
	tests/invalid/load-utf8-overlong.yaml \
	tests/invalid/load-utf8.expected \
	tests/invalid/load-utf8.yaml \
	tests/invalid/shape-bind-no-source.expected \
	tests/invalid/shape-bind-no-source.yaml \
	tests/invalid/shape-dev-bad.expected \
	tests/invalid/shape-dev-bad.yaml \
	tests/invalid/shape-device-missing.expected \
	tests/invalid/shape-device-missing.yaml \
	tests/invalid/shape-device-policy-bad.expected \
	tests/invalid/shape-device-policy-bad.yaml \
	tests/invalid/shape-device-range.expected \
	tests/invalid/shape-device-range.yaml \
	tests/invalid/shape-device-type-numbers.expected \
	tests/invalid/shape-device-type-numbers.yaml \
	tests/invalid/shape-device-uid-range.expected \
	tests/invalid/shape-device-uid-range.yaml \
	tests/invalid/shape-device-words.expected \
	tests/invalid/shape-device-words.yaml \
	tests/invalid/shape-many-errors.expected \
	tests/invalid/shape-many-errors.yaml \
	tests/invalid/shape-mount-propagation.expected \
	tests/invalid/shape-mount-propagation.yaml \
	tests/invalid/shape-mount-scalar.expected \
	tests/invalid/shape-mount-scalar.yaml \
	tests/invalid/shape-mount-types.expected \
	tests/invalid/shape-mount-types.yaml \
	tests/invalid/shape-mounts-mapping.expected \
	tests/invalid/shape-mounts-mapping.yaml \
	tests/invalid/shape-name-bad.expected \
	tests/invalid/shape-name-bad.yaml \
	tests/invalid/shape-name-missing.expected \
	tests/invalid/shape-name-missing.yaml \
	tests/invalid/shape-nul-in-string.expected \
	tests/invalid/shape-nul-in-string.yaml \
	tests/invalid/shape-null-and-kinds.expected \
	tests/invalid/shape-null-and-kinds.yaml \
	tests/invalid/shape-options-bad.expected \
	tests/invalid/shape-options-bad.yaml \
	tests/invalid/shape-process-types.expected \
	tests/invalid/shape-process-types.yaml \
	tests/invalid/shape-readonly-writable.expected \
	tests/invalid/shape-readonly-writable.yaml \
	tests/invalid/shape-rootfs-readonly-string.expected \
	tests/invalid/shape-rootfs-readonly-string.yaml \
	tests/invalid/shape-rootfs-words.expected \
	tests/invalid/shape-rootfs-words.yaml \
	tests/invalid/shape-symlink-missing.expected \
	tests/invalid/shape-symlink-missing.yaml \
	tests/invalid/shape-top-sequence.expected \
	tests/invalid/shape-top-sequence.yaml \
	tests/invalid/shape-umask-range.expected \
	tests/invalid/shape-umask-range.yaml \
	tests/invalid/shape-unknown-key-mask.expected \
	tests/invalid/shape-unknown-key-mask.yaml \
	tests/invalid/shape-unknown-key-mount.expected \
	tests/invalid/shape-unknown-key-mount.yaml \
	tests/invalid/shape-unknown-key-rootfs.expected \
	tests/invalid/shape-unknown-key-rootfs.yaml \
	tests/invalid/shape-unknown-key-top.expected \
	tests/invalid/shape-unknown-key-top.yaml \
	tests/invalid/shape-version-2.expected \
	tests/invalid/shape-version-2.yaml \
	tests/invalid/shape-version-missing.expected \
	tests/invalid/shape-version-missing.yaml \
	tests/invalid/shape-version-string.expected \
	tests/invalid/shape-version-string.yaml \
	tests/valid/front-aliases.yaml \
	tests/valid/front-all-keys.yaml \
	tests/valid/front-bom.yaml \
	tests/valid/front-flow.yaml \
	tests/valid/front-minimal.yaml
