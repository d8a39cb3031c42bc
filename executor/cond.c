/*
 * cond.c: COND (v2), a condition on the host that decides whether the
 * ops it guards run.  Semantics: executor/mp_ops.h.
 *
 * The host is what the executor's root showed when it started
 * (ctx->host_fd, opened before any namespace or mount changed), so a
 * condition means the same before and after PIVOT, and the rootfs, which
 * is hostile, can never answer it: the path is resolved with
 * RESOLVE_IN_ROOT from that fd, so even an absolute symlink on the host
 * stays on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Evaluate op's test on the host.  1 true, 0 false, -errno when the
 * answer cannot be known (a lookup error other than "no such file"). */
static int cond_test(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *path = mpb_str(ctx->plan, op->source);
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC | (op->mode == MP_IFLNK ? O_NOFOLLOW : 0),
		.resolve = K_RESOLVE_IN_ROOT,
	};
	struct stat st;
	int fd, r;

	while (*path == '/')
		path++;
	fd = openat2_retry(ctx->host_fd, *path ? path : ".", &how);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	r = fstat(fd, &st) < 0 ? -errno :
	    op->mode == 0 || (st.st_mode & S_IFMT) == op->mode;
	close(fd);
	return r;
}

/* COND: 0 when the guarded ops are to run, 1 when they are to be skipped,
 * or -errno. */
int op_cond(struct exec_ctx *ctx, const struct mp_op *op)
{
	int r = cond_test(ctx, op);

	if (r < 0)
		return r;
	if (op->flags & MP_F_NOT)
		r = !r;
	ctx->note = r ? "condition holds" : "condition false";
	return !r;
}
