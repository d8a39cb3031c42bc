/*
 * copyup.c: tmpfs copy-up (MP_F_TMPCOPYUP): copy a directory's contents,
 * with modes and owners, into a fresh tmpfs before it covers them.
 *
 * The tree comes from the image, so it is hostile: every entry is opened
 * O_PATH|O_NOFOLLOW and checked on that descriptor before anything reads
 * it; a regular file is reopened for reading through the host's procfs
 * (the checked inode, never a node swapped in since); symlinks are copied
 * as links, never followed; device nodes, FIFOs and sockets are refused
 * (a copy would bring a host device back on a mount without nodev);
 * extended attributes (file capabilities, ACLs) are not copied; the copy
 * is bounded in depth, entries and bytes (a sparse file claims its full
 * size on tmpfs; a link's contents count as bytes too).  A refusal names the entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define COPY_MAX_DEPTH 64
#define COPY_MAX_ENTRIES 65536u
#define COPY_MAX_BYTES (256ull << 20)

/* One copy-up: the budget left and the path of the entry being copied,
 * relative to the copied directory (for the refusal message). */
struct copy {
	struct exec_ctx *ctx;
	uint64_t bytes;        /* bytes left */
	uint32_t entries;      /* entries left */
	char path[MP_MAX_PATH + 1];
};

/* Refuse the entry being copied: ctx->detail names it (the image's name,
 * control bytes escaped) and why.  -errno. */
static int refuse(struct copy *c, const char *why, int err)
{
	fmt(c->ctx->why, sizeof c->ctx->why, "copy-up: %q under the target: %s (refused)",
	    c->path + 1, why);
	c->ctx->detail = c->ctx->why;
	return err;
}

/* Give fd st's owner, then its mode (fchown clears setuid and setgid:
 * the mode after it).  0 or -errno. */
static int own(int fd, const struct stat *st)
{
	return fchown(fd, st->st_uid, st->st_gid) < 0 ||
	       fchmod(fd, st->st_mode & 07777) < 0 ? -errno : 0;
}

/* Take n bytes from the copy-up's budget: 0, or the refusal (-EFBIG). */
__attribute__((noinline)) static int charge(struct copy *c, uint64_t n)
{
	if (n > c->bytes)
		return refuse(c, "the copy-up exceeds its limit of 256 MiB", -EFBIG);
	c->bytes -= n;
	return 0;
}

/* Copy the regular file fd (O_PATH, checked) as name into dir to, mode and
 * owner as st says.  0 or -errno. */
static int copy_file(struct copy *c, int fd, int to, const char *name,
		     const struct stat *st)
{
	char buf[16384];
	int in, out, r = 0;
	ssize_t n;

	if ((uint64_t)st->st_size > c->bytes)
		return charge(c, (uint64_t)st->st_size);
	in = proc_reopen(c->ctx, fd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (in < 0)
		return in;
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 07777);
	if (out < 0)
		r = -errno;
	while (r == 0 && (n = read(in, buf, sizeof buf)) != 0) {
		ssize_t w = n < 0 ? 0 : write(out, buf, (size_t)n);
		if (n < 0 || w != n)
			r = n < 0 || w < 0 ? -errno : -EIO;
		else /* refused when it grew since fstat */
			r = charge(c, (uint64_t)n);
	}
	if (r == 0)
		r = own(out, st);
	close(in);
	if (out >= 0)
		close(out);
	return r;
}

static int copy_dir(struct copy *c, int from, int to, int depth);

/* Copy the entry name of dir from into dir to.  0 or -errno. */
static int copy_entry(struct copy *c, int from, int to, const char *name, int depth)
{
	char link[MP_MAX_PATH + 1];
	struct stat st;
	ssize_t n;
	int fd, r = 0;

	if (c->entries-- == 0)
		return refuse(c, "the copy-up exceeds its limit of 65536 entries", -EFBIG);
	fd = openat(from, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (k_fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		r = copy_file(c, fd, to, name, &st);
		break;
	case S_IFDIR: {
		/* copy_dir reads fd's directory on a descriptor of its own */
		int b = -1;
		if (mkdirat(to, name, st.st_mode & 07777) < 0 ||
		    (b = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			r = -errno;
		if (r == 0)
			r = copy_dir(c, fd, b, depth + 1);
		if (r == 0)
			r = own(b, &st);
		if (b >= 0)
			close(b);
		break;
	}
	case S_IFLNK:
		/* a link's contents take memory on the tmpfs (a page when
		 * long): counted as a file's bytes */
		n = readlinkat(fd, "", link, sizeof link - 1);
		r = n < 0 ? -errno : charge(c, (uint64_t)n);
		if (r < 0)
			break;
		link[n] = 0;
		if (symlinkat(link, to, name) < 0 ||
		    fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			r = -errno;
		break;
	default:
		r = refuse(c, S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ?
			   "a device node is never copied up" : S_ISFIFO(st.st_mode) ?
			   "a FIFO is never copied up" : "a socket is never copied up",
			   -EPERM);
		break;
	}
	close(fd);
	return r;
}

/* Copy every entry of directory fd from (O_PATH will do) into directory
 * fd to, c->path naming from.  Reads the directory with getdents64 on a fresh descriptor
 * (no DIR, no malloc). */
static int copy_dir(struct copy *c, int from, int to, int depth)
{
	size_t len = strlen(c->path);
	char buf[8192];
	long n = 0;
	int fd, r = 0;

	if (depth > COPY_MAX_DEPTH)
		return refuse(c, "nested more than 64 directories deep", -ELOOP);
	fd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; r == 0 && off < n;) {
			struct dirent64_rec *e = (struct dirent64_rec *)(buf + off);
			off += e->reclen;
			if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0)
				continue;
			if (fmt(c->path + len, sizeof c->path - len, "/%s", e->name) >=
			    sizeof c->path - len)
				r = refuse(c, "path too long", -ENAMETOOLONG);
			else
				r = copy_entry(c, from, to, e->name, depth);
			if (r == 0)
				c->path[len] = 0;
		}
	}
	if (r == 0 && n < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Copy the contents of from_dir into to_dir (both O_RDONLY directory
 * fds), and give to_dir from_dir's mode and owner.  0 or -errno, with
 * ctx->detail naming a refused entry. */
int copy_tree(struct exec_ctx *ctx, int from_dir, int to_dir)
{
	struct copy c = { ctx, COPY_MAX_BYTES, COPY_MAX_ENTRIES, "" };
	struct stat st;

	int r = k_fstat(from_dir, &st) < 0 ? -errno : own(to_dir, &st);

	return r < 0 ? r : copy_dir(&c, from_dir, to_dir, 0);
}
