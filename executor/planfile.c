/*
 * planfile.c: read a compiled plan without trusting the file system.
 *
 * The plan is opened O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK in its directory
 * (a symlink, a FIFO or a directory is refused without blocking) and must
 * be a regular file of at most MP_MAX_FILE_SIZE bytes.  When the executor
 * runs as root, nobody but root may be able to change what it reads: the
 * file, its directory and every ancestor up to "/" must be owned by root
 * and writable by no one else, by mode or by POSIX ACL (a sticky directory
 * may be world-writable, since others cannot rename or remove a root-owned
 * entry in it).  The ancestors are checked as sudo and sshd check theirs:
 * the directory is opened once as given, its canonical path taken from
 * the kernel (self/fd/N of the host's procfs), and that path walked again
 * from "/" one component at a time without following any symlink; the
 * file is opened from the last directory of the walk.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "exec.h"

#define ACL_XATTR "system.posix_acl_access"
#define ACL_USER 0x02u
#define ACL_GROUP 0x08u
#define ACL_MASK 0x10u
#define ACL_WRITE 0x02u

/* Does fd's POSIX access ACL let a named user or group other than root
 * write (the entry's write bit, under the mask's)?  An ACL that cannot
 * be read counts as yes. */
static int acl_lets_others_write(int fd)
{
	uint8_t acl[4 + 8 * 1024];
	ssize_t n = fgetxattr(fd, ACL_XATTR, acl, sizeof acl);
	unsigned mask = 7, bad = 0;

	if (n < 0)
		return errno != ENODATA && errno != ENOTSUP;
	for (ssize_t at = 4; at + 8 <= n; at += 8) {
		unsigned tag = acl[at] | acl[at + 1] << 8, perm = acl[at + 2] | acl[at + 3] << 8;
		uint32_t id = (uint32_t)acl[at + 4] | (uint32_t)acl[at + 5] << 8 |
			      (uint32_t)acl[at + 6] << 16 | (uint32_t)acl[at + 7] << 24;

		if (tag == ACL_MASK)
			mask = perm;
		else if ((tag == ACL_USER || tag == ACL_GROUP) && id != 0 && (perm & ACL_WRITE))
			bad = 1;
	}
	return bad && (mask & ACL_WRITE);
}

/* Can a user other than root write what fd (st) is?  A directory with the
 * sticky bit protects a root-owned file (sticky_ok). */
static int others_can_write(int fd, const struct stat *st, int sticky_ok)
{
	mode_t w = st->st_mode & (S_IWGRP | S_IWOTH);

	if (st->st_uid != 0)
		return 1;
	if (sticky_ok && (st->st_mode & S_ISVTX))
		return 0;
	if (st->st_gid == 0)
		w &= ~(mode_t)S_IWGRP;
	return w != 0 || acl_lets_others_write(fd);
}

/* Open the directory holding path (O_PATH) and point *base at the file
 * name.  fd or -errno. */
static int open_dir_of(const char *path, const char **base)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		*base = path;
		return openat(AT_FDCWD, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof dir)
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = 0;
	/* openat, not open: musl's open adds an fcntl(FD_CLOEXEC) */
	return openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Walk dir_fd's canonical path from "/" without following symlinks,
 * checking every directory on the way (root's, writable by no one else).
 * The last directory's fd (O_RDONLY), or -1 with *why (in msg). */
static int walk_trusted(struct exec_ctx *ctx, int dir_fd, char *msg, size_t size,
			const char **why)
{
	char path[MP_MAX_PATH + 1], self[32], *p = path + 1, *end;
	struct stat st;
	size_t len = 0; /* of the prefix naming fd */
	ssize_t n;
	int fd;

	fd_path(self, dir_fd);
	n = readlinkat(ctx->proc_fd, self, path, sizeof path - 1);
	if (n <= 0 || n >= (ssize_t)sizeof path - 1 || path[0] != '/') {
		*why = "cannot name its directory";
		return -1;
	}
	path[n] = 0;
	fd = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (;;) {
		if (fd < 0) {
			*why = "a directory on its path changed while checked (refused)";
			return -1;
		}
		if (fstat(fd, &st) < 0 || others_can_write(fd, &st, 1)) {
			path[len] = 0;
			fmt(msg, size, "directory %s is writable by a user other than "
			    "root (refused)", len ? path : "/");
			*why = msg;
			close(fd);
			return -1;
		}
		if (!*p)
			return fd;
		end = strchr(p, '/');
		if (end)
			*end = 0;
		n = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = (int)n;
		if (end)
			*end = '/';
		p = end ? end + 1 : p + strlen(p);
		len = (size_t)(p - path) - (end ? 1 : 0);
	}
}

/* Read the plan at path into *buf, *size bytes of new anonymous memory
 * (mmap: the executor needs no malloc).
 * Returns 0, or -1 with *why saying what is wrong. */
int planfile_read(struct exec_ctx *ctx, const char *path, uint8_t **buf, size_t *size,
		  const char **why)
{
	static char msg[MP_MAX_PATH + 96];
	struct stat st;
	const char *base;
	int dir, fd, root;
	size_t got = 0;

	dir = open_dir_of(path, &base);
	if (dir < 0) {
		*why = strerror(errno);
		return -1;
	}
	root = geteuid() == 0;
	if (root && *base) {
		int walked = walk_trusted(ctx, dir, msg, sizeof msg, why);
		close(dir);
		if (walked < 0)
			return -1;
		dir = walked;
	}
	fd = *base ? openat(dir, base,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
		   : -1;
	if (fd < 0) {
		*why = !*base ? "not a file" : errno == ELOOP ? "is a symbolic link (refused)"
							    : strerror(errno);
		close(dir);
		return -1;
	}
	*why = NULL;
	if (fstat(fd, &st) < 0)
		*why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		*why = "not a regular file";
	else if (st.st_size > (off_t)MP_MAX_FILE_SIZE)
		*why = "file too large";
	else if (root && others_can_write(fd, &st, 0))
		*why = "writable by a user other than root (refused)";
	close(dir);
	if (*why) {
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	*buf = mmap(NULL, *size ? *size : 1, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*buf == MAP_FAILED) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	while (got < *size) {
		ssize_t n = read(fd, *buf + got, *size - got);
		if (n <= 0) {
			*why = n < 0 ? strerror(errno) : "file shrank while being read";
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (*why) {
		munmap(*buf, *size ? *size : 1);
		return -1;
	}
	return 0;
}
