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
	for (size_t k = 0; k < from->n_sources; k++) {
		const struct diag_source *src = &from->sources[k];
		names[k] = diag_add_source(to, src->file, src->text, src->len);
	}
	for (size_t i = 0; i < from->n; i++) {
		const struct diag *d = &from->items[i];
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
		diag_report(to, d->severity, pos, d->id, "%s", d->message);
	}
	free(names);
	diag_free(from);
}

/* Lint one plan file; see lint.h. */
int lint_file(const char *path, const struct plan_values *values,
	      const struct suppress *s, struct diag_sink *out)
{
	struct diag_sink tmp;
	struct suppress_file **fs;
	struct plan *plan;
	struct plan_pos root = { 0 };
	uint32_t root_last = 0;
	size_t first = out->n_sources; /* where tmp's sources land in out */
	size_t n;
	int io = 0;

	diag_init(&tmp);
	plan = plan_from_file(path, values, &tmp, &io);
	if (plan) {
		rules_run(plan, s->enabled, &tmp);
		root = plan->rootfs_pos;
		root_last = plan->rootfs_last_line;
	}
	plan_free(plan);
	/* the inline suppressions of the plan's files (it and what it
	 * includes; not the --set line or a values file) */
	n = tmp.n_sources;
	fs = xcalloc(n + 1, sizeof(*fs));
	for (size_t k = 0; k < n; k++)
		if (tmp.sources[k].text && !values_source_named(values, tmp.sources[k].file))
			fs[k] = suppress_scan(tmp.sources[k].file, tmp.sources[k].text,
					      tmp.sources[k].len, &tmp);
	/* the rootfs: mapping is one block for suppressions */
	for (size_t k = 0; k < n; k++)
		if (root_last && root.file && strcmp(root.file, tmp.sources[k].file) == 0)
			suppress_file_block(fs[k], root.line, root_last);
	lint_transfer(&tmp, out, s, fs);
	/* the unused ones, once every finding has been matched; named as out
	 * names each file, and filtered like any finding */
	for (size_t k = 0; k < n; k++)
		suppress_report_unused(fs[k], out->sources[first + k].file, &tmp);
	lint_transfer(&tmp, out, s, NULL);
	for (size_t k = 0; k < n; k++)
		suppress_file_free(fs[k]);
	free(fs);
	return io ? 2 : 0;
}
