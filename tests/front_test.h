/*
 * front_test.h: helpers for the front end's Check tests (check_load,
 * check_shape): load YAML given as a string, and look for diagnostics.
 */
#ifndef FRONT_TEST_H
#define FRONT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "node.h"
#include "plan.h"

/* Write len bytes of text to a fresh temporary file and load it; the
 * file's name (the sink's copy) in *file when file is not NULL. */
struct node *load_text(const char *text, size_t len, struct diag_sink *sink,
		       const char **file);

/* load_text of a NUL-terminated string, then check_shape; NULL when
 * either gives no result. */
struct plan *shape_text(const char *text, struct diag_sink *sink);

/* The index of the first diagnostic with id at line:col, or -1 (line 0:
 * any position). */
int diag_find(const struct diag_sink *sink, const char *id, uint32_t line,
	      uint32_t col);

/* Every diagnostic as "LINE:COL: ID message" lines, for failure messages
 * (a new string). */
char *diag_summary(const struct diag_sink *sink);

#endif
