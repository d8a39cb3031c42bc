/*
 * plan_fixture.c: build plans in C for the back-end tests (see
 * plan_fixture.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "passes.h"
#include "plan_fixture.h"
#include "util.h"

/* The test file's plan and sink that fx_tcase's fixture sets up. */
static struct plan **fixture_plan;
static struct diag_sink *fixture_sink;

/* Before each test: a fresh plan, an empty sink. */
static void fixture_setup(void)
{
	*fixture_plan = fx_plan();
	diag_init(fixture_sink);
}

/* After each test: free both. */
static void fixture_teardown(void)
{
	plan_free(*fixture_plan);
	*fixture_plan = NULL;
	diag_free(fixture_sink);
}

/* Both again, within a test. */
void fx_restart(void)
{
	fixture_teardown();
	fixture_setup();
}

/* A test case with the fixture above, added to s. */
TCase *fx_tcase(Suite *s, const char *name, struct plan **plan,
		struct diag_sink *sink)
{
	TCase *tc = tcase_create(name);

	fixture_plan = plan;
	fixture_sink = sink;
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

/* A string value at line:col. */
struct plan_str fx_str(const char *text, uint32_t line, uint32_t col)
{
	struct plan_str s = { text ? xstrdup(text) : NULL, { FX_FILE, line, col } };
	return s;
}

/* A new empty plan. */
struct plan *fx_plan(void)
{
	struct plan *plan = plan_new();

	plan->file = FX_FILE;
	plan->version = 1;
	plan->version_pos = (struct plan_pos){ FX_FILE, 1, 1 };
	plan->name = fx_str("test", 2, 7);
	plan->rootfs_pos = (struct plan_pos){ FX_FILE, 3, 1 };
	plan->dev_pos = (struct plan_pos){ FX_FILE, 5, 6 };
	return plan;
}

/* Append an entry of kind for path at its fixture line. */
static struct plan_entry *fx_entry(struct plan *plan, enum plan_kind kind,
				   const char *path)
{
	uint32_t line = FX_LINE(plan->n_entries);
	struct plan_entry *e = plan_add_entry(plan, kind,
					      (struct plan_pos){ FX_FILE, line, 5 });

	e->index = plan->n_entries - 1;
	e->target = plan_kept(&plan->targets, path, (struct plan_pos){ FX_FILE, line, 13 });
	return e;
}

/* Append a mount. */
struct plan_entry *fx_mount(struct plan *plan, const char *target,
			    const char *type, const char *source,
			    const char *options)
{
	struct plan_entry *e = fx_entry(plan, PLAN_MOUNT, target);
	uint32_t line = e->cold->pos.line;

	e->type = plan_kept(&plan->words, type, (struct plan_pos){ FX_FILE, line, 30 });
	e->source = plan_kept(&plan->words, source, (struct plan_pos){ FX_FILE, line, 40 });
	for (const char *p = options; p && *p;) {
		size_t n = options_word_len(p, NULL); /* as shape splits a scalar */
		char *text = xstrndup(p, n);
		struct plan_str word = fx_str(text, line, 20 + 10 * (uint32_t)e->cold->n_options);

		plan_add_options(plan, e, &word, 1);
		free(word.text);
		free(text);
		p += n + (p[n] == ',');
	}
	return e;
}

/* Append a device. */
struct plan_entry *fx_device(struct plan *plan, const char *path,
			     const char *type, int major, int minor)
{
	struct plan_entry *e = fx_entry(plan, PLAN_DEVICE, path);

	e->cold->node->dev_type = fx_str(type, e->cold->pos.line, 30);
	if (major >= 0) {
		e->cold->node->major = (uint32_t)major;
		e->cold->node->major_pos = (struct plan_pos){ FX_FILE, e->cold->pos.line, 40 };
	}
	if (minor >= 0) {
		e->cold->node->minor = (uint32_t)minor;
		e->cold->node->minor_pos = (struct plan_pos){ FX_FILE, e->cold->pos.line, 50 };
	}
	return e;
}

/* Append a symlink. */
struct plan_entry *fx_symlink(struct plan *plan, const char *path,
			      const char *link)
{
	struct plan_entry *e = fx_entry(plan, PLAN_SYMLINK, path);

	e->cold->node->link = fx_str(link, e->cold->pos.line, 30);
	return e;
}

/* Append a mask. */
struct plan_entry *fx_mask(struct plan *plan, const char *path)
{
	return fx_entry(plan, PLAN_MASK, path);
}

/* Append a read-only path with holes. */
struct plan_entry *fx_readonly(struct plan *plan, const char *path, ...)
{
	struct plan_entry *e = fx_entry(plan, PLAN_READONLY, path);
	const char *hole;
	va_list ap;

	va_start(ap, path);
	while ((hole = va_arg(ap, const char *))) {
		e->cold->node->holes = xreallocarray(e->cold->node->holes, e->n_holes + 1, sizeof(*e->cold->node->holes));
		e->cold->node->holes[e->n_holes].path =
			fx_str(hole, e->cold->pos.line, 40 + 10 * (uint32_t)e->n_holes);
		e->n_holes++;
	}
	va_end(ap);
	return e;
}

/* normalize + validate. */
void fx_check(struct plan *plan, struct diag_sink *sink)
{
	diag_init(sink);
	normalize_plan(plan, sink);
	validate_plan(plan, sink);
}

/* Count diagnostics with id (at line). */
size_t fx_count(const struct diag_sink *sink, const char *id, uint32_t line)
{
	size_t n = 0;

	for (size_t i = 0; i < sink->n; i++)
		if (strcmp(sink->items[i].id, id) == 0 &&
		    (!line || sink->items[i].pos.line == line))
			n++;
	return n;
}

/* Index of the entry of kind with target path, or SIZE_MAX. */
size_t fx_find(const struct plan *plan, enum plan_kind kind, const char *path)
{
	for (size_t i = 0; i < plan->n_entries; i++)
		if (plan->entries[i].kind == kind && plan->entries[i].target.text &&
		    strcmp(plan->entries[i].target.text, path) == 0)
			return i;
	return SIZE_MAX;
}
