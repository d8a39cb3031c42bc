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

/* Block every signal; they are then taken one by one with
 * rt_sigtimedwait (no handler, so nothing of libc's sigaction is linked
 * and a fatal signal re-raised later keeps its default action). */
static void block_signals(void)
{
	uint64_t all = ~(uint64_t)0;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof all);
}

/* Unblock every signal. */
static void unblock_signals(void)
{
	uint64_t none = 0;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none);
}

/* Wait for the next signal; forward it to pid unless it is SIGCHLD.
 * Returns the signal number. */
static int next_signal(pid_t pid)
{
	uint64_t all = ~(uint64_t)0;
	int sig = (int)syscall(SYS_rt_sigtimedwait, &all, NULL, NULL, sizeof all);

	if (sig > 0 && sig != SIGCHLD)
		kill(pid, sig);
	return sig;
}

/* Drop every descriptor but stdio: what a waiting process keeps while
 * the container runs (it is non-dumpable since main() started). */
static void settle(void)
{
	sys_close_range(3, ~0u, 0); /* Linux 5.9, as every fresh API here */
}

/* The outside process: wait for pid and leave as it did. */
static void wait_and_pass_on(pid_t pid)
{
	int st = 0;

	settle();
	while (waitpid(pid, &st, WNOHANG) == 0)
		next_signal(pid);
	if (WIFSIGNALED(st)) { /* no handler: the default action, as it had */
		unblock_signals();
		kill(getpid(), WTERMSIG(st));
	}
	_exit(WEXITSTATUS(st));
}

/* Enter the plan's pid and ipc namespaces (op->aux, MP_NS_*): unshare,
 * and with a pid namespace fork; only the child returns (0), as pid 1 of
 * the new namespace, and dies with the parent.  -errno on failure. */
int pidns_enter(struct exec_ctx *ctx, const struct mp_op *op)
{
	pid_t pid;

	if (op->aux && unshare((op->aux & MP_NS_PID ? CLONE_NEWPID : 0) |
			       (op->aux & MP_NS_IPC ? CLONE_NEWIPC : 0)) < 0)
		return -errno;
	if (!(op->aux & MP_NS_PID))
		return 0;
	block_signals();
	pid = _Fork(); /* no atfork handlers or locks: one thread */
	if (pid > 0)
		wait_and_pass_on(pid); /* does not return */
	unblock_signals();
	if (pid < 0)
		return -errno;
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* cannot fail for SIGKILL */
	ctx->init = !!(op->aux & MP_NS_INIT);
	return 0;
}

/* MP_NS_INIT: fork the command as pid 2 and stay pid 1: forward signals
 * to it, reap every child, exit with its status.  Returns only in the
 * child, which goes on to exec the command as main() does. */
void init_fork(void)
{
	pid_t cmd, pid;
	int st;

	settle(); /* before the command runs: it must never see more */
	block_signals();
	cmd = _Fork();
	if (cmd <= 0)
		return; /* the command (exec_reset unblocks), or no fork: exec */
	for (;;) {
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == cmd)
				_exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
		if (pid < 0) /* no child left: cannot happen before cmd ends */
			_exit(125);
		next_signal(cmd);
	}
}
