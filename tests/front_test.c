/*
 * front_test.c: helpers for the front end's Check tests.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "front_test.h"
#include "passes.h"
#include "util.h"

/* The test file's sink, tree and plan that front_tcase's fixture keeps. */
static struct diag_sink *fixture_sink;
static struct node **fixture_root;
static struct plan **fixture_plan;

/* Before each test: an empty sink, no tree, no plan. */
static void fixture_setup(void)
{
	diag_init(fixture_sink);
	if (fixture_root)
		*fixture_root = NULL;
	if (fixture_plan)
		*fixture_plan = NULL;
}

/* After each test: free what it left. */
static void fixture_teardown(void)
{
	if (fixture_root) {
		node_free(*fixture_root);
		*fixture_root = NULL;
	}
	if (fixture_plan) {
		plan_free(*fixture_plan);
		*fixture_plan = NULL;
	}
	diag_free(fixture_sink);
}

/* Both again, within a test. */
void front_restart(void)
{
	fixture_teardown();
	fixture_setup();
}

/* A test case with the fixture above, added to s. */
TCase *front_tcase(Suite *s, const char *name, struct diag_sink *sink,
		   struct node **root, struct plan **plan)
{
	TCase *tc = tcase_create(name);

	fixture_sink = sink;
	fixture_root = root;
	fixture_plan = plan;
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

/* Load text through a temporary file. */
struct node *load_text(const char *text, size_t len, struct diag_sink *sink,
		       const char **file)
{
	char path[] = "/tmp/check_front.XXXXXX";
	int fd = mkstemp(path), io_error = 0;
	struct node *root;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	root = load_file(path, false, sink, &io_error);
	unlink(path);
	ck_assert_int_eq(io_error, 0);
	if (file)
		*file = sink->sources[sink->n_sources - 1].file;
	return root;
}

/* load_text of a string; see front_test.h. */
struct node *load_str(const char *text, struct diag_sink *sink)
{
	return load_text(text, strlen(text), sink, NULL);
}

/* Load and shape a string with parameter values. */
struct plan *shape_text_values(const char *text, const struct plan_values *values,
			       struct diag_sink *sink)
{
	const char *file;
	struct node *root = load_text(text, strlen(text), sink, &file);
	struct plan *plan;

	if (!root)
		return NULL;
	plan = check_shape(root, file, values, sink);
	node_free(root);
	return plan;
}

/* Load and shape a string. */
struct plan *shape_text(const char *text, struct diag_sink *sink)
{
	return shape_text_values(text, NULL, sink);
}

/* Index of the first diagnostic id at line:col, or -1. */
int diag_find(const struct diag_sink *sink, const char *id, uint32_t line,
	      uint32_t col)
{
	for (size_t i = 0; i < sink->n; i++) {
		const struct diag *d = &sink->items[i];
		if (strcmp(d->id, id) == 0 &&
		    (!line || (d->pos.line == line && d->pos.col == col)))
			return (int)i;
	}
	return -1;
}

/* Every diagnostic as one line each. */
char *diag_summary(const struct diag_sink *sink)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < sink->n; i++) {
		const struct diag *d = &sink->items[i];
		char *l = xasprintf("%s%u:%u: %s %s\n", out, d->pos.line, d->pos.col,
				    d->id, d->message);
		free(out);
		out = l;
	}
	return out;
}
