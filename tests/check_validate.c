/*
 * check_validate.c: the validation rules, one test per rule, each with a
 * case that must be reported and one that must not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "hostnode.h"
#include "mp_ops.h"
#include "passes.h"
#include "plan_fixture.h"

/* Each test's plan, and the diagnostics fx_check gives for it (fresh
 * for each test: fx_tcase). */
static struct plan *plan;
static struct diag_sink sink;

START_TEST(dup_target)
{
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	fx_mount(plan, "/sys", "sysfs", NULL, NULL);
	fx_device(plan, "/proc", "c", 1, 3);
	fx_readonly(plan, "/proc", NULL);  /* acts on the mount: no duplicate */
	fx_mask(plan, "/sys");
	fx_mask(plan, "/sys/x");
	fx_mask(plan, "/sys/x");
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-DUP-TARGET", 0), 2);
	ck_assert_uint_eq(fx_count(&sink, "MP-DUP-TARGET", FX_LINE(2)), 1);
	ck_assert_uint_eq(fx_count(&sink, "MP-DUP-TARGET", FX_LINE(6)), 1);
	for (size_t i = 0; i < sink.n; i++)
		if (sink.items[i].pos.line == FX_LINE(2))
			ck_assert_str_eq(sink.items[i].message,
					 "device /proc is a second entry for this path (the first, a mount, is at 10:5)");
}
END_TEST

START_TEST(hidden_by_mask)
{
	fx_mount(plan, "/srv", "tmpfs", NULL, NULL);
	fx_mount(plan, "/srv/acpi/x", "tmpfs", NULL, NULL);
	fx_mask(plan, "/srv/acpi");
	fx_symlink(plan, "/run/a", "b");
	fx_mask(plan, "/run/a");
	fx_mount(plan, "/srv/acpix", "tmpfs", NULL, NULL); /* not beneath /srv/acpi */
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-HIDDEN", FX_LINE(1)), 1);
	ck_assert_uint_eq(fx_count(&sink, "MP-HIDDEN", FX_LINE(3)), 1);
	ck_assert_uint_eq(fx_count(&sink, "MP-HIDDEN", 0), 2);
}
END_TEST

START_TEST(under_symlink)
{
	fx_symlink(plan, "/dev/fd", "/proc/self/fd");
	fx_device(plan, "/dev/fd/0", "c", 1, 3);
	fx_mount(plan, "/dev/fdx", "tmpfs", NULL, NULL);
	fx_mask(plan, "/dev/fd/1");
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-UNDER-SYMLINK", FX_LINE(1)), 1);
	ck_assert_uint_eq(fx_count(&sink, "MP-UNDER-SYMLINK", FX_LINE(3)), 1);
	ck_assert_uint_eq(sink.n, 2);
}
END_TEST

START_TEST(proc_mount)
{
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	fx_mount(plan, "/proc/meminfo", "bind", "/var/lib/lxcfs/proc/meminfo", NULL);
	fx_mount(plan, "/proc/sys/kernel/ns_last_pid", "bind", "/x", NULL);
	fx_mount(plan, "/proc/sys", "bind", "/x", NULL);
	fx_mount(plan, "/procx", "tmpfs", NULL, NULL);
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-PROC-MOUNT", FX_LINE(3)), 1);
	ck_assert_uint_eq(sink.n, 1);
}
END_TEST

START_TEST(holes)
{
	fx_readonly(plan, "/proc", "/proc/1/attr", "/sys/x", "/proc", NULL);
	fx_readonly(plan, "/", "/tmp", NULL);
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-HOLE", FX_LINE(0)), 2);
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_uint_eq(sink.items[0].pos.col, 50); /* the hole's own position */
}
END_TEST

START_TEST(devices)
{
	fx_device(plan, "/dev/a", "c", 1, -1);
	fx_device(plan, "/dev/b", "b", -1, -1);
	fx_device(plan, "/dev/c", "p", 1, 2);
	fx_device(plan, "/dev/d", "x", 1, 2);
	fx_device(plan, "/dev/e", "c", 4096, 0);
	fx_device(plan, "/dev/ok", "c", 1, 3);
	fx_device(plan, "/dev/fifo", "p", -1, -1);
	fx_check(plan, &sink);
	for (int k = 0; k < 5; k++)
		ck_assert_uint_eq(fx_count(&sink, "MP-DEVICE", FX_LINE(k)), 1);
	ck_assert_uint_eq(sink.n, 5);
}
END_TEST

START_TEST(limits)
{
	struct plan_entry *e = fx_readonly(plan, "/a", NULL);

	for (int k = 0; k < 65; k++) {
		char path[32];
		snprintf(path, sizeof path, "/a/%d", k);
		e->cold->node->holes = realloc(e->cold->node->holes, (e->n_holes + 1) * sizeof(*e->cold->node->holes));
		e->cold->node->holes[e->n_holes++].path = fx_str(path, 20, 5);
	}
	fx_symlink(plan, "/l", "");
	fx_check(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-LIMIT", FX_LINE(0)), 1);
	ck_assert_uint_eq(fx_count(&sink, "MP-PATH", FX_LINE(1)), 1);
}
END_TEST

START_TEST(bad_entries_skipped)
{
	fx_mount(plan, "/a", "tmpfs", NULL, NULL);
	fx_mount(plan, "/a", "tmpfs", NULL, NULL)->bad = true; /* shape's error */
	fx_check(plan, &sink);
	ck_assert_uint_eq(sink.n, 0);
}
END_TEST

/* (v2) MP-DEVICE-OVERLAP decides on two patterns whether one name can
 * match both; each verdict is checked against the executor's matcher
 * (mp_glob_match) on every name of up to 3 bytes from a small alphabet. */
START_TEST(globs_meet)
{
	static const struct {
		const char *a, *b;
		bool meet;
	} cases[] = {
		{ "loop[0-9]*", "loop1?", true }, { "loop[0-9]*", "loop-control", false },
		{ "sd[a-c]", "sd[!a-c]", false }, { "sd[a-c]", "sd[^ab]", true },
		{ "*", ".x*", false }, { ".*", ".x", true }, { "*a", "*b", false },
		{ "*a*", "*b*", true }, { "a?", "?b", true }, { "a*", "b*", false },
		{ "tty*", "tty", true }, { "lo?p", "loop1*", false }, { "[]]", "]", true },
		{ "[!]]", "]", false }, { "*", "*", true }, { "x[a-c]y", "x[c-e]y", true },
		{ "x[a-b]y", "x[c-e]y", false },
	};
	static const char alphabet[] = "ab.]0";

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(host_globs_meet(cases[i].a, cases[i].b) == cases[i].meet,
			      "%s and %s", cases[i].a, cases[i].b);
		ck_assert_msg(host_globs_meet(cases[i].b, cases[i].a) == cases[i].meet,
			      "%s and %s", cases[i].b, cases[i].a);
	}
	/* brute force over short names: meet <=> some name matches both */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool both = false;

		for (int n = 1; n <= 4 && !both; n++)
			for (int k = 0, total = 1 << (3 * n); k < total && !both; k++) {
				char name[8] = { 0 };
				int v = k, ok = 1;

				for (int c = 0; c < n; c++, v >>= 3)
					ok &= (v & 7) < 5 && (name[c] = alphabet[v & 7]);
				both = ok && strcmp(name, ".") && strcmp(name, "..") &&
				       mp_glob_match(cases[i].a, name) && mp_glob_match(cases[i].b, name);
			}
		if (both)
			ck_assert_msg(cases[i].meet, "%s and %s share a name", cases[i].a, cases[i].b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = fx_tcase(s, "rules", &plan, &sink);

	tcase_add_test(tc, dup_target);
	tcase_add_test(tc, hidden_by_mask);
	tcase_add_test(tc, under_symlink);
	tcase_add_test(tc, proc_mount);
	tcase_add_test(tc, holes);
	tcase_add_test(tc, devices);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, bad_entries_skipped);
	tcase_add_test(tc, globs_meet);
	return check_run(s);
}
