/*
 * detach.c: before a move PIVOT, detach every mount of the namespace that
 * is neither the rootfs's tree nor one of its ancestors.
 *
 * pivot_root drops the old root and everything on it.  A move leaves the
 * host's mounts in the namespace, only out of sight; but the
 * kernel lets a nested user namespace mount a fresh procfs or sysfs when a
 * fully visible one exists anywhere in the mount namespace, so the host's
 * /proc would hand the container an unmasked procfs.  runc's no-pivot path
 * covers host proc and sysfs mounts for that reason; this detaches them
 * all.  Mounts are told apart by mount id (mountinfo, through the host's
 * procfs), reached by their mount point from the executor's root without
 * following symlinks and checked to be the mount meant (a mount hidden
 * under another is reached in a later pass, once the one above is gone).
 * Each one's parent and its own tree become slaves first, so the detach
 * propagates to no peer (a shared root would otherwise carry it to the
 * namespace the executor started in).  A mount that cannot be detached
 * (locked, in a user namespace) is covered with an empty read-only tmpfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define DETACH_PASSES 32

/* Open the mount l (its mount point from the executor's root, no symlink
 * followed) and check it is that mount.  fd or -1. */
static int open_mount(const struct mnt_line *l)
{
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = K_RESOLVE_NO_SYMLINKS | K_RESOLVE_NO_MAGICLINKS,
	};
	int fd = openat2_retry(AT_FDCWD, l->point, &how);

	if (fd >= 0 && mount_id(fd) != l->id) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Detach the mount fd names (umount2 of its magic link, fd_name); where
 * that is not allowed, cover it with an empty read-only tmpfs.  0
 * detached, 1 covered, or -errno. */
static int drop(struct exec_ctx *ctx, int fd)
{
	char self[32];
	int r = fd_name(ctx, fd, self), m;

	if (r == 0 && umount2(self, MNT_DETACH) < 0)
		r = -errno;
	if (r != -EINVAL && r != -EPERM)
		return r;
	m = mnt_make(ctx, "tmpfs", "tmpfs", "size=4k", MP_ATTR_RDONLY);
	if (m == -ENOSYS)
		r = mnt_legacy(ctx, "tmpfs", -1, fd, "tmpfs", MS_RDONLY, "size=4k");
	else if (m < 0)
		return m;
	else
		r = mnt_attach(m, fd, NULL, 0), close(m);
	return r < 0 ? r : 1;
}

/* One pass: detach (or cover) every reachable mount outside the rootfs's
 * tree (top) that is not an ancestor of it.  *left: such mounts still
 * there (covered ones excluded; *left_proc: of them, proc or sysfs).
 * The number dropped, or -errno. */
static int pass(struct exec_ctx *ctx, uint64_t top, uint64_t *covered, size_t ncov,
		size_t *left, size_t *left_proc, size_t *cov_out)
{
	struct mnt_table t;
	struct mnt_line *root;
	size_t dropped = 0;
	int r = mnt_table_read(ctx, &t);

	if (r < 0)
		return r;
	root = mnt_table_find(&t, top);
	*left = *left_proc = 0;
	for (size_t i = 0; r == 0 && root && i < t.n; i++) {
		struct mnt_line *l = &t.lines[i], *p = mnt_table_find(&t, l->parent);
		int fd, pfd, skip = 0;

		if (mnt_table_under(&t, l, top) || mnt_table_under(&t, root, l->id))
			continue; /* the rootfs's tree, or an ancestor of it */
		for (size_t k = 0; k < ncov; k++)
			skip |= covered[k] == l->id;
		if (skip)
			continue;
		(*left)++;
		if (strcmp(l->fstype, "proc") == 0 || strcmp(l->fstype, "sysfs") == 0)
			(*left_proc)++;
		if (!p || (fd = open_mount(l)) < 0)
			continue;
		pfd = open_mount(p);
		if (pfd < 0) {
			close(fd);
			continue;
		}
		r = mnt_setattr(ctx, pfd, 0, 0, MP_PROP_SLAVE, 0, -1);
		if (r == 0)
			r = mnt_setattr(ctx, fd, 0, 0, MP_PROP_SLAVE | MP_PROP_REC, 0, -1);
		if (r == 0)
			r = drop(ctx, fd);
		if (r == 1 && *cov_out < 64)
			covered[(*cov_out)++] = l->id; /* still there, covered */
		r = r < 0 ? r : 0;
		close(pfd);
		close(fd);
		dropped++;
	}
	mnt_table_free(&t);
	return r < 0 ? r : (int)dropped;
}

/* Detach every mount outside the rootfs (ctx->root_fd's tree) that is not
 * an ancestor of it (a chroot PIVOT needs not: a chrooted process gets no
 * user namespace), in passes until none is left or none can be reached.
 * 0, or -errno with ctx->detail when a proc or sysfs mount stays. */
int detach_outside(struct exec_ctx *ctx)
{
	uint64_t top = mount_id(ctx->root_fd), covered[64];
	size_t left = 0, left_proc = 0, ncov = 0;
	int r = 0;

	if (!top)
		return -ENOTSUP;
	for (int k = 0; k < DETACH_PASSES; k++) {
		size_t before = ncov;
		r = pass(ctx, top, covered, ncov, &left, &left_proc, &ncov);
		if (r < 0)
			return r;
		if (left == 0 || (r == 0 && ncov == before))
			break;
	}
	if (left_proc) {
		ctx->detail = "a proc or sysfs mount outside the rootfs cannot be "
			      "detached (a nested user namespace could mount an "
			      "unmasked one): use pivot_root";
		return -EBUSY;
	}
	return 0;
}
