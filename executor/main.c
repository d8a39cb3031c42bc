/*
 * main.c: mountplan-exec [--rootfs DIR] [--dry-run] [--trace] [--userns]
 *         PLAN.mpb -- CMD [ARG...]
 *
 * Reads and checks the whole plan before anything changes (planfile.c,
 * mpb_open), then closes inherited descriptors, replays the ops in a new
 * mount namespace (replay.c) and execs CMD.  Exit status: 125 the plan or
 * the setup failed; 126 CMD cannot be executed; 127 CMD not found;
 * otherwise CMD's own (it replaces this process).  doc/executor.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#ifndef MP_PACKAGE_VERSION
#define MP_PACKAGE_VERSION "unknown"
#endif
#ifndef MP_EXEC_LIBC
#define MP_EXEC_LIBC "libc"
#endif

#define EXIT_SETUP 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

/* Print the usage to out. */
static void usage(int fd)
{
	say(fd, "%s", "Usage: mountplan-exec [--rootfs DIR] [--dry-run] [--trace] [--userns]\n"
	      "                      PLAN.mpb -- CMD [ARG...]\n"
	      "Check the compiled plan, replay it in a new mount namespace on the\n"
	      "rootfs (the plan's, or DIR), pivot into it and exec CMD.\n"
	      "  --rootfs DIR  the container's root directory (overrides the plan's)\n"
	      "  --dry-run     print the ops as they would run; change nothing\n"
	      "  --trace       print each op, its outcome and its time to stderr\n"
	      "  --userns      also enter a user namespace mapping the caller to root\n"
	      "  --help, --version\n"
	      "Exit status: 125 the plan or the setup failed, 126 CMD cannot be\n"
	      "executed, 127 CMD not found, otherwise CMD's own.\n");
}

/* Print "mountplan-exec: MSG" to stderr and exit with status. */
static void die(int status, const char *a, const char *b)
{
	say(2, "mountplan-exec: %s%s%s\n", a, b ? ": " : "", b ? b : "");
	exit(status);
}

/* Read, check and return the plan at path; exits 125 on any problem. */
static void load_plan(struct exec_ctx *ctx, char *path, struct mpb *plan)
{
	struct mpb_error err;
	const char *why;
	uint8_t *buf;
	size_t size;
	char msg[160];

	if (planfile_read(ctx, path, &buf, &size, &why) < 0)
		die(EXIT_SETUP, path, why);
	if (mpb_open(plan, buf, size, &err) < 0) {
		if (err.op >= 0) {
			fmt(msg, sizeof msg, "op %ld: %s", err.op, err.what);
			die(EXIT_SETUP, path, msg);
		}
		die(EXIT_SETUP, path, err.what);
	}
}

/* The rootfs directory the plan names (ROOTFS's source), or NULL; *fresh
 * set when the plan's root is a new filesystem (v2: ROOTFS's fstype). */
static const char *plan_rootfs(const struct mpb *plan, int *fresh)
{
	struct mp_op op;

	mpb_op(plan, 0, &op);
	*fresh = op.fstype != 0;
	return op.source && !op.fstype ? mpb_str(plan, op.source) : NULL;
}

/* Every field of ctx as a run starts, but the two long buffers: zeroing
 * them (an initializer would) touched 8 KiB of stack, two page faults,
 * for nothing (each is written before it is read). */
static void ctx_init(struct exec_ctx *ctx)
{
	memset(ctx, 0, offsetof(struct exec_ctx, parent_path));
	ctx->root_fd = ctx->rootfs_fd = ctx->devnull_fd = ctx->proc_fd = -1;
	ctx->host_fd = ctx->hostns_fd = ctx->mask_fd = ctx->parent_fd = -1;
	ctx->trace_fd = ctx->userns_fd = ctx->fd_dir = ctx->home_fd = -1;
	ctx->cwd_fd = CWD_HOME;
}

int main(int argc, char **argv, char **envp)
{
	struct exec_ctx ctx;
	struct mpb plan;
	const char *rootfs = NULL;
	char *path = NULL; /* argv's: writable (planfile_read) */
	int dry_run = 0, i, r;

	ctx_init(&ctx);
	/* installed setuid, setgid or with file capabilities, the command
	 * would be root with every capability for any user, in a rootfs of
	 * theirs (bwrap's setuid mode has had CVE-2020-5291 and others;
	 * this executor has none): refused before anything (no syscall) */
	if (getauxval(AT_SECURE))
		die(EXIT_SETUP, "installed setuid, setgid or with file capabilities",
		    "the command would get the executor's privileges (refused)");
	/* before any host descriptor is held: no ptrace, no /proc/PID/fd */
	if (undumpable() < 0)
		die(EXIT_SETUP, "make the process non-dumpable", strerror(errno));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0) {
			usage(1);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			say(1, "mountplan-exec %s (%s, static; .mpb version %d)\n",
			       MP_PACKAGE_VERSION, MP_EXEC_LIBC, MP_VERSION);
			return 0;
		} else if (strcmp(a, "--rootfs") == 0 && i + 1 < argc) {
			rootfs = argv[++i];
		} else if (strncmp(a, "--rootfs=", 9) == 0) {
			rootfs = a + 9;
		} else if (strcmp(a, "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(a, "--trace") == 0) {
			ctx.trace = 1;
		} else if (strcmp(a, "--userns") == 0) {
			ctx.userns = 1;
		} else if (a[0] == '-' && a[1]) {
			usage(2);
			die(EXIT_SETUP, "unknown option", a);
		} else if (!path) {
			path = argv[i];
		} else {
			usage(2);
			die(EXIT_SETUP, "unexpected argument (missing --?)", a);
		}
	}
	if (!path || (i >= argc && !dry_run)) {
		usage(2);
		die(EXIT_SETUP, path ? "no command given after --" : "no plan given", NULL);
	}
	r = stdio_ensure(&ctx.null_stdio);
	if (r < 0)
		die(EXIT_SETUP, r == -EISDIR ? "stdio is a directory (a host directory "
		    "is a way out of the root: refused)" :
		    "cannot open /dev/null for a closed stdio descriptor", NULL);
	ctx.proc_fd = proc_open();
	if (ctx.proc_fd < 0)
		die(EXIT_SETUP, "/proc", ctx.proc_fd == -ENODEV ?
		    "not the root of a procfs (refused)" : strerror(-ctx.proc_fd));
	load_plan(&ctx, path, &plan);
	ctx.plan = &plan;
	ctx.rootfs = plan_rootfs(&plan, &ctx.fresh);
	if (rootfs) { /* --rootfs: that directory, whatever the plan says */
		ctx.rootfs = rootfs;
		ctx.fresh = 0;
	} else if (ctx.fresh) {
		ctx.rootfs = "/ (a new filesystem)";
	}
	if (dry_run) {
		return print_plan(&plan, ctx.rootfs) == 0 ? 0 : EXIT_SETUP;
	}
	if (!ctx.rootfs && !ctx.fresh)
		die(EXIT_SETUP, path, "the plan names no rootfs: give --rootfs DIR");
	/* a user namespace's root may write this binary (CVE-2019-5736) */
	if ((ctx.userns || plan_userns(&plan)) && (r = exe_sealed(&ctx, argv, envp)) < 0)
		die(EXIT_SETUP, "run from a sealed copy of the executor", strerror(-r));
#ifdef MP_TEST_HOOKS
	/* 1: mount(2) throughout; mountinfo: and no listmount either (a
	 * kernel before 6.8), nor statx's mount ids (before 5.8: mnt.c reads
	 * them from self/fdinfo); setattr: only mount_setattr is missing;
	 * open_tree: only open_tree_attr (before 6.15) */
	const char *force = getenv("MP_FORCE_FALLBACK");
	ctx.no_open_tree_attr = force && strcmp(force, "open_tree") == 0;
	ctx.no_listmount = force && strcmp(force, "mountinfo") == 0;
	ctx.no_mnt_id = ctx.no_listmount;
	ctx.legacy = force && (strcmp(force, "1") == 0 || ctx.no_listmount);
	ctx.no_setattr = force && strcmp(force, "setattr") == 0;
#endif
	if (close_inherited(ctx.proc_fd) < 0)
		die(EXIT_SETUP, "close inherited descriptors", strerror(errno));
	r = tty_detach();
	if (r < 0)
		die(EXIT_SETUP, "give up the controlling terminal", strerror(-r));
	r = keyring_detach();
	if (r < 0)
		die(EXIT_SETUP, "join a session keyring of its own", strerror(-r));
	if (ctx.trace)
		trace_start(&ctx);
	/* a directory, before anything changes (ROOTFS opens it after
	 * unshare: a descriptor from before would name the caller's mount);
	 * a stat, not a descriptor: one file less to make and close */
	if (!ctx.fresh) {
		struct stat st;

		if (k_fstatat(AT_FDCWD, ctx.rootfs, &st, 0) < 0)
			die(EXIT_SETUP, ctx.rootfs, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			die(EXIT_SETUP, ctx.rootfs, strerror(ENOTDIR));
	}
	/* the host as the executor found it: COND's tests, HOSTDEV's root */
	if (conds_prepare(&ctx) < 0)
		return EXIT_SETUP;
	for (int k = 0; k < MP_MAX_SLOTS; k++)
		ctx.slots[k] = -1;
	ctx.umask0 = umask(0);
	if (replay(&ctx) < 0)
		return EXIT_SETUP;
	/* never exec in the host's self/fd, where the fallback works */
	if (ctx.cwd_fd != CWD_HOME &&
	    cwd_home(&ctx, ctx.home_fd >= 0 ? ctx.home_fd : ctx.root_fd) < 0)
		die(EXIT_SETUP, "leave the host's /proc", strerror(errno));
	/* the command never holds the host's root: host_fd, like every
	 * descriptor the executor opened, is O_CLOEXEC */
	if (!ctx.umask_set)
		umask(ctx.umask0);
	r = reopen_null_stdio(&ctx);
	if (r < 0)
		die(EXIT_SETUP, "reopen stdio on the container's /dev/null",
		    ctx.detail ? ctx.detail : strerror(-r));
	if (ctx.trace)
		trace_totals(&ctx);
	if (ctx.init)
		init_fork(); /* returns in the command, pid 2 */
	exec_reset(&ctx);
	execvp(argv[i], argv + i);
	r = errno;
	say(2, "mountplan-exec: exec %s: %s\n", argv[i], strerror(r));
	return r == ENOENT || r == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}
