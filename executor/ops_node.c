/*
 * ops_node.c: MKNOD and SYMLINK.  Both create their last component in a
 * parent directory resolved inside the root, never through a symlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Does st hold a node of type (S_IF*) and device number dev? */
static int same_node(const struct stat *st, mode_t type, dev_t dev)
{
	if ((st->st_mode & S_IFMT) != type)
		return 0;
	return type == S_IFIFO || st->st_rdev == dev;
}

/* Remove the POSIX access ACL of the node whose magic link self
 * ("self/fd/N") names, if it has one.  A default ACL of the image's
 * directory gives a node made in it one, and an image's node may come
 * with one; either would let a user the plan never named open the device
 * (with mode 0660, "user:1000:rw-" stays effective under the mask the
 * group bits set).  Linux 6.13's removexattrat from the host's procfs
 * descriptor (an O_PATH descriptor of the node itself is refused, EBADF);
 * before it (and in the fallback) the same link by path, "/proc/self/
 * fd/N": MKNOD runs before PIVOT, where /proc is still the host's.  0 or
 * -errno. */
static int drop_acl(struct exec_ctx *ctx, const char *self)
{
	char path[40];
	int r = -1;

	errno = ENOSYS;
	if (!ctx->legacy)
		r = sys_removexattrat(ctx->proc_fd, self, 0, "system.posix_acl_access");
	if (r < 0 && errno == ENOSYS) {
		fmt(path, sizeof path, "/proc/%s", self);
		r = removexattr(path, "system.posix_acl_access");
	}
	return r < 0 && errno != ENODATA && errno != EOPNOTSUPP ? -errno : 0;
}

/* Give the node name in parent the planned owner and mode, on a
 * descriptor checked to be that node (type and numbers), so nothing
 * swapped in meanwhile is changed; setuid and setgid never stay (chown
 * clears them, the mode never has them), nor an access ACL (drop_acl).
 * 0 or -errno. */
static int own_node(struct exec_ctx *ctx, int parent, const char *name,
		    const struct mp_op *op, dev_t dev)
{
	char self[32];
	struct stat st;
	int fd = fd_seen(ctx, openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)), r = 0;

	if (fd < 0)
		return -errno;
	if (k_fstat(fd, &st) < 0)
		r = -errno;
	else if (!same_node(&st, op->mode & S_IFMT, dev)) {
		ctx->detail = "a different file already exists at the device path";
		r = -EEXIST;
	}
	fd_path(self, fd);
	if (r == 0)
		r = drop_acl(ctx, self);
	if (r == 0 && (st.st_uid != op->uid || st.st_gid != op->gid) &&
	    fchownat(fd, "", op->uid, op->gid, AT_EMPTY_PATH) < 0)
		r = -errno;
	/* chmod has no AT_EMPTY_PATH before Linux 6.6: the magic link of
	 * the host's procfs names the checked inode (the raw call: musl's
	 * fchmodat carries an emulation of flags this never passes) */
	if (r == 0 && (st.st_mode & 07777) != (op->mode & 01777) &&
	    syscall(SYS_fchmodat, ctx->proc_fd, self, op->mode & 01777) < 0)
		r = -errno;
	close_later(fd);
	return r;
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

/* Bind the host's node host (a path: MKNOD's target, or the node HOSTDEV
 * read) at target, checked to have the planned type and numbers.  Opened
 * in this namespace (a node HOSTDEV opened from the starting one cannot
 * be cloned here). */
static int bind_host_node(struct exec_ctx *ctx, int parent, const char *name,
			  const char *target, mode_t type, dev_t dev, const char *host_path)
{
	struct stat st;
	int host = fd_seen(ctx, openat(AT_FDCWD, host_path, O_PATH | O_NOFOLLOW | O_CLOEXEC));

	if (host < 0)
		return -errno;
	if (k_fstat(host, &st) < 0 || !same_node(&st, type, dev)) {
		ctx->detail = "the host's node at that path is not the planned device";
		return -ENODEV;
	}
	return bind_node(ctx, parent, name, host, target);
}

/* Make the node op describes (mode, major, minor, uid, gid, policy flags)
 * at target: under umask 0 with mode and owner; an existing node must
 * match; bind the host's node (at host, or with NULL at target) when
 * mknod is not allowed (or the plan or --userns says so);
 * /dev/console binds the caller's terminal.  The node is made first;
 * what is there is looked at only when that fails.  0 or -errno. */
int node_make(struct exec_ctx *ctx, const struct mp_op *op, const char *target,
	      const char *host)
{
	const char *name;
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
	tty = strcmp(target, "/dev/console") == 0 ? console_open(ctx) : -1;
	if (tty < 0 && !bind_only && mknodat(parent, name, op->mode, dev) == 0) {
		/* made just now with the planned mode (umask 0 until PIVOT):
		 * only an owner other than the one it got, or a directory of
		 * the image's (whose default ACL the node may have taken),
		 * needs own_node.  In a clean directory not setgid, outside
		 * --userns, it got this process's euid and egid, which the
		 * auxiliary vector tells without a stat (MKNOD runs before
		 * NAMESPACES can change them) */
		if (ctx->parent_fresh == FRESH_CLEAN && !ctx->clean_sgid && !ctx->userns &&
		    op->uid == getauxval(AT_EUID) && op->gid == getauxval(AT_EGID))
			r = 0;
		else if ((r = k_fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0) == 0 &&
			 (ctx->parent_fresh != FRESH_CLEAN || !same_node(&st, type, dev) ||
			  st.st_uid != op->uid || st.st_gid != op->gid ||
			  (st.st_mode & 07777) != (op->mode & 01777)))
			r = own_node(ctx, parent, name, op, dev);
	} else if (tty < 0 && !bind_only && errno != EEXIST && errno != EPERM) {
		r = -errno;
	} else if (k_fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (tty >= 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
			r = bind_node(ctx, parent, name, tty, target);
		} else if (!same_node(&st, type, dev)) {
			ctx->detail = "a different file already exists at the device path";
			r = -EEXIST;
		} else {
			/* the image's node: the planned mode and owner, or refused */
			ctx->note = "exists";
			r = own_node(ctx, parent, name, op, dev);
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
			r = bind_host_node(ctx, parent, name, target, type, dev,
					   host ? host : target);
		}
	}
	close_later(tty);
	return r;
}

/* MKNOD: the node op plans, at its target. */
int op_mknod(struct exec_ctx *ctx, const struct mp_op *op)
{
	return node_make(ctx, op, mpb_str(ctx->plan, op->target), NULL);
}

/* Make the symlink target -> contents, its directory created (kept as
 * ctx->parent_fd: not closed); an existing identical link is fine.
 * 0 or -errno. */
int link_make(struct exec_ctx *ctx, const char *target, const char *contents)
{
	const char *name;
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

/* SYMLINK: create target -> source (link_make). */
int op_symlink(struct exec_ctx *ctx, const struct mp_op *op)
{
	return link_make(ctx, mpb_str(ctx->plan, op->target), mpb_str(ctx->plan, op->source));
}
