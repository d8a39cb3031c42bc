/*
 * check_order.c: the order pass: parents first by path components, the
 * written order otherwise, phases; and its cost on 100,000 entries.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "check_run.h"
#include "passes.h"
#include "plan_fixture.h"

/* The targets of plan's entries joined with spaces, into buf. */
static const char *targets(const struct plan *plan, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < plan->n_entries && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "",
					plan->entries[i].target.text);
	return buf;
}

/* Mounts written in this order, and the order the pass gives them. */
struct order_case {
	struct {
		const char *target, *type;
	} mounts[8];
	const char *ordered;
};

static const struct order_case order_cases[] = {
	/* parents first */
	{ { { "/dev/shm", "tmpfs" }, { "/proc", "proc" }, { "/dev", "tmpfs" } },
	  "/dev /dev/shm /proc" },
	/* components, not prefixes: /dev/shm is no parent of /dev/shmx or
	 * /dev/shm-a: they keep their place; /dev/shm moves up to just
	 * before its child */
	{ { { "/dev/shmx", "tmpfs" }, { "/dev/shm-a", "tmpfs" },
	    { "/dev/shm/a", "tmpfs" }, { "/dev/shm", "tmpfs" } },
	  "/dev/shmx /dev/shm-a /dev/shm /dev/shm/a" },
	/* the written order kept otherwise */
	{ { { "/c", "tmpfs" }, { "/a/b", "tmpfs" }, { "/b", "tmpfs" },
	    { "/a/d", "tmpfs" }, { "/a", "tmpfs" }, { "/", "tmpfs" } },
	  "/ /c /a /a/b /b /a/d" },
};

START_TEST(mount_order)
{
	const struct order_case *c = &order_cases[_i];
	struct plan *plan = fx_plan();
	char buf[512];

	for (size_t k = 0; k < 8 && c->mounts[k].target; k++)
		fx_mount(plan, c->mounts[k].target, c->mounts[k].type, NULL, NULL);
	order_plan(plan);
	ck_assert_str_eq(targets(plan, buf, sizeof buf), c->ordered);
	plan_free(plan);
}
END_TEST

START_TEST(phases)
{
	struct plan *plan = fx_plan();
	char buf[512];

	fx_mask(plan, "/proc/kcore");
	fx_device(plan, "/dev/null", "c", 1, 3);
	fx_readonly(plan, "/proc/sys", NULL);
	fx_symlink(plan, "/dev/fd", "/proc/self/fd");
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	fx_readonly(plan, "/proc", NULL);
	fx_mount(plan, "/dev", "tmpfs", NULL, NULL);
	order_plan(plan);
	ck_assert_str_eq(targets(plan, buf, sizeof buf),
			 "/proc /dev /dev/null /dev/fd /proc /proc/kcore /proc/sys");
	ck_assert_int_eq(plan->entries[4].kind, PLAN_READONLY); /* moved up */
	ck_assert_int_eq(plan->entries[5].kind, PLAN_MASK);
	plan_free(plan);
}
END_TEST

START_TEST(equal_paths_keep_order)
{
	struct plan *plan = fx_plan();

	fx_readonly(plan, "/a/b", NULL);
	fx_mask(plan, "/a");
	fx_readonly(plan, "/a", NULL);
	order_plan(plan);
	ck_assert_int_eq(plan->entries[0].kind, PLAN_MASK);
	ck_assert_int_eq(plan->entries[1].kind, PLAN_READONLY);
	ck_assert_str_eq(plan->entries[1].target.text, "/a");
	ck_assert_str_eq(plan->entries[2].target.text, "/a/b");
	plan_free(plan);
}
END_TEST

START_TEST(stable_and_complete)
{
	struct plan *plan = fx_plan();

	for (int i = 0; i < 200; i++) {
		char path[64];
		snprintf(path, sizeof path, "/x%d/y%d", i % 7, i);
		fx_mount(plan, path, "tmpfs", NULL, NULL);
	}
	for (int i = 0; i < 7; i++) {
		char path[64];
		snprintf(path, sizeof path, "/x%d", i);
		fx_mount(plan, path, "tmpfs", NULL, NULL);
	}
	order_plan(plan);
	ck_assert_uint_eq(plan->n_entries, 207);
	ck_assert_str_eq(plan->entries[0].target.text, "/x0");
	ck_assert_str_eq(plan->entries[1].target.text, "/x0/y0");
	ck_assert_str_eq(plan->entries[2].target.text, "/x1");
	ck_assert_str_eq(plan->entries[3].target.text, "/x1/y1");
	/* every parent before its children, children in written order */
	for (size_t i = 1; i < plan->n_entries; i++) {
		const struct plan_entry *a = &plan->entries[i - 1], *b = &plan->entries[i];
		if (strchr(a->target.text + 1, '/') && strchr(b->target.text + 1, '/'))
			ck_assert_uint_lt(a->index, b->index);
	}
	plan_free(plan);
}
END_TEST

START_TEST(hundred_thousand)
{
	struct plan *plan = fx_plan();
	struct timespec t0, t1;
	double secs;

	for (int i = 0; i < 100000; i++) {
		char path[64];
		int g = (99999 - i) / 100;
		if (i % 100 == 99)
			snprintf(path, sizeof path, "/g%d", g);
		else
			snprintf(path, sizeof path, "/g%d/c%d/l%d", g, i % 10, i);
		fx_mount(plan, path, "tmpfs", NULL, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	order_plan(plan);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_uint_eq(plan->n_entries, 100000);
	/* generous: a quadratic order would take minutes, not seconds */
	ck_assert_msg(secs < 3.0, "order of 100,000 entries took %.3f s", secs);
	ck_assert_str_eq(plan->entries[0].target.text, "/g999");
	plan_free(plan);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("order");
	TCase *tc = tcase_create("order");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, mount_order, 0,
			    (int)(sizeof order_cases / sizeof order_cases[0]));
	tcase_add_test(tc, phases);
	tcase_add_test(tc, equal_paths_keep_order);
	tcase_add_test(tc, stable_and_complete);
	tcase_add_test(tc, hundred_thousand);
	suite_add_tcase(s, tc);
	return check_run(s);
}
