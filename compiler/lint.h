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

struct plan;
struct plan_values;

/* Lint the plan file path ("-": standard input), with the parameter
 * values values (may be NULL), into out: every finding
 * the suppressions keep, with the file's text registered so they print
 * with a caret.  Returns 0, or 2 on an I/O error (reported in out). */
int lint_file(const char *path, const struct plan_values *values,
	      const struct suppress *s, struct diag_sink *out);

/* lint_file's second half, on a plan already built by the compiler's
 * passes (plan_from_file or input_open_plan; may be NULL) whose
 * diagnostics and sources are in found: run the rules into found, then
 * move what the suppressions keep into out.  found is emptied. */
void lint_plan(const struct plan *plan, struct diag_sink *found,
	       const struct plan_values *values, const struct suppress *s,
	       struct diag_sink *out);

/* At `mountplan compile`, on a plan without errors built by
 * plan_from_file into sink: add to sink the findings of the rules
 * compile runs too (rule_at_compile), as plan-check reports them and
 * minus those the plan's inline suppressions drop. */
void lint_compile(const struct plan *plan, const struct plan_values *values,
		  struct diag_sink *sink);

/* Move what from holds into to: its sources, and each diagnostic that
 * suppress_drops(s, fs[k], ...) keeps, fs[k] being the inline
 * suppressions of the diagnostic's file from->sources[k] (fs may be NULL,
 * and so may each fs[k]).  from is emptied. */
void lint_transfer(struct diag_sink *from, struct diag_sink *to,
		   const struct suppress *s, struct suppress_file *const *fs);

#endif
