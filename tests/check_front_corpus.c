/*
 * check_front_corpus.c: the front end's corpus test.  Every
 * tests/invalid/{load,shape}-NAME.yaml run through load_file and
 * check_shape gives exactly the diagnostics of NAME.expected (one
 * "LINE:COL: ID" per line, sorted by position); every
 * tests/valid/front-*.yaml gives none.
 *
 * With file arguments it prints what the front end reports for each
 * ("LINE:COL: ID message"), to write or check an .expected by hand.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "node.h"
#include "passes.h"
#include "util.h"

static glob_t invalid, valid;
static FILE *devnull; /* diag_print sorts; its text goes here */

/* Run load and shape on path; diagnostics in sink, sorted by position. */
static void run_front(const char *path, struct diag_sink *sink)
{
	int io_error;
	struct node *root = load_file(path, false, sink, &io_error);

	ck_assert_msg(!io_error, "%s: cannot read", path);
	if (root) {
		const char *file = sink->sources[sink->n_sources - 1].file;
		plan_free(check_shape(root, file, NULL, sink));
		node_free(root);
	}
	diag_print(sink, devnull, DIAG_TEXT); /* sorts */
}

/* The diagnostics of sink as "LINE:COL: ID\n" lines. */
static char *diag_lines(const struct diag_sink *sink)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < sink->n; i++) {
		const struct diag *d = &sink->items[i];
		char *l = xasprintf("%s%u:%u: %s\n", out, d->pos.line, d->pos.col, d->id);
		free(out);
		out = l;
	}
	return out;
}

/* The whole of a small text file, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = xmalloc(1 << 16);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

START_TEST(test_invalid)
{
	const char *yaml = invalid.gl_pathv[_i];
	size_t len = strlen(yaml);
	char *expected_path = xasprintf("%.*s.expected", (int)(len - 5), yaml);
	char *expected = slurp(expected_path);
	struct diag_sink sink;
	char *got;

	ck_assert_msg(expected != NULL, "%s missing", expected_path);
	diag_init(&sink);
	run_front(yaml, &sink);
	got = diag_lines(&sink);
	ck_assert_msg(strcmp(got, expected) == 0, "%s: expected\n%sgot\n%s",
		      yaml, expected, got);
	free(got);
	free(expected);
	free(expected_path);
	diag_free(&sink);
}
END_TEST

START_TEST(test_valid)
{
	const char *yaml = valid.gl_pathv[_i];
	struct diag_sink sink;
	char *got;

	diag_init(&sink);
	run_front(yaml, &sink);
	got = diag_lines(&sink);
	ck_assert_msg(sink.n == 0, "%s: unexpected\n%s", yaml, got);
	free(got);
	diag_free(&sink);
}
END_TEST

/* Print the front end's diagnostics for each file. */
static int show(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct diag_sink sink;
		int io_error;
		struct node *root;

		diag_init(&sink);
		root = load_file(argv[i], false, &sink, &io_error);
		if (root) {
			plan_free(check_shape(root, sink.sources[0].file, NULL, &sink));
			node_free(root);
		}
		diag_print(&sink, stderr, DIAG_TEXT);
		for (size_t j = 0; j < sink.n; j++)
			printf("%u:%u: %s\n", sink.items[j].pos.line,
			       sink.items[j].pos.col, sink.items[j].id);
		diag_free(&sink);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char *pattern;
	Suite *s;
	TCase *tc;

	if (argc > 1)
		return show(argc, argv);
	if (!top)
		top = ".";
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 99;
	pattern = xasprintf("%s/tests/invalid/load-*.yaml", top);
	glob(pattern, 0, NULL, &invalid);
	free(pattern);
	pattern = xasprintf("%s/tests/invalid/shape-*.yaml", top);
	glob(pattern, GLOB_APPEND, NULL, &invalid);
	free(pattern);
	pattern = xasprintf("%s/tests/valid/front-*.yaml", top);
	glob(pattern, 0, NULL, &valid);
	free(pattern);

	s = suite_create("front_corpus");
	tc = tcase_create("corpus");
	tcase_add_loop_test(tc, test_invalid, 0, (int)invalid.gl_pathc);
	tcase_add_loop_test(tc, test_valid, 0, (int)valid.gl_pathc);
	suite_add_tcase(s, tc);
	return check_run(s);
}
