/*
 * replay.c: run a checked plan, op by op, and list it for --dry-run.
 *
 * dispatch() is the one switch over enum mp_opcode; it has a case for
 * every opcode, and -Wswitch-enum reports an opcode added to mp_ops.h and
 * not handled here even though -Werror=switch-default makes us write a
 * default (which only fails).  Each op's failure is reported here, in
 * one line: op index/count, plan source position, what the op does, why.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* The fd number (fd_seen) at which replay sweeps what ops left to
 * close_later (runc-default never gets there), every time: descriptor
 * numbers stay low, so the table never grows, and the fallback's magic
 * links name the same few self/fd entries again (1,000 binds: CPU -16%
 * with mount(2), -3% with the new API, for 143 close_range calls more
 * than sweeping at half the descriptor limit). */
#define SWEEP_AT 64

/* Run one op.  0 or -errno. */
static int dispatch(struct exec_ctx *ctx, const struct mp_op *op)
{
	switch ((enum mp_opcode)op->opcode) {
	case MP_OP_ROOTFS:
		return op_rootfs(ctx, op);
	case MP_OP_MOUNT:
		return op_mount(ctx, op);
	case MP_OP_BIND:
		return op_bind(ctx, op);
	case MP_OP_CGROUP:
		return op_cgroup(ctx, op);
	case MP_OP_MKNOD:
		return op_mknod(ctx, op);
	case MP_OP_SYMLINK:
		return op_symlink(ctx, op);
	case MP_OP_PIVOT:
		return op_pivot(ctx, op);
	case MP_OP_MASK:
		return op_mask(ctx, op);
	case MP_OP_HOLE_SAVE:
		return op_hole_save(ctx, op);
	case MP_OP_READONLY:
		return op_readonly(ctx, op);
	case MP_OP_HOLE_RESTORE:
		return op_hole_restore(ctx, op);
	case MP_OP_SETATTR:
		return op_setattr(ctx, op);
	case MP_OP_UMASK:
		return op_umask(ctx, op);
	case MP_OP_CHDIR:
		return op_chdir(ctx, op);
	case MP_OP_COND:
		return op_cond(ctx, op);
	case MP_OP_NAMESPACES:
		return op_namespaces(ctx, op);
	case MP_OP_HOSTDEV:
		return op_hostdev(ctx, op);
	case MP_OP_INVALID:
	case MP_OP_MAX:
	default: /* -Wswitch-enum still names any opcode missing above */
		break;
	}
	return -EINVAL; /* mpb_open refuses these: not reached */
}

/* What op does, in words ("mount tmpfs on /dev/shm"), into buf. */
static void describe(const struct mpb *plan, const char *rootfs,
		     const struct mp_op *op, char *buf, size_t size)
{
	const char *t = mpb_str(plan, op->target), *s = mpb_str(plan, op->source);
	const char *fs = mpb_str(plan, op->fstype);

	switch ((enum mp_opcode)op->opcode) {
	case MP_OP_ROOTFS:
		if (op->fstype && strcmp(rootfs, "/ (a new filesystem)") == 0)
			fmt(buf, size, "mount a new %s as the root", fs);
		else
			fmt(buf, size, "set up rootfs %s", rootfs);
		return;
	case MP_OP_MOUNT:
	case MP_OP_CGROUP:
		fmt(buf, size, "mount %s on %s", fs, t);
		return;
	case MP_OP_BIND:
		fmt(buf, size, "bind %s on %s", s, t);
		return;
	case MP_OP_MKNOD:
		fmt(buf, size, "mknod %s", t);
		return;
	case MP_OP_SYMLINK:
		fmt(buf, size, "symlink %s -> %s", t, s);
		return;
	case MP_OP_PIVOT:
		fmt(buf, size, "%s %s",
			 op->flags & MP_F_PIVOT_ROOT ? "pivot_root into" :
			 op->flags & MP_F_PIVOT_MOVE ? "move onto / and chroot into" :
						       "chroot into",
			 rootfs);
		return;
	case MP_OP_MASK:
		fmt(buf, size, "mask %s", t);
		return;
	case MP_OP_HOLE_SAVE:
		fmt(buf, size, "save writable hole %s", t);
		return;
	case MP_OP_READONLY:
		fmt(buf, size, "make %s read-only", t);
		return;
	case MP_OP_HOLE_RESTORE:
		fmt(buf, size, "restore writable hole %s", t);
		return;
	case MP_OP_SETATTR:
		fmt(buf, size, "set mount attributes of %s", t);
		return;
	case MP_OP_UMASK:
		fmt(buf, size, "set umask %04o", op->mode);
		return;
	case MP_OP_CHDIR:
		fmt(buf, size, "chdir to %s", t);
		return;
	case MP_OP_COND:
		fmt(buf, size, "%s host %s has type %o (0: any; guards %u ops)",
		    op->flags & MP_F_NOT ? "unless" : "if", s, op->mode, op->aux);
		return;
	case MP_OP_NAMESPACES:
		fmt(buf, size, "enter%s%s", op->flags & MP_F_CGROUPNS ? " the cgroup namespace" : "",
		    op->flags & MP_F_USERNS ? " the user namespace" : "");
		return;
	case MP_OP_HOSTDEV:
		fmt(buf, size, "mknod %s like host %s", t, s);
		return;
	case MP_OP_INVALID:
	case MP_OP_MAX:
	default:
		break;
	}
	fmt(buf, size, "op %u", op->opcode);
}

/* Print one op's line to stderr: "mountplan-exec: op I/N (FILE:L:C): WHAT: TAIL". */
void report(const struct exec_ctx *ctx, const struct mp_op *op,
		   const char *tail)
{
	struct mp_srcpos pos;
	char what[MP_MAX_PATH * 2 + 64];

	mpb_srcpos(ctx->plan, ctx->index, &pos);
	describe(ctx->plan, ctx->rootfs, op, what, sizeof what);
	say(2, "mountplan-exec: op %u/%u (%s:%u:%u): %s: %s\n", ctx->index,
		ctx->plan->op_count, mpb_str(ctx->plan, pos.file), pos.line, pos.col,
		what, tail);
}

/* Readings of the clock (now_us): syscalls --trace leaves out of its
 * count. */
static unsigned clock_reads;

/* Microseconds on the monotonic clock (--trace only: the raw call, so
 * musl's vDSO lookup, ~700 bytes, is not linked; counted in
 * clock_reads). */
static long long now_us(void)
{
	struct timespec ts;

	clock_reads++;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The op index whose failure the test build injects (MP_FAULT_OP), or -1. */
static long fault_op(void)
{
#ifdef MP_TEST_HOOKS
	const char *s = getenv("MP_FAULT_OP"), *end;
	long n = s ? fmt_decimal(s, &end) : -1;

	if (n >= 0 && !*end)
		return n;
#endif
	return -1;
}

/* May op change what ctx->parent_path shows (so that ctx->parent_fd, the
 * directory found there before, is no longer it)?  ROOTFS and PIVOT
 * change the root; any op whose target is the directory or above it may
 * mount over it. */
static int covers_parent(const struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *t = mpb_str(ctx->plan, op->target), *p = ctx->parent_path;
	size_t n = strlen(t);

	if (ctx->parent_fd < 0)
		return 0;
	if (op->opcode == MP_OP_ROOTFS || op->opcode == MP_OP_PIVOT)
		return 1;
	if (!op->target || !*t)
		return 0; /* UMASK and the like: no target, no mount */
	return strcmp(t, "/") == 0 ||
	       (strncmp(p, t, n) == 0 && (p[n] == 0 || p[n] == '/'));
}

/* Close every descriptor above 2 that ctx does not hold, nor extra (or
 * -1): close_range over the gaps between the held ones: what the ops
 * left to close_later.  The ops between two sweeps open at most a
 * handful each (a HOSTDEV glob sweeps between its nodes). */
void fd_sweep(const struct exec_ctx *ctx, int extra)
{
	int keep[13 + MP_MAX_SLOTS + MAX_ANCHORS], n = 0, lo = 3;

	keep[n++] = extra;
	keep[n++] = ctx->rootfs_fd;
	keep[n++] = ctx->root_fd;
	keep[n++] = ctx->host_fd;
	keep[n++] = ctx->hostns_fd;
	keep[n++] = ctx->proc_fd;
	keep[n++] = ctx->devnull_fd;
	keep[n++] = ctx->mask_fd;
	keep[n++] = ctx->parent_fd;
	keep[n++] = ctx->trace_fd;
	keep[n++] = ctx->userns_fd; /* (v2) NAMESPACES enters it last */
	keep[n++] = ctx->fd_dir;
	keep[n++] = ctx->home_fd;
	for (int k = 0; k < MP_MAX_SLOTS; k++)
		keep[n++] = ctx->slots[k];
	for (int k = 0; k < ctx->anchors; k++)
		keep[n++] = ctx->anchor_fd[k];
	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (keep[i] < lo)
			continue;
		if (keep[i] > lo)
			sys_close_range((unsigned)lo, (unsigned)keep[i] - 1, 0);
		lo = keep[i] + 1;
	}
	sys_close_range((unsigned)lo, ~0u, 0);
}

#ifdef MP_TEST_HOOKS
/* The op index before which the test build stops itself with SIGSTOP
 * (MP_STOP_OP), so a test can look at the executor mid-run, or -1. */
static long stop_op(void)
{
	const char *s = getenv("MP_STOP_OP"), *end;

	return s ? fmt_decimal(s, &end) : -1;
}
#endif

/* Step over the ops a false COND guards (the decoder checked that they
 * are inside the file), saying so under --trace. */
static void skip_guarded(struct exec_ctx *ctx, uint32_t count)
{
	while (count--) {
		struct mp_op op;

		ctx->index++;
		mpb_op(ctx->plan, ctx->index, &op);
		if (ctx->trace)
			report(ctx, &op, "skipped: condition false");
	}
}

/* The ops that may attach a mount at their target (MOUNT, BIND, CGROUP,
 * MKNOD and HOSTDEV by a bind, MASK, READONLY, HOLE_RESTORE): each
 * covers the anchors at or beneath it (anchor_set). */
#define COVERING_OPS (1u << MP_OP_MOUNT | 1u << MP_OP_BIND | 1u << MP_OP_CGROUP | \
		      1u << MP_OP_MKNOD | 1u << MP_OP_HOSTDEV | 1u << MP_OP_MASK | \
		      1u << MP_OP_READONLY | 1u << MP_OP_HOLE_RESTORE)

/* Replay every op of ctx->plan in order; stop at the first failure and
 * report it.  0, or -1 after the report.  First the ops changed_under
 * looks for (CHANGE_OPS) are listed (changes_list). */
int replay(struct exec_ctx *ctx)
{
	const struct mpb *plan = ctx->plan;
	long fault = fault_op();
#ifdef MP_TEST_HOOKS
	long stop = stop_op();
#endif

	changes_list(ctx);
	for (ctx->index = 0; ctx->index < ctx->plan->op_count; ctx->index++) {
		struct mp_op op;
		long long t0 = ctx->trace ? now_us() : 0;
		int r, had = ctx->anchors;

		mpb_op(ctx->plan, ctx->index, &op);
		ctx->detail = ctx->note = NULL;
		if (covers_parent(ctx, &op))
			ctx->parent_fd = -1; /* left to the sweep */
#ifdef MP_TEST_HOOKS
		if ((long)ctx->index == stop)
			kill(getpid(), SIGSTOP);
#endif
		r = (long)ctx->index == fault ? -EIO : dispatch(ctx, &op);
		if (r < 0 && (op.flags & MP_F_BEST_EFFORT)) { /* (v2) MKNOD, HOSTDEV */
			best_effort_skip(ctx, &op, "", r);
			r = 0;
		}
		if (r < 0) {
			report(ctx, &op, ctx->detail ? ctx->detail : strerror(-r));
			return -1;
		}
		if ((COVERING_OPS >> op.opcode) & 1)
			anchor_set(ctx, mpb_str(plan, op.target), had, -1, 0);
		if (ctx->trace) {
			char tail[128];
			fmt(tail, sizeof tail, "%s (%lld us)",
				 ctx->note ? ctx->note : "ok", now_us() - t0);
			report(ctx, &op, tail);
		}
		if (r > 0) /* a false COND */
			skip_guarded(ctx, op.aux);
		if (ctx->high_fd >= SWEEP_AT) {
			fd_sweep(ctx, -1);
			ctx->high_fd = 0;
		}
	}
	return 0;
}

/* The id of the raw_syscalls:sys_enter tracepoint (tracefs), or -1. */
static long syscall_tracepoint(void)
{
	static const char *const ids[] = {
		"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
		"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char buf[24];
		int fd = openat(AT_FDCWD, ids[i], O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			const char *end;

			buf[n] = 0;
			return fmt_decimal(buf, &end);
		}
	}
	return -1;
}

/* --trace: note the start time and start counting this thread's syscalls
 * (perf_event_open on raw_syscalls:sys_enter; needs tracefs mounted and
 * the right to trace; without them trace_totals says so). */
void trace_start(struct exec_ctx *ctx)
{
	struct k_perf_event_attr a = { .type = K_PERF_TYPE_TRACEPOINT,
				       .size = sizeof a };
	long id;

	ctx->t0_us = now_us();
	ctx->trace_fd = -1;
	id = syscall_tracepoint();
	if (id < 0)
		return;
	a.config = (uint64_t)id;
	ctx->trace_fd = sys_perf_event_open(&a);
	clock_reads = 0;
}

/* --trace: print the run's syscall count (from trace_start on, the
 * clock's own readings left out) and its total time, just before exec. */
void trace_totals(struct exec_ctx *ctx)
{
	long long us = now_us() - ctx->t0_us;
	uint64_t count;

	if (ctx->trace_fd >= 0 && read(ctx->trace_fd, &count, sizeof count) ==
				    (ssize_t)sizeof count)
		say(2, "mountplan-exec: %u ops: %lld syscalls, %lld us\n",
		    ctx->plan->op_count, (long long)(count - clock_reads), us);
	else
		say(2, "mountplan-exec: %u ops: %lld us (no syscall count: "
		    "tracefs not mounted or tracing not allowed)\n",
		    ctx->plan->op_count, us);
}

/* --dry-run: print the ops as they would run, one line each, to stdout.
 * 0, or -1 when stdout failed. */
int print_plan(const struct mpb *plan, const char *rootfs)
{
	char what[MP_MAX_PATH * 2 + 64];
	int r;

	r = say(1, "plan \"%s\": %u ops, rootfs %s\n", mpb_str(plan, plan->name),
	       plan->op_count, rootfs ? rootfs : "(none: give --rootfs)");
	for (uint32_t i = 0; i < plan->op_count; i++) {
		struct mp_op op;
		struct mp_srcpos pos;

		mpb_op(plan, i, &op);
		mpb_srcpos(plan, i, &pos);
		describe(plan, rootfs ? rootfs : "?", &op, what, sizeof what);
		r |= say(1, "op %u/%u (%s:%u:%u): %s %s\n", i, plan->op_count,
		       mpb_str(plan, pos.file), pos.line, pos.col,
		       mp_opcode_name(op.opcode), what);
	}
	return r;
}
