/*
 * copyup.c: tmpfs copy-up (MP_F_TMPCOPYUP): copy a directory's contents,
 * with modes and owners, into a fresh tmpfs before it covers them.  Never
 * follows a symlink: links are copied as links.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "exec.h"

#define COPY_MAX_DEPTH 64

/* Copy the regular file name from dir `from` to dir `to`.  0 or -errno. */
static int copy_file(int from, int to, const char *name, const struct stat *st)
{
	char buf[16384];
	/* O_NONBLOCK: a FIFO swapped in since the fstatat cannot block us */
	int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int out = -1, r = 0;
	struct stat now;
	ssize_t n;

	if (in < 0)
		return -errno;
	if (fstat(in, &now) < 0 || !S_ISREG(now.st_mode)) {
		close(in);
		return -EINVAL;
	}
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 07777);
	if (out < 0)
		r = -errno;
	while (r == 0 && (n = read(in, buf, sizeof buf)) != 0) {
		ssize_t w = n < 0 ? 0 : write(out, buf, (size_t)n);
		if (n < 0 || w != n)
			r = n < 0 || w < 0 ? -errno : -EIO;
	}
	if (r == 0 && fchown(out, st->st_uid, st->st_gid) < 0)
		r = -errno;
	close(in);
	if (out >= 0)
		close(out);
	return r;
}

static int copy_dir(int from, int to, int depth);

/* Copy one entry of any type.  0 or -errno. */
static int copy_entry(int from, int to, const char *name, int depth)
{
	struct stat st;
	char link[MP_MAX_PATH + 1];
	ssize_t n;
	int r = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return copy_file(from, to, name, &st);
	case S_IFDIR: {
		int a, b;
		if (mkdirat(to, name, st.st_mode & 07777) < 0)
			return -errno;
		a = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		b = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = a < 0 || b < 0 ? -errno : copy_dir(a, b, depth + 1);
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		break;
	}
	case S_IFLNK:
		n = readlinkat(from, name, link, sizeof link - 1);
		if (n < 0)
			return -errno;
		link[n] = 0;
		if (symlinkat(link, to, name) < 0)
			return -errno;
		break;
	default:
		if (mknodat(to, name, st.st_mode, st.st_rdev) < 0)
			return -errno;
		break;
	}
	if (r == 0 && fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	return r;
}

/* A linux_dirent64 record as getdents64(2) returns it. */
struct dirent64_rec {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Copy every entry of directory fd from into directory fd to.  Reads the
 * directory with getdents64 on a fresh descriptor (no DIR, no malloc). */
static int copy_dir(int from, int to, int depth)
{
	char buf[8192];
	long n;
	int fd, r = 0;

	if (depth > COPY_MAX_DEPTH)
		return -ELOOP;
	fd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; r == 0 && off < n;) {
			struct dirent64_rec *e = (struct dirent64_rec *)(buf + off);
			off += e->reclen;
			if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0)
				continue;
			r = copy_entry(from, to, e->name, depth);
		}
	}
	if (r == 0 && n < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Copy the contents of from_dir into to_dir (both O_RDONLY directory
 * fds), and give to_dir from_dir's mode and owner.  0 or -errno. */
int copy_tree(int from_dir, int to_dir)
{
	struct stat st;

	if (fstat(from_dir, &st) < 0)
		return -errno;
	if (fchmod(to_dir, st.st_mode & 07777) < 0 ||
	    fchown(to_dir, st.st_uid, st.st_gid) < 0)
		return -errno;
	return copy_dir(from_dir, to_dir, 0);
}
