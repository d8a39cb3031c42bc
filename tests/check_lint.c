/*
 * check_lint.c: plan-check's rules on plans built in C (plan_fixture.h),
 * one test per rule with a case that must be reported, at its exact
 * position, and one that must not; the catalogue against doc/rules.md;
 * inline suppressions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "lint.h"
#include "passes.h"
#include "plan_fixture.h"
#include "rules.h"
#include "suppress.h"

/* Each test's plan and findings (fresh for each test: fx_tcase). */
static struct diag_sink sink;
static struct plan *plan;

/* The compiler's passes, then every rule (opt-in ones too). */
static void lint(void)
{
	bool *all = calloc(n_rules, sizeof(*all));

	for (size_t i = 0; i < n_rules; i++)
		all[i] = true;
	diag_free(&sink);
	fx_check(plan, &sink);
	order_plan(plan);
	rules_run(plan, all, &sink);
	free(all);
}

/* How many findings of id at line:col (col 0: any column; line 0: any). */
static size_t found(const char *id, uint32_t line, uint32_t col)
{
	size_t n = 0;

	for (size_t i = 0; i < sink.n; i++)
		if (strcmp(sink.items[i].id, id) == 0 &&
		    (!line || sink.items[i].pos.line == line) &&
		    (!col || sink.items[i].pos.col == col))
			n++;
	return n;
}

/* The message of the first finding of id, or "". */
static const char *message(const char *id)
{
	for (size_t i = 0; i < sink.n; i++)
		if (strcmp(sink.items[i].id, id) == 0)
			return sink.items[i].message;
	return "";
}

/* Assert that the findings of id are n in all, one at each of the n
 * positions that follow (a line and a column each). */
static void found_only_at(const char *id, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		uint32_t line = va_arg(ap, uint32_t), col = va_arg(ap, uint32_t);

		ck_assert_msg(found(id, line, col) == 1, "%s at %u:%u: found %zu",
			      id, line, col, found(id, line, col));
	}
	va_end(ap);
	ck_assert_uint_eq(found(id, 0, 0), (size_t)n);
}

/* Assert that there is no finding of any of the IDs that follow (up to
 * a NULL). */
static void found_none(const char *id, ...)
{
	va_list ap;

	va_start(ap, id);
	for (; id; id = va_arg(ap, const char *))
		ck_assert_msg(found(id, 0, 0) == 0, "%s: found %zu", id, found(id, 0, 0));
	va_end(ap);
}

#define ENTRY(k) FX_LINE(k), 5   /* entry k's position */
#define OPTION(k, j) FX_LINE(k), (20 + 10 * (j))

START_TEST(bind_host_root)
{
	fx_mount(plan, "/host", "bind", "/", "rbind");
	fx_mount(plan, "/data", "bind", "/srv/data", "rbind");
	lint();
	found_only_at("PC-BIND-HOST-ROOT", 1, ENTRY(0));
}
END_TEST

START_TEST(bind_runtime_socket)
{
	fx_mount(plan, "/run/docker.sock", "bind", "/var/run/docker.sock", NULL);
	fx_mount(plan, "/v", "bind", "/var", "rbind");            /* holds it */
	fx_mount(plan, "/k", "bind", "/var/lib/kubelet/pods", NULL); /* beneath */
	fx_mount(plan, "/s", "bind", "/srv/docker.sock", NULL);
	fx_mount(plan, "/u", "bind", "/run/user/1000/docker.sock", NULL); /* rootless */
	lint();
	found_only_at("PC-BIND-RUNTIME-SOCKET", 4, ENTRY(0), ENTRY(1), ENTRY(2), ENTRY(4));
	found_none("PC-BIND-HOST-SYSTEM", NULL);
}
END_TEST

/* The kubelet's PKI is named for what it holds, not for /var/lib/kubelet. */
START_TEST(bind_kubelet_pki)
{
	fx_mount(plan, "/pki", "bind", "/var/lib/kubelet/pki", NULL);
	lint();
	found_only_at("PC-BIND-RUNTIME-SOCKET", 1, ENTRY(0));
	ck_assert(strstr(message("PC-BIND-RUNTIME-SOCKET"), "client certificate and key"));
	ck_assert(!strstr(message("PC-BIND-RUNTIME-SOCKET"), "every pod's volumes"));
}
END_TEST

START_TEST(bind_host_system)
{
	fx_mount(plan, "/e", "bind", "/etc", NULL);
	fx_mount(plan, "/etc/resolv.conf", "bind", "/etc/resolv.conf", NULL);
	fx_mount(plan, "/p", "bind", "/proc/1/root", NULL);
	fx_mount(plan, "/dev/null", "bind", "/dev/null", NULL);
	fx_mount(plan, "/home/u", "bind", "/home/u", NULL);
	fx_mount(plan, "/r", "bind", "/root/.ssh", NULL);
	lint();
	found_only_at("PC-BIND-HOST-SYSTEM", 2, ENTRY(0), ENTRY(2));
	found_only_at("PC-BIND-HOST-CREDENTIALS", 1, ENTRY(5)); /* not both */
	ck_assert(strstr(message("PC-BIND-HOST-SYSTEM"), "/etc"));
}
END_TEST

START_TEST(bind_inside_rootfs)
{
	plan->rootfs_path = fx_str("/srv/root", 3, 9);
	fx_mount(plan, "/data", "bind", "/srv/root/data", NULL);
	fx_mount(plan, "/other", "bind", "/srv/rootx", NULL);
	lint();
	found_only_at("PC-BIND-INSIDE-ROOTFS", 1, ENTRY(0));
}
END_TEST

START_TEST(bind_writable)
{
	fx_mount(plan, "/a", "bind", "/srv/a", "nosuid,nodev");
	fx_mount(plan, "/b", "bind", "/srv/b", "ro");
	lint();
	found_only_at("PC-BIND-WRITABLE", 1, ENTRY(0));
	ck_assert(!rule_find("PC-BIND-WRITABLE")->enabled); /* opt-in */
}
END_TEST

START_TEST(sysfs_writable)
{
	fx_mount(plan, "/sys", "sysfs", NULL, "nosuid");
	fx_mount(plan, "/sys2", "sysfs", NULL, "ro");
	fx_mount(plan, "/sys3", "sysfs", NULL, NULL);
	fx_readonly(plan, "/sys3", NULL);
	lint();
	found_only_at("PC-SYSFS-WRITABLE", 1, ENTRY(0));
}
END_TEST

START_TEST(cgroup_writable)
{
	fx_mount(plan, "/sys/fs/cgroup", "cgroup2", NULL, NULL);
	fx_mount(plan, "/cg", "cgroup2", NULL, "ro");
	lint();
	found_only_at("PC-CGROUP-WRITABLE", 1, ENTRY(0));
}
END_TEST

/* Mask every path runc masks under /proc but except. */
static void proc_masks(const char *except)
{
	static const char *const names[] = {
		"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug",
		"/proc/acpi", "/proc/scsi", "/proc/asound", "/proc/latency_stats",
		"/proc/timer_stats", NULL
	};

	for (size_t i = 0; names[i]; i++)
		if (!except || strcmp(names[i], except) != 0)
			fx_mask(plan, names[i]);
}

START_TEST(proc_unmasked)
{
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	proc_masks("/proc/keys");
	lint();
	ck_assert_uint_eq(found("PC-PROC-UNMASKED", ENTRY(0)), 1);
	ck_assert_str_eq(message("PC-PROC-UNMASKED"), "proc on /proc leaves unmasked: keys; help: masks: [standard, ...] (mountplan: 2) hides them all");
	fx_restart();
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	proc_masks(NULL);
	lint();
	found_none("PC-PROC-UNMASKED", NULL);
}
END_TEST

START_TEST(proc_writable)
{
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	fx_readonly(plan, "/proc/sys", NULL);
	fx_readonly(plan, "/proc/sysrq-trigger", NULL);
	fx_readonly(plan, "/proc/bus", NULL);
	fx_readonly(plan, "/proc/fs", NULL);
	fx_mount(plan, "/proc2", "proc", NULL, "ro"); /* all of it read-only */
	lint();
	found_only_at("PC-PROC-WRITABLE", 1, ENTRY(0));
	ck_assert_str_eq(message("PC-PROC-WRITABLE"), "proc on /proc leaves writable: irq; help: readonly: [standard, ...] (mountplan: 2) covers them all");
}
END_TEST

START_TEST(sysfs_unmasked)
{
	fx_mount(plan, "/sys", "sysfs", NULL, "ro");
	fx_mask(plan, "/sys/firmware");
	fx_mount(plan, "/s2", "sysfs", NULL, "ro");
	fx_mask(plan, "/s2/firmware");
	fx_mask(plan, "/s2/devices/virtual/powercap");
	lint();
	found_only_at("PC-SYSFS-UNMASKED", 1, ENTRY(0));
}
END_TEST

START_TEST(writable_suid_dev)
{
	fx_mount(plan, "/tmp", "tmpfs", NULL, "size=1m");
	fx_mount(plan, "/run", "tmpfs", NULL, "nosuid,size=1m");
	fx_mount(plan, "/ro", "tmpfs", NULL, "ro");
	fx_mount(plan, "/proc", "proc", NULL, NULL);
	fx_mount(plan, "/dev", "tmpfs", NULL, "nosuid,size=1m");
	fx_mount(plan, "/safe", "tmpfs", NULL, "nosuid,nodev,size=1m");
	lint();
	found_only_at("PC-WRITABLE-SUID", 1, ENTRY(0));
	found_only_at("PC-WRITABLE-DEV", 2, ENTRY(0), ENTRY(1));
}
END_TEST

START_TEST(shared_root)
{
	plan->root_propagation = fx_str("rshared", 4, 16);
	lint();
	ck_assert_uint_eq(found("PC-SHARED-ROOT", 4, 16), 1);
	fx_restart();
	plan->root_propagation = fx_str("rslave", 4, 16);
	lint();
	found_none("PC-SHARED-ROOT", NULL);
}
END_TEST

START_TEST(shared_mount)
{
	fx_mount(plan, "/a", "bind", "/srv/a", "nosuid,rshared");
	fx_mount(plan, "/b", "bind", "/srv/b", "rslave");
	lint();
	found_only_at("PC-SHARED-MOUNT", 1, OPTION(0, 1));
}
END_TEST

START_TEST(devices)
{
	fx_device(plan, "/dev/mem", "c", 1, 1);
	fx_device(plan, "/dev/null", "c", 1, 3);
	fx_device(plan, "/dev/sda", "b", 8, 0);
	fx_device(plan, "/dev/kvm", "c", 10, 232);
	fx_device(plan, "/dev/cpu/0/msr", "c", 202, 0);
	fx_device(plan, "/dev/net/tun", "c", 10, 200);
	lint();
	found_only_at("PC-DEVICE-MEMORY", 1, ENTRY(0));
	found_only_at("PC-DEVICE-BLOCK", 1, ENTRY(2));
	found_only_at("PC-DEVICE-KVM", 1, ENTRY(3));
	found_only_at("PC-DEVICE-PRIVILEGED", 1, ENTRY(4));
}
END_TEST

START_TEST(root_pivot_umask)
{
	plan->pivot = PLAN_PIVOT_CHROOT;
	plan->pivot_pos = (struct plan_pos){ FX_FILE, 4, 10 };
	plan->has_umask = true;
	plan->umask = 0;
	plan->umask_pos = (struct plan_pos){ FX_FILE, 6, 10 };
	lint();
	ck_assert_uint_eq(found("PC-ROOT-WRITABLE", 3, 1), 1);
	ck_assert_uint_eq(found("PC-PIVOT-CHROOT", 4, 10), 1);
	ck_assert_uint_eq(found("PC-UMASK-PERMISSIVE", 6, 10), 1);
	fx_restart();
	plan->rootfs_readonly = true;
	plan->has_umask = true;
	plan->umask = 027;
	lint();
	found_none("PC-ROOT-WRITABLE", "PC-PIVOT-CHROOT", "PC-UMASK-PERMISSIVE", NULL);
}
END_TEST

START_TEST(dev_incomplete)
{
	fx_mount(plan, "/dev", "tmpfs", NULL, "nosuid,size=1m");
	fx_device(plan, "/dev/null", "c", 1, 3);
	lint();
	ck_assert_uint_eq(found("PC-DEV-INCOMPLETE", ENTRY(0)), 1);
	ck_assert(strstr(message("PC-DEV-INCOMPLETE"), "zero, full"));
	ck_assert(!strstr(message("PC-DEV-INCOMPLETE"), "null"));
	fx_restart();
	plan->dev_standard = true;
	lint();
	found_none("PC-DEV-INCOMPLETE", "PC-DEVPTS-OPTIONS", "PC-WRITABLE-DEV",
		   "PC-WRITABLE-SUID", NULL);
}
END_TEST

START_TEST(devpts_options)
{
	fx_mount(plan, "/dev/pts", "devpts", NULL, "nosuid,gid=5");
	fx_symlink(plan, "/dev/ptmx", "pts/ptmx");
	fx_mount(plan, "/pts2", "devpts", NULL, "newinstance,ptmxmode=0666");
	lint();
	found_only_at("PC-DEVPTS-OPTIONS", 1, ENTRY(0));
	ck_assert(strstr(message("PC-DEVPTS-OPTIONS"), "newinstance and ptmxmode"));
}
END_TEST

START_TEST(mask_no_mount)
{
	fx_mask(plan, "/proc/kcore");
	fx_readonly(plan, "/sys/fs", NULL);
	fx_mount(plan, "/dev", "tmpfs", NULL, "size=1m");
	fx_mask(plan, "/dev/x");
	lint();
	found_only_at("PC-MASK-NO-MOUNT", 2, ENTRY(0), ENTRY(1));
}
END_TEST

START_TEST(mask_empty_fs)
{
	fx_mount(plan, "/run", "tmpfs", NULL, "size=1m");
	fx_mask(plan, "/run/secret");
	fx_mount(plan, "/srv", "tmpfs", NULL, "tmpcopyup,size=1m");
	fx_mask(plan, "/srv/secret");
	fx_mount(plan, "/run/app", "tmpfs", NULL, "size=1m");
	fx_readonly(plan, "/run/app", NULL);
	lint();
	found_only_at("PC-MASK-EMPTY-FS", 1, ENTRY(1));
}
END_TEST

START_TEST(readonly_redundant)
{
	fx_mount(plan, "/srv", "tmpfs", NULL, "size=1m");
	fx_readonly(plan, "/srv", NULL);
	fx_readonly(plan, "/srv/a", NULL);
	fx_mount(plan, "/opt", "tmpfs", NULL, "ro");
	fx_readonly(plan, "/opt", NULL);
	fx_mount(plan, "/x", "tmpfs", NULL, "size=1m");
	fx_readonly(plan, "/x", "/x/h", NULL);
	fx_readonly(plan, "/x/h/i", NULL);   /* inside the hole */
	fx_readonly(plan, "/x/j", NULL);     /* redundant */
	lint();
	found_only_at("PC-READONLY-REDUNDANT", 3, ENTRY(2), ENTRY(4), ENTRY(8));
}
END_TEST

START_TEST(option_no_effect)
{
	fx_mount(plan, "/tmp", "tmpfs", NULL, "nosuid,rw,size=1m");
	fx_mount(plan, "/b", "bind", "/srv/b", "rw");
	fx_mount(plan, "/t2", "tmpfs", NULL, "rro");
	fx_mount(plan, "/t3", "tmpfs", NULL, "ro,noatime");
	fx_mount(plan, "/t4", "tmpfs", NULL, "noatime,nodiratime");
	lint();
	found_only_at("PC-OPTION-NO-EFFECT", 4, OPTION(0, 1), OPTION(2, 0), OPTION(3, 1), OPTION(4, 1));
}
END_TEST

START_TEST(tmpfs_no_size)
{
	fx_mount(plan, "/tmp", "tmpfs", NULL, "nosuid");
	fx_mount(plan, "/t2", "tmpfs", NULL, "size=1m");
	fx_mount(plan, "/t3", "tmpfs", NULL, "ro");
	lint();
	found_only_at("PC-TMPFS-NO-SIZE", 1, ENTRY(0));
}
END_TEST

START_TEST(bad_entries_skipped)
{
	fx_mount(plan, "/a", "bind", "/", NULL);
	fx_mount(plan, "/a", "bind", "/", NULL); /* MP-DUP-TARGET: bad */
	lint();
	ck_assert_uint_eq(found("MP-DUP-TARGET", ENTRY(1)), 1);
	ck_assert_uint_eq(found("PC-BIND-HOST-ROOT", 0, 0), 1);
}
END_TEST

START_TEST(catalogue)
{
	for (size_t i = 0; i < n_rules; i++) {
		char *page = rule_doc_page(rules[i].id);

		ck_assert_msg(page, "%s has no page in doc/rules.md", rules[i].id);
		ck_assert(strncmp(rules[i].id, "PC-", 3) == 0);
		ck_assert(rule_find(rules[i].id) == &rules[i]); /* unique */
		ck_assert(*rules[i].summary && *rules[i].help);
		free(page);
	}
	/* and every page is a rule (the closing "Other linters" section is
	 * the one heading that is not) */
	for (const char *p = doc_rules_md; (p = strstr(p, "\n## ")); p++) {
		char id[64];
		ck_assert(sscanf(p + 4, "%63s", id) == 1);
		if (strncmp(p + 4, "Other linters", 13) == 0)
			continue;
		ck_assert_msg(rule_find(id), "doc/rules.md documents %s, no rule", id);
	}
	ck_assert_uint_ge(n_rules, 22);
}
END_TEST

START_TEST(inline_suppressions)
{
	static const char text[] =
		"mounts:\n"                                               /* 1 */
		"  # plan-check: disable=PC-A-RULE,PC-TMPFS-NO-SIZE scratch\n" /* 2 */
		"  - target: /tmp\n"                                      /* 3 */
		"  - target: /x  # plan-check: disable=PC-WRITABLE-SUID\n" /* 4 */
		"  - target: /y  # plan-check: disable=MP-DUP-TARGET why\n"; /* 5 */
	struct suppress s;
	struct suppress_file *f;
	struct diag d = { DIAG_NOTE, { "p.yaml", 3, 5 }, "PC-TMPFS-NO-SIZE", "m" };

	suppress_init(&s);
	f = suppress_scan("p.yaml", text, sizeof text - 1, &sink);
	ck_assert_uint_eq(found("PC-SUPPRESS-UNKNOWN", 2, 3), 1);  /* PC-A-RULE */
	ck_assert_uint_eq(found("PC-SUPPRESS-NO-REASON", 4, 17), 1);
	ck_assert_uint_eq(found("PC-SUPPRESS-UNKNOWN", 5, 17), 1); /* compiler's */
	ck_assert_uint_eq(sink.n, 3);
	ck_assert(suppress_drops(&s, f, &d));   /* the line above */
	d.id = "PC-WRITABLE-SUID";
	ck_assert(!suppress_drops(&s, f, &d));  /* another ID */
	d.pos.line = 4;
	ck_assert(suppress_drops(&s, f, &d));   /* its own line */
	d.pos.line = 5;
	ck_assert(!suppress_drops(&s, f, &d));  /* line 4 is not comment-only */
	d.id = "MP-DUP-TARGET";
	ck_assert(!suppress_drops(&s, f, &d));  /* never */
	d.id = "PC-TMPFS-NO-SIZE";
	ck_assert_int_eq(suppress_set(&s, "PC-TMPFS-NO-SIZE", false), 0);
	ck_assert(suppress_drops(&s, f, &d));   /* disabled */
	ck_assert_int_eq(suppress_set(&s, "PC-NOPE", false), -1);
	suppress_file_free(f);
	suppress_free(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = fx_tcase(s, "rules", &plan, &sink);

	tcase_add_test(tc, bind_host_root);
	tcase_add_test(tc, bind_runtime_socket);
	tcase_add_test(tc, bind_kubelet_pki);
	tcase_add_test(tc, bind_host_system);
	tcase_add_test(tc, bind_inside_rootfs);
	tcase_add_test(tc, bind_writable);
	tcase_add_test(tc, sysfs_writable);
	tcase_add_test(tc, cgroup_writable);
	tcase_add_test(tc, proc_unmasked);
	tcase_add_test(tc, proc_writable);
	tcase_add_test(tc, sysfs_unmasked);
	tcase_add_test(tc, writable_suid_dev);
	tcase_add_test(tc, shared_root);
	tcase_add_test(tc, shared_mount);
	tcase_add_test(tc, devices);
	tcase_add_test(tc, root_pivot_umask);
	tcase_add_test(tc, dev_incomplete);
	tcase_add_test(tc, devpts_options);
	tcase_add_test(tc, mask_no_mount);
	tcase_add_test(tc, mask_empty_fs);
	tcase_add_test(tc, readonly_redundant);
	tcase_add_test(tc, option_no_effect);
	tcase_add_test(tc, tmpfs_no_size);
	tcase_add_test(tc, bad_entries_skipped);
	tcase_add_test(tc, catalogue);
	tcase_add_test(tc, inline_suppressions);
	return check_run(s);
}
