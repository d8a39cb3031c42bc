/*
 * lint.c: plan-check on one file: compiler passes, rules, suppressions.
 */
#include <stdlib.h>
#include <string.h>
#include "lint.h"
#include "params.h"
#include "passes.h"
#include "rules.h"
#include "util.h"

/* Move from's diagnostics into to; see lint.h. */
void lint_transfer(struct diag_sink *from, struct diag_sink *to,
		   const struct suppress *s, struct suppress_file *const *fs)
{
	const char **names = NULL;

	if (from->n_sources)
		names = xcalloc(from->n_sources, sizeof(*names));
	for (size_t k = 0; k < from->n_sources; k++) { /* the texts move */
		struct diag_source *src = &from->sources[k];

		names[k] = diag_take_source(to, src->file, src->text, src->len);
		src->text = NULL;
	}
	for (size_t i = 0; i < from->n; i++) {
		struct diag *d = &from->items[i];
		struct plan_pos pos = d->pos;
		struct suppress_file *f = NULL;

		for (size_t k = 0; k < from->n_sources; k++)
			if (pos.file && (pos.file == from->sources[k].file ||
					 strcmp(pos.file, from->sources[k].file) == 0)) {
				pos.file = names[k];
				f = fs ? fs[k] : NULL;
				break;
			}
		if (suppress_drops(s, f, d))
			continue;
		diag_take(to, d, pos);
	}
	free(names);
	diag_free(from);
}

/* lint_plan, reporting the inline suppressions that matched nothing
 * when report_unused (not at compile, which runs only a few rules). */
static void lint_run(const struct plan *plan, struct diag_sink *found,
		     const struct plan_values *values, const struct suppress *s,
		     struct diag_sink *out, bool report_unused)
{
	struct suppress_file **fs;
	size_t first = out->n_sources; /* where found's sources land in out */
	size_t n;

	if (plan)
		rules_run(plan, s->enabled, found);
	/* the inline suppressions of the plan's files (it and what it
	 * includes; not the --set line or a values file) */
	n = found->n_sources;
	fs = xcalloc(n + 1, sizeof(*fs));
	for (size_t k = 0; k < n; k++)
		if (found->sources[k].text && !values_source_named(values, found->sources[k].file))
			fs[k] = suppress_scan(found->sources[k].file, found->sources[k].text,
					      found->sources[k].len, found);
	/* the rootfs: mapping is one block for suppressions */
	for (size_t k = 0; k < n; k++)
		if (plan && plan->rootfs_last_line && plan->rootfs_pos.file &&
		    strcmp(plan->rootfs_pos.file, found->sources[k].file) == 0)
			suppress_file_block(fs[k], plan->rootfs_pos.line, plan->rootfs_last_line);
	lint_transfer(found, out, s, fs);
	/* the unused ones, once every finding has been matched; named as out
	 * names each file, and filtered like any finding */
	for (size_t k = 0; report_unused && k < n; k++)
		suppress_report_unused(fs[k], out->sources[first + k].file, found);
	lint_transfer(found, out, s, NULL);
	for (size_t k = 0; k < n; k++)
		suppress_file_free(fs[k]);
	free(fs);
}

/* Lint a plan already built; see lint.h. */
void lint_plan(const struct plan *plan, struct diag_sink *found,
	       const struct plan_values *values, const struct suppress *s,
	       struct diag_sink *out)
{
	lint_run(plan, found, values, s, out, true);
}

/* compile's warnings; see lint.h. */
void lint_compile(const struct plan *plan, const struct plan_values *values,
		  struct diag_sink *sink)
{
	struct suppress s;
	struct diag_sink found, out;

	suppress_init(&s);
	for (size_t i = 0; i < n_rules; i++)
		s.enabled[i] = rule_at_compile(&rules[i]);
	/* the rules run in a copy of sink's sources: the plan's positions
	 * name sink's files, which must outlive this */
	diag_init(&found);
	diag_init(&out);
	for (size_t k = 0; k < sink->n_sources; k++)
		diag_add_source(&found, sink->sources[k].file, sink->sources[k].text,
				sink->sources[k].len);
	lint_run(plan, &found, values, &s, &out, false);
	for (size_t i = 0; i < out.n; i++) {
		struct plan_pos pos = out.items[i].pos;

		for (size_t k = 0; k < out.n_sources && k < sink->n_sources; k++)
			if (pos.file == out.sources[k].file)
				pos.file = sink->sources[k].file;
		diag_report(sink, out.items[i].severity, pos, out.items[i].id, "%s",
			    out.items[i].message);
	}
	diag_free(&out);
	suppress_free(&s);
}

/* Lint one plan file; see lint.h. */
int lint_file(const char *path, const struct plan_values *values,
	      const struct suppress *s, struct diag_sink *out)
{
	struct diag_sink tmp;
	struct plan *plan;
	int io = 0;

	diag_init(&tmp);
	plan = plan_from_file(path, values, &tmp, &io);
	lint_plan(plan, &tmp, values, s, out);
	plan_free(plan);
	return io ? 2 : 0;
}
