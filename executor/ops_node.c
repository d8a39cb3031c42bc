/*
 * ops_node.c: MKNOD and SYMLINK.  Both create their last component in a
 * parent directory resolved inside the root, never through a symlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "exec.h"

/* Does st hold a node of type (S_IF*) and device number dev? */
static int same_node(const struct stat *st, mode_t type, dev_t dev)
{
	if ((st->st_mode & S_IFMT) != type)
		return 0;
	return type == S_IFIFO || st->st_rdev == dev;
}

/* Bind src (an fd: the host's node or the console) onto an empty file
 * created as name in parent.  0 or -errno. */
static int bind_node(struct exec_ctx *ctx, int parent, const char *name,
		     int src, const char *target)
{
	int fd, r;

	if (mknodat(parent, name, S_IFREG | 0644, 0) < 0 && errno != EEXIST)
		return -errno;
	fd = fd_seen(ctx, open_beneath(parent, name));
	if (fd < 0)
		return fd;
	r = mnt_bind(ctx, src, "", fd, target, 0, NULL);
	close_later(fd);
	return r;
}

/* Bind the host's node at target (checked: same type and numbers). */
static int bind_host_node(struct exec_ctx *ctx, int parent, const char *name,
			  const char *target, mode_t type, dev_t dev)
{
	struct stat st;
	int host = openat(AT_FDCWD, target, O_PATH | O_NOFOLLOW | O_CLOEXEC), r;

	if (host < 0)
		return -errno;
	if (fstat(host, &st) < 0 || !same_node(&st, type, dev)) {
		ctx->detail = "the host's node at that path is not the planned device";
		return -ENODEV;
	}
	r = bind_node(ctx, parent, name, host, target);
	close_later(host);
	return r;
}

/* MKNOD: create the node under umask 0 with mode and owner; an existing
 * node must match; bind the host's node when mknod is not allowed (or the
 * plan or --userns says so); /dev/console binds the caller's terminal.
 * The node is made first and looked at only when that fails: a new node
 * costs mknodat and fchownat, nothing more. */
int op_mknod(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target), *name;
	mode_t type = op->mode & S_IFMT;
	dev_t dev = makedev(op->major, op->minor);
	int bind_only = (op->flags & MP_F_BIND_ONLY) || ctx->userns;
	int parent, r, tty;
	struct stat st;

	if (type == S_IFIFO)
		bind_only = 0; /* nothing to bind: a FIFO is always made */
	parent = resolve_parent(ctx, target, 1, &name);
	if (parent < 0)
		return parent;
	tty = strcmp(target, "/dev/console") == 0 ? console_open() : -1;
	if (tty < 0 && !bind_only && mknodat(parent, name, op->mode, dev) == 0) {
		r = fchownat(parent, name, op->uid, op->gid, AT_SYMLINK_NOFOLLOW) < 0
			    ? -errno : 0;
	} else if (tty < 0 && !bind_only && errno != EEXIST && errno != EPERM) {
		r = -errno;
	} else if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (tty >= 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
			r = bind_node(ctx, parent, name, tty, target);
		} else if (!same_node(&st, type, dev)) {
			ctx->detail = "a different file already exists at the device path";
			r = -EEXIST;
		} else {
			ctx->note = "exists";
			r = 0;
		}
	} else if (errno != ENOENT) {
		r = -errno;
	} else if (tty >= 0) {
		ctx->note = "bound the caller's terminal";
		r = bind_node(ctx, parent, name, tty, target);
	} else {
		/* missing: mknod refused (EPERM) or not to be tried */
		r = -EPERM;
		if (bind_only || (op->flags & MP_F_BIND_FALLBACK)) {
			ctx->note = "bound from the host";
			r = bind_host_node(ctx, parent, name, target, type, dev);
		}
	}
	close_later(tty);
	return r;
}

/* SYMLINK: create target -> source; an existing identical link is fine. */
int op_symlink(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target), *name;
	const char *contents = mpb_str(ctx->plan, op->source);
	char have[MP_MAX_PATH + 2];
	int parent, r = 0;

	parent = resolve_parent(ctx, target, 1, &name);
	if (parent < 0)
		return parent;
	if (symlinkat(contents, parent, name) < 0) {
		ssize_t n;

		r = -errno;
		if (r == -EEXIST) {
			n = readlinkat(parent, name, have, sizeof have - 1);
			if (n >= 0 && (size_t)n == strlen(contents) &&
			    memcmp(have, contents, (size_t)n) == 0) {
				ctx->note = "exists";
				r = 0;
			} else {
				ctx->detail = "a different file already exists at the link path";
			}
		}
	}
	return r; /* parent is ctx->parent_fd: kept */
}
