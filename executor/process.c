/*
 * process.c: the process around the mounts: inherited descriptors, stdio
 * on /dev/null, the console, the container's checked /dev/null, reading
 * its own proc files.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Is st the null device (char 1:3)? */
static int is_null_device(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* Make sure fds 0, 1 and 2 are open (on /dev/null), so no descriptor the
 * executor opens later can land there, and set *null_mask to which of them
 * are the host's /dev/null (bit i for fd i).  One fstat each.  0 or
 * -errno. */
int stdio_ensure(uint32_t *null_mask)
{
	struct stat st;

	*null_mask = 0;
	for (int fd = 0; fd < 3; fd++) {
		if (fstat(fd, &st) == 0) {
			if (is_null_device(&st))
				*null_mask |= 1u << fd;
			continue;
		}
		int n = open("/dev/null", O_RDWR | O_NOCTTY);
		if (n < 0)
			return -errno;
		if (n != fd)
			return -EBADF;
		*null_mask |= 1u << fd;
	}
	return 0;
}

/* Close every descriptor above 2 that the caller let us inherit
 * (CVE-2024-21626: a leaked host directory fd is a way out).  0 or -errno. */
int close_inherited(void)
{
	struct rlimit rl;

	if (sys_close_range(3, ~0u, 0) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -errno;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > (1u << 20))
		rl.rlim_cur = 1u << 20;
	for (rlim_t fd = 3; fd < rl.rlim_cur; fd++)
		close((int)fd);
	return 0;
}

/* Open the container's /dev/null with oflags (no symlink followed at the
 * last component) and check on the descriptor that it is char 1:3.
 * fd, or -errno with ctx->detail set. */
static int open_devnull(struct exec_ctx *ctx, int oflags)
{
	/* openat2 refuses O_PATH with any flag but O_NOFOLLOW/O_CLOEXEC/O_DIRECTORY */
	struct k_open_how how = {
		.flags = (uint64_t)(oflags | O_NOFOLLOW | O_CLOEXEC |
				    ((oflags & O_PATH) ? 0 : O_NOCTTY)),
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd = sys_openat2(ctx->root_fd, "dev/null", &how);

	if (fd < 0) {
		if (errno == ELOOP)
			ctx->detail = "/dev/null in the container is a symlink";
		return -errno;
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (!is_null_device(&st)) {
		close(fd);
		ctx->detail = S_ISLNK(st.st_mode) ?
			"/dev/null in the container is a symlink" :
			"/dev/null in the container is not the null device (char 1:3)";
		return -ENODEV;
	}
	return fd;
}

/* The container's /dev/null as a checked O_PATH fd (opened once, kept in
 * ctx->devnull_fd).  fd or -errno. */
int container_devnull(struct exec_ctx *ctx)
{
	if (ctx->devnull_fd < 0)
		ctx->devnull_fd = open_devnull(ctx, O_PATH);
	return ctx->devnull_fd;
}

/* Point the stdio fds that were the host's /dev/null at the container's.
 * A container without /dev/null leaves them.  0 or -errno. */
int reopen_null_stdio(struct exec_ctx *ctx)
{
	int fd, r = 0;

	if (!ctx->null_stdio)
		return 0;
	fd = open_devnull(ctx, O_RDWR);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	for (int i = 0; i < 3; i++)
		if ((ctx->null_stdio & (1u << i)) && dup2(fd, i) < 0)
			r = -errno;
	close(fd);
	return r;
}

/* The caller's terminal, for /dev/console: if one of fds 0..2 is a
 * pseudo-terminal slave (a character device, majors 136-143), that device
 * opened again (O_PATH, no symlink followed) in this mount namespace, since
 * a descriptor from the caller's namespace cannot be cloned here, and
 * checked to be the very same device and inode.  fd, or -1 when there is
 * no terminal. */
int console_open(void)
{
	struct stat st, again;
	char self[32], path[256];

	for (int fd = 0; fd < 3; fd++) {
		ssize_t n;
		int t;

		if (!isatty(fd) || fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
		    major(st.st_rdev) < 136 || major(st.st_rdev) > 143)
			continue;
		fd_path(self, fd);
		n = readlink(self, path, sizeof path - 1);
		if (n <= 0 || path[0] != '/')
			continue;
		path[n] = 0;
		t = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (t < 0)
			continue;
		if (fstat(t, &again) == 0 && S_ISCHR(again.st_mode) &&
		    again.st_rdev == st.st_rdev && again.st_ino == st.st_ino &&
		    again.st_dev == st.st_dev)
			return t;
		close(t);
	}
	return -1;
}

/* Read a proc file into buf, at most size - 1 bytes, NUL-terminated.
 * 0 or -errno. */
int proc_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t k = 0;

	if (fd < 0)
		return -errno;
	while (n < size - 1 && (k = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)k;
	close(fd);
	buf[n] = 0;
	return k < 0 ? -errno : 0;
}
