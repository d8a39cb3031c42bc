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
 *
 * The two sides are built at once, on two threads that take the steps
 * of both in turn (build_sides): each side is compiled into its own
 * struct side (the passes keep no state of their own, diff.h, passes.h),
 * the new one first on the second thread; then its plan-check (after
 * which its plan is freed), its items and its predicted table, and
 * diff.c compares them.  Each is a step the other thread may take when
 * it has nothing else to do, but for a side's items and table: these
 * come after its plan-check, on the thread that built the side, so that
 * they reuse the memory its plan was freed into (that thread's malloc
 * arena: main.c), not fresh pages (doc/performance.md, "diff, tenth
 * round").  A side's items and table are made as soon as it is built
 * and checked, before the other side is: when the two op lists turn
 * out the same apart from source positions (diff_same_plans) there is
 * no change and they go unused, but the thread whose side was built
 * first does not wait for the other's.  The old side's file is read
 * first, on the main thread, the new side's on the second; everything
 * is printed on the main thread in the order a one-side-after-the-other
 * run prints it.
 * When both operands are the same regular file (same_file), it is
 * compiled once, on the main thread, and not plan-checked: the two sides
 * would be the same plan with the same findings (build_alias).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	bool lint;          /* plan-check it (both sides are plans) */
	bool alias;         /* the new side is the old side's file (same_file) */
	const struct plan_values *values;
	bool read;          /* read_side has run */
	char *text;         /* the file's bytes, until build_side takes them */
	size_t size;
	const char *read_error; /* why the file could not be read, or NULL */
	int rc;             /* build_side's: 0, 1 (the plan has errors) */
	uint8_t *buf;
	struct mpb mpb;
	struct diff_list items;
	struct plan *plan;        /* a .yaml's plan, until its LINT step frees it */
	struct diag_sink passes;  /* the compiler passes' diagnostics on it */
	struct diag_sink findings;
};

/* Print diff's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan diff [--format=text|json|markdown|sarif] [--set NAME=VALUE]\n"
	      "                      [--values FILE] [--include-root DIR] OLD NEW\n"
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
	      "  --include-root DIR  include: may read files beneath DIR (default: beneath\n"
	      "                      each plan's directory)\n"
	      "Exit status: 0 equal, 1 different (or findings introduced), 2 error.\n",
	      out);
}

/* The plan-check findings of a side that is a plan (default rules and
 * its inline suppressions), on the plan build_side compiled (not parsed
 * again); nothing for /dev/null. */
static void lint_side(struct side *s)
{
	struct suppress sup;

	if (s->empty)
		return;
	suppress_init(&sup);
	lint_plan(s->plan, &s->passes, s->values, &sup, &s->findings);
	suppress_free(&sup);
}

/* Build a side whose file is read: compile it; s->rc is 0, or 1 when
 * the plan has errors (in s->passes, not printed).  Its plan is kept
 * for the plan-check only when it is to be plan-checked (s->lint):
 * else it is freed before the .mpb is made, which then reuses its
 * memory (doc/performance.md, twelfth round).  BUILD's work
 * (run_step). */
static void build_side(struct side *s)
{
	size_t len;

	if (s->empty)
		return;
	s->rc = input_open_text(s->path, s->name ? s->name : s->path, s->text, s->size,
				s->values, &s->passes, &s->buf, &len, &s->mpb,
				s->lint ? &s->plan : NULL);
	s->text = NULL; /* taken */
}

/* Read the file of a side (nothing for /dev/null) into s->text, or why
 * it cannot be into s->read_error, once. */
static void read_side(struct side *s)
{
	if (!s->empty && !s->read)
		s->read_error = input_read(s->path, &s->text, &s->size);
	s->read = true;
}

/* The steps of building both sides (a step of a side runs once its
 * side's BUILD has; its ITEMS and TABLE are left out once SAME has found
 * the op lists the same, and when the side was not built), taken in turn
 * by two threads.  LINT is the plan-check (when both sides are plans)
 * and the freeing of the plan. */
enum step { BUILD, SAME, LINT, TABLE, ITEMS, N_STEPS };

/* Both sides' steps and who has taken each. */
struct steps {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct side *sides;
	bool taken[2][N_STEPS], done[2][N_STEPS];
	bool lists; /* SAME found the op lists different: the items are
		       compared */
	bool alone; /* one thread takes every step (no second one started) */
	int builder[2]; /* the taker (its side) that took each side's BUILD */
};

/* Can step k of side i run now on the taker of side me (under the
 * lock)?  A side's TABLE and ITEMS run after its LINT (its plan freed),
 * on the taker that built it, unless that is alone.  Steps that never
 * will are marked done: a LINT or the lists of a side that did not
 * compile, the lists not yet made when SAME found nothing to compare. */
static bool step_ready(struct steps *st, int i, enum step k, int me)
{
	const struct side *s = &st->sides[i];
	bool built = st->done[i][BUILD], ok = built && !s->read_error && !s->rc;

	if (st->taken[i][k])
		return false;
	switch (k) {
	case BUILD:
		return true;
	case SAME: /* once, as side 0's */
		if (i)
			st->taken[i][k] = st->done[i][k] = true;
		return !i && st->done[0][BUILD] && st->done[1][BUILD];
	case LINT:
		if (built && (!ok || s->empty))
			st->taken[i][k] = st->done[i][k] = true;
		return !st->taken[i][k] && built;
	case TABLE:
	case ITEMS:
		if ((built && !ok) || (st->done[0][SAME] && !st->lists))
			st->taken[i][k] = st->done[i][k] = true;
		return !st->taken[i][k] && st->done[i][LINT] &&
		       (st->alone || st->builder[i] == me);
	case N_STEPS:
	default:
		break;
	}
	return false;
}

/* Decide whether the items are compared (both sides compiled, their op
 * lists differ). */
static void same_step(struct steps *st)
{
	struct side *s = st->sides;

	if (s[0].read_error || s[1].read_error || s[0].rc || s[1].rc)
		return;
	if (!s[0].empty && !s[1].empty && diff_same_plans(&s[0].mpb, &s[1].mpb))
		return; /* no change: nothing to compare (diff.h) */
	st->lists = true;
}

/* Run step k of side i. */
static void run_step(struct steps *st, int i, enum step k)
{
	struct side *s = &st->sides[i];

	switch (k) {
	case BUILD: /* the new side's file is read on its own thread */
		read_side(s);
		if (!s->read_error)
			build_side(s);
		if (!s->read_error && !s->rc) /* its TABLE and ITEMS may follow */
			diff_list_begin(&s->items, s->empty ? NULL : &s->mpb);
		break;
	case SAME:
		same_step(st);
		break;
	case LINT: /* findings now, then the plan is freed: the items and
		    * the table reuse its memory (doc/performance.md) */
		if (s->lint)
			lint_side(s);
		plan_free(s->plan);
		s->plan = NULL;
		break;
	case TABLE:
		diff_list_table(&s->items, s->empty ? NULL : &s->mpb);
		break;
	case ITEMS:
		diff_list_items(&s->items, s->empty ? NULL : &s->mpb);
		break;
	case N_STEPS:
	default:
		break;
	}
}

/* One of the two threads taking steps. */
struct taker {
	struct steps *st;
	int side; /* whose steps it takes first */
};

/* Take and run steps until every step is done: of the steps that can
 * run (step_ready), the first in the order of enum step (the longest of
 * the last ones first), the taker's own side's before the other's.  The
 * work of one thread (arg: the struct taker). */
static void *take_steps(void *arg)
{
	const struct taker *t = arg;
	struct steps *st = t->st;

	pthread_mutex_lock(&st->lock);
	for (;;) {
		int i = -1;
		enum step k = BUILD;
		bool all = true;

		for (int n = 0; n < 2 * N_STEPS; n++) {
			int side = n % 2 ? !t->side : t->side;
			enum step step = (enum step)(n / 2);

			if (step_ready(st, side, step, t->side) && i < 0) {
				i = side;
				k = step;
			}
		}
		for (int n = 0; n < 2 * N_STEPS; n++)
			all = all && st->done[n % 2][n / 2];
		if (i >= 0) {
			st->taken[i][k] = true;
			if (k == BUILD)
				st->builder[i] = t->side;
			pthread_mutex_unlock(&st->lock);
			run_step(st, i, k);
			pthread_mutex_lock(&st->lock);
			st->done[i][k] = true;
			pthread_cond_broadcast(&st->wake);
		} else if (all) {
			break;
		} else {
			pthread_cond_wait(&st->wake, &st->lock);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

/* Build both sides (the old one's file read): compile, plan-check and,
 * when their op lists differ, the items and tables, on two threads when
 * a second one can be started.  Whether the items were made. */
static bool build_sides(struct side sides[2])
{
	struct steps st = { .sides = sides };
	struct taker takers[2] = { { &st, 0 }, { &st, 1 } };
	pthread_t t;
	bool threaded;

	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.wake, NULL);
	threaded = pthread_create(&t, NULL, take_steps, &takers[1]) == 0;
	if (!threaded) /* (no other thread reads it) */
		st.alone = true;
	take_steps(&takers[0]);
	if (threaded)
		pthread_join(t, NULL);
	pthread_mutex_destroy(&st.lock);
	pthread_cond_destroy(&st.wake);
	return st.lists;
}

/* Whether both sides name the same regular file, by the same path and
 * name (not standard input, not /dev/null): the new side would compile
 * to the old side's plan, with its diagnostics and its findings, so
 * there is nothing to compare. */
static bool same_file(const struct side sides[2])
{
	const char *a = sides[0].name ? sides[0].name : sides[0].path;
	const char *b = sides[1].name ? sides[1].name : sides[1].path;
	struct stat st;

	return strcmp(sides[0].path, sides[1].path) == 0 && strcmp(a, b) == 0 &&
	       strcmp(sides[0].path, "-") != 0 && stat(sides[0].path, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

/* Build the old side alone, the new one being its alias (same_file):
 * compile it, once, and nothing else (no change, no finding introduced:
 * diff.h); the new side has its status and, when printed, its
 * diagnostics. */
static void build_alias(struct side sides[2])
{
	sides[0].lint = false; /* its plan is not kept (build_side) */
	build_side(&sides[0]);
	sides[1].alias = true;
	sides[1].read = true;
	sides[1].rc = sides[0].rc;
}

/* Run fn on both sides at once, the new one on a second thread when one
 * can be started. */
static void both_sides(void *(*fn)(void *), struct side sides[2])
{
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, fn, &sides[1]) == 0;

	fn(&sides[0]);
	if (threaded)
		pthread_join(t, NULL);
	else
		fn(&sides[1]);
}

/* Free a side (arg: the struct side; a thread's work: both_sides). */
static void *free_side(void *arg)
{
	struct side *s = arg;

	diff_list_free(&s->items);
	plan_free(s->plan);
	diag_free(&s->passes);
	diag_free(&s->findings);
	free(s->buf);
	free(s->text);
	return NULL;
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
		{ "include-root", required_argument, NULL, CLI_OPT_INCLUDE_ROOT },
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
	bool git = false, lint, lists = false;
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
	for (int k = 0; k < 2; k++) {
		sides[k].label = labels[k] ? labels[k] : sides[k].path;
		sides[k].lint = lint;
		sides[k].values = &cli.values;
		sides[k].empty = strcmp(sides[k].path, "/dev/null") == 0;
		diag_init(&sides[k].findings);
		diag_init(&sides[k].passes);
	}
	/* the old side's read error stops everything (its file is read
	 * first: both may be standard input); the new side's is told after
	 * the old side's compile errors */
	read_side(&sides[0]);
	if (sides[0].read_error)
		sides[0].rc = 2;
	else if (same_file(sides))
		build_alias(sides);
	else
		lists = build_sides(sides);
	for (int k = 0; k < 2 && rc < 2; k++) {
		struct side *s = &sides[k];

		if (s->read_error) {
			input_read_error(s->path, s->read_error);
			s->rc = 2;
		} else if (s->rc == 1) {
			diag_print(s->alias ? &sides[0].passes : &s->passes, git ? stdout : stderr,
				   format == OUT_JSON ? DIAG_JSON : DIAG_TEXT);
			if (git) /* shown, not a failure of git diff */
				printf("mountplan diff: %s does not compile; its errors are above\n",
				       s->label);
		}
		rc = s->rc > rc ? s->rc : rc;
	}
	if (rc) {
		rc = git && rc == 1 ? cli_flush(0) : rc == 1 ? 2 : rc;
		goto out;
	}
	if (!lists)
		diff_result_init(&r); /* no change: no items made (diff.h) */
	else
		diff_compare(&sides[0].items, &sides[1].items,
			     sides[0].empty ? NULL : &sides[0].mpb,
			     sides[1].empty ? NULL : &sides[1].mpb, &r);
	if (lint)
		diff_findings(&sides[0].findings, &sides[1].findings, &r);
	print_result(&r, format, &sides[0], &sides[1]);
	rc = git ? 0 : r.n || r.introduced.n ? 1 : 0;
	diff_result_free(&r);
	rc = cli_flush(rc);
out:
	if (MP_FREE_AT_EXIT)
		both_sides(free_side, sides);
	free(labels[0]);
	free(labels[1]);
	values_free(&cli.values);
	return rc;
}
