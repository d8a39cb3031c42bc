/*
 * resolve.c: resolve plan paths inside the root, never outside it.
 *
 * Every lookup is openat2(root_fd, path, RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS): ".." and absolute symlinks stop at the root, and
 * /proc magic links cannot lead out.  Missing directories are created one
 * component at a time, each opened again without following symlinks, so a
 * component swapped for a symlink between mkdir and open is refused
 * (ELOOP), never followed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Open path (absolute, clean) inside the root as O_PATH plus oflags
 * (e.g. O_DIRECTORY, O_NOFOLLOW).  Returns the fd or -errno. */
int resolve(struct exec_ctx *ctx, const char *path, int oflags)
{
	struct k_open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*path == '/')
		path++;
	fd = openat2_retry(ctx->root_fd, *path ? path : ".", &how);
	return fd < 0 ? -errno : fd;
}

/* Open name in dir_fd without following any symlink (one is ELOOP, not
 * an fd of the link) and without leaving dir_fd.  fd or -errno. */
int open_beneath(int dir_fd, const char *name)
{
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_SYMLINKS |
			   K_RESOLVE_NO_MAGICLINKS,
	};
	int fd = openat2_retry(dir_fd, name, &how);

	return fd < 0 ? -errno : fd;
}

/* The path that the dangling symlink name in dir (whose path inside the
 * root is buf up to name) leads to, followed by rest, into out (size n):
 * an absolute link from the root, a relative one from dir.  0 or -errno. */
static int through_link(int dir, const char *buf, const char *name, const char *rest,
			char *out, size_t n)
{
	char link[MP_MAX_PATH + 1];
	ssize_t k = readlinkat(dir, name, link, sizeof link - 1);
	size_t pre;

	if (k <= 0)
		return k < 0 ? -errno : -ENOENT;
	link[k] = 0;
	pre = link[0] == '/' ? 0 : (size_t)(name - buf - 1); /* dir's path */
	if (pre >= n)
		return -ENAMETOOLONG;
	memcpy(out, buf, pre);
	if (pre + fmt(out + pre, n - pre, "/%s%s%s", link, rest ? "/" : "",
		      rest ? rest : "") >= n)
		return -ENAMETOOLONG;
	return 0;
}

/* Make sure path exists inside the root, creating each missing component
 * as a directory (mode 0755), or the last one as an empty file (0644) when
 * as_file.  A dangling symlink on the way is followed inside the root (as
 * runc and crun do), up to 40 of them.  Returns an O_PATH fd on path or
 * -errno. */
int resolve_mkdirs(struct exec_ctx *ctx, const char *path, int as_file)
{
	char buf[MP_MAX_PATH + 1], next[MP_MAX_PATH + 1];
	char *p, *end;
	int parent, fd, hops = 0;

	fd = resolve(ctx, path, 0);
	if (fd != -ENOENT)
		return fd;
	if (strlen(path) > MP_MAX_PATH)
		return -ENAMETOOLONG;
	strcpy(buf, path);
again:
	parent = fcntl(ctx->root_fd, F_DUPFD_CLOEXEC, 3);
	if (parent < 0)
		return -errno;
	for (p = buf + 1;; p = end + 1) {
		int last, r;

		end = strchr(p, '/');
		last = !end;
		if (end)
			*end = 0;
		fd = resolve(ctx, buf, 0);
		if (fd == -ENOENT) {
			if (last && as_file)
				r = mknodat(parent, p, S_IFREG | 0644, 0);
			else
				r = mkdirat(parent, p, 0755);
			fd = r < 0 && errno != EEXIST ? -errno : open_beneath(parent, p);
			if (fd == -ELOOP && ++hops <= 40 &&
			    through_link(parent, buf, p, end ? end + 1 : NULL, next,
					 sizeof next) == 0) {
				/* a dangling symlink: on along its contents,
				 * from the root again */
				close(parent);
				mp_path_clean(buf, next);
				fd = resolve(ctx, buf, 0);
				if (fd != -ENOENT)
					return fd;
				goto again;
			}
			if (fd == -ELOOP)
				ctx->detail = "a symlink in the path leads to a missing "
					      "directory (refused)";
		}
		close(parent);
		if (fd < 0 || last)
			return fd;
		parent = fd;
		*end = '/';
	}
}

/* Open the directory holding path inside the root (creating missing
 * directories when create) and point *name at path's last component.
 * Returns the fd (O_PATH|O_DIRECTORY) or -errno. */
int resolve_parent(struct exec_ctx *ctx, const char *path, int create,
		   const char **name)
{
	char buf[MP_MAX_PATH + 1];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd;

	if (!slash || slash[1] == 0)
		return -EINVAL;
	*name = slash + 1;
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1; /* the parent is "/" */
	memcpy(buf, path, n);
	buf[n] = 0;
	fd = create ? resolve_mkdirs(ctx, buf, 0) : resolve(ctx, buf, O_DIRECTORY);
	if (fd >= 0 && create) {
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
			close(fd);
			return -ENOTDIR;
		}
	}
	return fd;
}
