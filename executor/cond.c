/*
 * cond.c: COND (v2), a condition on the host that decides whether the
 * ops it guards run.  Semantics: executor/mp_ops.h.
 *
 * The host is what the executor's root shows when it starts: every COND
 * is tested once, before any namespace is entered or anything is mounted
 * (conds_prepare), from the executor's root on the host, so a condition
 * means the same before and after PIVOT and the rootfs, which is hostile,
 * can never answer it (an absolute symlink on the host stays on the
 * host).  The replay then only reads the answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Bit i: COND op i holds (after MP_F_NOT).  bss: no page is touched
 * but the ones holding a COND's bit, and none when no COND holds
 * (ctx->cond_held). */
static uint64_t holds[(MP_MAX_OPS + 63) / 64];

/* Evaluate op's test on the host, from the executor's root (the caller's
 * mount namespace: conds_prepare runs before ROOTFS).  1 true, 0 false,
 * -errno when the answer cannot be known (a lookup error other than "no
 * such file"). */
static int cond_test(struct exec_ctx *ctx, const struct mp_op *op)
{
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC | (op->mode == MP_IFLNK ? O_NOFOLLOW : 0),
	};
	struct stat st;
	int fd, r;

	/* source is absolute (mpb_open): it resolves from the root */
	fd = openat2_retry(AT_FDCWD, mpb_str(ctx->plan, op->source), &how);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	r = k_fstat(fd, &st) < 0 ? -errno :
	    op->mode == 0 || (st.st_mode & S_IFMT) == op->mode;
	close(fd);
	return r;
}

/* Before ROOTFS: test every COND of the plan, and hold the caller's root
 * and mount namespace (ctx->host_fd, ctx->hostns_fd) when a HOSTDEV will
 * look at the host's /dev.  0, or -1 after the one error line: a COND
 * that cannot be answered fails as its op would (named, with its
 * position), before anything changed; or the root cannot be opened. */
int conds_prepare(struct exec_ctx *ctx)
{
	for (uint32_t i = 0; i < ctx->plan->op_count; i++) {
		struct mp_op op;
		int r;

		mpb_op(ctx->plan, i, &op);
		if (op.opcode == MP_OP_HOSTDEV && ctx->host_fd < 0) {
			ctx->host_fd = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (ctx->host_fd < 0) {
				say(2, "mountplan-exec: /: %s\n", strerror(errno));
				return -1;
			}
			/* host_fd's mounts stay attached only while their
			 * namespace lives: it dies when the executor, its last
			 * process, leaves it (unshare -m mountplan-exec), and
			 * /dev under host_fd would then be the bare directory
			 * beneath it */
			ctx->hostns_fd = openat(ctx->proc_fd, "self/ns/mnt",
						O_RDONLY | O_CLOEXEC);
		}
		if (op.opcode != MP_OP_COND)
			continue;
		r = cond_test(ctx, &op);
		if (r < 0) {
			ctx->index = i;
			report(ctx, &op, strerror(-r));
			return -1;
		}
		if (op.flags & MP_F_NOT)
			r = !r;
		if (r) {
			holds[i / 64] |= (uint64_t)1 << (i % 64);
			ctx->cond_held = 1;
		}
	}
	return 0;
}

/* COND: 0 when the guarded ops are to run, 1 when they are to be skipped
 * (the answer conds_prepare found). */
int op_cond(struct exec_ctx *ctx, const struct mp_op *op)
{
	/* holds[] only when a bit is set: a first look at a bss page is a
	 * page fault */
	int r = ctx->cond_held && (holds[ctx->index / 64] >> (ctx->index % 64) & 1);

	(void)op;
	ctx->note = r ? "condition holds" : "condition false";
	return !r;
}
