/*
 * handwritten.c: the benchmark's reference, runc-default's mounts written
 * out by hand.
 *
 *   handwritten [--binds N SOURCE] ROOTFS CMD [ARG...]
 *
 * The same syscalls mountplan-exec makes for plans/runc-default.yaml
 * (fresh mount namespace, rslave root, rootfs bound onto itself, targets
 * resolved with openat2(RESOLVE_IN_ROOT) and mounted with the new mount
 * API, devices, links, pivot_root(".", "."), masks, read-only paths,
 * read-only root, umask, cwd, descriptors closed, exec), in a fixed
 * order, with no plan to read, no parsing and no checking beyond what a
 * syscall returns.  --binds adds N bind mounts of the host path SOURCE
 * at /mnt/b0000... (the 1,000-bind benchmark).  It is the floor the executor is measured against
 * (make bench-exec); static, built like the executor.  Any failure: a
 * message and exit 125.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runc_nodes.h"

/* The new mount API's constants (linux/mount.h, linux/openat2.h), so the
 * musl build needs no kernel headers. */
#define OPEN_TREE_CLONE 1
#define AT_RECURSIVE_ 0x8000
#define MOVE_MOUNT_F_EMPTY_PATH 0x04
#define MOVE_MOUNT_T_EMPTY_PATH 0x40
#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_CMD_CREATE 6
#define FSMOUNT_CLOEXEC 1
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#define ATTR_RDONLY 0x01
#define ATTR_NOSUID 0x02
#define ATTR_NODEV 0x04
#define ATTR_NOEXEC 0x08
#define ATTR_STRICTATIME 0x20

struct open_how_ {
	uint64_t flags, mode, resolve;
};
struct mount_attr_ {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static int rootfd = -1; /* the rootfs (before pivot) or "/" (after) */

/* Print what failed and exit 125, as the executor does. */
static void die(const char *what, const char *path)
{
	fprintf(stderr, "handwritten: %s %s: %s\n", what, path, strerror(errno));
	_exit(125);
}

/* openat2(rootfd, path, RESOLVE_IN_ROOT): an O_PATH descriptor. */
static int resolve(const char *path)
{
	struct open_how_ how = {O_PATH | O_CLOEXEC, 0,
				RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0)
		die("resolve", path);
	return fd;
}

/* Create the directory path inside the root if it is missing (its
 * parent exists in runc-default's order). */
static void mkdir_in_root(const char *path)
{
	if (mkdirat(rootfd, path + 1, 0755) < 0 && errno != EEXIST)
		die("mkdir", path);
}

/* Attach the detached mount mfd at path inside the root. */
static void attach(int mfd, const char *path)
{
	int tfd = resolve(path);

	if (syscall(SYS_move_mount, mfd, "", tfd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die("move_mount", path);
	close(tfd);
	close(mfd);
}

/* A new fstype instance with params ("k=v,flag,..."), attrs, at path. */
static void mount_fs(const char *path, const char *fstype, const char *source,
		     const char *params, unsigned attrs)
{
	char buf[256];
	int fsfd, mfd;

	mkdir_in_root(path);
	fsfd = (int)syscall(SYS_fsopen, fstype, 1 /* FSOPEN_CLOEXEC */);
	if (fsfd < 0)
		die("fsopen", fstype);
	if (syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		die("fsconfig source", path);
	if (params) {
		snprintf(buf, sizeof(buf), "%s", params);
		for (char *kv = strtok(buf, ","); kv; kv = strtok(NULL, ",")) {
			char *v = strchr(kv, '=');
			int r;
			if (v) {
				*v++ = 0;
				r = (int)syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, kv, v, 0);
			} else {
				r = (int)syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_FLAG, kv, NULL, 0);
			}
			if (r < 0)
				die("fsconfig", kv);
		}
	}
	if (syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		die("fsconfig create", path);
	mfd = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, attrs);
	if (mfd < 0)
		die("fsmount", path);
	close(fsfd);
	attach(mfd, path);
}

/* Set attrs on the mount at path (recursively with rec). */
static void setattr(const char *path, unsigned attrs, int rec)
{
	struct mount_attr_ a = {attrs, 0, 0, 0};
	int fd = resolve(path);

	if (syscall(SYS_mount_setattr, fd, "",
		    AT_EMPTY_PATH | (rec ? AT_RECURSIVE_ : 0), &a, sizeof(a)) < 0)
		die("mount_setattr", path);
	close(fd);
}

/* A device node under umask 0, owned by root. */
static void device(const char *path, unsigned maj, unsigned min)
{
	if (mknodat(rootfd, path + 1, S_IFCHR | 0666, makedev(maj, min)) < 0)
		die("mknod", path);
	if (fchownat(rootfd, path + 1, 0, 0, AT_SYMLINK_NOFOLLOW) < 0)
		die("chown", path);
}

/* A symlink path -> contents. */
static void link_(const char *path, const char *contents)
{
	if (symlinkat(contents, rootfd, path + 1) < 0)
		die("symlink", path);
}

/* n binds of the host path source at /mnt/bNNNN. */
static void binds(long n, const char *source)
{
	char path[32];

	mkdir_in_root("/mnt");
	for (long i = 0; i < n; i++) {
		int mfd;
		snprintf(path, sizeof(path), "/mnt/b%04ld", i);
		mkdir_in_root(path);
		mfd = (int)syscall(SYS_open_tree, AT_FDCWD, source,
				   OPEN_TREE_CLONE | O_CLOEXEC);
		if (mfd < 0)
			die("open_tree", source);
		attach(mfd, path);
	}
}

/* Mask path: a file gets /dev/null bound over it, a directory an empty
 * read-only tmpfs; a missing path is skipped. */
static void mask(const char *path)
{
	struct stat st;
	int tfd, nfd;
	struct open_how_ how = {O_PATH | O_CLOEXEC, 0,
				RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};

	tfd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (tfd < 0) {
		if (errno == ENOENT)
			return;
		die("resolve", path);
	}
	if (fstat(tfd, &st) < 0)
		die("stat", path);
	close(tfd);
	if (S_ISDIR(st.st_mode)) {
		mount_fs(path, "tmpfs", "tmpfs", NULL, ATTR_RDONLY);
		return;
	}
	nfd = (int)syscall(SYS_open_tree, rootfd, "dev/null",
			   OPEN_TREE_CLONE | O_CLOEXEC);
	if (nfd < 0)
		die("open_tree", "/dev/null");
	attach(nfd, path);
}

/* Read-only path: a recursive bind onto itself, then RDONLY recursively;
 * a missing path is skipped. */
static void readonly(const char *path)
{
	struct mount_attr_ a = {ATTR_RDONLY, 0, 0, 0};
	int mfd = (int)syscall(SYS_open_tree, rootfd, path + 1,
			       OPEN_TREE_CLONE | AT_RECURSIVE_ | O_CLOEXEC);

	if (mfd < 0) {
		if (errno == ENOENT)
			return;
		die("open_tree", path);
	}
	if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE_, &a,
		    sizeof(a)) < 0)
		die("mount_setattr", path);
	attach(mfd, path);
}

/* runc-default, in order: namespace and rootfs, mounts, binds, devices,
 * links, pivot, masks, read-only paths and root, process, exec. */
int main(int argc, char **argv)
{
	static const char *const masks[] = {
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
		"/proc/sched_debug", "/sys/firmware", "/proc/scsi"};
	static const char *const ro[] = {"/proc/bus", "/proc/fs", "/proc/irq",
					 "/proc/sys", "/proc/sysrq-trigger"};
	const char *rootfs, *bind_source = NULL;
	long n_binds = 0;
	int tree;

	if (argc > 3 && strcmp(argv[1], "--binds") == 0) {
		n_binds = strtol(argv[2], NULL, 10);
		bind_source = argv[3];
		argv += 3;
		argc -= 3;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: handwritten [--binds N SOURCE] ROOTFS CMD [ARG...]\n");
		return 125;
	}
	rootfs = argv[1];

	/* ROOTFS: new namespace, rslave, rootfs bound onto itself. */
	if (unshare(CLONE_NEWNS) < 0)
		die("unshare", "");
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		die("propagation", "/");
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, rootfs,
			    OPEN_TREE_CLONE | AT_RECURSIVE_ | O_CLOEXEC);
	if (tree < 0)
		die("open_tree", rootfs);
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, rootfs,
		    MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die("move_mount", rootfs);
	close(tree);
	rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		die("open", rootfs);

	/* Mounts, parents first. */
	mount_fs("/proc", "proc", "proc", NULL, 0);
	mount_fs("/dev", "tmpfs", "tmpfs", "mode=755,size=65536k",
		 ATTR_NOSUID | ATTR_STRICTATIME);
	mount_fs("/dev/pts", "devpts", "devpts",
		 "newinstance,ptmxmode=0666,mode=0620,gid=5", ATTR_NOSUID | ATTR_NOEXEC);
	mount_fs("/dev/shm", "tmpfs", "shm", "mode=1777,size=65536k",
		 ATTR_NOSUID | ATTR_NODEV | ATTR_NOEXEC);
	mount_fs("/dev/mqueue", "mqueue", "mqueue", NULL,
		 ATTR_NOSUID | ATTR_NODEV | ATTR_NOEXEC);
	mount_fs("/sys", "sysfs", "sysfs", NULL,
		 ATTR_RDONLY | ATTR_NOSUID | ATTR_NODEV | ATTR_NOEXEC);
	mount_fs("/sys/fs/cgroup", "cgroup2", "cgroup2", NULL,
		 ATTR_RDONLY | ATTR_NOSUID | ATTR_NODEV | ATTR_NOEXEC);
	binds(n_binds, bind_source);

	/* Devices and links, under umask 0. */
	umask(0);
	for (size_t i = 0; i < sizeof(runc_devices) / sizeof(runc_devices[0]); i++)
		device(runc_devices[i].path, runc_devices[i].major, runc_devices[i].minor);
	for (size_t i = 0; i < sizeof(runc_links) / sizeof(runc_links[0]); i++)
		link_(runc_links[i].path, runc_links[i].contents);

	/* PIVOT: pivot_root(".", "."), then detach the old root. */
	if (fchdir(rootfd) < 0)
		die("chdir", rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root", rootfs);
	if (umount2(".", MNT_DETACH) < 0)
		die("umount", "old root");
	if (chdir("/") < 0)
		die("chdir", "/");
	close(rootfd);
	rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		die("open", "/");

	/* Masks, read-only paths, read-only root. */
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		mask(masks[i]);
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		readonly(ro[i]);
	setattr("/", ATTR_RDONLY, 0);

	/* Process: umask, cwd, descriptors, exec. */
	umask(022);
	if (chdir("/") < 0)
		die("chdir", "/");
	syscall(SYS_close_range, 3, ~0u, 0);
	execv(argv[2], argv + 2);
	fprintf(stderr, "handwritten: exec %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
