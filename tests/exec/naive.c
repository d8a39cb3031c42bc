/*
 * naive.c: the benchmark's floor, runc-default's mounts with plain mount(2).
 *
 *   naive [--binds N SOURCE] ROOTFS CMD [ARG...]
 *
 * What a container init that trusts its rootfs would do for
 * plans/runc-default.yaml: paths joined as strings and handed to mount(2),
 * mkdir(2), mknod(2) and symlink(2) (no openat2, no descriptor, no check of
 * what a path turned out to be beyond the stat a mask needs to choose
 * between a tmpfs and /dev/null, and the stat of the host's /proc/kcore
 * that decides /dev/core, as runc's setupDevSymlinks and the plan's
 * condition do), read-only by a bind remount, pivot_root, exec.  The same
 * result as the plan, by the fewest calls: the nodes are root's without a
 * chown (root makes them; umask 0 gives the exact mode), and every masked
 * directory is a bind of the first one's read-only tmpfs (one tmpfs for
 * all, as the plan and runc have it).  It is NOT safe against a hostile rootfs (a symlink at /proc or
 * /dev leads out); it is the lowest cost of the same mount table, the
 * reference mountplan-exec's price of safety is measured against
 * (make bench-exec).  --binds adds N binds of the host path SOURCE at
 * /mnt/b0000...  Static, built like the executor.  Any failure: a message
 * and exit 125.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runc_nodes.h"

static char root[4096]; /* the rootfs path, or "" after pivot_root */

/* Print what failed and exit 125. */
static void die(const char *what, const char *path)
{
	fprintf(stderr, "naive: %s %s: %s\n", what, path, strerror(errno));
	_exit(125);
}

/* root + path into buf (path absolute inside the container). */
static const char *at(char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "%s%s", root, path);
	return buf;
}

/* mkdir -p of the last component only (parents exist in this order). */
static void mkdir_(const char *path)
{
	char p[4200];

	if (mkdir(at(p, sizeof p, path), 0755) < 0 && errno != EEXIST)
		die("mkdir", p);
}

/* mount(2) of a new fstype instance on path (created if missing). */
static void mount_fs(const char *path, const char *fstype, const char *source,
		     unsigned long flags, const char *data)
{
	char p[4200];

	mkdir_(path);
	if (mount(source, at(p, sizeof p, path), fstype, flags, data) < 0)
		die("mount", p);
}

/* Bind remount of path read-only (flags: the mount's other MS_ flags). */
static void remount_ro(const char *path, unsigned long flags)
{
	char p[4200];

	if (mount(NULL, at(p, sizeof p, path), NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL) < 0)
		die("remount", p);
}

/* A device node (umask 0), owned by root (who makes it). */
static void device(const char *path, unsigned maj, unsigned min)
{
	char p[4200];

	if (mknod(at(p, sizeof p, path), S_IFCHR | 0666, makedev(maj, min)) < 0)
		die("mknod", p);
}

/* A symlink path -> contents. */
static void link_(const char *path, const char *contents)
{
	char p[4200];

	if (symlink(contents, at(p, sizeof p, path)) < 0)
		die("symlink", p);
}

/* Mask path: the first directory gets a read-only tmpfs, every other one
 * a bind of it, anything else /dev/null bound over it; a missing path is
 * skipped. */
static void mask(const char *path)
{
	static const char *first_dir;
	struct stat st;

	if (stat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && first_dir) {
		if (mount(first_dir, path, NULL, MS_BIND, NULL) < 0)
			die("bind", path);
	} else if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
			die("mount", path);
		first_dir = path;
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		die("bind", path);
	}
}

/* Read-only path: bind onto itself, remount read-only; missing: skipped. */
static void readonly(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		die("bind", path);
	}
	remount_ro(path, 0);
}

/* runc-default, in order: namespace and rootfs, mounts, binds, devices,
 * links, pivot, masks, read-only paths and root, umask, cwd, exec. */
int main(int argc, char **argv)
{
	static const char *const masks[] = {
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
		"/proc/sched_debug", "/sys/firmware", "/proc/scsi"};
	static const char *const ro[] = {"/proc/bus", "/proc/fs", "/proc/irq",
					 "/proc/sys", "/proc/sysrq-trigger"};
	const char *bind_source = NULL;
	long n_binds = 0;

	if (argc > 3 && strcmp(argv[1], "--binds") == 0) {
		n_binds = strtol(argv[2], NULL, 10);
		bind_source = argv[3];
		argv += 3;
		argc -= 3;
	}
	if (argc < 3 || strlen(argv[1]) >= sizeof root) {
		fprintf(stderr, "usage: naive [--binds N SOURCE] ROOTFS CMD [ARG...]\n");
		return 125;
	}
	strcpy(root, argv[1]);

	if (unshare(CLONE_NEWNS) < 0)
		die("unshare", "");
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		die("propagation", "/");
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind", root);

	mount_fs("/proc", "proc", "proc", 0, NULL);
	mount_fs("/dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME,
		 "mode=755,size=65536k");
	mount_fs("/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
		 "newinstance,ptmxmode=0666,mode=0620,gid=5");
	mount_fs("/dev/shm", "tmpfs", "shm", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		 "mode=1777,size=65536k");
	mount_fs("/dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		 NULL);
	mount_fs("/sys", "sysfs", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		 NULL);
	mount_fs("/sys/fs/cgroup", "cgroup2", "cgroup2",
		 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (n_binds > 0) {
		char t[32], p[4200];
		mkdir_("/mnt");
		for (long i = 0; i < n_binds; i++) {
			snprintf(t, sizeof t, "/mnt/b%04ld", i);
			mkdir_(t);
			if (mount(bind_source, at(p, sizeof p, t), NULL, MS_BIND, NULL) < 0)
				die("bind", p);
		}
	}

	umask(0);
	for (size_t i = 0; i < sizeof(runc_devices) / sizeof(runc_devices[0]); i++)
		device(runc_devices[i].path, runc_devices[i].major, runc_devices[i].minor);
	for (size_t i = 0; i < sizeof(runc_links) / sizeof(runc_links[0]); i++) {
		struct stat st;

		if (strcmp(runc_links[i].path, "/dev/core") != 0 || stat("/proc/kcore", &st) == 0)
			link_(runc_links[i].path, runc_links[i].contents);
	}

	if (chdir(root) < 0)
		die("chdir", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root", root);
	if (umount2(".", MNT_DETACH) < 0)
		die("umount", "old root");
	if (chdir("/") < 0)
		die("chdir", "/");
	root[0] = 0;

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		mask(masks[i]);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		readonly(ro[i]);
	remount_ro("/", 0);

	umask(022);
	execv(argv[2], argv + 2);
	fprintf(stderr, "naive: exec %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
