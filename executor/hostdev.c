/*
 * hostdev.c: HOSTDEV (v2), device nodes like the host's: one named node,
 * or every node of a host directory whose name matches a pattern.
 * Semantics: executor/mp_ops.h.
 *
 * The host is semi-trusted: its node is opened from the executor's
 * starting root (ctx->host_fd) without following any symlink, and only
 * what that descriptor shows is used: a character or block device
 * without setuid or setgid bits, or the op fails.  The container side is
 * node_make's (ops_node.c), as for MKNOD: hostile-rootfs safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Report op's failure r on one node (what: its host path) and go on:
 * "WHAT: WHY (skipped: best-effort)"; see mp_ops.h. */
void best_effort_skip(struct exec_ctx *ctx, const struct mp_op *op,
		      const char *what, int r)
{
	char tail[MP_MAX_PATH + 160];

	fmt(tail, sizeof tail, "%s%s%s (skipped: best-effort)", what, *what ? ": " : "",
	    ctx->detail ? ctx->detail : strerror(-r));
	report(ctx, op, tail);
	ctx->detail = NULL;
	ctx->note = "skipped: best-effort";
}

/* Open name beneath the host directory dir with flags, following no
 * symlink (ELOOP: one was there; then detail says what, as what).  fd or
 * -1 with errno. */
static int host_open(struct exec_ctx *ctx, int dir, const char *name, int flags,
		     const char *loop_detail)
{
	struct k_open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_SYMLINKS | K_RESOLVE_NO_MAGICLINKS,
	};
	int fd = openat2_retry(dir, name, &how);

	if (fd < 0 && errno == ELOOP)
		ctx->detail = loop_detail;
	return fd;
}

/* Make target like the host node name in directory dir (O_PATH, opened
 * without following symlinks), path naming it: its type, numbers and
 * (unless op->mode says) permission bits, op's owner and policy.  0 or
 * -errno. */
static int like_host(struct exec_ctx *ctx, const struct mp_op *op, int dir,
		     const char *name, const char *path, const char *target)
{
	struct mp_op node = *op;
	struct stat st;
	int fd = host_open(ctx, dir, name, O_PATH | O_NOFOLLOW,
			   "the host path holds a symbolic link (refused)"), r;

	if (fd < 0)
		return -errno;
	r = k_fstat(fd, &st);
	close(fd); /* read: a bind opens the path in this namespace */
	if (r < 0)
		return -errno;
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
		ctx->detail = "the host's file is not a character or block device (refused)";
		return -ENODEV;
	}
	if (st.st_mode & 06000) {
		ctx->detail = "the host's node is setuid or setgid (refused)";
		return -EPERM;
	}
	node.mode = (st.st_mode & S_IFMT) | (op->mode ? op->mode : st.st_mode & 01777);
	node.major = major(st.st_rdev);
	node.minor = minor(st.st_rdev);
	return node_make(ctx, &node, target, path);
}

/* HOSTDEV: one node like the host's, or each node of the host directory
 * matching the pattern; see mp_ops.h. */
int op_hostdev(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *source = mpb_str(ctx->plan, op->source);
	const char *target = mpb_str(ctx->plan, op->target);
	const char *pattern = strrchr(source, '/') + 1;
	char dir[MP_MAX_PATH + 1], path[MP_MAX_PATH + 1], node[MP_MAX_PATH + 1];
	char why[sizeof ctx->why];
	char buf[4096] __attribute__((aligned(8)));
	unsigned matches = 0;
	long n;
	int fd, r = 0;

	if (!(op->flags & MP_F_GLOB))
		return like_host(ctx, op, ctx->host_fd, source, source, target);
	fmt(dir, sizeof dir, "%s", source);
	dir[pattern - source] = 0; /* the directory, "/" ended */
	fd = fd_seen(ctx, host_open(ctx, ctx->host_fd, dir, O_RDONLY | O_DIRECTORY,
				    "the host directory path holds a symbolic link (refused)"));
	if (fd < 0)
		return -errno;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; r == 0 && off < n;) {
			struct dirent64_rec *e = (struct dirent64_rec *)(buf + off);

			off += e->reclen;
			if (!mp_glob_match(pattern, e->name))
				continue;
			if (++matches > MP_MAX_GLOB) {
				fmt(ctx->why, sizeof ctx->why, "more than %u host nodes match",
				    MP_MAX_GLOB);
				ctx->detail = ctx->why;
				r = -E2BIG;
				break;
			}
			if (fmt(path, sizeof path, "%s%s", dir, e->name) >= sizeof path ||
			    fmt(node, sizeof node, "%s/%s", strcmp(target, "/") ? target : "",
				e->name) >= sizeof node)
				r = -ENAMETOOLONG;
			else
				r = like_host(ctx, op, fd, e->name, path, node);
			if (ctx->high_fd >= fd + 16) { /* a bind leaves a few per node */
				fd_sweep(ctx, fd);
				ctx->high_fd = 0;
			}
			if (r < 0 && (op->flags & MP_F_BEST_EFFORT)) {
				best_effort_skip(ctx, op, path, r);
				r = 0;
			} else if (r < 0) {
				fmt(why, sizeof why, "%s: %s", path,
				    ctx->detail ? ctx->detail : strerror(-r));
				ctx->detail = memcpy(ctx->why, why, sizeof why);
			}
		}
	}
	if (r == 0 && n < 0)
		r = -errno;
	close(fd);
	if (r == 0 && !ctx->note)
		ctx->note = matches ? "made every match" : "no host node matches";
	return r;
}
