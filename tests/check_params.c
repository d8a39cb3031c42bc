/*
 * check_params.c: unit tests of plan parameters (compiler/params.c and
 * the parameters: key of shape.c): value types, --set and values files,
 * ${name} expansion in every field that takes it, the positions of every
 * MP-PARAM-* diagnostic, and hostile values that must not slip through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_run.h"
#include "front_test.h"
#include "params.h"
#include "passes.h"

#define V2 "mountplan: 2\nname: t\n"

static struct diag_sink sink;
static struct plan *p;

/* Shape text with vals into p; assert a plan came out. */
static void shape_with(const char *text, const struct plan_values *vals)
{
	p = shape_text_values(text, vals, &sink);
	ck_assert_ptr_nonnull(p);
}

/* Assert sink holds no diagnostic. */
#define ck_assert_clean()                                                     \
	do {                                                                  \
		char *all_ = diag_summary(&sink);                             \
		ck_assert_msg(sink.n == 0, "unexpected:\n%s", all_);          \
		free(all_);                                                   \
	} while (0)

START_TEST(test_value_types)
{
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_STRING, "any text, with: commas"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_STRING, "a\nb"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_STRING, "a\x7f"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_STRING, "caf\xe9"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_STRING, "caf\xc3\xa9"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_PATH, "/var/lib/c1"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_PATH, "/"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_PATH, "var/lib"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_PATH, "/var/../etc"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_PATH, "/var//lib"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_PATH, "/var/lib/"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_INTEGER, "0"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_INTEGER, "18446744073709551615"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_INTEGER, "18446744073709551616"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_INTEGER, "-1"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_INTEGER, ""));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_LABEL,
					       "system_u:object_r:container_file_t:s0:c1,c2"));
	ck_assert_ptr_null(param_value_problem(PLAN_PARAM_LABEL, "u:r:t"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_LABEL, "u:r"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_LABEL, "u:r:t\",exec"));
	ck_assert_ptr_nonnull(param_value_problem(PLAN_PARAM_LABEL, "u:r:t s0"));
	ck_assert(param_name_ok("container_dir"));
	ck_assert(param_name_ok("_x9"));
	ck_assert(!param_name_ok("9x"));
	ck_assert(!param_name_ok("a-b"));
	ck_assert(!param_name_ok(""));
}
END_TEST

START_TEST(test_set_parsing)
{
	struct plan_values v = { 0 };

	ck_assert_ptr_null(values_set(&v, "dir=/a=b"));
	ck_assert_ptr_nonnull(values_set(&v, "noequals"));
	ck_assert_ptr_nonnull(values_set(&v, "=x"));
	ck_assert_ptr_nonnull(values_set(&v, "a-b=x"));
	ck_assert_ptr_null(values_set(&v, "dir=/c"));
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.v[0].text, "/a=b"); /* the first = splits */
	ck_assert_uint_eq(v.v[0].pos.line, 1);
	ck_assert_uint_eq(v.v[0].pos.col, 5);
	ck_assert_uint_eq(v.v[1].pos.line, 2);
	ck_assert_str_eq(values_find(&v, "dir")->text, "/c"); /* the last wins */
	ck_assert_ptr_null(values_find(&v, "other"));
	values_free(&v);
}
END_TEST

START_TEST(test_values_file_and_precedence)
{
	char path[] = "/tmp/check_params.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "dir: /from/file\ncount: 12\nother_plan: x\n";
	struct plan_values v = { 0 };

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_ptr_null(values_set(&v, "dir=/from/set"));
	ck_assert(values_read(&v, path, DIAG_TEXT));
	unlink(path);
	/* --set wins over a file read after it */
	ck_assert_str_eq(values_find(&v, "dir")->text, "/from/set");
	ck_assert_str_eq(values_find(&v, "count")->text, "12");
	ck_assert_uint_eq(values_find(&v, "count")->pos.line, 2);
	ck_assert_uint_eq(values_find(&v, "count")->pos.col, 8);
	/* a file's value for a parameter this plan lacks is no error */
	shape_with(V2 "parameters:\n  dir: {type: path}\n  count: {type: integer}\n", &v);
	ck_assert_clean();
	ck_assert_str_eq(p->params[0].value.text, "/from/set");
	ck_assert(p->params[0].given);
	ck_assert_str_eq(p->params[1].value.text, "12");
	values_free(&v);
}
END_TEST

START_TEST(test_values_file_errors)
{
	char path[] = "/tmp/check_params.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "- a\n";
	struct plan_values v = { 0 };
	FILE *saved = stderr;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	stderr = fopen("/dev/null", "w");
	ck_assert(!values_read(&v, path, DIAG_TEXT)); /* not a mapping */
	ck_assert(!values_read(&v, "/nonexistent/values.yaml", DIAG_TEXT));
	fclose(stderr);
	stderr = saved;
	unlink(path);
	ck_assert_uint_eq(v.n, 0);
	values_free(&v);
}
END_TEST

START_TEST(test_expansion_everywhere)
{
	struct plan_values v = { 0 };

	ck_assert_ptr_null(values_set(&v, "d=/srv/c1"));
	ck_assert_ptr_null(values_set(&v, "n=5"));
	shape_with(V2
		   "parameters:\n"
		   "  d: {type: path}\n"
		   "  n: {type: integer}\n"
		   "  s: {type: string, default: web}\n"
		   "rootfs: {path: \"${d}/rootfs\"}\n"
		   "process: {cwd: \"/srv/${s}\"}\n"
		   "mounts:\n"
		   "  - {target: \"/${s}\", type: bind, source: \"${d}/data\", options: [bind]}\n"
		   "  - {target: /tmp, type: tmpfs, options: \"nosuid,uid=${n},mode=0700\"}\n"
		   "  - {target: /ids, type: bind, source: /srv, options: [bind, idmap],\n"
		   "     uidmap: \"0:${n}00000:65536\", gidmap: \"0:${n}00000:65536\"}\n"
		   "devices:\n"
		   "  - {path: \"/dev/${s}0\", type: c, major: 1, minor: 3}\n"
		   "symlinks:\n"
		   "  - {path: \"/etc/${s}\", target: \"${d}/link\"}\n"
		   "masks: [\"/proc/${s}\"]\n"
		   "readonly:\n"
		   "  - {path: \"/${s}/ro\", writable: [\"/${s}/ro/${s}\"]}\n",
		   &v);
	ck_assert_clean();
	ck_assert_str_eq(p->rootfs_path.text, "/srv/c1/rootfs");
	ck_assert_str_eq(p->cwd.text, "/srv/web");
	ck_assert_str_eq(p->entries[0].target.text, "/web");
	ck_assert_str_eq(p->entries[0].source.text, "/srv/c1/data");
	ck_assert_str_eq(p->entries[1].cold->options[1].text, "uid=5");
	ck_assert_uint_eq(p->entries[1].cold->options[1].pos.col, 50); /* the piece's own column */
	ck_assert_str_eq(p->entries[2].cold->rare->uidmap.text, "0:500000:65536");
	ck_assert_str_eq(p->entries[3].target.text, "/dev/web0");
	ck_assert_str_eq(p->entries[4].target.text, "/etc/web");
	ck_assert_str_eq(p->entries[4].cold->node->link.text, "/srv/c1/link");
	ck_assert_str_eq(p->entries[5].target.text, "/proc/web");
	ck_assert_str_eq(p->entries[6].cold->node->holes[0].path.text, "/web/ro/web");
	ck_assert_uint_eq(p->params[0].uses, 3);
	ck_assert_uint_eq(p->params[1].uses, 3);
	ck_assert_uint_eq(p->params[2].uses, 8);
	/* the note of a substitution names the value and where it came from */
	ck_assert_ptr_nonnull(plan_subst_note(p, p->entries[0].source.pos));
	ck_assert_ptr_nonnull(strstr(plan_subst_note(p, p->entries[0].source.pos),
				     "'${d}' is '/srv/c1' (set at --set:1:3)"));
	ck_assert_ptr_null(plan_subst_note(p, p->entries[1].cold->pos));
	values_free(&v);
}
END_TEST

/* mount-label takes a label parameter (the SELinux context of a container). */
START_TEST(test_mount_label_parameter)
{
	struct plan_values v = { 0 };

	ck_assert_ptr_null(values_set(&v, "label=system_u:object_r:container_file_t:s0:c1,c2"));
	shape_with(V2
		   "parameters:\n"
		   "  label: {type: label}\n"
		   "mount-label: \"${label}\"\n",
		   &v);
	ck_assert_clean();
	ck_assert_str_eq(p->mount_label.text, "system_u:object_r:container_file_t:s0:c1,c2");
	ck_assert_uint_eq(p->params[0].uses, 1);
	values_free(&v);
}
END_TEST

START_TEST(test_escape_and_version_1)
{
	shape_with(V2 "mounts:\n  - {target: \"/a$${b}\", type: tmpfs}\n"
		   "  - {target: \"/c$d\", type: tmpfs}\n", NULL);
	ck_assert_clean();
	ck_assert_str_eq(p->entries[0].target.text, "/a${b}");
	ck_assert_str_eq(p->entries[1].target.text, "/c$d"); /* a lone $ is text */
	plan_free(p);
	/* version 1: ${ is text as written, as with mountplan 1 */
	shape_with("mountplan: 1\nname: t\nmounts:\n  - {target: \"/a${b}\", type: tmpfs}\n", NULL);
	ck_assert_clean();
	ck_assert_str_eq(p->entries[0].target.text, "/a${b}");
}
END_TEST

START_TEST(test_no_expansion_outside_values)
{
	shape_with(V2 "description: \"costs ${x}\"\n"
		   "parameters:\n  x: {type: string, default: \"${y}\"}\n", NULL);
	ck_assert_clean();
	ck_assert_str_eq(p->description.text, "costs ${x}");
	ck_assert_str_eq(p->params[0].value.text, "${y}");
	ck_assert_uint_eq(p->params[0].uses, 0);
}
END_TEST

START_TEST(test_reference_positions)
{
	/* a reference's own column, in a plain (block: a flow mapping ends a
	 * plain value at its '{'), a quoted and a multi-line value */
	shape_with(V2 "parameters: {d: {type: path}}\n"
		   "mounts:\n"
		   "  - target: /a/${d}\n"
		   "    type: tmpfs\n"
		   "  - {target: \"/b/${d}\", type: tmpfs}\n"
		   "  - target: \"/c/x\n"
		   "      ${d}\"\n"
		   "    type: tmpfs\n", NULL);
	ck_assert_int_ge(diag_find(&sink, "MP-PARAM-UNSET", 5, 16), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-PARAM-UNSET", 7, 18), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-PARAM-UNSET", 8, 13), 0); /* the value's */
	ck_assert_uint_eq(sink.n, 3);
	ck_assert(p->entries[0].bad && p->entries[1].bad && p->entries[2].bad);
}
END_TEST

START_TEST(test_hostile_values)
{
	struct plan_values v = { 0 };

	/* a string value cannot smuggle .. or // past the path rules: shape
	 * substitutes, normalize refuses at the use */
	ck_assert_ptr_null(values_set(&v, "s=../../etc"));
	ck_assert_ptr_null(values_set(&v, "o=1m,suid"));
	ck_assert_ptr_null(values_set(&v, "q=x\",dev,\"y"));
	ck_assert_ptr_null(values_set(&v, "l=u:r:t:s0:c1,c2"));
	shape_with(V2 "parameters:\n"
		   "  s: {type: string}\n  o: {type: string}\n  q: {type: string}\n"
		   "  l: {type: label}\n"
		   "mounts:\n"
		   "  - {target: \"/srv/${s}\", type: tmpfs}\n"
		   "  - {target: /tmp, type: tmpfs, options: [\"size=${o}\"]}\n"
		   "  - {target: /run, type: tmpfs, options: ['context=\"${q}\"']}\n"
		   "  - {target: /var, type: tmpfs, options: ['context=\"${l}\"']}\n", &v);
	ck_assert_str_eq(p->entries[0].target.text, "/srv/../../etc");
	ck_assert_int_ge(diag_find(&sink, "MP-PARAM-VALUE", 10, 43), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-PARAM-VALUE", 11, 53), 0);
	ck_assert_uint_eq(sink.n, 2);
	/* a label with commas, between quotes: one option */
	ck_assert(!p->entries[3].bad);
	ck_assert_str_eq(p->entries[3].cold->options[0].text, "context=\"u:r:t:s0:c1,c2\"");
	normalize_plan(p, &sink);
	ck_assert_int_ge(diag_find(&sink, "MP-PATH", 9, 14), 0);
	{
		char *all = diag_summary(&sink);
		ck_assert_msg(strstr(all, "'${s}' is '../../etc' (set at --set:1:3)"), "%s", all);
		free(all);
	}
	values_free(&v);
}
END_TEST

START_TEST(test_values_are_not_expanded_again)
{
	struct plan_values v = { 0 };

	/* a value is text: a reference or an escape in it stays as it is */
	ck_assert_ptr_null(values_set(&v, "a=x${b}y$${c}"));
	ck_assert_ptr_null(values_set(&v, "b=/etc"));
	shape_with(V2 "parameters: {a: {type: string}, b: {type: path}}\n"
		   "symlinks:\n  - {path: /l, target: \"${a}\"}\n"
		   "  - {path: /m, target: \"${b}\"}\n", &v);
	ck_assert_clean();
	ck_assert_str_eq(p->entries[0].cold->node->link.text, "x${b}y$${c}");
	ck_assert_uint_eq(p->params[1].uses, 1);
	values_free(&v);
}
END_TEST

START_TEST(test_unknown_set_and_unused)
{
	struct plan_values v = { 0 };

	ck_assert_ptr_null(values_set(&v, "dri=/x"));
	shape_with(V2 "parameters: {dir: {type: path, default: /srv}, spare: {type: string}}\n"
		   "mounts: [{target: \"${dir}\", type: tmpfs}]\n", &v);
	ck_assert_only(&sink, "MP-PARAM-UNKNOWN", 1, 1);
	ck_assert_ptr_nonnull(strstr(sink.items[0].message, "did you mean 'dir'"));
	ck_assert_str_eq(sink.items[0].pos.file, "--set");
	ck_assert_uint_eq(p->params[1].uses, 0); /* plan-check's PC-UNUSED-PARAM */
	values_free(&v);
}
END_TEST

static Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = front_tcase(s, "params", &sink, NULL, &p);

	tcase_add_test(tc, test_value_types);
	tcase_add_test(tc, test_set_parsing);
	tcase_add_test(tc, test_values_file_and_precedence);
	tcase_add_test(tc, test_values_file_errors);
	tcase_add_test(tc, test_expansion_everywhere);
	tcase_add_test(tc, test_mount_label_parameter);
	tcase_add_test(tc, test_escape_and_version_1);
	tcase_add_test(tc, test_no_expansion_outside_values);
	tcase_add_test(tc, test_reference_positions);
	tcase_add_test(tc, test_hostile_values);
	tcase_add_test(tc, test_values_are_not_expanded_again);
	tcase_add_test(tc, test_unknown_set_and_unused);
	return s;
}

int main(void)
{
	return check_run(params_suite());
}
