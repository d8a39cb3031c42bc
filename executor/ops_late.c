/*
 * ops_late.c: the ops after PIVOT (MASK, HOLE_SAVE, READONLY,
 * HOLE_RESTORE, UMASK, CHDIR) and SETATTR, which may stand anywhere.
 * A missing target of MASK, HOLE_SAVE and READONLY is skipped, and
 * --trace says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

/* r, a lookup's result, with -ENOENT made 0 and ctx->note set: a
 * missing target is skipped. */
static int skip_missing(struct exec_ctx *ctx, int r)
{
	if (r != -ENOENT)
		return r;
	ctx->note = "skipped: missing";
	return 0;
}

/* Resolve op's target (resolve: from the mount the plan made for
 * it, where there is one); missing: 0 (skip_missing). */
static int target_or_skip(struct exec_ctx *ctx, const struct mp_op *op)
{
	return skip_missing(ctx, resolve(ctx, mpb_str(ctx->plan, op->target), 0));
}

/* The masks' tmpfs, mounted on the first masked directory and found
 * again by its path (mnt_new, MNT_NEW_SB_RO): every later masked
 * directory gets a bind of what is found, so it must be a read-only tmpfs
 * (what was just mounted: another process renaming the rootfs's
 * directories meanwhile could put one of its own there, which is
 * neither; any read-only tmpfs masks as well).  0 or -errno. */
static int mask_tmpfs(struct exec_ctx *ctx, int fd, const char *target)
{
	struct statfs sf;
	int r = mnt_new(ctx, "tmpfs", "tmpfs", NULL, MP_ATTR_RDONLY, MNT_NEW_SB_RO, fd, NULL,
			target, &ctx->mask_fd);

	if (r < 0 || (fstatfs(ctx->mask_fd, &sf) == 0 && sf.f_type == K_TMPFS_MAGIC &&
		      (sf.f_flags & ST_RDONLY)))
		return r;
	ctx->detail = "the masked directory was replaced while it was mounted on (refused)";
	close_later(ctx->mask_fd);
	ctx->mask_fd = -1;
	return -EBUSY;
}

/* MASK: a directory gets a read-only empty tmpfs; anything else a bind of
 * the container's /dev/null, checked on its descriptor to be char 1:3.
 * All masked directories share one tmpfs, as runc does: the first gets a
 * new one (read-only, superblock and mount, as runc makes it), the others
 * a bind of it (ctx->mask_fd; a bind keeps the mount's read-only).  One
 * name beneath a new proc or sysfs (anchored_name: runc-default's) is
 * looked at and bound onto by name, except the first directory. */
int op_mask(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	struct mnt_attrs at = { .userns_fd = -1 };
	struct stat st;
	int dir, fd = -1, r;

	at.name = anchored_name(ctx, target, &dir);
	at.follow = 1;
	if (at.name) {
		if (k_fstatat(dir, at.name, &st, 0) < 0)
			return skip_missing(ctx, -errno);
	} else {
		dir = fd = target_or_skip(ctx, op);
		if (fd <= 0)
			return fd;
		if (k_fstat(fd, &st) < 0) {
			close_later(fd);
			return -errno;
		}
	}
	if (S_ISDIR(st.st_mode) && ctx->mask_fd >= 0) {
		r = mnt_bind(ctx, ctx->mask_fd, "", dir, target, 0, &at);
	} else if (S_ISDIR(st.st_mode)) {
		/* the first: its tmpfs goes on a descriptor, found again */
		if (fd < 0 && (fd = target_or_skip(ctx, op)) <= 0)
			return fd;
		r = mask_tmpfs(ctx, fd, target);
	} else if ((r = container_devnull(ctx)) >= 0)
		r = mnt_bind(ctx, r, "", dir, target, 0, &at);
	close_later(fd);
	return r;
}

/* The hole op's target, beneath its read-only path: the READONLY next
 * to it (mpb_hole_readonly, which the decoder checked), whose target is
 * resolved as READONLY resolves it, then the rest of the hole beneath it
 * without following any symlink.  The tree made read-only may be a
 * shared volume or the image: a link there ("sub -> ..", "-> /") would
 * make the hole the read-only path itself, or any other, and the clone
 * put back there writable.  fd; 0 (ctx->note) when missing; -errno,
 * -ELOOP with ctx->detail for a link. */
static int hole_target(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *hole = mpb_str(ctx->plan, op->target), *ro_path;
	struct mp_op ro;
	size_t n;
	int top, fd;

	mpb_op(ctx->plan, mpb_hole_readonly(ctx->plan, ctx->index), &ro);
	ro_path = mpb_str(ctx->plan, ro.target);
	n = strcmp(ro_path, "/") ? strlen(ro_path) : 0;
	top = target_or_skip(ctx, &ro);
	if (top <= 0)
		return top;
	fd = skip_missing(ctx, fd_seen(ctx, open_beneath(top, hole + n + 1)));
	close_later(top);
	if (fd == -ELOOP)
		ctx->detail = "a symbolic link beneath the read-only path (refused)";
	return fd;
}

/* HOLE_SAVE: clone the tree at target (hole_target) into the op's slot
 * (with mount(2) only: keep a descriptor of the still writable
 * directory, to bind from). */
int op_hole_save(struct exec_ctx *ctx, const struct mp_op *op)
{
	int fd = hole_target(ctx, op), t;

	if (fd <= 0)
		return fd;
	t = mnt_clone(ctx, fd, "", 1);
	if (t == -ENOSYS) {
		t = fd; /* mount(2) fallback: keep the rw tree's directory */
	} else {
		close_later(fd);
		if (t < 0)
			return t;
	}
	if (ctx->slots[op->aux] >= 0)
		close(ctx->slots[op->aux]);
	ctx->slots[op->aux] = t;
	return 0;
}

/* READONLY: bind target's tree onto itself, read-only throughout.  It
 * covers the mounts there: the ops after it at or beneath target are
 * resolved from its root (an anchor; replay drops those it covers).  One
 * name beneath a new proc or sysfs (anchored_name) is cloned and bound
 * onto by name. */
int op_readonly(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	int root = -1, dir, fd = -1, r;
	struct mnt_attrs ro = { .set = MP_ATTR_RDONLY, .recursive = 1, .userns_fd = -1,
				.root = &root };

	ro.name = anchored_name(ctx, target, &dir);
	ro.follow = 1;
	if (ro.name) {
		r = mnt_bind(ctx, dir, ro.name, dir, target, 1, &ro);
		if (r == -ENOENT)
			return skip_missing(ctx, r);
	} else {
		fd = target_or_skip(ctx, op);
		if (fd <= 0)
			return fd;
		r = mnt_bind(ctx, fd, "", fd, target, 1, &ro);
	}
	if (r == 0 && changed_under(ctx, target))
		anchor_set(ctx, target, 0, root, 0);
	close_later(fd);
	return r;
}

/* HOLE_RESTORE: attach the slot's clone at target again, on the very
 * directory saved (device and inode): a rename between the two (the
 * volume's writer) cannot have it attached elsewhere. */
int op_hole_restore(struct exec_ctx *ctx, const struct mp_op *op)
{
	int t = ctx->slots[op->aux], fd, r;
	struct stat a, b;

	if (t < 0) {
		ctx->note = "skipped: nothing saved";
		return 0;
	}
	fd = hole_target(ctx, op);
	if (fd <= 0)
		return fd < 0 ? fd : -ENOENT; /* there when saved */
	if (k_fstat(fd, &a) < 0 || k_fstat(t, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		ctx->detail = "the hole was replaced since it was saved (refused)";
		return -EBUSY;
	}
	if (ctx->legacy)
		r = mnt_bind(ctx, t, "", fd, mpb_str(ctx->plan, op->target), 1, NULL);
	else
		r = mnt_attach(t, fd, NULL, 0);
	close_later(fd);
	close_later(t);
	ctx->slots[op->aux] = -1;
	return r;
}

/* SETATTR: attributes and propagation of the mount at target. */
int op_setattr(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	/* "/" is the root itself: no lookup */
	int fd = strcmp(target, "/") == 0 ? ctx->root_fd : resolve(ctx, target, 0), r;

	if (fd < 0)
		return fd;
	r = mnt_setattr(ctx, fd, op->attr_set, op->attr_clr, op->propagation,
			!!(op->flags & MP_F_ATTR_RECURSIVE), -1);
	close_later(fd);
	return r;
}

/* UMASK: the umask the command starts with. */
int op_umask(struct exec_ctx *ctx, const struct mp_op *op)
{
	umask((mode_t)op->mode);
	ctx->umask_set = 1;
	return 0;
}

/* CHDIR: the directory the command starts in (held in ctx->home_fd, so
 * a later mount(2) fallback, which works from the host's self/fd, can
 * come back to it). */
int op_chdir(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	/* "/" is the root itself: no lookup */
	int fd = strcmp(target, "/") == 0 ? ctx->root_fd
					  : resolve(ctx, target, O_DIRECTORY), r;

	if (fd < 0)
		return fd;
	r = cwd_home(ctx, fd);
	ctx->home_fd = fd == ctx->root_fd ? -1 : fd;
	return r;
}
