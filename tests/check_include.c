/*
 * check_include.c: unit tests of plan composition (compiler/include.c):
 * entries of included plans first, override: true in place, settings key
 * by key (a changed one only with override: [SETTING], MP-INCLUDE-SETTING
 * naming both files otherwise), one parameter set across files,
 * paths relative to the including file, and each entry keeping its own
 * file's position.  The refusals (cycles, repeats, depth, missing files,
 * overrides of nothing) are in the invalid corpus, tests/invalid/include-*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_run.h"
#include "params.h"
#include "mp_ops.h"
#include "passes.h"
#include "util.h"

static char dir[] = "/tmp/check_include.XXXXXX";
static struct diag_sink sink;
static struct plan *p;

/* Write text to dir/name. */
static void put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* Compile dir/name through the front half into p. */
static void front(const char *name, const struct plan_values *vals)
{
	char *path = xasprintf("%s/%s", dir, name);
	int io = 0;

	p = plan_from_file(path, vals, &sink, &io);
	free(path);
	ck_assert_int_eq(io, 0);
	ck_assert_ptr_nonnull(p);
}

/* Assert no error was reported. */
static void ck_clean(void)
{
	FILE *out = fdopen(dup(2), "w");

	if (sink.n)
		diag_print(&sink, out, DIAG_TEXT);
	fclose(out);
	ck_assert_uint_eq(diag_count_at_least(&sink, DIAG_ERROR), 0);
}

/* The file name (without the directory) of a position. */
static const char *base_of(struct plan_pos pos)
{
	const char *s = strrchr(pos.file, '/');
	return s ? s + 1 : pos.file;
}

/* Assert that the sink holds exactly one diagnostic, id, in file. */
static void ck_one(const char *id, const char *file)
{
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_str_eq(sink.items[0].id, id);
	ck_assert_str_eq(base_of(sink.items[0].pos), file);
}

/* The entry of p at target, or NULL. */
static const struct plan_entry *at(const char *target)
{
	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].target.text && strcmp(p->entries[i].target.text, target) == 0)
			return &p->entries[i];
	return NULL;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(strcpy(dir, "/tmp/check_include.XXXXXX")));
	diag_init(&sink);
	p = NULL;
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	plan_free(p);
	diag_free(&sink);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

START_TEST(test_override_in_place)
{
	put("base.yaml", "mountplan: 2\nname: base\nmounts:\n"
			 "  - {target: /proc, type: proc}\n"
			 "  - {target: /tmp, type: tmpfs, options: [size=64m]}\n"
			 "  - {target: /run, type: tmpfs}\n");
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\nmounts:\n"
			"  - {target: /tmp, type: tmpfs, options: [size=1g], override: true}\n"
			"  - {target: /srv, type: tmpfs}\n");
	front("app.yaml", NULL);
	ck_clean();
	ck_assert_uint_eq(p->n_entries, 4);
	ck_assert_str_eq(p->name.text, "app");
	/* written order: the base's, the override in the base's place, then the app's */
	ck_assert_str_eq(p->entries[0].target.text, "/proc");
	ck_assert_str_eq(p->entries[1].target.text, "/tmp");
	ck_assert_str_eq(p->entries[1].fs_data, "size=1g");
	ck_assert_str_eq(base_of(p->entries[1].cold->pos), "app.yaml");
	ck_assert_uint_eq(p->entries[1].cold->pos.line, 5);
	ck_assert_str_eq(base_of(at("/proc")->cold->pos), "base.yaml");
	ck_assert_str_eq(base_of(at("/srv")->cold->pos), "app.yaml");
	for (size_t i = 0; i < p->n_entries; i++)
		ck_assert_uint_eq(p->entries[i].index, i);
}
END_TEST

START_TEST(test_settings_key_by_key)
{
	put("base.yaml", "mountplan: 1\nname: base\ndescription: the base\n"
			 "rootfs: {readonly: true, propagation: rprivate}\n"
			 "process: {umask: 0027}\ndevices:\n"
			 "  - {path: /dev/fuse, type: c, major: 10, minor: 229}\n");
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"override: [rootfs.readonly]\n"
			"rootfs: {readonly: false, propagation: rprivate}\ndevice-policy: bind\n");
	front("app.yaml", NULL);
	ck_clean();
	ck_assert_uint_eq(p->version, 2);
	ck_assert(!p->rootfs_readonly);                     /* the app's */
	ck_assert_str_eq(p->root_propagation.text, "rprivate"); /* the base's */
	ck_assert_uint_eq(p->umask, 027);
	ck_assert_str_eq(p->description.text, "the base");
	ck_assert_int_eq(at("/dev/fuse")->cold->node->policy, PLAN_DEVPOL_BIND); /* the plan's default */
}
END_TEST

/* A setting two files give different values: an error at the winning
 * file's key naming the other's position, each setting once; the same
 * value (namespaces in either form) is none. */
START_TEST(test_setting_conflicts)
{
	static const char *const ids[] = { "rootfs.readonly", "rootfs.propagation",
					   "rootfs.pivot", "rootfs.type", "process.umask",
					   "process.init", "namespaces", "dev",
					   "device-policy", "mount-label" };

	put("base.yaml", "mountplan: 2\nname: base\n"
			 "rootfs: {path: /srv/root, readonly: true, propagation: rprivate, pivot: move}\n"
			 "process: {umask: 0027, init: true}\nnamespaces: [pid, ipc]\n"
			 "dev: standard\ndevice-policy: mknod\nmount-label: \"a:b:c:s0\"\n");
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"rootfs: {readonly: false, propagation: rslave, pivot: chroot, type: tmpfs}\n"
			"process: {umask: 0022, init: false}\nnamespaces: [pid]\n"
			"dev: none\ndevice-policy: bind\nmount-label: \"a:b:c:s1\"\n");
	front("app.yaml", NULL);
	ck_assert_uint_eq(sink.n, sizeof ids / sizeof ids[0]);
	for (size_t i = 0; i < sink.n; i++) {
		ck_assert_str_eq(sink.items[i].id, "MP-INCLUDE-SETTING");
		ck_assert_str_eq(base_of(sink.items[i].pos), "app.yaml");
		ck_assert_msg(strstr(sink.items[i].message, ids[i]) &&
			      strstr(sink.items[i].message, "base.yaml:") &&
			      strstr(sink.items[i].message, "help: if that is meant, write override: ["),
			      "%s", sink.items[i].message);
	}
	/* the same values, written otherwise: no conflict */
	plan_free(p);
	diag_free(&sink);
	diag_init(&sink);
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"rootfs: {readonly: true, pivot: move}\nnamespaces: {ipc: true, pid: true, cgroup: false}\n"
			"dev: standard\n");
	front("app.yaml", NULL);
	ck_clean();
	ck_assert_uint_eq(p->namespaces, MP_NS_PID | MP_NS_IPC);
}
END_TEST

/* override: [...] lets the including plan change them: its values win,
 * what the root is is replaced whole, namespaces: whole; an override
 * that replaces nothing is an error. */
START_TEST(test_setting_override)
{
	put("base.yaml", "mountplan: 2\nname: base\n"
			 "rootfs: {path: /srv/root, readonly: true, propagation: rprivate}\n"
			 "namespaces: [pid, ipc]\ndevice-policy: mknod\n");
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"override: [rootfs.readonly, rootfs.type, namespaces, device-policy]\n"
			"rootfs: {readonly: false, type: tmpfs}\nnamespaces: [pid]\ndevice-policy: bind\n");
	front("app.yaml", NULL);
	ck_clean();
	ck_assert(!p->rootfs_readonly);
	ck_assert_str_eq(p->root_propagation.text, "rprivate");
	ck_assert_ptr_null(p->rootfs_path.text); /* the base's root is replaced */
	ck_assert_str_eq(p->rootfs_fs.type.text, "tmpfs");
	ck_assert_uint_eq(p->namespaces, MP_NS_PID);
	ck_assert_int_eq(p->device_policy, PLAN_DEVPOL_BIND);
	/* override: of what this file does not set, or no included plan sets */
	plan_free(p);
	diag_free(&sink);
	diag_init(&sink);
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"override: [process.cwd, dev]\ndev: standard\n");
	front("app.yaml", NULL);
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_str_eq(sink.items[0].id, "MP-INCLUDE-OVERRIDE");
	ck_assert_ptr_nonnull(strstr(sink.items[0].message, "this file does not set it"));
	ck_assert_str_eq(sink.items[1].id, "MP-INCLUDE-OVERRIDE");
	ck_assert_ptr_nonnull(strstr(sink.items[1].message, "no plan this file includes sets it"));
}
END_TEST

/* Two plans included beside each other that disagree: an error, which
 * the plan including both settles with override:. */
START_TEST(test_setting_siblings)
{
	put("a.yaml", "mountplan: 2\nname: a\ndevice-policy: mknod\n");
	put("b.yaml", "mountplan: 2\nname: b\ndevice-policy: bind\n");
	put("top.yaml", "mountplan: 2\nname: top\ninclude: [a.yaml, b.yaml]\n");
	front("top.yaml", NULL);
	ck_one("MP-INCLUDE-SETTING", "b.yaml");
	ck_assert_ptr_nonnull(strstr(sink.items[0].message, "neither file includes the other"));
	plan_free(p);
	diag_free(&sink);
	diag_init(&sink);
	put("top.yaml", "mountplan: 2\nname: top\ninclude: [a.yaml, b.yaml]\n"
			"override: [device-policy]\ndevice-policy: mknod-or-bind\n");
	front("top.yaml", NULL);
	ck_clean();
	ck_assert_int_eq(p->device_policy, PLAN_DEVPOL_AUTO);
}
END_TEST

/* Compile app.yaml (including base.yaml) made of the given bodies into
 * a fresh p and sink. */
static void front_pair(const char *base_body, const char *app_body)
{
	char *base = xasprintf("mountplan: 2\nname: base\n%s\n", base_body);
	char *app = xasprintf("mountplan: 2\nname: app\ninclude: [base.yaml]\n%s\n", app_body);

	plan_free(p);
	p = NULL;
	diag_free(&sink);
	diag_init(&sink);
	put("base.yaml", base);
	put("app.yaml", app);
	front("app.yaml", NULL);
	free(base);
	free(app);
}

/* Settings are compared as the compiler reads them, not as written:
 * for every setting kind, one value in two spellings is no conflict
 * (each pair was one on the raw text), and a different value still is
 * one, naming both values as read. */
START_TEST(test_setting_spellings)
{
	static const struct {
		const char *base, *app;
	} same[] = {
		{ "rootfs: {readonly: True}", "rootfs: {readonly: true}" },
		{ "rootfs: {propagation: rprivate}", "rootfs: {propagation: \"rprivate\"}" },
		{ "rootfs: {pivot: move}", "rootfs: {pivot: 'move'}" },
		{ "rootfs: {path: /srv/root/}", "rootfs: {path: /srv/root}" },
		{ "rootfs: {type: tmpfs, source: x, options: \"mode=755,size=1m\"}",
		  "rootfs: {source: x, type: \"tmpfs\", options: [mode=755, size=1m]}" },
		{ "rootfs: {type: tmpfs, allow_unknown_type: FALSE}", "rootfs: {type: tmpfs}" },
		{ "process: {umask: 0022}", "process: {umask: 022}" },
		{ "process: {umask: \"0022\"}", "process: {umask: 0o22}" },
		{ "process: {cwd: /work/}", "process: {cwd: /work}" },
		{ "process: {cwd: /work}", "parameters: {d: {type: path, default: /work}}\nprocess: {cwd: \"${d}\"}" },
		{ "process: {init: TRUE}\nnamespaces: [pid]", "process: {init: true}\nnamespaces: [pid]" },
		{ "namespaces: [ipc, pid]", "namespaces: {pid: true, ipc: true, cgroup: false}" },
		{ "namespaces: {user: {uidmap: \"0:1000:1 1:2000:5\", gidmap: \"0:1000:1\"}}",
		  "namespaces: {user: {uidmap: \"0:1000:1  1:2000:5\", gidmap: \"0:1000:1\"}}" },
		{ "dev: standard", "dev: \"standard\"" },
		{ "device-policy: bind", "device-policy: 'bind'" },
		{ "mount-label: a:b:c:s0", "mount-label: \"a:b:c:s0\"" },
	};
	static const struct {
		const char *base, *app, *mine, *theirs;
	} differ[] = {
		{ "process: {umask: 0022}", "process: {umask: \"0027\"}", "(0027) silently", "base.yaml:3:11 (0022)" },
		{ "rootfs: {readonly: True}", "rootfs: {readonly: false}", "(false) silently", "base.yaml:3:10 (true)" },
		{ "process: {cwd: /work/}", "process: {cwd: /home}", "(/home) silently", "base.yaml:3:11 (/work)" },
	};

	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		front_pair(same[i].base, same[i].app);
		ck_assert_msg(diag_count_at_least(&sink, DIAG_ERROR) == 0, "%s / %s: %s", same[i].base,
			      same[i].app, sink.n ? sink.items[0].message : "");
	}
	for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
		front_pair(differ[i].base, differ[i].app);
		ck_assert_msg(sink.n == 1 && strcmp(sink.items[0].id, "MP-INCLUDE-SETTING") == 0 &&
			      strstr(sink.items[0].message, differ[i].mine) &&
			      strstr(sink.items[0].message, differ[i].theirs),
			      "%s / %s: %s", differ[i].base, differ[i].app, sink.n ? sink.items[0].message : "");
	}
}
END_TEST

START_TEST(test_parameters_across_files)
{
	struct plan_values v = { 0 };

	put("base.yaml", "mountplan: 2\nname: base\n"
			 "parameters: {size: {type: string, default: 64m}}\nmounts:\n"
			 "  - {target: /etc/hosts, type: bind, source: \"${dir}/hosts\", options: [bind]}\n");
	put("app.yaml", "mountplan: 2\nname: app\ninclude: [base.yaml]\n"
			"parameters: {dir: {type: path}}\nmounts:\n"
			"  - {target: /tmp, type: tmpfs, options: [\"size=${size}\"]}\n");
	ck_assert_ptr_null(values_set(&v, "dir=/srv/c1"));
	front("app.yaml", &v);
	ck_clean();
	ck_assert_str_eq(at("/etc/hosts")->source.text, "/srv/c1/hosts");
	ck_assert_str_eq(at("/tmp")->fs_data, "size=64m");
	ck_assert_uint_eq(p->n_params, 2);
	values_free(&v);
}
END_TEST

START_TEST(test_relative_to_the_including_file)
{
	char *sub = xasprintf("%s/sub", dir);

	ck_assert_int_eq(mkdir(sub, 0700), 0);
	free(sub);
	put("sub/mid.yaml", "mountplan: 2\nname: mid\ninclude: [../leaf.yaml]\n"
			    "mounts: [{target: /mid, type: tmpfs}]\n");
	put("leaf.yaml", "mountplan: 2\nname: leaf\nmounts: [{target: /leaf, type: tmpfs}]\n");
	put("top.yaml", "mountplan: 2\nname: top\ninclude: [sub/mid.yaml]\n");
	front("top.yaml", NULL);
	ck_clean();
	ck_assert_uint_eq(p->n_entries, 2);
	ck_assert_str_eq(p->entries[0].target.text, "/leaf"); /* what mid includes, first */
	ck_assert_str_eq(p->entries[1].target.text, "/mid");
	ck_assert_ptr_nonnull(strstr(p->entries[0].cold->pos.file, "sub/../leaf.yaml"));
}
END_TEST

START_TEST(test_sibling_cannot_override)
{
	put("a.yaml", "mountplan: 2\nname: a\nmounts: [{target: /x, type: tmpfs}]\n");
	put("b.yaml", "mountplan: 2\nname: b\nmounts: [{target: /x, type: tmpfs, override: true}]\n");
	put("top.yaml", "mountplan: 2\nname: top\ninclude: [a.yaml, b.yaml]\n");
	front("top.yaml", NULL);
	ck_one("MP-INCLUDE-OVERRIDE", "b.yaml");
}
END_TEST

START_TEST(test_override_through_two_levels_and_masks)
{
	put("base.yaml", "mountplan: 2\nname: base\nmasks: [/proc/kcore]\n"
			 "readonly: [/proc/sys]\n");
	put("mid.yaml", "mountplan: 2\nname: mid\ninclude: [base.yaml]\n");
	put("top.yaml", "mountplan: 2\nname: top\ninclude: [mid.yaml]\n"
			"readonly:\n  - {path: /proc/sys, writable: [/proc/sys/net], override: true}\n");
	front("top.yaml", NULL);
	ck_clean();
	ck_assert_uint_eq(p->n_entries, 2);
	ck_assert_uint_eq(at("/proc/sys")->n_holes, 1);
	ck_assert_str_eq(base_of(at("/proc/sys")->cold->pos), "top.yaml");
}
END_TEST

static Suite *include_suite(void)
{
	Suite *s = suite_create("include");
	TCase *tc = tcase_create("include");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_override_in_place);
	tcase_add_test(tc, test_settings_key_by_key);
	tcase_add_test(tc, test_setting_conflicts);
	tcase_add_test(tc, test_setting_override);
	tcase_add_test(tc, test_setting_siblings);
	tcase_add_test(tc, test_parameters_across_files);
	tcase_add_test(tc, test_relative_to_the_including_file);
	tcase_add_test(tc, test_setting_spellings);
	tcase_add_test(tc, test_sibling_cannot_override);
	tcase_add_test(tc, test_override_through_two_levels_and_masks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(include_suite());
}
