/*
 * check_shape.c: unit tests of the shape pass (compiler/shape.c): every
 * key of doc/plan-format.md lands in the model with its position, every
 * default holds, and each error ID is reported where it belongs.
 */
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "front_test.h"
#include "passes.h"

#define HEAD "mountplan: 1\nname: t\n"

/* Each test's sink and plan (fresh for each test: front_tcase). */
static struct diag_sink sink;
static struct plan *p;

/* Assert that sink is empty. */
#define ck_assert_clean(sink)                                                 \
	do {                                                                  \
		char *all_ = diag_summary(sink);                              \
		ck_assert_msg((sink)->n == 0, "unexpected:\n%s", all_);       \
		free(all_);                                                   \
	} while (0)

/* Shape text into p, asserting that it gives a plan and no diagnostic. */
static void shape_clean(const char *text)
{
	p = shape_text(text, &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_clean(&sink);
}

/* Assert a plan_str's text and position. */
#define ck_assert_str_at(s, want, l, c)                                       \
	do {                                                                  \
		ck_assert_str_eq((s).text, want);                             \
		ck_assert_at((s).pos, l, c);                                  \
	} while (0)

/* A section of 3,000 mounts, its items freed from the tree as they are
 * read (node_free_between): every entry as written, also when the last
 * item's options are an alias of the first's (then nothing is freed).
 * The sanitizer build sees a read of freed memory. */
START_TEST(test_long_section)
{
	for (int alias = 0; alias < 2; alias++) {
		size_t len = 0, cap = 64 + 3000 * 64;
		char *text = xmalloc(cap);

		len += (size_t)snprintf(text, cap, "mountplan: 1\nname: t\nmounts:\n"
					"- {target: /m0, type: tmpfs, options: &o [nosuid, size=%dk]}\n",
					alias);
		for (int i = 1; i < 3000; i++)
			len += (size_t)snprintf(text + len, cap - len,
						"- {target: /m%d, type: tmpfs, options: %s}\n",
						i, alias && i == 2999 ? "*o" : "[nodev]");
		shape_clean(text);
		free(text);
		ck_assert_uint_eq(p->n_entries, 3000);
		for (size_t i = 0; i < 3000; i++) {
			char want[16];
			const struct plan_entry *e = &p->entries[i];

			snprintf(want, sizeof want, "/m%zu", i);
			ck_assert_str_eq(e->target.text, want);
			ck_assert_uint_eq(e->cold->pos.line, 4 + i);
			ck_assert_str_eq(e->cold->options[0].text,
					 i == 0 || (alias && i == 2999) ? "nosuid" : "nodev");
		}
		front_restart();
	}
}
END_TEST

/* (v2) like-host devices: the host path, the glob, best-effort, the
 * path taken from like-host; type, major, minor and a glob's path
 * refused where written; v1 refuses both keys at the key. */
START_TEST(test_like_host)
{
	const struct plan_entry *e;

	shape_clean("mountplan: 2\nname: t\ndevices:\n"
		    "  - like-host: /dev/null\n"
		    "  - {like-host: \"/dev/loop[0-9]*\", best-effort: true, mode: 0600, gid: 6}\n");
	ck_assert_uint_eq(p->n_entries, 2);
	e = &p->entries[0];
	ck_assert_str_at(e->cold->node->like_host, "/dev/null", 4, 16);
	ck_assert_str_at(e->target, "/dev/null", 4, 16);
	ck_assert(!e->cold->node->glob && !e->cold->node->best_effort && !e->cold->node->has_mode);
	ck_assert_ptr_null(e->cold->node->dev_type.text);
	e = &p->entries[1];
	ck_assert_str_at(e->cold->node->like_host, "/dev/loop[0-9]*", 5, 17);
	ck_assert(e->cold->node->glob && e->cold->node->best_effort && e->cold->node->has_mode);
	ck_assert_uint_eq(e->cold->node->mode, 0600);
	ck_assert_uint_eq(e->cold->node->gid, 6);
	ck_assert_at(e->cold->node->best_effort_pos, 5, 36);
}
END_TEST

/* (v2) like-host errors, each at its key's value. */
START_TEST(test_like_host_errors)
{
	p = shape_text("mountplan: 2\nname: t\ndevices:\n"
		       "  - {like-host: /dev/zero, major: 1}\n"
		       "  - {like-host: /dev/l*, path: /dev/x}\n"
		       "  - {like-host: /dev/full, best-effort: 1}\n", &sink);
	ck_assert_int_ge(diag_find(&sink, "MP-DEVICE", 4, 35), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-DEVICE", 5, 32), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 6, 41), 0);
	ck_assert_uint_eq(sink.n, 3);
}
END_TEST

/* A version-1 plan refuses like-host and best-effort at the key. */
START_TEST(test_like_host_v1)
{
	p = shape_text("mountplan: 1\nname: t\ndevices:\n"
		       "  - {like-host: /dev/null}\n"
		       "  - {path: /dev/null, type: c, major: 1, minor: 3, best-effort: true}\n",
		       &sink);
	ck_assert_int_ge(diag_find(&sink, "MP-VERSION", 4, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-VERSION", 5, 52), 0);
}
END_TEST

START_TEST(test_defaults)
{
	shape_clean(HEAD);
	ck_assert_uint_eq(p->version, 1);
	ck_assert_at(p->version_pos, 1, 12);
	ck_assert_str_at(p->name, "t", 2, 7);
	ck_assert_ptr_eq(p->file, sink.sources[0].file);
	ck_assert_ptr_null(p->description.text);
	ck_assert_ptr_null(p->rootfs_path.text);
	ck_assert(!p->rootfs_readonly);
	ck_assert_at(p->rootfs_pos, 1, 1);
	ck_assert_ptr_null(p->root_propagation.text); /* rslave, by normalize */
	ck_assert_int_eq(p->pivot, PLAN_PIVOT_ROOT);
	ck_assert_uint_eq(p->umask, 022);
	ck_assert(!p->has_umask);
	ck_assert_ptr_null(p->cwd.text);
	ck_assert(!p->dev_standard);
	ck_assert_int_eq(p->device_policy, PLAN_DEVPOL_AUTO);
	ck_assert_uint_eq(p->n_entries, 0);
}
END_TEST

START_TEST(test_top_level_and_rootfs)
{
	shape_clean("mountplan: 1\n"
		    "name: my-plan.v2_0\n"
		    "description: \"free text: anything\"\n"
		    "rootfs:\n"
		    "  path: /srv/root\n"
		    "  readonly: true\n"
		    "  propagation: rprivate\n"
		    "  pivot: chroot\n"
		    "process:\n"
		    "  umask: 0077\n"
		    "  cwd: /home/user\n"
		    "dev: standard\n"
		    "device-policy: bind\n");
	ck_assert_str_at(p->name, "my-plan.v2_0", 2, 7);
	ck_assert_str_at(p->description, "free text: anything", 3, 14);
	ck_assert_at(p->rootfs_pos, 4, 1);
	ck_assert_str_at(p->rootfs_path, "/srv/root", 5, 9);
	ck_assert(p->rootfs_readonly);
	ck_assert_str_at(p->root_propagation, "rprivate", 7, 16);
	ck_assert_int_eq(p->pivot, PLAN_PIVOT_CHROOT);
	ck_assert_at(p->pivot_pos, 8, 10);
	ck_assert_uint_eq(p->umask, 077);
	ck_assert(p->has_umask);
	ck_assert_at(p->umask_pos, 10, 10);
	ck_assert_str_at(p->cwd, "/home/user", 11, 8);
	ck_assert(p->dev_standard);
	ck_assert_at(p->dev_pos, 12, 1);
	ck_assert_int_eq(p->device_policy, PLAN_DEVPOL_BIND);
}
END_TEST

START_TEST(test_pivot_and_dev_words)
{
	static const char *const pivots[] = { "pivot_root", "move", "chroot" };

	for (int i = 0; i < 3; i++) {
		char *text = NULL;

		front_restart();
		ck_assert_int_gt(asprintf(&text, HEAD "rootfs: {pivot: %s}\ndev: none\n",
					  pivots[i]), 0);
		shape_clean(text);
		ck_assert_int_eq(p->pivot, (enum plan_pivot)i);
		ck_assert(!p->dev_standard);
		free(text);
	}
}
END_TEST

START_TEST(test_umask_forms)
{
	static const char *const forms[] = { "0022", "022", "22", "\"0022\"",
					     "'022'", "0o22" };

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char *text = NULL;

		front_restart();
		ck_assert_int_gt(asprintf(&text, HEAD "process: {umask: %s}\n", forms[i]), 0);
		shape_clean(text);
		ck_assert_msg(p->umask == 022, "umask %s gave %o", forms[i], p->umask);
		ck_assert(p->has_umask);
		free(text);
	}
}
END_TEST

START_TEST(test_mounts)
{
	const struct plan_entry *e;

	shape_clean(HEAD
		    "mounts:\n"
		    "  - target: /proc\n"                       /* 4 */
		    "    type: proc\n"
		    "    options: [nosuid, \"nodev\"]\n"        /* 6 */
		    "  - type: tmpfs\n"                         /* 7 */
		    "    target: /tmp\n"
		    "    source: tmp\n"
		    "    options: nosuid,mode=1777\n"           /* 10 */
		    "    propagation: rshared\n"
		    "  - target: /data\n"                       /* 12 */
		    "    type: bind\n"
		    "    source: /srv/data\n"
		    "    options: \"ridmap,ro\"\n"              /* 15 */
		    "    optional: true\n"
		    "    uidmap: \"0:1000:1 1:100000:65535\"\n"
		    "    gidmap: 0:1000:1\n");
	ck_assert_uint_eq(p->n_entries, 3);

	e = &p->entries[0];
	ck_assert_int_eq(e->kind, PLAN_MOUNT);
	ck_assert_uint_eq(e->index, 0);
	ck_assert(!e->bad && !e->synthetic);
	ck_assert_at(e->cold->pos, 4, 5);
	ck_assert_str_at(e->target, "/proc", 4, 13);
	ck_assert_str_at(e->type, "proc", 5, 11);
	ck_assert_ptr_null(e->source.text);
	ck_assert_uint_eq(e->cold->n_options, 2);
	ck_assert_str_at(e->cold->options[0], "nosuid", 6, 15);
	ck_assert_str_at(e->cold->options[1], "nodev", 6, 23);
	ck_assert_ptr_null(e->cold->propagation.text);
	ck_assert(!e->cold->optional);

	e = &p->entries[1];
	ck_assert_uint_eq(e->index, 1);
	ck_assert_uint_eq(e->cold->pos.line, 7); /* the first key, whichever it is */
	ck_assert_str_at(e->target, "/tmp", 8, 13);
	ck_assert_str_at(e->source, "tmp", 9, 13);
	ck_assert_uint_eq(e->cold->n_options, 2);
	ck_assert_str_at(e->cold->options[0], "nosuid", 10, 14);
	ck_assert_str_at(e->cold->options[1], "mode=1777", 10, 21);
	ck_assert_str_at(e->cold->propagation, "rshared", 11, 18);
	/* none of the rare keys written: the shared read-only part */
	ck_assert_ptr_eq(p->entries[0].cold->rare, &plan_no_rare);
	ck_assert_ptr_eq(e->cold->rare, &plan_no_rare);

	e = &p->entries[2];
	ck_assert_str_at(e->type, "bind", 13, 11);
	ck_assert_str_at(e->source, "/srv/data", 14, 13);
	ck_assert_uint_eq(e->cold->n_options, 2);
	ck_assert_str_at(e->cold->options[0], "ridmap", 15, 15); /* inside the quotes */
	ck_assert_str_at(e->cold->options[1], "ro", 15, 22);
	ck_assert(e->cold->optional);
	ck_assert_ptr_ne(e->cold->rare, &plan_no_rare); /* its own */
	ck_assert_at(e->cold->rare->optional_pos, 16, 15);
	ck_assert_str_at(e->cold->rare->uidmap, "0:1000:1 1:100000:65535", 17, 13);
	ck_assert_str_at(e->cold->rare->gidmap, "0:1000:1", 18, 13);
}
END_TEST

START_TEST(test_devices)
{
	const struct plan_entry *e;

	/* device-policy written after the devices still applies to them */
	shape_clean(HEAD
		    "devices:\n"
		    "  - path: /dev/fuse\n"   /* 4 */
		    "    type: c\n"
		    "    major: 10\n"
		    "    minor: 229\n"
		    "    mode: 0600\n"
		    "    uid: 1000\n"
		    "    gid: 4294967294\n"
		    "    policy: mknod\n"
		    "  - {path: /dev/loop0, type: b, major: 7, minor: 0}\n" /* 12 */
		    "  - {path: /dev/ttyS0, type: u, major: 4, minor: 64, mode: \"0620\"}\n"
		    "  - {path: /run/fifo, type: p}\n"
		    "device-policy: mknod\n");
	ck_assert_uint_eq(p->n_entries, 4);

	e = &p->entries[0];
	ck_assert_int_eq(e->kind, PLAN_DEVICE);
	ck_assert_str_at(e->target, "/dev/fuse", 4, 11);
	ck_assert_str_at(e->cold->node->dev_type, "c", 5, 11);
	ck_assert_uint_eq(e->cold->node->major, 10);
	ck_assert_uint_eq(e->cold->node->minor, 229);
	ck_assert_uint_eq(e->cold->node->mode, 0600);
	ck_assert(e->cold->node->has_mode && e->cold->node->has_uid && e->cold->node->has_gid && e->cold->node->has_policy);
	ck_assert_uint_eq(e->cold->node->uid, 1000);
	ck_assert_uint_eq(e->cold->node->gid, 4294967294u);
	ck_assert_int_eq(e->cold->node->policy, PLAN_DEVPOL_MKNOD);
	ck_assert_uint_eq(e->cold->node->major_pos.line, 6);
	ck_assert_uint_eq(e->cold->node->minor_pos.line, 7);
	ck_assert_at(e->cold->node->mode_pos, 8, 11);
	ck_assert_uint_eq(e->cold->node->uid_pos.line, 9);
	ck_assert_uint_eq(e->cold->node->gid_pos.line, 10);

	e = &p->entries[1];
	ck_assert_at(e->cold->pos, 12, 6);
	ck_assert_str_eq(e->cold->node->dev_type.text, "b");
	ck_assert_uint_eq(e->cold->node->mode, 0666); /* defaults */
	ck_assert(!e->cold->node->has_mode && !e->cold->node->has_uid && !e->cold->node->has_gid && !e->cold->node->has_policy);
	ck_assert_uint_eq(e->cold->node->uid, 0);
	ck_assert_uint_eq(e->cold->node->gid, 0);
	ck_assert_int_eq(e->cold->node->policy, PLAN_DEVPOL_MKNOD); /* the plan's */

	e = &p->entries[2];
	ck_assert_str_eq(e->cold->node->dev_type.text, "c"); /* u = c */
	ck_assert_uint_eq(e->cold->node->mode, 0620);

	e = &p->entries[3];
	ck_assert_str_eq(e->cold->node->dev_type.text, "p"); /* no numbers needed */
	ck_assert(!e->bad);
}
END_TEST

START_TEST(test_symlinks_masks_readonly)
{
	const struct plan_entry *e;

	shape_clean(HEAD
		    "masks:\n"
		    "  - /proc/kcore\n"                /* 4 */
		    "  - path: /proc/keys\n"
		    "symlinks:\n"
		    "  - path: /dev/fd\n"              /* 7 */
		    "    target: /proc/self/fd\n"
		    "readonly:\n"
		    "  - /proc/sys\n"                  /* 10 */
		    "  - path: /proc\n"
		    "    writable: [/proc/1/attr, /proc/self/attr]\n");
	ck_assert_uint_eq(p->n_entries, 5);

	e = &p->entries[0];
	ck_assert_int_eq(e->kind, PLAN_MASK);
	ck_assert_uint_eq(e->index, 0);
	ck_assert_str_at(e->target, "/proc/kcore", 4, 5);
	ck_assert_at(e->cold->pos, 4, 5);
	e = &p->entries[1];
	ck_assert_int_eq(e->kind, PLAN_MASK);
	ck_assert_str_at(e->target, "/proc/keys", 5, 11);

	e = &p->entries[2];
	ck_assert_int_eq(e->kind, PLAN_SYMLINK);
	ck_assert_uint_eq(e->index, 2);
	ck_assert_str_at(e->target, "/dev/fd", 7, 11);
	ck_assert_str_at(e->cold->node->link, "/proc/self/fd", 8, 13);

	e = &p->entries[3];
	ck_assert_int_eq(e->kind, PLAN_READONLY);
	ck_assert_str_at(e->target, "/proc/sys", 10, 5);
	ck_assert_uint_eq(e->n_holes, 0);
	e = &p->entries[4];
	ck_assert_uint_eq(e->index, 4);
	ck_assert_str_at(e->target, "/proc", 11, 11);
	ck_assert_uint_eq(e->n_holes, 2);
	ck_assert_str_at(e->cold->node->holes[0].path, "/proc/1/attr", 12, 16);
	ck_assert_str_at(e->cold->node->holes[1].path, "/proc/self/attr", 12, 30);
}
END_TEST

START_TEST(test_kind_sections)
{
	ck_assert_str_eq(plan_kind_section(PLAN_MOUNT), "mounts");
	ck_assert_str_eq(plan_kind_section(PLAN_DEVICE), "devices");
	ck_assert_str_eq(plan_kind_section(PLAN_SYMLINK), "symlinks");
	ck_assert_str_eq(plan_kind_section(PLAN_MASK), "masks");
	ck_assert_str_eq(plan_kind_section(PLAN_READONLY), "readonly");
}
END_TEST

START_TEST(test_add_entry_grows)
{
	struct plan *plan = calloc(1, sizeof(*plan));
	struct plan_pos pos = { "f", 3, 4 };

	for (size_t i = 0; i < 1000; i++) {
		struct plan_entry *e = plan_add_entry(plan, PLAN_MASK, pos);
		ck_assert_uint_eq(e->index, i);
		ck_assert_uint_eq(e->target.pos.line, 3);
		ck_assert(!e->bad && !e->target.text);
		e->target.text = arena_strdup(&plan->targets, "/x");
	}
	ck_assert_uint_eq(plan->n_entries, 1000);
	ck_assert_str_eq(plan->entries[999].target.text, "/x");
	plan_free(plan);
	plan_free(NULL);
}
END_TEST

START_TEST(test_not_a_mapping)
{
	ck_assert_fails(shape_text, "- a\n- b\n", "MP-TYPE", 1, 1);
	ck_assert_fails(shape_text, "just text\n", "MP-TYPE", 1, 1);
}
END_TEST

START_TEST(test_unknown_key)
{
	p = shape_text(HEAD "mounts:\n  - targte: /x\n    type: tmpfs\n    zzzzzz: 1\n", &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(sink.n, 3);
	ck_assert_int_eq(diag_find(&sink, "MP-UNKNOWN-KEY", 4, 5), 0);
	ck_assert_str_eq(sink.items[0].message,
			 "unknown key 'targte' in a mount; did you mean 'target'?");
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 4, 5), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UNKNOWN-KEY", 6, 5), 0);
	ck_assert_ptr_null(strstr(sink.items[diag_find(&sink, "MP-UNKNOWN-KEY", 6, 5)].message,
				  "did you mean"));
	ck_assert(p->entries[0].bad);

	front_restart();
	p = shape_text(HEAD "devics: []\nprocess: {umas: 1}\n", &sink);
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_ptr_nonnull(strstr(sink.items[0].message, "did you mean 'devices'?"));
	ck_assert_ptr_nonnull(strstr(sink.items[1].message, "did you mean 'umask'?"));
}
END_TEST

START_TEST(test_type_errors)
{
	p = shape_text(HEAD
		       "description: [a]\n"                 /* 3:14 */
		       "rootfs: {readonly: \"true\", path: ~}\n" /* 4:20, 4:34 */
		       "mounts:\n"
		       "  - target: /x\n"
		       "    type: {a: b}\n"                 /* 7:11 */
		       "    optional: 1\n"                  /* 8:15 */
		       "devices: {}\n"                      /* 9:10 */
		       "symlinks: /x\n"                     /* 10:11 */
		       "masks:\n"
		       "  - null\n"                         /* 12:5 */
		       "readonly:\n"
		       "  - {path: /proc, writable: [[/proc/x]]}\n", /* 14:30 */
		       &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(sink.n, 9);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 3, 14), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 4, 20), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 4, 34), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 7, 11), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 8, 15), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 9, 10), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 10, 11), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 12, 5), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 14, 30), 0);
	/* a type given but wrong is not also missing */
	ck_assert_int_eq(diag_find(&sink, "MP-MISSING", 0, 0), -1);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 0, 0), 0);
	ck_assert_str_eq(sink.items[diag_find(&sink, "MP-TYPE", 4, 20)].message,
			 "'readonly' must be true or false, not 'true'");
	ck_assert(p->entries[0].bad); /* the mount */
	ck_assert(p->entries[1].bad); /* the mask */
	ck_assert(p->entries[2].bad); /* the read-only path */
}
END_TEST

START_TEST(test_missing)
{
	p = shape_text("mountplan: 1\n"
		       "mounts:\n"
		       "  - {type: tmpfs}\n"          /* 3:6 target */
		       "  - {target: /x}\n"           /* 4:6 type */
		       "  - {target: /y, type: bind}\n" /* 5:6 source */
		       "devices:\n"
		       "  - {type: c, major: 1}\n"    /* 7:6 path, minor */
		       "  - {path: /dev/b}\n"         /* 8:6 type */
		       "symlinks:\n"
		       "  - {}\n"                     /* 10:5 path, target */
		       "masks:\n"
		       "  - {}\n"                     /* 12:5 path */
		       , &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 1, 1), 0); /* name */
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 3, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 4, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 5, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 7, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 8, 6), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 10, 5), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-MISSING", 12, 5), 0);
	ck_assert_uint_eq(sink.n, 1 + 3 + 2 + 1 + 2 + 1);
	for (size_t i = 0; i < p->n_entries; i++)
		ck_assert_msg(p->entries[i].bad, "entry %zu not marked bad", i);
}
END_TEST

START_TEST(test_range)
{
	p = shape_text(HEAD
		       "process: {umask: 01000}\n"                              /* 3:18 */
		       "devices:\n"
		       "  - {path: /a, type: c, major: 4095, minor: 1048575, mode: 07777, uid: 0}\n"
		       "  - {path: /b, type: c, major: 4096, minor: 1048576, mode: 010000}\n"
		       "  - {path: /c, type: c, major: 1, minor: 1, uid: 99999999999999999999999, gid: -5}\n",
		       &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 3, 18), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 6, 32), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 6, 45), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 6, 60), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 7, 50), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-RANGE", 7, 80), 0);
	ck_assert_uint_eq(sink.n, 6);
	ck_assert(!p->entries[0].bad);
	ck_assert_uint_eq(p->entries[0].cold->node->major, 4095);
	ck_assert_uint_eq(p->entries[0].cold->node->minor, 1048575);
	ck_assert_uint_eq(p->entries[0].cold->node->mode, 07777);
	ck_assert(p->entries[1].bad);
	ck_assert(p->entries[2].bad);
	ck_assert_uint_eq(p->umask, 022); /* the default stays */
}
END_TEST

START_TEST(test_bad_values)
{
	int i;

	p = shape_text(HEAD
		       "dev: standart\n"                          /* 3:6 */
		       "device-policy: copy\n"                    /* 4:16 */
		       "rootfs: {propagation: rslave, pivot: pivot}\n" /* 4: ok, 5:38 */
		       "mounts:\n"
		       "  - {target: /x, type: tmpfs, propagation: private}\n"
		       "  - {target: /y, type: tmpfs, propagation: privat}\n" /* 8:44 */
		       "devices:\n"
		       "  - {path: /d, type: k, major: 1, minor: 1}\n"        /* 10:22 */
		       "  - {path: /e, type: c, major: 1, minor: 1, policy: bnd}\n", /* 11:53 */
		       &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(sink.n, 6);
	i = diag_find(&sink, "MP-BAD-VALUE", 3, 6);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(sink.items[i].message, "unknown dev 'standart'; did you mean 'standard'?");
	i = diag_find(&sink, "MP-BAD-VALUE", 4, 16);
	ck_assert_int_ge(i, 0);
	ck_assert_ptr_nonnull(strstr(sink.items[i].message, "one of: mknod-or-bind, mknod, bind"));
	ck_assert_int_ge(diag_find(&sink, "MP-BAD-VALUE", 5, 38), 0);
	i = diag_find(&sink, "MP-BAD-VALUE", 8, 44);
	ck_assert_int_ge(i, 0);
	ck_assert_ptr_nonnull(strstr(sink.items[i].message, "did you mean 'private'?"));
	ck_assert_int_ge(diag_find(&sink, "MP-BAD-VALUE", 10, 22), 0);
	i = diag_find(&sink, "MP-BAD-VALUE", 11, 53);
	ck_assert_int_ge(i, 0);
	ck_assert_ptr_nonnull(strstr(sink.items[i].message, "did you mean 'bind'?"));
	ck_assert(!p->dev_standard);
	ck_assert_int_eq(p->device_policy, PLAN_DEVPOL_AUTO);
	ck_assert_str_eq(p->root_propagation.text, "rslave");
	ck_assert_int_eq(p->pivot, PLAN_PIVOT_ROOT);
	ck_assert(!p->entries[0].bad);
	ck_assert_str_eq(p->entries[0].cold->propagation.text, "private");
	ck_assert(p->entries[1].bad);
	ck_assert_ptr_null(p->entries[1].cold->propagation.text);
	ck_assert(p->entries[2].bad);
	ck_assert(p->entries[3].bad);
}
END_TEST

START_TEST(test_name_and_strings)
{
	p = shape_text("mountplan: 1\nname: \"\"\ndescription: \"a\\0b\"\n", &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_int_ge(diag_find(&sink, "MP-BAD-VALUE", 2, 7), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-BAD-VALUE", 3, 14), 0);

	front_restart();
	p = shape_text("mountplan: 1\nname: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", &sink);
	ck_assert_only(&sink, "MP-BAD-VALUE", 2, 7); /* 65 characters */

	/* numbers are strings where a string goes; an empty mapping entry
	 * still has a position */
	front_restart();
	shape_clean("mountplan: 1\nname: 2024\nsymlinks: [{path: /l, target: 42}]\n");
	ck_assert_str_eq(p->name.text, "2024");
	ck_assert_str_eq(p->entries[0].cold->node->link.text, "42");
}
END_TEST

START_TEST(test_version)
{
	static const struct { const char *text; uint32_t line, col; const char *id; } cases[] = {
		{ "name: t\n", 1, 1, "MP-VERSION" },
		{ "mountplan: 3\nname: t\n", 1, 12, "MP-VERSION" },
		{ "mountplan: 1.0\nname: t\n", 1, 12, "MP-VERSION" },
		{ "mountplan: '1'\nname: t\n", 1, 12, "MP-VERSION" },
		{ "mountplan: [1]\nname: t\n", 1, 12, "MP-TYPE" },
		{ "name: t\nmountplan: 0\n", 2, 12, "MP-VERSION" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		front_restart();
		p = shape_text(cases[i].text, &sink);
		ck_assert_ptr_nonnull(p);
		ck_assert_only(&sink, cases[i].id, cases[i].line, cases[i].col);
		ck_assert_uint_eq(p->version, 0);
	}
}
END_TEST

START_TEST(test_options_errors)
{
	p = shape_text(HEAD
		       "mounts:\n"
		       "  - {target: /a, type: tmpfs, options: \",ro\"}\n"       /* 4:41 */
		       "  - {target: /b, type: tmpfs, options: [ro, 5, true]}\n" /* 5:48 */
		       "  - {target: /c, type: tmpfs, options: {ro: 1}}\n",      /* 6:40 */
		       &sink);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(sink.n, 3);
	ck_assert_int_ge(diag_find(&sink, "MP-BAD-VALUE", 4, 41), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 5, 48), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-TYPE", 6, 40), 0);
	ck_assert_uint_eq(p->entries[0].cold->n_options, 1);
	ck_assert_str_at(p->entries[0].cold->options[0], "ro", 4, 42);
	ck_assert_uint_eq(p->entries[1].cold->n_options, 2); /* "5" is a string */
	for (size_t i = 0; i < 3; i++)
		ck_assert(p->entries[i].bad);
}
END_TEST

START_TEST(test_written_order_across_sections)
{
	shape_clean(HEAD
		    "readonly: [/r]\n"
		    "mounts: [{target: /m, type: tmpfs}]\n"
		    "masks: [/x, /y]\n");
	ck_assert_uint_eq(p->n_entries, 4);
	ck_assert_int_eq(p->entries[0].kind, PLAN_READONLY);
	ck_assert_int_eq(p->entries[1].kind, PLAN_MOUNT);
	ck_assert_int_eq(p->entries[2].kind, PLAN_MASK);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(p->entries[i].index, i);
}
END_TEST

START_TEST(test_aliased_values)
{
	shape_clean(HEAD
		    "mounts:\n"
		    "  - {target: /a, type: tmpfs, options: &o [nosuid, nodev]}\n"
		    "  - {target: /b, type: tmpfs, options: *o}\n");
	ck_assert_uint_eq(p->entries[1].cold->n_options, 2);
	ck_assert_str_eq(p->entries[1].cold->options[1].text, "nodev");
	/* an aliased value keeps the position where it was written */
	ck_assert_uint_eq(p->entries[1].cold->options[0].pos.line, 4);
}
END_TEST

START_TEST(test_standard_paths)
{
	/* the word alone: docker's 11 masks, at the word's position */
	shape_clean("mountplan: 2\nname: t\nmasks: standard\nreadonly: standard\n");
	ck_assert_uint_eq(p->n_entries, 16);
	ck_assert_int_eq(p->entries[0].kind, PLAN_MASK);
	ck_assert_str_at(p->entries[0].target, "/proc/asound", 3, 8);
	ck_assert_str_eq(p->entries[10].target.text, "/sys/devices/virtual/powercap");
	ck_assert_int_eq(p->entries[11].kind, PLAN_READONLY);
	ck_assert_str_at(p->entries[15].target, "/proc/sysrq-trigger", 4, 11);

	/* an item beside extra entries; an explicit standard path wins */
	front_restart();
	shape_clean("mountplan: 2\nname: t\n"
		    "masks: [/extra, standard, {path: /proc/kcore, when: {path: /proc/kcore}}]\n");
	ck_assert_uint_eq(p->n_entries, 12);
	ck_assert_str_eq(p->entries[0].target.text, "/extra");
	for (size_t i = 1; i < 11; i++)
		ck_assert_str_ne(p->entries[i].target.text, "/proc/kcore");
	ck_assert_str_at(p->entries[11].target, "/proc/kcore", 3, 34);
	ck_assert_ptr_nonnull(p->entries[11].cold->rare->when.path.text);

	/* version 2 only */
	front_restart();
	p = shape_text(HEAD "masks: standard\n", &sink);
	ck_assert_only(&sink, "MP-VERSION", 3, 8);
}
END_TEST

static Suite *shape_suite(void)
{
	Suite *s = suite_create("shape");
	TCase *tc = front_tcase(s, "shape", &sink, NULL, &p);

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_top_level_and_rootfs);
	tcase_add_test(tc, test_pivot_and_dev_words);
	tcase_add_test(tc, test_umask_forms);
	tcase_add_test(tc, test_mounts);
	tcase_add_test(tc, test_devices);
	tcase_add_test(tc, test_symlinks_masks_readonly);
	tcase_add_test(tc, test_kind_sections);
	tcase_add_test(tc, test_add_entry_grows);
	tcase_add_test(tc, test_not_a_mapping);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_type_errors);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_range);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_name_and_strings);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_options_errors);
	tcase_add_test(tc, test_written_order_across_sections);
	tcase_add_test(tc, test_aliased_values);
	tcase_add_test(tc, test_standard_paths);
	tcase_add_test(tc, test_long_section);
	tcase_add_test(tc, test_like_host);
	tcase_add_test(tc, test_like_host_errors);
	tcase_add_test(tc, test_like_host_v1);
	return s;
}

int main(void)
{
	return check_run(shape_suite());
}
