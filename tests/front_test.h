/*
 * front_test.h: helpers for the front end's Check tests (check_load,
 * check_shape): load YAML given as a string, and look for diagnostics.
 */
#ifndef FRONT_TEST_H
#define FRONT_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "node.h"
#include "plan.h"

/* Write len bytes of text to a fresh temporary file and load it; the
 * file's name (the sink's copy) in *file when file is not NULL. */
struct node *load_text(const char *text, size_t len, struct diag_sink *sink,
		       const char **file);

/* load_text of a NUL-terminated string. */
struct node *load_str(const char *text, struct diag_sink *sink);

/* load_text of a NUL-terminated string, then check_shape; NULL when
 * either gives no result. */
struct plan *shape_text(const char *text, struct diag_sink *sink);

struct plan_values;

/* shape_text with parameter values (params.h; NULL: none). */
struct plan *shape_text_values(const char *text, const struct plan_values *values,
			       struct diag_sink *sink);

/* A test case name added to suite s whose every test starts with *sink
 * empty and *root and *plan NULL, and ends freeing the three (root or
 * plan NULL: the tests use no such variable). */
TCase *front_tcase(Suite *s, const char *name, struct diag_sink *sink,
		   struct node **root, struct plan **plan);

/* In a test of front_tcase's: free its sink, tree and plan and start
 * again with them empty. */
void front_restart(void);

/* The index of the first diagnostic with id at line:col, or -1 (line 0:
 * any position). */
int diag_find(const struct diag_sink *sink, const char *id, uint32_t line,
	      uint32_t col);

/* Every diagnostic as "LINE:COL: ID message" lines, for failure messages
 * (a new string). */
char *diag_summary(const struct diag_sink *sink);

/* Assert that where (a position or a node) is at line:col. */
#define ck_assert_at(where, l, c)                                             \
	do {                                                                  \
		ck_assert_uint_eq((where).line, l);                           \
		ck_assert_uint_eq((where).col, c);                            \
	} while (0)

/* Assert that sink holds exactly one diagnostic: id at line:col. */
#define ck_assert_only(sink, id, line, col)                                   \
	do {                                                                  \
		char *all_ = diag_summary(sink);                              \
		ck_assert_msg((sink)->n == 1 && diag_find(sink, id, line, col) == 0, \
			      "expected only %u:%u: %s, got:\n%s", line, col, id, all_); \
		free(all_);                                                   \
	} while (0)

/* Assert that load(text, sink) (load_str or shape_text) gives nothing and
 * exactly one diagnostic, id at line:col, in a sink of its own. */
#define ck_assert_fails(load, text, id, line, col)                            \
	do {                                                                  \
		struct diag_sink sink_;                                       \
		diag_init(&sink_);                                            \
		ck_assert_ptr_null(load(text, &sink_));                       \
		ck_assert_only(&sink_, id, line, col);                        \
		diag_free(&sink_);                                            \
	} while (0)

#endif
