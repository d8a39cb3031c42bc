/*
 * resolve.c: resolve plan paths inside the root, never outside it.
 *
 * Every lookup is openat2(root_fd, path, RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS): ".." and absolute symlinks stop at the root, and
 * /proc magic links cannot lead out.  Missing directories are created one
 * component at a time, each opened again without following symlinks, so a
 * component swapped for a symlink between mkdir and open is refused
 * (ELOOP), never followed.  A path that exists costs one openat2; each
 * missing component one failed lookup of its parent, a mkdirat and an
 * openat2.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* Open path (absolute, clean) inside the root as O_PATH plus oflags
 * (e.g. O_DIRECTORY, O_NOFOLLOW), from the root itself.  Returns the fd
 * or -errno. */
static int in_root(struct exec_ctx *ctx, const char *path, int oflags)
{
	struct k_open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*path == '/')
		path++;
	fd = fd_seen(ctx, openat2_retry(ctx->root_fd, *path ? path : ".", &how));
	return fd < 0 ? -errno : fd;
}

/* The anchor resolve_from starts path from: the longest kept target above
 * path (or at it, unless below_only), its length in *len.  Its index,
 * or -1 for none. */
static int anchor_above(const struct exec_ctx *ctx, const char *path, int below_only,
			size_t *len)
{
	int a = -1;

	*len = 0;
	for (int i = 0; i < ctx->anchors; i++) {
		const char *at = ctx->anchor_path[i];
		size_t n = strlen(at);

		if (n > *len && (path_below(path, at, n) || (!below_only && !strcmp(path, at))))
			*len = n, a = i;
	}
	return a;
}

/* Open path (absolute, clean) inside the root as O_PATH plus oflags
 * (e.g. O_DIRECTORY, O_NOFOLLOW); when it lies beneath the target of a
 * new mount this run made and kept (ctx->anchor_*, the longest such), or
 * unless below_only at it, from that mount's own root, with
 * RESOLVE_BENEATH: the image's directories above it, which a renaming
 * process can swap with others of its own at any time, are not walked
 * again (a mask or a read-only bind meant for /proc, or for a bound
 * volume, would land in the swapped-in directory, and the mount stay
 * unmasked and writable under the other name; a device made there).  At
 * the target itself a second descriptor of the anchor (F_DUPFD_CLOEXEC).
 * fd or -errno (-EXDEV, ctx->detail set: a link out of the anchor). */
int resolve_from(struct exec_ctx *ctx, const char *path, int oflags, int below_only)
{
	struct k_open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_MAGICLINKS,
	};
	size_t best;
	int a = anchor_above(ctx, path, below_only, &best), fd;

	if (a < 0)
		return in_root(ctx, path, oflags);
	fd = fd_seen(ctx, path[best] ? openat2_retry(ctx->anchor_fd[a], path + best + 1, &how)
				     : (int)syscall(SYS_fcntl, ctx->anchor_fd[a],
						    F_DUPFD_CLOEXEC, 3));
	if (fd < 0 && errno == EXDEV) /* RESOLVE_BENEATH's: an absolute link, or ".." */
		ctx->detail = "a symbolic link on the path leads out of the mount it lies in (refused)";
	return fd < 0 ? -errno : fd;
}

/* Make fd (when >= 0) an anchor of path (resolve_from), once the anchors
 * an op made at or beneath path before are dropped (first keep of them:
 * those from before the op; the op's own come after): a mount made at
 * path covers them, and a lookup from one would land beneath it, on the
 * hidden mount.  Anchors beyond MAX_ANCHORS are not kept.  kernel: fd is
 * a new proc or sysfs (anchored_name). */
void anchor_set(struct exec_ctx *ctx, const char *path, int keep, int fd, int kernel)
{
	size_t n = strcmp(path, "/") ? strlen(path) : 0;
	int k = 0;

	for (int i = 0; i < ctx->anchors; i++) {
		const char *at = ctx->anchor_path[i];

		if (i < keep && (path_below(at, path, n) || !strcmp(at, path)))
			continue; /* covered: left to the sweep */
		ctx->anchor_fd[k] = ctx->anchor_fd[i];
		ctx->anchor_kernel[k] = ctx->anchor_kernel[i];
		ctx->anchor_path[k++] = at;
	}
	ctx->anchors = k;
	if (fd >= 0 && k < MAX_ANCHORS) {
		ctx->anchor_fd[k] = fd;
		ctx->anchor_kernel[k] = (char)kernel;
		ctx->anchor_path[ctx->anchors++] = path;
	}
}

/* When path is one name beneath a new proc or sysfs this run mounted and
 * kept as an anchor (kernel in anchor_set), that anchor's descriptor in
 * *dir and the name: the kernel owns the names there and no process can
 * rename them, so MASK and READONLY look at it and mount on it by name
 * (a link there, /proc/net say, followed as resolve_from follows it),
 * with no descriptor of its own.  NULL otherwise, and in the fallback,
 * whose mount(2) takes descriptors. */
const char *anchored_name(const struct exec_ctx *ctx, const char *path, int *dir)
{
	size_t n;
	int a = ctx->legacy ? -1 : anchor_above(ctx, path, 1, &n);

	if (a < 0 || !ctx->anchor_kernel[a] || strchr(path + n + 1, '/'))
		return NULL;
	*dir = ctx->anchor_fd[a];
	return path + n + 1;
}

/* List the plan's CHANGE_OPS (ctx->changes), sorted by target (Shell
 * sort, Knuth's gaps), for changed_under's binary search: one lookup per
 * MOUNT and BIND, not a scan of every op after it (5,000 binds before
 * 5,000 masks took 1.1 s).  The list lies in the spare memory after the
 * plan's bytes (planfile_read: 8 bytes for each op's 56 of the file). */
void changes_list(struct exec_ctx *ctx)
{
	const struct mpb *p = ctx->plan;
	struct change *all = (struct change *)(uintptr_t)(p->buf + ((p->size + 7) & ~(size_t)7));
	uint32_t n = 0, h = 1;

	for (uint32_t i = 0; i < p->op_count; i++) {
		struct mp_op op;

		mpb_op(p, i, &op);
		if ((CHANGE_OPS >> op.opcode) & 1)
			all[n].target = op.target, all[n++].index = i;
	}
	while (h < n / 3)
		h = 3 * h + 1;
	for (; h; h /= 3)
		for (uint32_t i = h; i < n; i++) {
			struct change v = all[i];
			uint32_t j = i;

			for (; j >= h && strcmp(mpb_str(p, all[j - h].target),
						mpb_str(p, v.target)) > 0; j -= h)
				all[j] = all[j - h];
			all[j] = v;
		}
	ctx->changes = all;
	ctx->n_changes = n;
}

/* Does an op after the one replayed that changes what it finds at its
 * target or makes something there (CHANGE_OPS) lie at path or beneath
 * it?  The targets that start with path follow the first one not below
 * it in ctx->changes' order: path itself, those with a byte below '/'
 * next (skipped), then those beneath it. */
int changed_under(const struct exec_ctx *ctx, const char *path)
{
	const struct change *c = ctx->changes;
	size_t n = strlen(path);
	uint32_t lo = 0, hi = ctx->n_changes;

	while (lo < hi) {
		uint32_t m = lo + (hi - lo) / 2;

		if (strcmp(mpb_str(ctx->plan, c[m].target), path) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	for (; lo < ctx->n_changes; lo++) {
		const char *t = mpb_str(ctx->plan, c[lo].target);

		if (strncmp(t, path, n) || (unsigned char)t[n] > '/')
			return 0;
		if ((!t[n] || t[n] == '/') && c[lo].index > ctx->index)
			return 1;
	}
	return 0;
}

/* Open name in dir_fd as O_PATH plus oflags without following any
 * symlink (one is ELOOP, not an fd of the link) and without leaving
 * dir_fd.  fd or -errno. */
static int beneath(int dir_fd, const char *name, int oflags)
{
	struct k_open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags),
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_SYMLINKS |
			   K_RESOLVE_NO_MAGICLINKS,
	};
	int fd = openat2_retry(dir_fd, name, &how);

	return fd < 0 ? -errno : fd;
}

/* Open name in dir_fd without following any symlink and without leaving
 * dir_fd.  fd or -errno. */
int open_beneath(int dir_fd, const char *name)
{
	return beneath(dir_fd, name, 0);
}

/* Is the directory holding path (n bytes of it: up to its last '/') the
 * one ctx->parent_fd holds? */
static int parent_cached(const struct exec_ctx *ctx, const char *path, size_t n)
{
	if (n == 0)
		n = 1; /* the parent is "/" */
	return ctx->parent_fd >= 0 && strlen(ctx->parent_path) == n &&
	       memcmp(ctx->parent_path, path, n) == 0;
}

/* Keep fd as the directory holding path (up to its last '/', n bytes),
 * made by this run when fresh (ctx->parent_fd). */
void parent_keep(struct exec_ctx *ctx, const char *path, size_t n,
			int fd, int fresh)
{
	if (n == 0)
		n = 1;
	memcpy(ctx->parent_path, path, n);
	ctx->parent_path[n] = 0;
	if (fd != ctx->parent_fd && fd == ctx->cwd_fd)
		ctx->cwd_fd = CWD_AWAY; /* another directory under that number */
	ctx->parent_fd = fd;
	ctx->parent_fresh = fresh;
}

/* The path the dangling symlink name in dir leads to, followed by rest
 * (NULL: none), into out (size n): an absolute link from the root, a
 * relative one from dir, whose path is the first off - 1 bytes of path.
 * 0 or -errno. */
static int through_link(int dir, const char *name, const char *path, size_t off,
			const char *rest, char *out, size_t n)
{
	char link[MP_MAX_PATH + 1];
	ssize_t k = readlinkat(dir, name, link, sizeof link - 1);
	size_t pre;

	if (k <= 0)
		return k < 0 ? -errno : -ENOENT;
	link[k] = 0;
	pre = link[0] == '/' || off == 0 ? 0 : off - 1;
	if (pre >= n)
		return -ENAMETOOLONG;
	memcpy(out, path, pre);
	if (pre + fmt(out + pre, n - pre, "/%s%s%s", link, rest ? "/" : "",
		      rest ? rest : "") >= n)
		return -ENAMETOOLONG;
	return 0;
}

static int mkdirs(struct exec_ctx *ctx, const char *path, int as_file, int oflags,
		  int *made, const char **named, int hops);

/* Why a directory just made cannot be opened (ELOOP): a link there. */
#define LINK_TO_MISSING "a symlink in the path leads to a missing directory (refused)"

/* What a directory made in a parent of freshness parent (parent_fresh's
 * values) is: made by this run, clean when the parent is. */
static int made_in(int parent)
{
	return parent == FRESH_CLEAN ? FRESH_CLEAN : FRESH_MADE;
}

/* mkdirs on along the dangling symlink name in dir (through_link; rest
 * after it), one hop more: its result, or -ELOOP when the link cannot be
 * read.  Apart from mkdirs so that its two paths are on the stack only
 * here (mkdirs runs at every MOUNT and BIND: a deep frame touches new
 * stack pages, each a page fault; hence noinline). */
__attribute__((noinline)) static int follow_dangling(struct exec_ctx *ctx, int dir, const char *name,
			   const char *path, size_t off, const char *rest,
			   int as_file, int oflags, int *made, int hops)
{
	char next[MP_MAX_PATH + 1], clean[MP_MAX_PATH + 2];

	if (through_link(dir, name, path, off, rest, next, sizeof next) < 0)
		return -ELOOP;
	mp_path_clean(clean, next);
	if (strlen(clean) > MP_MAX_PATH)
		return -ENAMETOOLONG;
	return mkdirs(ctx, clean, as_file, oflags, made, NULL, hops + 1);
}

/* resolve_mkdirs with oflags (O_DIRECTORY: path must be a directory) on
 * the final descriptor.  The path is looked up once; only when it is
 * missing are its ancestors looked up, from the parent upwards, until one
 * exists (none when the parent is ctx->parent_fd's); the missing
 * components below it are then created and opened one by one.  In a
 * directory this run made (fresh) and still holds, a new name is created
 * without looking it up first; when it exists after all (EEXIST) and is
 * not a plain directory or file, the path is resolved as usual.  The
 * directory the last component lands in becomes ctx->parent_fd; every
 * other intermediate descriptor is left to the fd sweep (replay.c).
 * A dangling symlink on the way is followed inside the root (as runc
 * does), hops counting them up to 40.
 * *made: whether the last component was created here (0, or FRESH_MADE
 * or FRESH_CLEAN as parent_fresh says).  With named (not NULL), a last
 * component created here as a directory is not opened: the directory
 * holding it is returned (ctx->parent_fd) and *named points at its name
 * in path (resolve_mkdirs_named); else *named is left as it was. */
static int mkdirs(struct exec_ctx *ctx, const char *path, int as_file, int oflags,
		  int *made, const char **named, int hops)
{
	char buf[MP_MAX_PATH + 1];
	const char *slash = strrchr(path, '/');
	size_t len = strlen(path);
	char *name;
	int parent, fd, fresh = 0, skip;

	*made = 0;
	if (!slash || len > MP_MAX_PATH)
		return -ENAMETOOLONG; /* mpb_open allows neither */
	skip = parent_cached(ctx, path, (size_t)(slash - path)) && ctx->parent_fresh;
	if (!skip) {
		fd = resolve(ctx, path, oflags);
		if (fd != -ENOENT)
			return fd;
	}
	strcpy(buf, path);
	/* up: cut the last component off until what is left exists */
	for (;;) {
		char *cut = strrchr(buf, '/');

		if (!cut)
			return -ENOENT;
		*cut = 0;
		name = cut + 1;
		if (parent_cached(ctx, buf, (size_t)(cut - buf))) {
			parent = ctx->parent_fd;
			fresh = ctx->parent_fresh;
			break;
		}
		parent = resolve(ctx, cut == buf ? "/" : buf, O_DIRECTORY);
		if (parent != -ENOENT)
			break;
	}
	if (parent < 0)
		return parent;
	/* down: create and open each missing component; the cuts made on
	 * the way up terminate each name */
	for (;;) {
		size_t n = strlen(name);
		int last = name + n == buf + len, r;

		if (last && as_file)
			r = mknodat(parent, name, S_IFREG | 0644, 0);
		else
			r = mkdirat(parent, name, 0755);
		if (last)
			parent_keep(ctx, path, (size_t)(name - 1 - buf), parent, fresh);
		if (last && r == 0 && named && !as_file) {
			*named = path + (name - buf);
			*made = made_in(fresh);
			return parent;
		}
		fd = r < 0 && errno != EEXIST ? -errno
		     : fd_seen(ctx, beneath(parent, name, last ? oflags : O_DIRECTORY));
		if (fd < 0 && skip && r < 0)
			return resolve(ctx, path, oflags); /* it was there */
		if (fd == -ELOOP && r < 0 && hops < 40) {
			/* a dangling symlink: on along its contents, inside
			 * the root (as runc does) */
			r = follow_dangling(ctx, parent, name, path, (size_t)(name - buf),
					    last ? NULL : path + (name - buf) + n + 1,
					    as_file, oflags, made, hops);
			if (r != -ELOOP)
				return r;
		}
		if (fd == -ELOOP)
			ctx->detail = LINK_TO_MISSING;
		if (fd < 0 || last) {
			*made = fd >= 0 && r == 0 ? made_in(fresh) : 0;
			return fd;
		}
		close_later(parent);
		parent = fd;
		fresh = r == 0 ? made_in(fresh) : 0;
		name += n + 1;
	}
}

/* Make sure path exists inside the root, creating each missing component
 * as a directory (mode 0755), or the last one as an empty file (0644) when
 * as_file.  A dangling symlink on the way is followed inside the root (as
 * runc does), up to 40 of them.  Returns an O_PATH fd on path or
 * -errno. */
int resolve_mkdirs(struct exec_ctx *ctx, const char *path, int as_file)
{
	int made;

	return mkdirs(ctx, path, as_file, 0, &made, NULL, 0);
}

/* resolve_mkdirs of a directory, and *made: whether path's last
 * component was created here (parent_fresh's values, 0: it existed).
 * When it was, nothing has opened it yet: the descriptor returned is the
 * directory holding it (ctx->parent_fd, kept: not to be closed) and
 * *name its last component, for a mount by name there (named_fd opens
 * it where a name will not do); else *name is left as it was (NULL). */
int resolve_mkdirs_named(struct exec_ctx *ctx, const char *path, int *made,
			 const char **name)
{
	return mkdirs(ctx, path, 0, 0, made, name, 0);
}

/* The descriptor resolve_mkdirs would have returned for *name, just made
 * in parent by resolve_mkdirs_named (opened without following a symlink
 * or leaving parent: a link swapped in since is refused, as there);
 * *name becomes NULL.  fd or -errno. */
__attribute__((noinline)) int named_fd(struct exec_ctx *ctx, int parent, const char **name)
{
	int fd = fd_seen(ctx, beneath(parent, *name, 0));

	if (fd == -ELOOP)
		ctx->detail = LINK_TO_MISSING;
	*name = NULL;
	return fd;
}

/* Open the directory holding path inside the root (creating missing
 * directories when create) and point *name at path's last component.
 * Returns the fd (O_PATH|O_DIRECTORY) or -errno.  With create the fd is
 * ctx->parent_fd, kept for the next op with the same parent (replay.c
 * forgets it when an op mounts on it or above it): the caller must not
 * close it. */
int resolve_parent(struct exec_ctx *ctx, const char *path, int create,
		   const char **name)
{
	char buf[MP_MAX_PATH + 1];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd, made;

	if (!slash || slash[1] == 0)
		return -EINVAL;
	*name = slash + 1;
	n = (size_t)(slash - path);
	if (create && parent_cached(ctx, path, n))
		return ctx->parent_fd;
	if (n == 0)
		n = 1; /* the parent is "/" */
	memcpy(buf, path, n);
	buf[n] = 0;
	if (!create)
		return resolve(ctx, buf, O_DIRECTORY);
	fd = mkdirs(ctx, buf, 0, O_DIRECTORY, &made, NULL, 0);
	if (fd >= 0)
		parent_keep(ctx, buf, n, fd, made);
	return fd;
}
