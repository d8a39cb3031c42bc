/*
 * diff_cmd.c: `mountplan diff OLD NEW`, and its git external-diff form
 * `mountplan diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX
 * NEW-MODE` (diff.h has the model).
 *
 * Each side is a plan (.yaml, compiled in memory), a compiled plan
 * (.mpb), or /dev/null (no plan: git's added or deleted file).  Under
 * --git a side is compiled as the repository's file it is a version of,
 * so a plan's include: finds the plans beside it (the work tree's).  When
 * both sides are plans (or one is /dev/null), plan-check runs on both
 * (default rules, inline suppressions) and the findings only the new
 * side has are "introduced".
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "diff.h"
#include "lint.h"
#include "params.h"
#include "passes.h"
#include "util.h"

enum diff_format { OUT_TEXT, OUT_JSON, OUT_MARKDOWN, OUT_SARIF };

/* One side of the comparison. */
struct side {
	const char *path;   /* as given */
	const char *name;   /* the plan's name in the repository (--git), or path */
	const char *label;  /* how output names it */
	bool empty;         /* /dev/null */
	bool compiled;      /* an .mpb file */
	uint8_t *buf;
	struct mpb mpb;
	struct diff_list items;
	struct plan *plan;        /* a .yaml's plan, until plan-check has run on it */
	struct diag_sink passes;  /* the compiler passes' diagnostics on it */
	struct diag_sink findings;
};

/* Print diff's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan diff [--format=text|json|markdown|sarif] [--set NAME=VALUE]\n"
	      "                      [--values FILE] OLD NEW\n"
	      "       mountplan diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE\n"
	      "Show what changes in the container from plan OLD to plan NEW (each .yaml,\n"
	      ".mpb, or /dev/null for no plan): mounts, devices, symlinks, masks, read-only\n"
	      "paths and settings added (+), removed (-) or changed (~ old -> new), paths\n"
	      "that lose attributes (!), and the plan-check findings NEW introduces.  A\n"
	      "change that weakens isolation ends in 'weakens: REASON'.\n"
	      "  --format=markdown   a pull-request comment; sarif: the introduced findings\n"
	      "  --git               git's external diff (GIT_EXTERNAL_DIFF or\n"
	      "                      diff.DRIVER.command): exit 0 unless I/O fails; a plan\n"
	      "                      that does not compile is shown with its errors\n"
	      "  --set, --values     parameter values for both plans (doc/plan-format.md)\n"
	      "Exit status: 0 equal, 1 different (or findings introduced), 2 error.\n",
	      out);
}

/* Open one side: 0, 1 (the plan has errors: printed to err as text), or
 * 2 (I/O error, printed to stderr). */
static int open_side(struct side *s, const struct plan_values *values, FILE *err,
		     enum diff_format format)
{
	size_t len;
	int rc;

	diag_init(&s->findings);
	diag_init(&s->passes);
	if (strcmp(s->path, "/dev/null") == 0) {
		s->empty = true;
		diff_plan_items(&s->items, NULL);
		return 0;
	}
	rc = input_open_plan_as(s->path, s->name ? s->name : s->path, values, &s->passes,
				&s->buf, &len, &s->mpb, &s->plan);
	if (rc == 1)
		diag_print(&s->passes, err, format == OUT_JSON ? DIAG_JSON : DIAG_TEXT);
	if (rc)
		return rc;
	diff_plan_items(&s->items, &s->mpb);
	return 0;
}

/* The plan-check findings of a side that is a plan (default rules and
 * its inline suppressions), on the plan open_side compiled (not parsed
 * again); nothing for /dev/null. */
static void lint_side(struct side *s, const struct plan_values *values)
{
	struct suppress sup;

	if (s->empty)
		return;
	suppress_init(&sup);
	lint_plan(s->plan, &s->passes, values, &sup, &s->findings);
	suppress_free(&sup);
}

/* Free a side. */
static void free_side(struct side *s)
{
	diff_list_free(&s->items);
	plan_free(s->plan);
	diag_free(&s->passes);
	diag_free(&s->findings);
	free(s->buf);
}

/* Print r in format. */
static void print_result(const struct diff_result *r, enum diff_format format,
			 const struct side *old, const struct side *new)
{
	switch (format) {
	case OUT_JSON:
		diff_print_json(stdout, r);
		break;
	case OUT_MARKDOWN:
		diff_print_markdown(stdout, r, old->label, new->label);
		break;
	case OUT_SARIF:
		diff_print_sarif(stdout, r);
		break;
	case OUT_TEXT:
	default:
		diff_print_text(stdout, r);
		break;
	}
}

/* Parse diff's options; returns -1 to go on, else the exit status. */
static int parse_options(struct cli *cli, int argc, char **argv, enum diff_format *format,
			 bool *git)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, 'F' },
		{ "git", no_argument, NULL, 'g' },
		{ "set", required_argument, NULL, CLI_OPT_SET },
		{ "values", required_argument, NULL, CLI_OPT_VALUES },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const names[] = { "text", "json", "markdown", "sarif", NULL };
	int c;

	while ((c = cli_next_option(cli, argc, argv, longopts)) != -1) {
		if (c == CLI_STOP)
			return cli->status;
		if (c == 'g') {
			*git = true;
			continue;
		}
		for (int k = 0; names[k]; k++)
			if (strcmp(optarg, names[k]) == 0) {
				*format = (enum diff_format)k;
				goto next;
			}
		fprintf(stderr, "mountplan diff: unknown format '%s' (text, json, markdown or sarif)\n",
			optarg);
		return 2;
next:;
	}
	return -1;
}

/* `mountplan diff`; see commands.h. */
int cmd_diff(int argc, char **argv)
{
	struct cli cli = { .name = "mountplan diff", .usage = usage,
			   .values.any_plan = true }; /* OLD may lack NEW's parameters */
	enum diff_format format = OUT_TEXT;
	bool git = false, lint;
	struct side sides[2];
	struct diff_result r;
	char *labels[2] = { NULL, NULL };
	int rc = parse_options(&cli, argc, argv, &format, &git);

	if (rc >= 0) {
		values_free(&cli.values);
		return rc;
	}
	if (!cli_operands(&cli, argc, git ? (argc - optind == 9 ? 9 : 7) : 2)) {
		values_free(&cli.values);
		return cli.status;
	}
	memset(sides, 0, sizeof sides);
	sides[0].path = argv[optind + (git ? 1 : 0)];
	sides[1].path = argv[optind + (git ? 4 : 1)];
	if (git) {
		const char *newname = argc - optind == 9 ? argv[optind + 7] : argv[optind];
		labels[0] = xasprintf("a/%s", argv[optind]);
		labels[1] = xasprintf("b/%s", newname);
		/* git hands a version it keeps as a temporary file: compile it
		 * as the repository's file (git runs us at the top of the work
		 * tree), so its include: paths find the plans beside it */
		sides[0].name = argv[optind];
		sides[1].name = newname;
		printf("mountplan diff %s %s\n", labels[0], labels[1]);
	}
	rc = 0;
	for (int k = 0; k < 2; k++)
		sides[k].compiled = input_is_mpb(sides[k].path);
	lint = !sides[0].compiled && !sides[1].compiled;
	for (int k = 0; k < 2 && rc < 2; k++) {
		int one;

		sides[k].label = labels[k] ? labels[k] : sides[k].path;
		one = open_side(&sides[k], &cli.values, git ? stdout : stderr, format);
		if (one == 1 && git) /* shown, not a failure of git diff */
			printf("mountplan diff: %s does not compile; its errors are above\n",
			       sides[k].label);
		rc = one > rc ? one : rc;
		if (!one && lint) { /* findings now, and the plan freed before the next */
			lint_side(&sides[k], &cli.values);
			plan_free(sides[k].plan);
			sides[k].plan = NULL;
		}
	}
	if (rc) {
		rc = git && rc == 1 ? cli_flush(0) : rc == 1 ? 2 : rc;
		goto out;
	}
	diff_compare(&sides[0].items, &sides[1].items, sides[0].empty ? NULL : &sides[0].mpb,
		     sides[1].empty ? NULL : &sides[1].mpb, &r);
	if (lint)
		diff_findings(&sides[0].findings, &sides[1].findings, &r);
	print_result(&r, format, &sides[0], &sides[1]);
	rc = git ? 0 : r.n || r.introduced.n ? 1 : 0;
	diff_result_free(&r);
	rc = cli_flush(rc);
out:
	free_side(&sides[0]);
	free_side(&sides[1]);
	free(labels[0]);
	free(labels[1]);
	values_free(&cli.values);
	return rc;
}
