/*
 * pidns.c: (v2) the plan's pid and ipc namespaces, and the minimal init.
 *
 * A pid namespace takes effect for children only, so ROOTFS forks once
 * the namespaces exist: the child is pid 1 of the new namespace and
 * replays the plan (a procfs it mounts is its own namespace's); the parent
 * stays outside, forwards every signal it can catch to the child and exits
 * with the child's status (by the same signal when the child was killed).
 * With MP_NS_INIT the child does not exec the command but forks it as pid
 * 2 and stays pid 1: it forwards signals to the command, reaps every
 * child that ends, and exits with the command's status (128+N when a
 * signal N killed it), as tini and catatonit do.  Both waiting processes
 * hold no descriptor but stdio and cannot be ptraced or have their /proc
 * files opened by the container (not dumpable).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

static volatile pid_t forward_to; /* who gets the signals we catch */

/* Signal handler: pass sig on to forward_to. */
static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* Block every signal (before a fork: what arrives before the parent
 * forwards it waits); the previous mask in *old. */
static void block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

/* Catch every signal that can be caught and is not about our own children
 * (SIGCHLD), forward it to pid, and unblock them. */
static void forward_signals(pid_t pid)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	forward_to = pid;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Drop every descriptor but stdio: what a waiting process keeps while
 * the container runs (it is non-dumpable since main() started). */
static void settle(void)
{
	if (sys_close_range(3, ~0u, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
}

/* The outside process: wait for pid and leave as it did. */
static void wait_and_pass_on(pid_t pid)
{
	int st = 0;

	settle();
	forward_signals(pid);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		signal(WTERMSIG(st), SIG_DFL);
		raise(WTERMSIG(st));
		_exit(128 + WTERMSIG(st));
	}
	_exit(WEXITSTATUS(st));
}

/* Enter the plan's pid and ipc namespaces (op->aux, MP_NS_*): unshare,
 * and with a pid namespace fork; only the child returns (0), as pid 1 of
 * the new namespace, and dies with the parent.  -errno on failure. */
int pidns_enter(struct exec_ctx *ctx, const struct mp_op *op)
{
	int flags = 0;
	sigset_t old;
	pid_t pid;

	if (op->aux & MP_NS_PID)
		flags |= CLONE_NEWPID;
	if (op->aux & MP_NS_IPC)
		flags |= CLONE_NEWIPC;
	if (!flags)
		return 0;
	if (unshare(flags) < 0)
		return -errno;
	if (!(op->aux & MP_NS_PID))
		return 0;
	block_signals(&old);
	pid = fork();
	if (pid > 0)
		wait_and_pass_on(pid); /* does not return */
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -errno;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return -errno;
	ctx->init = !!(op->aux & MP_NS_INIT);
	return 0;
}

/* MP_NS_INIT: fork the command (argv) as pid 2, stay pid 1: forward
 * signals to it, reap every child, exit with its status.  Never returns. */
void init_run(struct exec_ctx *ctx, char **argv)
{
	sigset_t old;
	pid_t cmd, pid;
	int st, r;

	settle(); /* before the command runs: it must never see more */
	block_signals(&old);
	cmd = fork();
	if (cmd < 0) {
		say(2, "mountplan-exec: init: fork: %s\n", strerror(errno));
		_exit(125);
	}
	if (cmd == 0) {
		signals_reset(ctx); /* unblocks what block_signals blocked */
		execvp(argv[0], argv);
		r = errno;
		say(2, "mountplan-exec: exec %s: %s\n", argv[0], strerror(r));
		_exit(r == ENOENT || r == ENOTDIR ? 127 : 126);
	}
	forward_signals(cmd);
	for (;;) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) /* no child left: cannot happen before cmd ends */
			_exit(125);
		if (pid == cmd)
			_exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
	}
}
