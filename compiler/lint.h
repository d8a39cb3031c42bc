/*
 * lint.h: plan-check on one plan file: the compiler's passes (load,
 * shape, normalize, validate, order; their errors are findings as
 * errors), then every enabled rule (rules.h), then the suppressions
 * (suppress.h).
 */
#ifndef LINT_H
#define LINT_H

#include "diag.h"
#include "suppress.h"

struct plan_values;

/* Lint the plan file path ("-": standard input), with the parameter
 * values values (may be NULL), into out: every finding
 * the suppressions keep, with the file's text registered so they print
 * with a caret.  Returns 0, or 2 on an I/O error (reported in out). */
int lint_file(const char *path, const struct plan_values *values,
	      const struct suppress *s, struct diag_sink *out);

/* Move what from holds into to: its sources, and each diagnostic that
 * suppress_drops(s, fs[k], ...) keeps, fs[k] being the inline
 * suppressions of the diagnostic's file from->sources[k] (fs may be NULL,
 * and so may each fs[k]).  from is emptied. */
void lint_transfer(struct diag_sink *from, struct diag_sink *to,
		   const struct suppress *s, struct suppress_file *const *fs);

#endif
