/*
 * check_options.c: the normalize pass: mount options through libmount
 * (options.c), paths, dev: standard.
 */
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "mp_ops.h"
#include "options.h"
#include "passes.h"
#include "plan_fixture.h"

/* Each test's plan and diagnostics (fresh for each test: fx_tcase). */
static struct plan *plan;
static struct diag_sink sink;

/* The plan afresh, holding one mount at /mnt, normalized into sink; the
 * mount's entry. */
static const struct plan_entry *one_mount(const char *type, const char *source,
					  const char *options)
{
	fx_restart();
	fx_mount(plan, "/mnt", type, source, options);
	normalize_plan(plan, &sink);
	return &plan->entries[0];
}

/* The first diagnostic's message containing id, or "". */
static const char *message_of(const struct diag_sink *diags, const char *id)
{
	for (size_t i = 0; i < diags->n; i++)
		if (strcmp(diags->items[i].id, id) == 0)
			return diags->items[i].message;
	return "";
}

START_TEST(vfs_flags)
{
	const struct plan_entry *e = one_mount("tmpfs", NULL, "nosuid,nodev,noexec,ro");

	ck_assert_uint_eq(sink.n, 0);
	ck_assert_uint_eq(e->attr_set, MP_ATTR_NOSUID | MP_ATTR_NODEV |
					       MP_ATTR_NOEXEC | MP_ATTR_RDONLY);
	ck_assert_uint_eq(e->cold->attr_clr, 0);
	ck_assert_ptr_null(e->fs_data);
	ck_assert(!e->is_bind);
}
END_TEST

START_TEST(inverted_flags_clear)
{
	const struct plan_entry *e = one_mount("tmpfs", NULL, "rw,suid,dev,exec");

	ck_assert_uint_eq(sink.n, 0);
	ck_assert_uint_eq(e->attr_set, 0);
	ck_assert_uint_eq(e->cold->attr_clr, MP_ATTR_RDONLY | MP_ATTR_NOSUID |
					       MP_ATTR_NODEV | MP_ATTR_NOEXEC);
}
END_TEST

START_TEST(ro_rw_conflict)
{
	one_mount("tmpfs", NULL, "ro,rw");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION-CONFLICT", FX_LINE(0)), 1);
	ck_assert_uint_eq(sink.items[0].pos.col, 30); /* the second word */
	ck_assert_str_eq(sink.items[0].message, "option 'rw' conflicts with 'ro' (at 10:20)");
	ck_assert(plan->entries[0].bad);
}
END_TEST

START_TEST(atime_values)
{
	one_mount("tmpfs", NULL, "noatime");
	ck_assert_uint_eq(plan->entries[0].attr_set, MP_ATTR_NOATIME);
	one_mount("tmpfs", NULL, "relatime");
	ck_assert_uint_eq(plan->entries[0].attr_set, 0);
	ck_assert_uint_eq(plan->entries[0].cold->attr_clr, MP_ATTR__ATIME);
	one_mount("tmpfs", NULL, "noatime,strictatime");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION-CONFLICT", 0), 1);
}
END_TEST

START_TEST(typo_did_you_mean)
{
	static const char *const types[] = { "proc", "sysfs", "tmpfs", "bind",
					     "devpts", "mqueue", "cgroup2", NULL };

	for (int i = 0; types[i]; i++) {
		one_mount(types[i], "/src", "nosiud");
		ck_assert_msg(fx_count(&sink, "MP-OPTION", FX_LINE(0)) == 1, "%s", types[i]);
		ck_assert_msg(strstr(message_of(&sink, "MP-OPTION"), "did you mean 'nosuid'"),
			      "%s: %s", types[i], message_of(&sink, "MP-OPTION"));
		ck_assert_ptr_null(plan->entries[0].fs_data);
	}
}
END_TEST

START_TEST(fs_parameters)
{
	one_mount("tmpfs", NULL, "nosuid,mode=755,size=64k");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "mode=755,size=64k");
	one_mount("devpts", NULL, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
}
END_TEST

START_TEST(bad_parameter_values)
{
	one_mount("tmpfs", NULL, "mode=abc");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION", 0), 1);
	one_mount("tmpfs", NULL, "size");
	ck_assert(strstr(message_of(&sink, "MP-OPTION"), "needs a value"));
	one_mount("devpts", NULL, "newinstance=1");
	ck_assert(strstr(message_of(&sink, "MP-OPTION"), "takes no value"));
}
END_TEST

START_TEST(unknown_filesystem_data)
{
	one_mount("ext4", "/dev/sda1", "noatime,errors=remount-ro,data=ordered");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "errors=remount-ro,data=ordered");
	ck_assert_uint_eq(plan->entries[0].attr_set, MP_ATTR_NOATIME);
}
END_TEST

/* An SELinux context between double quotes is one word, commas and all
 * (libmount, the kernel's SELinux option parser and mountplan-exec read
 * it so); context, fscontext, defcontext and rootcontext are taken for a
 * filesystem whose parameters are known (tmpfs), and a value that is not
 * a context is refused at its option.  Before: the quoted value was cut
 * at its comma and context= refused on tmpfs as an unknown parameter. */
START_TEST(selinux_context)
{
	bool open_quote;

	ck_assert_uint_eq(options_word_len("a,b", &open_quote), 1);
	ck_assert(!open_quote);
	ck_assert_uint_eq(options_word_len("context=\"u:r:t:s0:c1,c2\",size=1m", &open_quote), 24);
	ck_assert(!open_quote);
	ck_assert_uint_eq(options_word_len("context=\"u:r,x", &open_quote), 14);
	ck_assert(open_quote);
	one_mount("tmpfs", NULL, "nosuid,context=\"u:r:t:s0:c1,c2\",size=1m");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "context=\"u:r:t:s0:c1,c2\",size=1m");
	ck_assert_uint_eq(plan->entries[0].attr_set, MP_ATTR_NOSUID);
	one_mount("proc", NULL, "fscontext=u:r:t:s0");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "fscontext=u:r:t:s0");
	one_mount("mqueue", NULL, "rootcontext=\"u:r:t:s0\",defcontext=u:r:t:s0");
	ck_assert_uint_eq(sink.n, 0);
	for (size_t i = 0; i < 5; i++) {
		static const char *const bad[] = { "context=", "context=\"\"", "context=\"u:r,t",
						   "context=u\"r", "context=\"u:r:t\\x\"" };
		one_mount("tmpfs", NULL, bad[i]);
		ck_assert_msg(fx_count(&sink, "MP-OPTION", 0) == 1, "%s", bad[i]);
		ck_assert(strstr(message_of(&sink, "MP-OPTION"), "needs an SELinux context"));
	}
}
END_TEST

/* A double quote anywhere but around a context value is refused: with
 * the new mount API mountplan-exec took key="v" as v and ended a value at
 * its closing quote, so 'mode="0700"x,bogus=1' on a read-only ramfs
 * mounted with mode 0700 and the rest dropped, where the fallback's
 * mount(2) gave the quotes to the filesystem (EINVAL).  Before: compiled. */
START_TEST(quotes_only_around_contexts)
{
	static const char *const bad[] = { "mode=\"0700\"x", "errors=\"remount-ro\"",
					   "data=\"ordered", "\"nosuid\"" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		one_mount(i % 2 ? "ext4" : "ramfs", i % 2 ? "/dev/vdz" : NULL, bad[i]);
		ck_assert_msg(fx_count(&sink, "MP-OPTION", 0) == 1, "%s", bad[i]);
		ck_assert(strstr(message_of(&sink, "MP-OPTION"), "a double quote is taken only"));
	}
	one_mount("ramfs", NULL, "mode=0700,defcontext=\"u:r:t:s0:c1,c2\"");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "mode=0700,defcontext=\"u:r:t:s0:c1,c2\"");
}
END_TEST

START_TEST(bind_words)
{
	const struct plan_entry *e = one_mount("none", "/src", "rbind,ro");

	ck_assert_uint_eq(sink.n, 0);
	ck_assert(e->is_bind);
	ck_assert(e->recursive);
	ck_assert_uint_eq(e->attr_set, MP_ATTR_RDONLY);
	ck_assert(!e->attr_recursive);
}
END_TEST

START_TEST(recursive_variants)
{
	const struct plan_entry *e = one_mount("bind", "/src", "rbind,rro,rnosuid,nodev");

	ck_assert_uint_eq(sink.n, 0);
	ck_assert(e->attr_recursive);
	ck_assert_uint_eq(e->attr_set, MP_ATTR_RDONLY | MP_ATTR_NOSUID | MP_ATTR_NODEV);
	ck_assert_uint_eq(e->rattr_set, MP_ATTR_RDONLY | MP_ATTR_NOSUID);
	one_mount("bind", "/src", "rro,rrw");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION-CONFLICT", 0), 1);
}
END_TEST

START_TEST(propagation)
{
	one_mount("tmpfs", NULL, "rshared");
	ck_assert_uint_eq(plan->entries[0].cold->prop, MP_PROP_SHARED | MP_PROP_REC);
	fx_restart();
	fx_mount(plan, "/mnt", "tmpfs", NULL, "private");
	plan->entries[0].cold->propagation = fx_str("rslave", FX_LINE(0), 60);
	normalize_plan(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION-CONFLICT", FX_LINE(0)), 1);
	ck_assert_uint_eq(options_propagation("rslave"), MP_PROP_SLAVE | MP_PROP_REC);
	ck_assert_uint_eq(options_propagation("private"), MP_PROP_PRIVATE);
	ck_assert_uint_eq(options_propagation("nosuid"), 0);
	ck_assert_uint_eq(options_propagation("bogus"), 0);
	ck_assert_str_eq(options_propagation_name(MP_PROP_SHARED | MP_PROP_REC), "rshared");
}
END_TEST

START_TEST(our_words)
{
	one_mount("tmpfs", NULL, "tmpcopyup");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert(plan->entries[0].cold->tmpcopyup);
	one_mount("proc", NULL, "tmpcopyup");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION", 0), 1);
	one_mount("tmpfs", NULL, "idmap");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION", 0), 1);
	one_mount("tmpfs", NULL, "noauto");
	ck_assert(strstr(message_of(&sink, "MP-OPTION"), "fstab"));
	one_mount("tmpfs", NULL, "remount");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION", 0), 1);
}
END_TEST

START_TEST(idmap)
{
	struct plan_entry *e = fx_mount(plan, "/mnt", "bind", "/src", "idmap");

	plan_rare(e)->uidmap = fx_str("0:1000:1 1:100000:65536", FX_LINE(0), 60);
	plan_rare(e)->gidmap = fx_str("0:1000:1", FX_LINE(0), 70);
	normalize_plan(plan, &sink);
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].cold->idmap, "uid=0:1000:1,1:100000:65536;gid=0:1000:1");
	ck_assert(plan->entries[0].attr_set & MP_ATTR_IDMAP);
	fx_restart();
	e = fx_mount(plan, "/mnt", "bind", "/src", "idmap");
	plan_rare(e)->uidmap = fx_str("0:1000", FX_LINE(0), 60);
	normalize_plan(plan, &sink);
	ck_assert_uint_eq(fx_count(&sink, "MP-IDMAP", 0), 2); /* bad uidmap, no gidmap */
}
END_TEST

START_TEST(superblock_flags)
{
	one_mount("tmpfs", NULL, "sync,lazytime");
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(plan->entries[0].fs_data, "sync,lazytime");
	one_mount("bind", "/src", "sync");
	ck_assert_uint_eq(fx_count(&sink, "MP-OPTION", 0), 1);
}
END_TEST

START_TEST(paths)
{
	static const struct {
		const char *path, *says;
	} cases[] = {
		{ "dev/shm", "relative" }, { "/a//b", "//" },	   { "/a/", "ends with /" },
		{ "/a/./b", ". component" }, { "/a/..", ".. component" },
		{ "", "empty" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_restart();
		fx_mask(plan, cases[i].path);
		normalize_plan(plan, &sink);
		ck_assert_uint_eq(fx_count(&sink, "MP-PATH", FX_LINE(0)), 1);
		ck_assert_msg(strstr(message_of(&sink, "MP-PATH"), cases[i].says), "%s: %s",
			      cases[i].path, message_of(&sink, "MP-PATH"));
	}
	{
		char *long_path = malloc(4100);

		fx_restart();
		memset(long_path, 'a', 4099);
		long_path[0] = '/';
		long_path[4099] = 0;
		fx_mask(plan, long_path);
		fx_mask(plan, "/proc/kcore");
		normalize_plan(plan, &sink);
		ck_assert_uint_eq(sink.n, 1);
		ck_assert(strstr(message_of(&sink, "MP-PATH"), "4095"));
		free(long_path);
	}
}
END_TEST

START_TEST(bind_source)
{
	one_mount("bind", NULL, NULL);
	ck_assert_uint_eq(fx_count(&sink, "MP-BIND-SOURCE", FX_LINE(0)), 1);
	one_mount("none", "src/dir", "rbind");
	ck_assert_uint_eq(fx_count(&sink, "MP-BIND-SOURCE", FX_LINE(0)), 1);
	one_mount("tmpfs", "whatever", NULL);
	ck_assert_uint_eq(sink.n, 0);
}
END_TEST

START_TEST(dev_standard)
{
	plan->dev_standard = true;
	fx_mount(plan, "/dev/shm", "tmpfs", NULL, "size=1m");
	fx_check(plan, &sink);
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_uint_eq(plan->n_entries, 1 + 2 + 6 + 5);
	ck_assert(!plan->entries[fx_find(plan, PLAN_MOUNT, "/dev/shm")].synthetic);
	ck_assert(plan->entries[fx_find(plan, PLAN_MOUNT, "/dev")].synthetic);
	ck_assert_uint_eq(plan->entries[fx_find(plan, PLAN_MOUNT, "/dev")].cold->pos.line, 5);
	ck_assert_str_eq(plan->entries[fx_find(plan, PLAN_MOUNT, "/dev/pts")].fs_data,
			 "newinstance,ptmxmode=0666,mode=0620,gid=5");
	ck_assert_uint_eq(plan->entries[fx_find(plan, PLAN_DEVICE, "/dev/tty")].cold->node->major, 5);
	ck_assert_str_eq(plan->entries[fx_find(plan, PLAN_SYMLINK, "/dev/ptmx")].cold->node->link.text,
			 "pts/ptmx");
}
END_TEST

START_TEST(root_defaults)
{
	fx_check(plan, &sink);
	ck_assert_uint_eq(plan->root_prop, MP_PROP_SLAVE | MP_PROP_REC);
	ck_assert_uint_eq(plan->umask, 022);
	fx_restart();
	plan->root_propagation = fx_str("rprivate", 4, 16);
	fx_check(plan, &sink);
	ck_assert_uint_eq(plan->root_prop, MP_PROP_PRIVATE | MP_PROP_REC);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = fx_tcase(s, "normalize", &plan, &sink);

	tcase_add_test(tc, vfs_flags);
	tcase_add_test(tc, inverted_flags_clear);
	tcase_add_test(tc, ro_rw_conflict);
	tcase_add_test(tc, atime_values);
	tcase_add_test(tc, typo_did_you_mean);
	tcase_add_test(tc, fs_parameters);
	tcase_add_test(tc, bad_parameter_values);
	tcase_add_test(tc, unknown_filesystem_data);
	tcase_add_test(tc, selinux_context);
	tcase_add_test(tc, quotes_only_around_contexts);
	tcase_add_test(tc, bind_words);
	tcase_add_test(tc, recursive_variants);
	tcase_add_test(tc, propagation);
	tcase_add_test(tc, our_words);
	tcase_add_test(tc, idmap);
	tcase_add_test(tc, superblock_flags);
	tcase_add_test(tc, paths);
	tcase_add_test(tc, bind_source);
	tcase_add_test(tc, dev_standard);
	tcase_add_test(tc, root_defaults);
	return check_run(s);
}
