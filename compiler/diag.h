/*
 * diag.h: diagnostics, gcc-style or JSON.
 *
 * Every pass reports into one sink; nothing is printed until the driver
 * calls diag_print, which sorts by file, line and column (a stable sort, so
 * findings at one position keep the order they were made) and shows the
 * source line with a caret:
 *
 *     plan.yaml:12:5: error: two entries for /proc [MP-DUP-TARGET]
 *        12 |   - target: /proc
 *           |     ^
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "plan.h"

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR, DIAG_SEVERITY_MAX };
enum diag_format { DIAG_TEXT, DIAG_JSON, DIAG_FORMAT_MAX };

struct diag {
	enum diag_severity severity;
	struct plan_pos pos;
	char *id;      /* rule ID, e.g. "MP-DUP-TARGET" */
	char *message; /* one line, no trailing period */
};

struct diag_source {
	char *file;        /* name as given */
	char *text;        /* whole file, NUL-terminated; NULL when unread */
	size_t len;
};

struct diag_sink {
	struct diag *items;
	size_t n, cap;
	struct diag_source *sources;
	size_t n_sources;
	size_t counts[DIAG_SEVERITY_MAX];
};

/* Initialize an empty sink. */
void diag_init(struct diag_sink *sink);

/* Free everything the sink owns (diagnostics and source copies). */
void diag_free(struct diag_sink *sink);

/* Register a file's text so diagnostics can quote it; returns the sink's
 * copy of the name, valid as plan_pos.file until diag_free.  text may be
 * NULL (file unreadable); it is copied. */
const char *diag_add_source(struct diag_sink *sink, const char *file,
			    const char *text, size_t len);

/* diag_add_source without the copy: the sink takes text (malloc'd, len
 * bytes and a NUL after them, or NULL) and frees it in diag_free. */
const char *diag_take_source(struct diag_sink *sink, const char *file,
			     char *text, size_t len);

/* Record a diagnostic at pos (line 0 means "the whole file"). */
void diag_report(struct diag_sink *sink, enum diag_severity severity,
		 struct plan_pos pos, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Append d at pos to sink, taking its id and message (left NULL in d):
 * moves a diagnostic without formatting it again. */
void diag_take(struct diag_sink *sink, struct diag *d, struct plan_pos pos);

/* Shorthand for diag_report(sink, DIAG_ERROR, ...). */
void diag_error(struct diag_sink *sink, struct plan_pos pos, const char *id,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Number of diagnostics at severity or above. */
size_t diag_count_at_least(const struct diag_sink *sink,
			   enum diag_severity severity);

/* Print every diagnostic, sorted, to out: text with source line and caret
 * (color never), or JSON (one array of objects {file,line,column,severity,
 * id,message}). */
void diag_print(struct diag_sink *sink, FILE *out, enum diag_format format);

/* Print s (UTF-8; NULL as "") to out as a quoted, escaped JSON string. */
void diag_json_string(FILE *out, const char *s);

/* "error", "warning", "note". */
const char *diag_severity_name(enum diag_severity severity);

#endif
