/*
 * ops_setup.c: the ops that build the tree before PIVOT: ROOTFS, MOUNT,
 * BIND, CGROUP, and PIVOT itself.  Semantics: executor/mp_ops.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define STATX_MNT_ID_MASK 0x1000u        /* STATX_MNT_ID */
#define STATX_MNT_ID_UNIQUE_MASK 0x4000u /* STATX_MNT_ID_UNIQUE (Linux 6.8) */
#define STATX_MNT_ID_OFFSET 144          /* stx_mnt_id in struct statx */

/* The mount id of the kind mask asks for (STATX_MNT_ID*) of what fd
 * names, or 0 when the kernel does not give that kind. */
static uint64_t statx_mount_id(int fd, uint32_t mask)
{
	uint64_t buf[32] = { 0 }; /* struct statx: 256 bytes */
	uint32_t got;
	uint64_t id;

	if (syscall(SYS_statx, fd, "", K_AT_EMPTY_PATH, mask, buf) < 0)
		return 0;
	memcpy(&got, buf, sizeof(got)); /* stx_mask */
	memcpy(&id, (char *)buf + STATX_MNT_ID_OFFSET, sizeof(id));
	return got & mask ? id : 0;
}

/* The mount id of what fd names, or 0 when unknown. */
uint64_t mount_id(int fd)
{
	return statx_mount_id(fd, STATX_MNT_ID_MASK);
}

/* The unique (never reused) mount id of what fd names, as listmount(2)
 * takes it, or 0 when the kernel has none (before Linux 6.8). */
uint64_t mount_id_unique(int fd)
{
	return statx_mount_id(fd, STATX_MNT_ID_UNIQUE_MASK);
}

/* Make the mount holding dir_fd private (non-recursively): walk up with
 * ".." while the mount id stays the same to find that mount's root.  Only
 * needed under a shared root propagation: after rslave/rprivate nothing
 * is shared.  0 or -errno. */
static int make_parent_private(struct exec_ctx *ctx, int dir_fd)
{
	uint64_t id = mount_id(dir_fd);
	/* a second descriptor of dir_fd (openat, not fcntl: no musl fcntl linked) */
	int cur = openat(dir_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (cur < 0)
		return -errno;
	for (int depth = 0; id && depth < 4096; depth++) {
		int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct stat a, b;

		if (up < 0)
			break;
		if (mount_id(up) != id || (k_fstat(up, &a) == 0 && k_fstat(cur, &b) == 0 &&
					    a.st_ino == b.st_ino && a.st_dev == b.st_dev)) {
			close(up);
			break;
		}
		close(cur);
		cur = up;
	}
	r = mnt_setattr(ctx, cur, 0, 0, MP_PROP_PRIVATE, 0, -1);
	close(cur);
	return r;
}

/* After ROOTFS's propagation prop on "/", may a mount of the namespace
 * still be shared?  Not after a recursive slave, private or unbindable. */
static int may_share(uint32_t prop)
{
	return !(prop & MP_PROP_REC) || (prop & MP_PROP_SHARED) || !(prop & ~MP_PROP_REC);
}

/* Set the propagation prop (MP_PROP_*: the MS_* bits) of "/", the
 * executor's root, and with MP_PROP_REC of every mount beneath it, by
 * mount(2) on that path: "/" names the process's root, which nothing in
 * the rootfs reaches, so it needs no descriptor (one call, where openat
 * and mount_setattr were two).  0 or -errno. */
static int root_propagation(uint32_t prop)
{
	if (!(prop & ~MP_PROP_REC))
		return 0;
	return mount(NULL, "/", NULL, prop, NULL) < 0 ? -errno : 0;
}

/* ROOTFS (v2) with a filesystem type: a new instance of it stacked on the
 * namespace's "/" (private first under a shared propagation, so it
 * cannot reach the host's "/"), kept as the root of every later
 * resolution.  Lookups from the executor's root still start below it, on
 * the host.  0 or -errno. */
static int fresh_root(struct exec_ctx *ctx, const struct mp_op *op)
{
	const struct mpb *p = ctx->plan;
	int top, m, r = 0;

	top = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return -errno;
	if ((op->propagation & ~MP_PROP_REC) == MP_PROP_SHARED)
		r = make_parent_private(ctx, top);
	m = r < 0 ? r : mnt_make(ctx, mpb_str(p, op->fstype), mpb_str(p, op->source),
				 mpb_str(p, op->data), op->attr_set);
	if (m == -ENOSYS)
		ctx->detail = "a new filesystem as the root needs fsmount (Linux 5.2)";
	if (m >= 0) {
		r = mnt_attach(m, top, NULL, 0);
		if (r == 0)
			ctx->root_fd = m;
		else
			close(m);
	}
	close(top);
	return m < 0 ? m : r;
}

/* ROOTFS: enter the namespace(s), set the root propagation, make the
 * rootfs's parent mount private when shared, bind the rootfs onto itself
 * and keep the bind as the root of every later resolution (or, v2, make
 * the root a new filesystem: fresh_root). */
int op_rootfs(struct exec_ctx *ctx, const struct mp_op *op)
{
	int r, t;

	r = namespaces_prepare(ctx);
	if (r < 0)
		return r;
	if (ctx->userns)
		r = userns_enter(ctx);
	else
		r = unshare(CLONE_NEWNS) < 0 ? -errno : 0;
	if (r == 0)
		r = pidns_enter(ctx, op); /* with a pid namespace: the child */
	if (r < 0)
		return r;
	ctx->shared = may_share(op->propagation);
	r = root_propagation(op->propagation);
	if (r < 0 || ctx->fresh)
		return r < 0 ? r : fresh_root(ctx, op);
	/* after unshare: a descriptor from before names the caller's mount */
	ctx->rootfs_fd = openat(AT_FDCWD, ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->rootfs_fd < 0)
		return -errno;
	if (r == 0 && (op->propagation & ~MP_PROP_REC) == MP_PROP_SHARED)
		r = make_parent_private(ctx, ctx->rootfs_fd);
	if (r < 0)
		return r;
	t = mnt_clone(ctx, ctx->rootfs_fd, "", 1);
	if (t >= 0) {
		r = mnt_attach(t, ctx->rootfs_fd, NULL, 0);
		if (r < 0)
			return r;
		ctx->root_fd = t;
		return 0;
	}
	if (t != -ENOSYS)
		return t;
	r = mnt_legacy(ctx, NULL, ctx->rootfs_fd, ctx->rootfs_fd, NULL,
		       MS_BIND | MS_REC, NULL);
	if (r < 0)
		return r;
	ctx->root_fd = openat(AT_FDCWD, ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return ctx->root_fd < 0 ? -errno : 0;
}

/* Resolve an op's target inside the root, creating it when the op has
 * MP_F_MKDIR (as a file when as_file).  fd or -errno. */
static int target_fd(struct exec_ctx *ctx, const struct mp_op *op, int as_file)
{
	const char *target = mpb_str(ctx->plan, op->target);

	if (op->flags & MP_F_MKDIR)
		return resolve_mkdirs(ctx, target, as_file);
	return resolve(ctx, target, 0);
}

/* The target of a proc or sysfs MOUNT, looked up without following any
 * symlink in the rootfs (as runc and crun refuse one: the kernel would
 * mount it wherever the link points, not where the plan and its table
 * say), created when missing.  fd or -errno (-ELOOP for a symlink). */
static int real_directory(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_SYMLINKS | K_RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*target == '/')
		target++;
	fd = fd_seen(ctx, sys_openat2(ctx->root_fd, target, &how));
	if (fd >= 0)
		return fd;
	if (errno == ELOOP) {
		ctx->detail = "a symlink in the rootfs (proc and sysfs go only on a real directory)";
		return -ELOOP;
	}
	return errno == ENOENT ? target_fd(ctx, op, 0) : -errno;
}

/* The value of the comma-separated data's last parameter key= (the one
 * the kernel keeps), or NULL when data has none. */
static const char *param_value(const char *data, const char *key)
{
	size_t n = strlen(key);
	const char *v = NULL;

	for (const char *w = data; w && *w; w = strchr(w, ',') ? strchr(w, ',') + 1 : NULL)
		if (strncmp(w, key, n) == 0)
			v = w + n;
	return v;
}

/* Does the comma-separated data hold a parameter key= ? */
static int has_param(const char *data, const char *key)
{
	return param_value(data, key) != NULL;
}

/* Is a tmpfs made with data's root setgid (its mode= octal has 02000; no
 * mode=: tmpfs's 1777)?  Then what is made in it takes the root's group,
 * not the executor's (node_make). */
static int tmpfs_sgid(const char *data)
{
	const char *v = param_value(data, "mode=");
	unsigned mode = 0;

	while (v && *v >= '0' && *v <= '7')
		mode = mode << 3 | (unsigned)(*v++ - '0');
	return (mode & S_ISGID) != 0;
}

/* The data of a tmpfs without mode= over the existing directory fd (in
 * buf of size): the directory's mode (setgid and sticky bits included)
 * and, unless data names them, its owner, as runc and crun do, so the
 * mount does not change what the image says about the directory (one the
 * executor creates keeps the tmpfs defaults, 1777 root).  Under --userns
 * only the mode (the owner may have no id there).  data itself when
 * nothing is added. */
static const char *tmpfs_data(const struct exec_ctx *ctx, const char *data, int fd,
			      char *buf, size_t size)
{
	struct stat st;
	size_t n;

	if (k_fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
		return data;
	n = fmt(buf, size, "%s", data ? data : "");
	if (n < size)
		n += fmt(buf + n, size - n, "%smode=%o", n ? "," : "",
			 (unsigned)(st.st_mode & 07777));
	if (ctx->userns) /* --userns: the owner may be unmapped here */
		return n < size ? buf : data;
	if (n < size && !has_param(data, "uid="))
		n += fmt(buf + n, size - n, ",uid=%u", (unsigned)st.st_uid);
	if (n < size && !has_param(data, "gid="))
		n += fmt(buf + n, size - n, ",gid=%u", (unsigned)st.st_gid);
	return n < size ? buf : data;
}

/* Does the op after the one replayed lie beneath the directory path? */
static int next_beneath(const struct exec_ctx *ctx, const char *path)
{
	struct mp_op next;
	const char *t;
	size_t n = strlen(path);

	if (ctx->index + 1 >= ctx->plan->op_count)
		return 0;
	mpb_op(ctx->plan, ctx->index + 1, &next);
	t = mpb_str(ctx->plan, next.target);
	return path_below(t, path, n);
}

/* After mounting what (a directory when is_dir: a new filesystem's
 * root, a bind's source) on fd, the resolved target, or on name in fd
 * (not NULL: a directory just made there, which a renaming process may
 * have replaced with a link or a file), failed with r: when the
 * kernel's EINVAL or ENOTDIR is a mount point of the other type, say so
 * in ctx->detail instead (an fstat on the error path only).  r. */
static int other_type(struct exec_ctx *ctx, int r, int fd, const char *name,
		      const char *target, int is_dir, const char *what)
{
	struct stat st;

	if ((r == -EINVAL || r == -ENOTDIR) &&
	    k_fstatat(fd, name ? name : "", &st, name ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH) == 0 &&
	    !S_ISDIR(st.st_mode) != !is_dir) {
		fmt(ctx->why, sizeof ctx->why, "mount point %s is a %s in the image, the %s is a %s",
		    target, is_dir ? "file" : "directory", what, is_dir ? "directory" : "file");
		ctx->detail = ctx->why;
	}
	return r;
}

/* MOUNT: a new filesystem instance on the target, with the op's
 * propagation set on its root.  When a later op changes or makes
 * something at or beneath it (changed_under: runc-default's /proc, /sys
 * and /dev), its root is kept as an anchor every path there is resolved
 * from (resolve).  A new tmpfs (nothing copied up) is empty:
 * when the next op lies beneath it, its root is kept as a directory this
 * run made, so missing names there are created without a failed lookup
 * first (and nodes made there need no ACL removed).  That root comes
 * from mnt_new: the new mount's own descriptor, or found again by the
 * target's path and checked to be the new mount (a process renaming the
 * rootfs's directories could have put another one there meanwhile). */
int op_mount(struct exec_ctx *ctx, const struct mp_op *op)
{
	const struct mpb *p = ctx->plan;
	const char *fstype = mpb_str(p, op->fstype), *data = mpb_str(p, op->data);
	char buf[1024], label_free[1024];
	const char *target = mpb_str(p, op->target), *name = NULL;
	int made = 1, fd, r, root = -1, keep, anchor;
	int kernel_fs = strcmp(fstype, "proc") == 0 || strcmp(fstype, "sysfs") == 0;

	if ((op->flags & MP_F_LABEL) && access("/sys/fs/selinux/enforce", F_OK) < 0) {
		/* no SELinux here: the label means nothing (crun drops it) */
		size_t n = (size_t)(mp_label_param(data) - data);

		if (n >= sizeof label_free)
			return -E2BIG;
		memcpy(label_free, data, n);
		label_free[n ? n - 1 : 0] = 0; /* and the comma before it */
		data = label_free;
	}
	if (kernel_fs)
		fd = real_directory(ctx, op);
	else if (op->flags & MP_F_MKDIR)
		fd = resolve_mkdirs_named(ctx, target, &made, &name);
	else
		fd = resolve(ctx, target, 0);
	if (!(op->flags & MP_F_MKDIR))
		made = 0;
	keep = !(op->flags & MP_F_TMPCOPYUP) && strcmp(fstype, "tmpfs") == 0 &&
	       next_beneath(ctx, target);
	anchor = ctx->anchors < MAX_ANCHORS && changed_under(ctx, target);
	/* a name just made in a directory only this run reaches is mounted
	 * on from there by mount(2) (mnt_new); anywhere else, and where
	 * the target's descriptor may be wanted after the mount or
	 * mnt_new would take fsmount (the new root kept or found again by
	 * it, a copy from it, read-only), it is opened, as before */
	if (fd >= 0 && name && (made != FRESH_CLEAN || keep || anchor || op->propagation ||
				(op->flags & MP_F_TMPCOPYUP) || (op->attr_set & MP_ATTR_RDONLY)))
		fd = named_fd(ctx, fd, &name);
	if (fd < 0)
		return fd;
	if (!made && strcmp(fstype, "tmpfs") == 0 && !has_param(data, "mode="))
		data = tmpfs_data(ctx, data, fd, buf, sizeof buf);
	r = mnt_new(ctx, fstype, mpb_str(p, op->source), data, op->attr_set,
		    op->flags & MP_F_TMPCOPYUP ? MNT_NEW_COPYUP : 0, fd, name, target,
		    keep || anchor || op->propagation ? &root : NULL);
	r = other_type(ctx, r, fd, name, target, 1, fstype);
	close_later(fd);
	if (r == 0 && op->propagation)
		r = mnt_setattr(ctx, root, 0, 0, op->propagation, 0, -1);
	if (r == 0 && anchor)
		anchor_set(ctx, target, 0, root, kernel_fs);
	if (r == 0 && keep) { /* the new root: empty, made by this run */
		parent_keep(ctx, target, strlen(target), root, FRESH_CLEAN);
		ctx->clean_sgid = tmpfs_sgid(data);
	} else if (!anchor) {
		close_later(root);
	}
	return r;
}

/* BIND with copy-symlink of a source that is a symlink (src, O_PATH of
 * the link): the same link at the target (link_make: its directory
 * created; an existing link with the same contents is accepted), no
 * mount.  0 or -errno. */
static int copy_symlink(struct exec_ctx *ctx, const struct mp_op *op, int src)
{
	char link[MP_MAX_PATH + 1];
	ssize_t n = readlinkat(src, "", link, sizeof link - 1);

	if (n < 0)
		return -errno;
	link[n] = 0;
	ctx->note = "copied the symlink";
	return link_make(ctx, mpb_str(ctx->plan, op->target), link);
}

/* Name, in ctx->detail, the first component of path that is a symlink. */
static void name_symlink(struct exec_ctx *ctx, const char *path)
{
	char prefix[MP_MAX_PATH + 1];
	struct stat st;

	for (const char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		memcpy(prefix, path, (size_t)(p - path));
		prefix[p - path] = 0;
		if (k_fstatat(AT_FDCWD, prefix, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			fmt(ctx->why, sizeof ctx->why, "source component %s is a symbolic "
			    "link (refused; follow-symlinks: true follows it)", prefix);
			ctx->detail = ctx->why;
			return;
		}
		if (!*p)
			return;
	}
}

/* Open op's bind source on the host (O_PATH): without following a symlink
 * in any component (a shared volume cannot swap a directory for a link to
 * a host secret: CVE-2017-1002101, CVE-2021-25741), or, with MP_F_FOLLOW,
 * as mount(8) does.  A directory first (the usual source: *dir says so,
 * and its type needs no fstat).  fd, or -1 with errno (ELOOP naming the
 * link in ctx->detail). */
static int open_source(struct exec_ctx *ctx, const struct mp_op *op, int *dir)
{
	const char *source = mpb_str(ctx->plan, op->source);
	/* src-nofollow, copy-symlink (v2): a symlink source itself */
	uint64_t nofollow = op->flags & (MP_F_SRC_NOFOLLOW | MP_F_COPY_SYMLINK) ? O_NOFOLLOW : 0;
	struct k_open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC | nofollow,
		.resolve = op->flags & MP_F_FOLLOW ? 0 : K_RESOLVE_NO_SYMLINKS,
	};
	int fd = openat2_retry(AT_FDCWD, source, &how);

	*dir = fd >= 0;
	if (fd < 0 && errno == ENOTDIR) {
		how.flags = O_PATH | O_CLOEXEC | nofollow;
		fd = openat2_retry(AT_FDCWD, source, &how);
	}
	if (fd < 0 && errno == ELOOP && !(op->flags & MP_F_FOLLOW)) {
		name_symlink(ctx, source);
		errno = ELOOP;
	}
	return fd;
}

/* BIND: the host path source onto the target, with attributes, an idmap
 * and propagation.  When a later op changes or makes something at or
 * beneath the target (changed_under), the bind's root is kept as an
 * anchor every path there is resolved from (resolve), as a MOUNT's is: a
 * process renaming the image's directories moves the bind with its
 * directory, and a lookup by path would land on the image's directory
 * instead (a volume left writable, its secret unmasked). */
int op_bind(struct exec_ctx *ctx, const struct mp_op *op)
{
	const struct mpb *p = ctx->plan;
	const char *target = mpb_str(p, op->target);
	struct mnt_attrs at = {
		.set = op->attr_set,
		.clr = op->attr_clr,
		.recursive = !!(op->flags & MP_F_ATTR_RECURSIVE),
		.userns_fd = -1,
		.propagation = op->propagation,
	};
	struct stat st;
	int src, fd, r, dir, root = -1, made;
	int anchor = ctx->anchors < MAX_ANCHORS && changed_under(ctx, target);

	if (anchor)
		at.root = &root;
	src = fd_seen(ctx, open_source(ctx, op, &dir));
	if (src < 0) {
		if (errno == ENOENT && (op->flags & MP_F_OPTIONAL)) {
			ctx->note = "skipped: source missing";
			return 0;
		}
		return -errno;
	}
	if (!dir && k_fstat(src, &st) < 0)
		return -errno;
	if (!dir && (op->flags & MP_F_COPY_SYMLINK) && S_ISLNK(st.st_mode)) {
		r = copy_symlink(ctx, op, src);
		close_later(src);
		return r;
	}
	fd = -ENOENT;
	if (op->flags & MP_F_DEST_NOFOLLOW) /* a symlink there is the mount point */
		fd = resolve(ctx, mpb_str(p, op->target), O_NOFOLLOW);
	if (fd == -ENOENT && dir && (op->flags & MP_F_MKDIR) && !ctx->legacy) {
		/* a directory just made, in the image's directories too, is
		 * attached to by name, a link there never followed: what a
		 * renaming process puts at the name is refused or covered,
		 * the mount stays at the name (doc/executor.md, Tenth pass) */
		fd = resolve_mkdirs_named(ctx, target, &made, &at.name);
	} else if (fd == -ENOENT) {
		fd = target_fd(ctx, op, !dir && !S_ISDIR(st.st_mode));
	}
	if (fd < 0)
		return fd;
	race_pause("MP_BIND_PAUSE_US");
	r = 0;
	if (op->flags & MP_F_IDMAP) {
		at.userns_fd = userns_for_idmap(ctx, mpb_str(p, op->data));
		r = at.userns_fd < 0 ? at.userns_fd : 0;
	}
	if (r == 0)
		r = other_type(ctx, mnt_bind(ctx, src, "", fd, target, !!(op->flags & MP_F_RECURSIVE), &at),
			       fd, at.name, target, dir || S_ISDIR(st.st_mode), "source");
	if (r == 0 && anchor)
		anchor_set(ctx, target, 0, root, 0);
	close_later(at.userns_fd);
	close_later(fd);
	close_later(src);
	return r;
}

/* Bind the caller's own cgroup of one v1 hierarchy (line of
 * /proc/self/cgroup: "N:controllers:path") read-only under top, the tmpfs
 * at target.  Hierarchies the host does not mount under /sys/fs/cgroup
 * are skipped.  0 or -errno. */
static int bind_controller(struct exec_ctx *ctx, int top, const char *target,
			   char *line, uint32_t attrs)
{
	struct mnt_attrs at = { .set = attrs | MP_ATTR_RDONLY, .userns_fd = -1 };
	char *ctrl = strchr(line, ':'), *path, *dir;
	char src[MP_MAX_PATH + 1], dst[MP_MAX_PATH + 1];
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_SYMLINKS,
	};
	int fd, r;

	if (!ctrl || !(path = strchr(++ctrl, ':')))
		return 0;
	*path++ = 0;
	dir = strncmp(ctrl, "name=", 5) == 0 ? ctrl + 5 : *ctrl ? ctrl : "unified";
	if (!*dir || strchr(dir, '/'))
		return 0;
	if (!mp_path_is_clean(path)) {
		/* a cgroup outside the cgroup namespace's root is shown as a
		 * path up from it ("/../../x"): joined to the hierarchy's
		 * directory it climbs out of /sys/fs/cgroup, up to the host's
		 * "/", which would then be bound into the container */
		ctx->detail = "the caller's cgroup lies outside its cgroup namespace (a path "
			      "with \"..\"): its bind would reach above the hierarchy (refused)";
		return -EXDEV;
	}
	if (fmt(src, sizeof src, "/sys/fs/cgroup/%s%s", dir,
			     strcmp(path, "/") ? path : "") >= sizeof src ||
	    fmt(dst, sizeof dst, "%s/%s", target, dir) >= sizeof dst)
		return -ENAMETOOLONG;
	if (mkdirat(top, dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat2_retry(top, dir, &how);
	if (fd < 0)
		return -errno;
	r = mnt_bind(ctx, AT_FDCWD, src, fd, dst, 0, &at);
	close(fd);
	if (r == -ENOENT) {
		/* the host does not mount this hierarchy there: skip it (an
		 * error here is cheaper than an access() for every one) */
		unlinkat(top, dir, AT_REMOVEDIR);
		return 0;
	}
	/* "cpu" -> "cpu,cpuacct", as the host names co-mounted controllers */
	for (char *c = dir; r == 0 && strchr(dir, ',') && c;) {
		char *comma = strchr(c, ',');
		char name[64];
		size_t n = comma ? (size_t)(comma - c) : strlen(c);

		if (n > 0 && n < sizeof name) {
			memcpy(name, c, n);
			name[n] = 0;
			if (symlinkat(dir, top, name) < 0 && errno != EEXIST)
				r = -errno;
		}
		c = comma ? comma + 1 : NULL;
	}
	return r;
}

/* CGROUP: cgroup2 on a unified host (bind of the host's hierarchy on
 * EPERM/EBUSY); otherwise a tmpfs holding read-only binds of the caller's
 * own cgroups, then the op's attributes over the whole tree. */
int op_cgroup(struct exec_ctx *ctx, const struct mp_op *op)
{
	const char *target = mpb_str(ctx->plan, op->target);
	int recursive = !!(op->flags & MP_F_ATTR_RECURSIVE);
	struct statfs sf;
	/* ~16 hierarchies, each path up to 4 KiB; static: on the stack its 64
	 * KiB would put every callee on pages not touched before (faults) */
	static char cgroups[65536];
	int fd, top = -1, r;

	fd = target_fd(ctx, op, 0);
	if (fd < 0)
		return fd;
	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == K_CGROUP2_SUPER_MAGIC) {
		struct mnt_attrs at = { .set = op->attr_set, .clr = op->attr_clr,
					.recursive = recursive, .userns_fd = -1,
					.propagation = op->propagation };

		/* a cgroup2 mount of this namespace (that one) holds the
		 * system's one cgroup2 superblock: MS_RDONLY leaves it as it is */
		r = mnt_new(ctx, "cgroup2", "cgroup2", NULL, op->attr_set, MNT_NEW_SB_HELD, fd,
			    NULL, target, op->propagation ? &top : NULL);
		if (r == 0 && op->propagation)
			r = mnt_setattr(ctx, top, 0, 0, op->propagation, 0, -1);
		else if (r == -EPERM || r == -EBUSY) {
			ctx->note = "cgroup2 not allowed: bound the host's hierarchy";
			r = mnt_bind(ctx, AT_FDCWD, "/sys/fs/cgroup", fd, target, 1, &at);
		}
		close_later(fd);
		return r;
	}
	/* the binds go into the new tmpfs's root as mnt_new gives it
	 * (checked), never into whatever its path shows by then */
	r = mnt_new(ctx, "tmpfs", "tmpfs", "mode=755", op->attr_set & ~MP_ATTR_RDONLY, 0, fd,
		    NULL, target, &top);
	close_later(fd);
	if (r < 0)
		return r;
	if (ctx->cgroups) /* read before the cgroup namespace (NAMESPACES) */
		r = fmt(cgroups, sizeof cgroups, "%s", ctx->cgroups) < sizeof cgroups ? 0 : -E2BIG;
	else
		r = proc_read(ctx, "self/cgroup", cgroups, sizeof cgroups);
	if (r < 0)
		return r;
	for (char *line = cgroups, *nl; r == 0 && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = 0;
		else
			nl = line + strlen(line);
		r = bind_controller(ctx, top, target, line, op->attr_set);
	}
	if (r == 0 && (op->attr_set || op->attr_clr || op->propagation))
		r = mnt_setattr(ctx, top, op->attr_set, op->attr_clr, op->propagation,
				recursive, -1);
	close_later(top);
	return r;
}

/* PIVOT: make the rootfs the root (pivot_root ".", ".", MS_MOVE + chroot,
 * or chroot), then resolve everything against the new "/": root_fd, which
 * names the mount that is now "/", stays the root of every lookup. */
int op_pivot(struct exec_ctx *ctx, const struct mp_op *op)
{
	int r;

	/* from here on "/proc" may be the container's: fd_name goes
	 * through ctx->proc_fd */
	ctx->pivoted = 1;
	r = cwd_home(ctx, ctx->root_fd);
	if (r < 0)
		return r;
	if (op->flags & MP_F_PIVOT_ROOT) {
		/* the old root is now stacked on "/": make it (and only it,
		 * not the new root's mounts) a slave so that dropping it
		 * reaches no peer, then detach it; unneeded when ROOTFS made
		 * every mount a slave or private and no op made one shared */
		int old = ctx->shared ? openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC)
				      : -1;

		if (ctx->shared && old < 0)
			return -errno;
		r = sys_pivot_root(".", ".") < 0 ? -errno : 0;
		if (r == 0 && old >= 0)
			r = mnt_setattr(ctx, old, 0, 0, MP_PROP_SLAVE | MP_PROP_REC, 0, -1);
		close_later(old);
		if (r == 0 && ctx->cwd_fd != CWD_HOME) /* the fallback worked on old */
			r = cwd_home(ctx, ctx->root_fd);
		if (r == 0 && umount2(".", MNT_DETACH) < 0)
			r = -errno;
		if (r < 0)
			return r;
	} else {
		/* the host's mounts would stay in the namespace: detach them
		 * (a chroot needs not: the kernel refuses a chrooted process
		 * a user namespace, which a procfs mount would need) */
		r = op->flags & MP_F_PIVOT_MOVE ? detach_outside(ctx) : 0;
		if (r == 0 && ctx->cwd_fd != CWD_HOME)
			r = cwd_home(ctx, ctx->root_fd);
		if (r < 0)
			return r;
		/* a fresh root is already on "/": nothing to move */
		if ((op->flags & MP_F_PIVOT_MOVE) && !ctx->fresh &&
		    (ctx->legacy || sys_move_mount(ctx->root_fd, "", AT_FDCWD, "/",
						   K_MOVE_MOUNT_F_EMPTY_PATH) < 0)) {
			if ((!ctx->legacy && errno != ENOSYS) ||
			    mount(".", "/", NULL, MS_MOVE, NULL) < 0)
				return -errno;
		}
		if (chroot(".") < 0)
			return -errno;
	}
	return chdir("/") < 0 ? -errno : 0;
}
