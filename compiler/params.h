/*
 * params.h: plan parameters (format version 2, doc/plan-format.md
 * "parameters"): the values an operator gives (`--set NAME=VALUE`, a
 * values file), the type of each parameter and its value's check, and the
 * expansion of `${name}` references in paths and option values.
 *
 * Expansion happens at compile time, in the shape pass, so the .mpb holds
 * only resolved strings and the executor knows nothing of parameters.  A
 * value is checked against its parameter's type where it was written (the
 * --set argument, the values file, the default); the string it lands in is
 * then checked by the ordinary rules (a path by normalize's path rules) at
 * the position of the use.
 */
#ifndef PARAMS_H
#define PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "plan.h"

/* One value given for a parameter. */
struct plan_value {
	char *name;
	char *text;
	struct plan_pos pos; /* of the value; file owned by the values */
	bool from_set;       /* --set (else a values file) */
};

/* The values of one command: every --set and values file, in order. */
struct plan_values {
	struct plan_value *v;
	size_t n, cap;
	struct diag_source *sources; /* "--set" (one line per --set) and each file */
	size_t n_sources;
	unsigned n_set;              /* --set arguments so far */
	const char *include_root;    /* --include-root: include: may name any file
				      * beneath it (NULL: beneath the directory
				      * of the plan named on the command line) */
	bool any_plan;               /* a --set may name a parameter the plan does
				      * not declare (diff: one plan of two may) */
};

/* Free everything vals owns (a zeroed struct is an empty set). */
void values_free(struct plan_values *vals);

/* Add `--set arg` (NAME=VALUE).  Returns NULL, or why arg is malformed
 * (a static string). */
const char *values_set(struct plan_values *vals, const char *arg);

/* Read a values file (a YAML mapping of parameter names to scalars).
 * Returns true, or false after printing its errors to stderr in format. */
bool values_read(struct plan_values *vals, const char *path,
		 enum diag_format format);

/* Register the texts of the values' sources with sink, so diagnostics at a
 * value quote it. */
void values_register(const struct plan_values *vals, struct diag_sink *sink);

/* Is file the name of one of vals' sources (--set, a values file)? */
bool values_source_named(const struct plan_values *vals, const char *file);

/* The value given for name: the last --set of it, else the last values
 * file's; NULL when none. */
const struct plan_value *values_find(const struct plan_values *vals,
				     const char *name);

/* MP-PARAM-UNKNOWN at every --set that names no parameter of plan (a
 * values file may hold values for other plans; with vals->any_plan, so
 * may --set). */
void values_check_names(const struct plan_values *vals, const struct plan *plan,
			struct diag_sink *sink);

/* Is name a parameter name: [A-Za-z_][A-Za-z0-9_]{0,63}? */
bool param_name_ok(const char *name);

/* The type words, in enum plan_param_type order, NULL-terminated. */
extern const char *const param_type_words[];

/* Why text is not a value of type, or NULL when it is one. */
const char *param_value_problem(enum plan_param_type type, const char *text);

/* Set p->value from vals (p->given) or p's default, and check it against
 * p's type: MP-PARAM-VALUE at the value, naming the declaration; p->bad
 * then. */
void param_settle(struct plan_param *p, const struct plan_values *vals,
		  struct diag_sink *sink);

/* What a string with references is. */
enum param_use {
	PARAM_USE_PATH,   /* a path: normalize checks the result */
	PARAM_USE_OPTION, /* one mount option: it must stay one option */
	PARAM_USE_TEXT,   /* other text (a symlink's contents, an id map) */
	PARAM_USE_MAX
};

/* Expand the ${name} references (and $${ escapes) of s in place against
 * plan->params.  text_col: how many columns after s->pos the text starts
 * (1 for a quoted scalar), so a reference's own column is known; -1 when
 * it is not (a value on several lines).  Reports MP-PARAM-SYNTAX,
 * MP-PARAM-UNKNOWN, MP-PARAM-UNSET, MP-PARAM-VALUE at the reference and
 * returns false; on success a string that held a reference gets a note in
 * plan->substs. */
bool params_expand(struct plan *plan, struct plan_str *s, int text_col,
		   enum param_use use, struct diag_sink *sink);

/* The substitution note of the string at pos, or NULL. */
const char *plan_subst_note(const struct plan *plan, struct plan_pos pos);

#endif
