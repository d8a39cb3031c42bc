/*
 * table_cmd.c: `mountplan table PLAN`, the predicted mount table.
 *
 * The plan (.yaml compiled in memory, or .mpb) is simulated op by op
 * (simulate.c) and printed in mount order, one mount a line: mount point,
 * type, source, VFS options, propagation, the plan position of the op
 * that made it (FILE:LINE:COL: with include:, the file it came from), and
 * when the mount depends on something the plan cannot know, the condition.  A type the host decides
 * (a bind) is "-"; a mask is "tmpfs|T" (a directory: read-only tmpfs; a
 * file: the container's /dev/null, on a T), its options "A|B" likewise.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"
#include "json_write.h"
#include "mpb.h"
#include "simulate.h"
#include "util.h"

/* The type column of m (a new string, escaped for text). */
static char *type_text(const struct sim_mount *m)
{
	char *raw = m->has_alt ? xasprintf("%s|%s", m->fstype ? m->fstype : "-",
					   m->alt_fstype ? m->alt_fstype : "-")
			       : xstrdup(m->fstype ? m->fstype : "-");
	char *text = text_escaped(raw);

	free(raw);
	return text;
}

/* The options column of m (a new string, escaped for text): "A|B" when
 * a mask's or a cgroup's other case differs. */
static char *options_text(const struct sim_mount *m)
{
	char a[256], b[256], *raw, *text;

	sim_option_words(m, a, sizeof a);
	if (m->has_alt)
		sim_attr_words(m->alt_attrs, m->alt_known, b, sizeof b);
	if (!m->has_alt || strcmp(a, b) == 0)
		raw = xstrdup(*a ? a : "-");
	else
		raw = xasprintf("%s|%s", *a ? a : "-", *b ? b : "-");
	text = text_escaped(raw);
	free(raw);
	return text;
}

/* Where the op that made m was written, "FILE:LINE:COL" (a new string,
 * escaped for text when text). */
static char *from_text(const struct mpb *mpb, const struct sim_mount *m, bool text)
{
	struct mp_srcpos pos;
	char *raw, *out;

	mpb_srcpos(mpb, m->op, &pos);
	raw = xasprintf("%s:%u:%u", mpb_str(mpb, pos.file), pos.line, pos.col);
	if (!text)
		return raw;
	out = text_escaped(raw);
	free(raw);
	return out;
}

/* One row of the text table, its cells made once. */
struct text_row {
	char *target, *type, *source, *opts;
};

/* A copy of cell (malloc'd, freed) in the arena a: the cells of every
 * row are kept until the lines are printed, and as a malloc each (with
 * its header and rounding) they made the peak memory of the 200k bench
 * plan's table 12 MB higher (doc/performance.md). */
static char *cell_kept(struct arena *a, char *cell)
{
	char *kept = arena_strdup(a, cell);

	free(cell);
	return kept;
}

/* Print t, simulated from mpb, as aligned text columns.  Each cell is
 * made once (widths first, then the lines). */
static void print_text(FILE *out, const struct mpb *mpb, const struct sim_table *t)
{
	int w_target = 11, w_type = 4, w_source = 6, w_opts = 7, w_prop = 11;
	struct text_row *rows = xcalloc(t->n ? t->n : 1, sizeof(*rows));
	struct arena cells = { 0 };

	for (size_t i = 0; i < t->n; i++) {
		const struct sim_mount *m = &t->mounts[i];
		struct text_row *r = &rows[i];
		int l;

		r->type = cell_kept(&cells, type_text(m));
		r->opts = cell_kept(&cells, options_text(m));
		r->target = cell_kept(&cells, text_escaped(m->target));
		r->source = cell_kept(&cells, text_escaped(m->source ? m->source : "-"));
		if ((l = (int)strlen(r->target)) > w_target)
			w_target = l;
		if ((l = (int)strlen(r->type)) > w_type)
			w_type = l;
		if ((l = (int)strlen(r->source)) > w_source)
			w_source = l;
		if ((l = (int)strlen(r->opts)) > w_opts)
			w_opts = l;
		if ((l = (int)strlen(sim_propagation_name(m->propagation))) > w_prop)
			w_prop = l;
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w_target, "MOUNT POINT", w_type,
		"TYPE", w_source, "SOURCE", w_opts, "OPTIONS", w_prop, "PROPAGATION", "FROM");
	for (size_t i = 0; i < t->n; i++) {
		const struct sim_mount *m = &t->mounts[i];
		struct text_row *r = &rows[i];
		const char *cond = sim_mount_cond(m);
		char *from = from_text(mpb, m, true);

		fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %s", w_target, r->target, w_type,
			r->type, w_source, r->source, w_opts, r->opts, w_prop,
			sim_propagation_name(m->propagation), from);
		free(from);
		if (*cond) {
			fputs("  (", out);
			text_string(out, cond);
			fputc(')', out);
		}
		if (m->open_below)
			fputs("  (+ host mounts beneath)", out);
		fputc('\n', out);
	}
	arena_free(&cells);
	free(rows);
}

/* Print the words of a comma list as a JSON array. */
static void print_json_words(FILE *out, const char *words)
{
	const char *p = words;
	char *w;

	fputc('[', out);
	while ((w = next_word(&p))) {
		json_string(out, w);
		free(w);
		if (*p)
			fputs(", ", out);
	}
	fputc(']', out);
}

/* Print t, simulated from mpb, as a JSON array of mount objects. */
static void print_json(FILE *out, const struct mpb *mpb, const struct sim_table *t)
{
	char opts[256], *from;

	fputs("[", out);
	for (size_t i = 0; i < t->n; i++) {
		const struct sim_mount *m = &t->mounts[i];

		fputs(i ? ",\n " : "\n ", out);
		fputs("{\"target\": ", out);
		json_string(out, m->target);
		fputs(", \"kind\": ", out);
		json_string(out, sim_kind_name(m->kind));
		fputs(", \"type\": ", out);
		json_string(out, m->fstype);
		fputs(", \"source\": ", out);
		json_string(out, m->source);
		sim_option_words(m, opts, sizeof opts);
		fputs(", \"options\": ", out);
		print_json_words(out, opts);
		fputs(", \"propagation\": ", out);
		json_string(out, sim_propagation_name(m->propagation));
		if (m->has_alt) {
			fputs(", \"alternative\": {\"type\": ", out);
			json_string(out, m->alt_fstype);
			fputs(", \"source\": ", out);
			json_string(out, m->alt_source);
			sim_attr_words(m->alt_attrs, m->alt_known, opts, sizeof opts);
			fputs(", \"options\": ", out);
			print_json_words(out, opts);
			fputs("}", out);
		}
		fputs(", \"condition\": ", out);
		json_string(out, *sim_mount_cond(m) ? sim_mount_cond(m) : NULL);
		fprintf(out, ", \"host_mounts_beneath\": %s, \"op\": %u, \"from\": ",
			m->open_below ? "true" : "false", m->op);
		from = from_text(mpb, m, false);
		json_string(out, from);
		free(from);
		fputc('}', out);
	}
	fputs("\n]\n", out);
}

/* Print table's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan table PLAN [--format=text|json]\n"
	      "Print the mount table PLAN (.yaml or .mpb) will produce, in mount order:\n"
	      "mount point, type, source, VFS options, propagation, and FROM: the\n"
	      "plan file, line and column of the entry that made it.  It comes from\n"
	      "simulating the compiled ops, the same ops mountplan-exec runs.  '-' is\n"
	      "what the host decides (a bind's type, inherited options).\n"
	      "Exit status: 0 ok, 1 the plan has errors, 2 usage or I/O error.\n",
	      out);
}

/* Simulate the plan and print its table as text or JSON. */
static void show_table(FILE *out, const struct mpb *mpb, const struct plan *plan,
		       enum diag_format format)
{
	(void)plan;
	struct sim_table t;

	simulate_mpb(mpb, &t);
	if (format == DIAG_JSON)
		print_json(out, mpb, &t);
	else
		print_text(out, mpb, &t);
	sim_table_free(&t);
}

/* `mountplan table`; see commands.h. */
int cmd_table(int argc, char **argv)
{
	struct cli cli = { .name = "mountplan table", .usage = usage };

	return cli_show_plan(&cli, argc, argv, show_table);
}
