/*
 * planfile.c: read a compiled plan without trusting the file system.
 *
 * The plan is opened O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK (a symlink, a FIFO or
 * a directory is refused without blocking) and must be a regular file of
 * at most MP_MAX_FILE_SIZE bytes.  When the executor runs as root, nobody
 * but root may be able to change what it reads, as sudo and sshd require
 * of their files: the file and every directory from "/" down to it must be
 * owned by root and writable by no one else, by mode or by POSIX ACL (a
 * sticky directory may be world-writable, since others cannot rename or
 * remove a root-owned entry in it).  The directories are checked top-down
 * by path without following symlinks, so each one checked is one that
 * only root can have changed since its parent was checked; a path holding
 * a symlink is first made canonical (its directory named by the kernel),
 * and the file is then opened with RESOLVE_NO_SYMLINKS: what was checked
 * is what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define ACL_XATTR "system.posix_acl_access"
#define ACL_USER 0x02u
#define ACL_GROUP 0x08u
#define ACL_MASK 0x10u
#define ACL_WRITE 0x02u

/* Does the POSIX access ACL of path (or of fd when path is NULL) let a
 * named user or group other than root write (the entry's write bit,
 * under the mask's)?  An ACL that cannot be read counts as yes. */
__attribute__((noinline)) /* its buffer on the stack only when needed */
static int acl_lets_others_write(const char *path, int fd)
{
	uint8_t acl[4 + 8 * 1024];
	ssize_t n = path ? lgetxattr(path, ACL_XATTR, acl, sizeof acl)
			 : fgetxattr(fd, ACL_XATTR, acl, sizeof acl);
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

/* Can a user other than root write what st describes (path, or fd when
 * path is NULL)?  A directory with the sticky bit protects a root-owned
 * entry (sticky_ok).  The ACL is read only when the group class may
 * write: with an ACL the group bits are its mask, and every named entry's
 * write is under the mask. */
static int others_can_write(const char *path, int fd, const struct stat *st,
			    int sticky_ok)
{
	if (st->st_uid != 0)
		return 1;
	if (sticky_ok && (st->st_mode & S_ISVTX))
		return 0;
	if (st->st_mode & S_IWOTH)
		return 1;
	if (!(st->st_mode & S_IWGRP))
		return 0;
	return st->st_gid != 0 || acl_lets_others_write(path, fd);
}

/* Make path absolute and free of symlinks, into out (size bytes): the
 * directory holding it opened as given and named by the kernel (self/fd/N
 * of the host's procfs), then the file name.  0 or -errno. */
__attribute__((noinline)) /* its buffer on the stack only when needed */
static int canonical(struct exec_ctx *ctx, const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char dir[MP_MAX_PATH + 1], self[32];
	size_t n = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
	ssize_t len;
	int fd;

	if (n >= sizeof dir)
		return -ENAMETOOLONG;
	memcpy(dir, slash ? path : ".", n);
	dir[n] = 0;
	fd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fd_path(self, fd);
	len = readlinkat(ctx->proc_fd, self, out, size);
	close(fd);
	if (len < 0)
		return -errno;
	if (len == 0 || out[0] != '/' || (size_t)len + strlen(base) + 2 > size)
		return -ENAMETOOLONG;
	fmt(out + len, size - (size_t)len, "%s%s", len == 1 ? "" : "/", base);
	return 0;
}

/* Check every directory of the absolute path from "/" down (not its last
 * component): root's and writable by no one else, by mode or ACL.  0; 1
 * when one is a symlink (make the path canonical, check again); -1 with
 * *why (in msg). */
static int check_dirs(char *path, char *msg, size_t size, const char **why)
{
	struct stat st;

	for (char *end = path;;) {
		char keep = *end;
		const char *dir = end == path ? "/" : path;
		int r = 0;

		*end = 0;
		if (k_fstatat(AT_FDCWD, dir, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*why = strerror(errno);
			r = -1;
		} else if (S_ISLNK(st.st_mode)) {
			r = 1;
		} else if (others_can_write(dir, -1, &st, 1)) {
			fmt(msg, size, "directory %s is writable by a user other than "
			    "root (refused)", dir);
			*why = msg;
			r = -1;
		}
		*end = keep;
		if (r)
			return r;
		end = strchr(end + 1, '/');
		if (!end)
			return 0;
	}
}

/* Read the plan at path into *buf, *size bytes of memory of its own: a
 * static buffer when it fits (runc-default's 3.4 KB: no mmap call), else
 * new anonymous memory (mmap: the executor needs no malloc).  Spare
 * writable memory follows, *size + 8 bytes from *buf + *size (8 are
 * needed for each op record's 56: changes_list's list, 8-aligned).
 * Returns 0, or -1 with *why saying what is wrong. */
int planfile_read(struct exec_ctx *ctx, char *path, uint8_t **buf, size_t *size,
		  const char **why)
{
	static char msg[MP_MAX_PATH + 96];
	static uint8_t small[16384] __attribute__((aligned(4096))); /* 3.4 KB: one page */
	/* static: on the stack it took two pages of their own (page faults)
	 * even where it is not needed */
	static char canon[MP_MAX_PATH + 1];
	struct k_open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
	};
	struct stat st;
	int fd, root = getauxval(AT_EUID) == 0, r = 1; /* no syscall */
	size_t got = 0, room;

	if (!*path || path[strlen(path) - 1] == '/') {
		*why = "not a file";
		return -1;
	}
	if (root) {
		/* as given when absolute and free of links (no syscall more
		 * than the checks; checked in place, path as it was after),
		 * else canonical first */
		if (path[0] == '/')
			r = check_dirs(path, msg, sizeof msg, why);
		if (r == 1) {
			r = canonical(ctx, path, canon, sizeof canon);
			if (r < 0) {
				*why = strerror(-r);
				return -1;
			}
			r = check_dirs(canon, msg, sizeof msg, why);
			if (r == 1)
				*why = "a directory on its path changed while checked (refused)";
			path = canon;
		}
		if (r != 0)
			return -1;
		how.resolve = K_RESOLVE_NO_SYMLINKS;
	}
	fd = openat2_retry(AT_FDCWD, path, &how);
	if (fd < 0) {
		*why = errno == ELOOP ? "is a symbolic link (refused)" : strerror(errno);
		return -1;
	}
	*why = NULL;
	if (k_fstat(fd, &st) < 0)
		*why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		*why = "not a regular file";
	else if (st.st_size > (off_t)MP_MAX_FILE_SIZE)
		*why = "file too large";
	else if (root && others_can_write(NULL, fd, &st, 0))
		*why = "writable by a user other than root (refused)";
	if (*why) {
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	room = *size * 2 + 8;
	*buf = room <= sizeof small ? small :
	       mmap(NULL, room, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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
	close_later(fd); /* close_inherited (main.c), next, closes it */
	return *why ? -1 : 0; /* the caller exits: the memory with it */
}
