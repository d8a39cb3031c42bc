/*
 * userns.c: user namespaces: the executor's own (--userns, rootless use:
 * the caller becomes root) and the throw-away ones that carry the mapping
 * of an idmapped bind (MOUNT_ATTR_IDMAP takes a user namespace fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Write text to the proc file rel (a map file, relative to the host's
 * procfs).  0 or -errno. */
static int write_file(struct exec_ctx *ctx, const char *rel, const char *text)
{
	size_t n = strlen(text);
	int fd = openat(ctx->proc_fd, rel, O_WRONLY | O_NOFOLLOW | O_CLOEXEC), r = 0;
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, text, n);

	if (w != (ssize_t)n)
		r = w < 0 ? -errno : -EIO;
	close(fd);
	return r;
}

/* Enter a new user and mount namespace in which the caller is root (uid
 * and gid 0 map to the caller's).  0 or -errno. */
int userns_enter(struct exec_ctx *ctx)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int r;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return -errno;
	/* a non-dumpable process's proc files belong to the namespace's
	 * root, unmapped until uid_map is written: dumpable for the writes */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return -errno;
	fmt(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	r = write_file(ctx, "self/uid_map", map);
	if (r == 0) {
		r = write_file(ctx, "self/setgroups", "deny");
		if (r == -ENOENT)
			r = 0;
	}
	if (r == 0) {
		fmt(map, sizeof map, "0 %u 1\n", (unsigned)gid);
		r = write_file(ctx, "self/gid_map", map);
	}
	if (r == 0)
		r = undumpable();
	return r;
}

/* Turn one side of a mapping ("C:H:N,C:H:N") into map file text ("C H N\n"
 * lines) in out.  0 or -EINVAL. */
static int map_text(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i] == ':' ? ' ' : s[i] == ',' ? '\n' : s[i];
		if ((c < '0' || c > '9') && c != ' ' && c != '\n')
			return -EINVAL;
		if (o + 2 >= size)
			return -E2BIG;
		out[o++] = c;
	}
	out[o++] = '\n';
	out[o] = 0;
	return len ? 0 : -EINVAL;
}

/* A user namespace holding mapping ("uid=C:H:N[,...];gid=C:H:N[,...]"),
 * made by a short-lived child.  fd of the namespace or -errno. */
int userns_for_idmap(struct exec_ctx *ctx, const char *mapping)
{
	char uids[1024], gids[1024], path[64], self[24];
	const char *g = strchr(mapping, ';');
	int sync[2], fd = -1, r;
	ssize_t n;
	pid_t pid;

	if (strncmp(mapping, "uid=", 4) != 0 || !g || strncmp(g, ";gid=", 5) != 0)
		return -EINVAL;
	r = map_text(mapping + 4, (size_t)(g - mapping - 4), uids, sizeof uids);
	if (r == 0)
		r = map_text(g + 5, strlen(g + 5), gids, sizeof gids);
	if (r < 0)
		return r;
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -errno;
	pid = _Fork(); /* no atfork handlers or locks: one thread */
	if (pid == 0) {
		/* the child names itself as the host's procfs sees it: in a
		 * pid namespace of its own fork()'s pid is not the one that
		 * procfs knows */
		n = unshare(CLONE_NEWUSER) == 0 ?
			    readlinkat(ctx->proc_fd, "self", self, sizeof self - 1) : -1;
		if (n > 0 && write(sync[1], self, (size_t)n) == n)
			pause();
		_exit(0);
	}
	close(sync[1]);
	if (pid < 0) {
		close(sync[0]);
		return -errno;
	}
	n = read(sync[0], self, sizeof self - 1);
	r = n > 0 ? 0 : -EPERM;
	self[n > 0 ? n : 0] = 0;
	close(sync[0]);
	if (r == 0) {
		fmt(path, sizeof path, "%s/uid_map", self);
		r = write_file(ctx, path, uids);
	}
	if (r == 0) {
		fmt(path, sizeof path, "%s/gid_map", self);
		r = write_file(ctx, path, gids);
	}
	if (r == 0) {
		fmt(path, sizeof path, "%s/ns/user", self);
		fd = openat(ctx->proc_fd, path, O_RDONLY | O_CLOEXEC);
		r = fd < 0 ? -errno : 0;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return r < 0 ? r : fd;
}

/* The plan's NAMESPACES op (at most one) into *op: 1, or 0 when it has
 * none. */
static int plan_namespaces(const struct mpb *plan, struct mp_op *op)
{
	for (uint32_t i = 0; i < plan->op_count; i++) {
		mpb_op(plan, i, op);
		if (op->opcode == MP_OP_NAMESPACES)
			return 1;
	}
	return 0;
}

/* Does the plan make a user namespace (NAMESPACES with MP_F_USERNS)? */
int plan_userns(const struct mpb *plan)
{
	struct mp_op op;

	return plan_namespaces(plan, &op) && (op.flags & MP_F_USERNS);
}

/* Before the mounts (ROOTFS): the plan's NAMESPACES op, if any, gets its
 * cgroup namespace now (after reading /proc/self/cgroup for a v1
 * CGROUP) and its user namespace made (entered by op_namespaces).  0 or
 * -errno. */
int namespaces_prepare(struct exec_ctx *ctx)
{
	static char cgroups[4096];
	struct mp_op op;
	int r;

	if (!plan_namespaces(ctx->plan, &op))
		return 0;
	if (op.flags & MP_F_CGROUPNS) {
		r = proc_read(ctx, "self/cgroup", cgroups, sizeof cgroups);
		if (r < 0)
			return r;
		ctx->cgroups = cgroups;
		if (unshare(CLONE_NEWCGROUP) < 0)
			return -errno;
	}
	if (op.flags & MP_F_USERNS) {
		ctx->userns_fd = userns_for_idmap(ctx, mpb_str(ctx->plan, op.data));
		if (ctx->userns_fd < 0)
			return ctx->userns_fd;
	}
	return 0;
}

/* NAMESPACES: enter the user namespace made by namespaces_prepare and
 * become its root (gid, then no supplementary groups, then uid). */
int op_namespaces(struct exec_ctx *ctx, const struct mp_op *op)
{
	if (!(op->flags & MP_F_USERNS))
		return 0;
	if (syscall(SYS_setns, ctx->userns_fd, CLONE_NEWUSER) < 0 ||
	    syscall(SYS_setgroups, 0, NULL) < 0 || syscall(SYS_setresgid, 0, 0, 0) < 0 ||
	    syscall(SYS_setresuid, 0, 0, 0) < 0)
		return -errno;
	close(ctx->userns_fd);
	ctx->userns_fd = -1;
	return 0;
}
