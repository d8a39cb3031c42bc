/*
 * mnt.c: mounting on file descriptors.
 *
 * The new mount API first: fsopen/fsconfig/fsmount make a detached mount,
 * open_tree clones one, mount_setattr sets its attributes while it is still
 * detached, move_mount attaches it on the target's descriptor.  When the
 * kernel lacks a call (ENOSYS; MP_FORCE_FALLBACK=1 in the test build) the
 * same effect comes from mount(2) on the magic link self/fd/N of the
 * host's procfs (ctx->proc_fd, never the container's /proc), which names
 * the resolved descriptor rather than a path that could be swapped; the
 * new mount is then found again by resolving its target inside the root.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define REMOUNT_TRIES 8 /* EBUSY retries of a remount (1, 2, 4 ... ms) */

/* "self/fd/N" for fd into buf: the magic link naming fd, relative to the
 * host's procfs (ctx->proc_fd). */
void fd_path(char buf[32], int fd)
{
	fmt(buf, 32, "self/fd/%d", fd);
}

/* The name of fd's magic link for a path-taking call, into buf: the
 * host's procfs (ctx->proc_fd, never the container's /proc) names the
 * resolved descriptor itself.  Once ROOTFS has made the root, the working
 * directory is the host's self/fd (ctx->fd_dir, opened at the first call,
 * after any pid namespace fork) and the name is "N": the kernel walks one
 * component, not /proc/self/fd/N.  PIVOT, CHDIR and the end of replay
 * leave it (cwd_home), so no later lookup and no command ever starts
 * there.  During ROOTFS (a relative --rootfs still resolves from the
 * caller's directory) it is "/proc/self/fd/N": "/proc" is then the
 * caller's, checked by proc_open.  0 or -errno. */
int fd_name(struct exec_ctx *ctx, int fd, char buf[32])
{
	if (ctx->root_fd < 0) {
		fmt(buf, 32, "/proc/self/fd/%d", fd);
		return 0;
	}
	if (ctx->fd_dir < 0)
		ctx->fd_dir = openat(ctx->proc_fd, "self/fd",
				     O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ctx->fd_dir < 0)
		return -errno;
	fmt(buf, 32, "%d", fd);
	return cwd_at(ctx, ctx->fd_dir);
}

/* Make the directory fd names the working directory, so "." names it
 * exactly (the very mount and dentry, as a magic link would, without
 * the lookup in self/fd that builds a proc entry for each new N).  Only
 * the host's self/fd is remembered (ctx->cwd_fd; it is never closed):
 * any other descriptor number may have been closed and reused since.
 * 0 or -errno. */
int cwd_at(struct exec_ctx *ctx, int fd)
{
	if (fd == ctx->fd_dir && ctx->cwd_fd == fd)
		return 0;
	if (fchdir(fd) < 0)
		return -errno;
	ctx->cwd_fd = fd == ctx->fd_dir ? fd : CWD_AWAY;
	return 0;
}

/* Make fd (a directory in the container) the working directory again,
 * leaving the host's self/fd or a mount target.  0 or -errno. */
int cwd_home(struct exec_ctx *ctx, int fd)
{
	if (fchdir(fd) < 0)
		return -errno;
	ctx->cwd_fd = CWD_HOME;
	return 0;
}

/* Does the kernel take fstype's source and data as words only, never
 * resolving a path in them (NULL: a remount or propagation change)?  Not
 * so for overlay (lowerdir=...) or a disk's device: a relative path there
 * resolves from the working directory. */
static int names_no_path(const char *fstype)
{
	static const char *const virt[] = { "tmpfs", "proc", "sysfs", "devpts", "mqueue",
					    "cgroup", "cgroup2", NULL };

	for (const char *const *v = virt; fstype && *v; v++)
		if (strcmp(fstype, *v) == 0)
			return 1;
	return !fstype;
}

/* mount(2) with the target (and the source, when src_fd >= 0; else the
 * string src) named by descriptor: with a string source once ROOTFS has
 * made the root, a directory target is "." after cwd_at (one fchdir:
 * measured 2.5 us a mount cheaper than the magic link "N", whose proc
 * entry the kernel builds for each new N), when source and data name no
 * path (names_no_path: the working directory is then inside the rootfs,
 * where a relative path must never resolve); otherwise (such a type, a
 * file's mount, or a directory the caller may not search under --userns,
 * cannot be the working directory) both by fd_name.  0 or -errno. */
int mnt_legacy(struct exec_ctx *ctx, const char *src, int src_fd, int target_fd,
	       const char *fstype, unsigned long flags, const char *data)
{
	char from[32], to[32] = ".";
	/* a bind names two; during ROOTFS the caller's directory stays */
	int r = src_fd < 0 && ctx->root_fd >= 0 && names_no_path(fstype) ?
			cwd_at(ctx, target_fd) : -ENOTDIR;

	if (r < 0) { /* or the target cannot be the working directory */
		r = src_fd >= 0 ? fd_name(ctx, src_fd, from) : 0;
		if (r == 0)
			r = fd_name(ctx, target_fd, to);
	}
	if (r < 0)
		return r;
	return mount(src_fd >= 0 ? from : src, to, fstype, flags, data) < 0 ? -errno : 0;
}

/* Should this call take the mount(2) path?  r is the new API call's
 * result (-1 with errno): ENOSYS switches the whole run to the fallback. */
static int fell_back(struct exec_ctx *ctx, int r)
{
	if (r < 0 && errno == ENOSYS)
		ctx->legacy = 1;
	return ctx->legacy;
}

/* Should attributes take the remount path, mount_setattr having just
 * failed with errno?  ENOSYS there means a kernel with the rest of the new
 * API (5.2-5.11), so only attribute changes fall back. */
static int setattr_fell_back(struct exec_ctx *ctx)
{
	if (errno == ENOSYS)
		ctx->no_setattr = 1;
	return ctx->legacy || ctx->no_setattr;
}

/* MS_* flags of MOUNT_ATTR_* bits. */
static unsigned long ms_flags(uint32_t attr)
{
	unsigned long f = 0;

	if (attr & MP_ATTR_RDONLY)
		f |= MS_RDONLY;
	if (attr & MP_ATTR_NOSUID)
		f |= MS_NOSUID;
	if (attr & MP_ATTR_NODEV)
		f |= MS_NODEV;
	if (attr & MP_ATTR_NOEXEC)
		f |= MS_NOEXEC;
	if (attr & MP_ATTR_NODIRATIME)
		f |= MS_NODIRATIME;
	if (attr & MP_ATTR_NOSYMFOLLOW)
		f |= 256; /* MS_NOSYMFOLLOW */
	if ((attr & MP_ATTR__ATIME) == MP_ATTR_NOATIME)
		f |= MS_NOATIME;
	if ((attr & MP_ATTR__ATIME) == MP_ATTR_STRICTATIME)
		f |= MS_STRICTATIME;
	return f;
}

/* MOUNT_ATTR_* bits of the current flags of the mount fd is on. */
uint32_t mnt_attrs_now(int fd)
{
	struct statvfs sv;
	uint32_t a = 0;

	if (fstatvfs(fd, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_RDONLY)
		a |= MP_ATTR_RDONLY;
	if (sv.f_flag & ST_NOSUID)
		a |= MP_ATTR_NOSUID;
	if (sv.f_flag & ST_NODEV)
		a |= MP_ATTR_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		a |= MP_ATTR_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		a |= MP_ATTR_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		a |= MP_ATTR_NODIRATIME;
	if (sv.f_flag & 8192) /* ST_NOSYMFOLLOW: a remount must keep it */
		a |= MP_ATTR_NOSYMFOLLOW;
	return a;
}

/* Sleep for ms milliseconds (EBUSY back-off). */
static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Bind-remount the mount whose root fd is with exactly the attributes
 * attrs, retrying on EBUSY.  0 or -errno. */
static int remount_as(struct exec_ctx *ctx, int fd, uint32_t attrs)
{
	int r = -EBUSY;

	for (int k = 0; k < REMOUNT_TRIES && r == -EBUSY; k++) {
		if (k)
			pause_ms(1L << (k - 1));
		r = mnt_legacy(ctx, NULL, -1, fd, NULL,
			       MS_REMOUNT | MS_BIND | ms_flags(attrs), NULL);
	}
	return r;
}

/* Remount the mount whose root fd is with its current flags minus clr
 * plus set, retrying on EBUSY.  0 or -errno. */
static int remount_legacy(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr)
{
	uint32_t now = mnt_attrs_now(fd);

	if (clr & MP_ATTR__ATIME || set & MP_ATTR__ATIME)
		now &= ~MP_ATTR__ATIME;
	return remount_as(ctx, fd, (now & ~clr) | set);
}

/* Undo mountinfo's octal escapes (\040 etc.) of s in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* Read /proc/self/mountinfo (through the host's procfs) into new
 * anonymous memory of *cap bytes (pages on demand); a table that does not
 * fit is an error, never cut.  The buffer or NULL with errno. */
char *mountinfo_read(struct exec_ctx *ctx, size_t *cap)
{
	char *buf;
	int r;

	*cap = 16u << 20; /* mountinfo of ~100k mounts */
	buf = mmap(NULL, *cap, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (buf == MAP_FAILED)
		return NULL;
	r = proc_read(ctx, "self/mountinfo", buf, *cap);
	if (r < 0) {
		munmap(buf, *cap);
		errno = -r;
		return NULL;
	}
	return buf;
}

/* The mount point (5th field, unescaped in place) of the mountinfo line at
 * *line; *line moves to the next line.  NULL at the end; "" for a line
 * without one. */
char *mountinfo_next(char **line)
{
	char *f = *line, *mp, *next;
	int field;

	if (!*f)
		return NULL;
	next = strchr(f, '\n');
	*line = next ? (*next = 0, next + 1) : f + strlen(f);
	for (field = 0; field < 4 && f; field++) {
		f = strchr(f, ' ');
		f = f ? f + 1 : NULL;
	}
	if (!f || !(mp = f) || !(f = strchr(f, ' ')))
		return "";
	*f = 0;
	unescape(mp);
	return mp;
}

/* The mount points of self/mountinfo, unescaped, packed one after the
 * other (each NUL-terminated, "" at the end) in new anonymous memory of
 * *cap bytes (mountinfo_read).  NULL with errno. */
static char *mount_points(struct exec_ctx *ctx, size_t *cap)
{
	char *buf = mountinfo_read(ctx, cap), *line = buf, *out = buf, *mp;

	while (buf && (mp = mountinfo_next(&line)))
		if (*mp) { /* never past line: each point is inside its line */
			size_t n = strlen(mp) + 1;

			memmove(out, mp, n);
			out += n;
		}
	if (buf)
		*out = 0;
	return buf;
}

/* Has the mount fd is on no mount attached beneath it?  Asked of
 * listmount(2) by its unique id (Linux 6.8): 1 when it lists none; 0 when
 * it lists one or cannot answer (an older kernel, or a filter refusing
 * the call: then not asked again), and self/mountinfo must tell. */
static int no_submounts(struct exec_ctx *ctx, int fd)
{
	struct k_mnt_id_req req = { .size = sizeof req };
	uint64_t child;
	long n;

	if (ctx->no_listmount)
		return 0;
	req.mnt_id = mount_id_unique(fd);
	n = req.mnt_id ? syscall(SYS_listmount, &req, &child, 1, 0) : -1;
	if (n < 0)
		ctx->no_listmount = 1;
	return n == 0;
}

/* Remount the mount whose root fd is and every mount beneath it (found in
 * /proc/self/mountinfo by mount point, opened from fd without following
 * any symlink), the fallback for mount_setattr(AT_RECURSIVE); a mount
 * listmount says has none beneath it is remounted alone.  The mount
 * points read here stay in ctx->points, and a READONLY op right after
 * (replay forgets them at any other op) uses them: an op reads them
 * after the mounts it adds, and a READONLY op adds no mount point but its
 * own target, which is then remounted first (the mounts its recursive
 * bind copies are read-only already).  0 or -errno. */
static int remount_tree_legacy(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr)
{
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_SYMLINKS |
			   K_RESOLVE_NO_MAGICLINKS,
	};
	char top[MP_MAX_PATH + 1], self[32], *mp;
	size_t tlen;
	ssize_t l;
	int r = 0;

	if (no_submounts(ctx, fd)) /* one listmount, not mountinfo's every mount */
		return remount_legacy(ctx, fd, set, clr);
	fd_path(self, fd);
	l = readlinkat(ctx->proc_fd, self, top, sizeof top - 1);
	if (l < 0)
		return -errno;
	top[l] = 0;
	tlen = strcmp(top, "/") == 0 ? 0 : (size_t)l;
	if (ctx->points_ok) {
		r = remount_legacy(ctx, fd, set, clr);
	} else {
		if (ctx->points)
			munmap(ctx->points, ctx->points_cap);
		ctx->points = mount_points(ctx, &ctx->points_cap);
		if (!ctx->points)
			return -errno;
		ctx->points_ok = 1;
	}
	for (mp = ctx->points; r == 0 && *mp; mp += strlen(mp) + 1) {
		int sub;

		if (strncmp(mp, top, tlen) != 0 || (mp[tlen] != '/' && mp[tlen] != 0))
			continue;
		sub = openat2_retry(fd, mp[tlen] && mp[tlen + 1] ? mp + tlen + 1 : ".", &how);
		if (sub >= 0) {
			r = remount_legacy(ctx, sub, set, clr);
			close(sub);
		}
	}
	return r;
}

/* mount_setattr with EBUSY retries; -1 and errno as the syscall. */
static int setattr_retry(int fd, unsigned flags, struct k_mount_attr *attr)
{
	int r = -1;

	for (int k = 0; k < REMOUNT_TRIES; k++) {
		r = sys_mount_setattr(fd, "", K_AT_EMPTY_PATH | flags, attr);
		if (r == 0 || errno != EBUSY)
			break;
		pause_ms(1L << k);
	}
	return r;
}

/* Set attributes (set/clr, recursively when recursive), propagation
 * (MP_PROP_*, recursive with MP_PROP_REC) and an idmap user namespace
 * (userns_fd >= 0) on the mount whose root fd is.  Without mount_setattr
 * (ENOSYS) remount with mount(2), unless !may_fall_back: then return
 * -ENOSYS so the caller can attach a detached mount first.  0 or -errno. */
static int setattr_impl(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr,
			uint32_t propagation, int recursive, int userns_fd,
			int may_fall_back)
{
	struct k_mount_attr a = { 0 };
	uint32_t prop = propagation & ~MP_PROP_REC;
	int prop_rec = !!(propagation & MP_PROP_REC);

	if (prop == MP_PROP_SHARED)
		ctx->shared = 1; /* PIVOT's old root must become a slave */

	if (!ctx->legacy && !ctx->no_setattr && (set || clr || userns_fd >= 0)) {
		a.attr_set = set;
		a.attr_clr = clr;
		if ((set | clr) & MP_ATTR__ATIME)
			a.attr_clr |= MP_ATTR__ATIME;
		if (userns_fd >= 0)
			a.userns_fd = (uint64_t)userns_fd;
		if (prop && prop_rec == recursive)
			a.propagation = prop;
		if (setattr_retry(fd, recursive ? K_AT_RECURSIVE : 0, &a) == 0) {
			set = clr = 0;
			if (a.propagation)
				prop = 0;
		} else if (!setattr_fell_back(ctx)) {
			return -errno;
		}
	}
	if (prop && !ctx->legacy && !ctx->no_setattr) {
		struct k_mount_attr p = { .propagation = prop };
		if (setattr_retry(fd, prop_rec ? K_AT_RECURSIVE : 0, &p) == 0)
			prop = 0;
		else if (!setattr_fell_back(ctx))
			return -errno;
	}
	if (!set && !clr && !prop)
		return 0;
	/* mount(2) fallback (a detached mount must be attached first) */
	if (!may_fall_back)
		return -ENOSYS;
	if (userns_fd >= 0) {
		ctx->detail = "idmapped mounts need mount_setattr (Linux 5.12)";
		return -ENOSYS;
	}
	if (set || clr) {
		int r = recursive ? remount_tree_legacy(ctx, fd, set, clr)
				  : remount_legacy(ctx, fd, set, clr);
		if (r < 0)
			return r;
	}
	if (prop)
		return mnt_legacy(ctx, NULL, -1, fd, NULL, prop | (prop_rec ? MS_REC : 0),
				  NULL);
	return 0;
}

/* Set attributes, propagation and an idmap on the mount whose root fd
 * is; see setattr_impl.  0 or -errno. */
int mnt_setattr(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr,
		uint32_t propagation, int recursive, int userns_fd)
{
	return setattr_impl(ctx, fd, set, clr, propagation, recursive, userns_fd, 1);
}

/* Make the mount whose root fd is read-only, attrs being the attributes
 * it was just mounted with: mount_setattr (one attribute, no lookup of a
 * magic link), or where the kernel lacks it a bind remount with exactly
 * attrs plus read-only.  0 or -errno. */
static int make_readonly(struct exec_ctx *ctx, int fd, uint32_t attrs)
{
	struct k_mount_attr a = { .attr_set = MP_ATTR_RDONLY };

	if (!ctx->legacy && !ctx->no_setattr && setattr_retry(fd, 0, &a) == 0)
		return 0;
	return setattr_fell_back(ctx) ? remount_as(ctx, fd, attrs) : -errno;
}

/* Apply the filesystem parameters in data ("k=v,flag,...") to fs_fd. */
static int configure(int fs_fd, const char *data)
{
	char buf[MP_MAX_PATH + 1];
	char *p, *next;

	if (strlen(data) > MP_MAX_PATH)
		return -E2BIG;
	strcpy(buf, data);
	for (p = buf; p && *p; p = next) {
		char *eq;
		int r;

		eq = strchr(p, '=');
		next = strchr(p, ',');
		if (eq && (!next || eq < next) && eq[1] == '"' && strchr(eq + 2, '"')) {
			/* key="value, with commas" (an SELinux context) */
			char *close = strchr(eq + 2, '"');

			*close = 0;
			next = close[1] == ',' ? close + 2 : NULL;
			*eq = 0;
			r = sys_fsconfig(fs_fd, K_FSCONFIG_SET_STRING, p, eq + 2, 0);
			if (r < 0)
				return -errno;
			continue;
		}
		if (next)
			*next++ = 0;
		if (!*p)
			continue;
		eq = strchr(p, '=');
		if (eq) {
			*eq = 0;
			r = sys_fsconfig(fs_fd, K_FSCONFIG_SET_STRING, p, eq + 1, 0);
		} else {
			r = sys_fsconfig(fs_fd, K_FSCONFIG_SET_FLAG, p, NULL, 0);
		}
		if (r < 0)
			return -errno;
	}
	return 0;
}

/* Copy what lies under target_fd into the directory dir (tmpcopyup). */
static int copy_up(struct exec_ctx *ctx, int target_fd, int mnt_fd)
{
	int from = openat(target_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = openat(mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = from < 0 || to < 0 ? -errno : copy_tree(ctx, from, to);

	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	return r;
}

/* A new fstype instance (source, data, attr_set) as a detached mount
 * (fsopen, fsconfig, fsmount).  fd, or -errno (-ENOSYS when the caller
 * must use mount(2): --legacy or a kernel without fsopen). */
int mnt_make(struct exec_ctx *ctx, const char *fstype, const char *source,
	     const char *data, uint32_t attr_set)
{
	int fs = -1, m, r = 0;

	if (!ctx->legacy)
		fs = sys_fsopen(fstype, K_FSOPEN_CLOEXEC);
	if (fs < 0)
		return fell_back(ctx, fs) ? -ENOSYS : -errno;
	if (source && *source &&
	    sys_fsconfig(fs, K_FSCONFIG_SET_STRING, "source", source, 0) < 0)
		r = -errno;
	if (r == 0 && data && *data)
		r = configure(fs, data);
	if (r == 0 && sys_fsconfig(fs, K_FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		r = -errno;
	m = r == 0 ? sys_fsmount(fs, K_FSMOUNT_CLOEXEC, attr_set) : -1;
	if (r == 0 && m < 0)
		r = -errno;
	close_later(fs);
	return r < 0 ? r : m;
}

/* Mount a new fstype instance (source, data, attr_set) on target_fd, the
 * resolved target; with copyup, copy the target's contents into it first;
 * with keep (not NULL), set *keep to an fd of the new mount's root.
 * target is the path, for the fallback.  Before PIVOT when nothing is
 * copied up, and for a kept mount (the masks' tmpfs) at any time, one
 * mount(2) on the resolved target (mnt_legacy: "." or the host's
 * self/fd/N, each naming it exactly as move_mount's descriptor does)
 * instead of fsopen, an fsconfig per parameter, fsmount and move_mount;
 * a kept one is then found again by resolving target.  0 or -errno. */
static int new_fs(struct exec_ctx *ctx, const char *fstype, const char *source,
		  const char *data, uint32_t attr_set, int copyup, int target_fd,
		  const char *target, int *keep)
{
	uint32_t now;
	int m, r;

	/* copy-up keeps the protection the copied tree had: nodev and nosuid
	 * of the mount it lies on carry over to the new tmpfs */
	if (copyup)
		attr_set |= mnt_attrs_now(target_fd) & (MP_ATTR_NODEV | MP_ATTR_NOSUID);
	if (copyup || (ctx->pivoted && !keep)) {
		m = mnt_make(ctx, fstype, source, data, attr_set);
		if (m >= 0) {
			r = copyup ? copy_up(ctx, target_fd, m) : 0;
			if (r == 0)
				r = mnt_attach(m, target_fd);
			if (r == 0 && keep)
				*keep = m;
			else
				close_later(m);
			return r;
		}
		if (m != -ENOSYS)
			return m;
	}
	/* mount(2).  read-only comes from mount_setattr (or a bind remount)
	 * afterwards, as fsmount makes it: a mount attribute, not the
	 * superblock's (which MS_RDONLY on a new mount would set); except for
	 * the masks' tmpfs (keep), empty and never written, which takes
	 * MS_RDONLY as runc mounts it: mount and superblock read-only in the
	 * one call, no fsopen ... move_mount (5 calls, 2 descriptors) */
	now = keep ? attr_set : attr_set & ~MP_ATTR_RDONLY;
	r = mnt_legacy(ctx, source && *source ? source : fstype, -1, target_fd, fstype,
		       ms_flags(now), data && *data ? data : NULL);
	if (r < 0 || (!copyup && !keep && !(attr_set & MP_ATTR_RDONLY)))
		return r;
	m = resolve(ctx, target, 0);
	if (m < 0)
		return m;
	r = copyup ? copy_up(ctx, target_fd, m) : 0;
	if (r == 0 && (attr_set & ~now & MP_ATTR_RDONLY))
		r = make_readonly(ctx, m, attr_set); /* made just now with attr_set */
	if (r == 0 && keep)
		*keep = m;
	else
		close_later(m);
	return r;
}

/* A new filesystem on target_fd; see new_fs.  0 or -errno. */
int mnt_new(struct exec_ctx *ctx, const char *fstype, const char *source,
	    const char *data, uint32_t attr_set, int copyup, int target_fd,
	    const char *target)
{
	return new_fs(ctx, fstype, source, data, attr_set, copyup, target_fd,
		      target, NULL);
}

/* A new filesystem on target_fd, an fd of its root in *keep (the mount
 * later binds are made from); see new_fs.  0 or -errno. */
int mnt_new_keep(struct exec_ctx *ctx, const char *fstype, const char *source,
		 const char *data, uint32_t attr_set, int target_fd,
		 const char *target, int *keep)
{
	return new_fs(ctx, fstype, source, data, attr_set, 0, target_fd, target,
		      keep);
}

/* Attach the detached mount tree_fd on target_fd.  0 or -errno. */
int mnt_attach(int tree_fd, int target_fd)
{
	if (sys_move_mount(tree_fd, "", target_fd, "",
			   K_MOVE_MOUNT_F_EMPTY_PATH | K_MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/* Clone the mount at src_dfd/src_path ("" for src_dfd itself), the whole
 * tree when recursive, as a detached mount.  fd, or -errno (-ENOSYS when
 * the caller must use the fallback). */
int mnt_clone(struct exec_ctx *ctx, int src_dfd, const char *src_path,
	      int recursive)
{
	unsigned flags = K_OPEN_TREE_CLONE | K_OPEN_TREE_CLOEXEC;
	int fd;

	if (ctx->legacy)
		return -ENOSYS;
	if (recursive)
		flags |= K_AT_RECURSIVE;
	if (!*src_path)
		flags |= K_AT_EMPTY_PATH;
	fd = sys_open_tree(src_dfd, src_path, flags);
	if (fd < 0 && fell_back(ctx, fd))
		return -ENOSYS;
	return fd < 0 ? -errno : fd;
}

/* Bind src (src_dfd/src_path, "" for src_dfd itself; a host path with
 * AT_FDCWD) onto target_fd, the whole tree when recursive, then set
 * attributes (on the tree when attr_recursive), the idmap user namespace
 * (userns_fd >= 0) and propagation, as at says (NULL: none of them).
 * target is the path, for the fallback.  0 or -errno. */
int mnt_bind(struct exec_ctx *ctx, int src_dfd, const char *src_path,
	     int target_fd, const char *target, int recursive,
	     const struct mnt_attrs *at)
{
	static const struct mnt_attrs none = { .userns_fd = -1 };
	int t, r, top;

	if (!at)
		at = &none;
	/* (a plain bind by mount(2) on /proc/self/fd/N would be one call
	 * instead of two, but measured slower: 1,000 binds 34 ms against
	 * 22 ms with open_tree and move_mount) */
	t = mnt_clone(ctx, src_dfd, src_path, recursive);
	if (t >= 0) {
		int later = 0;

		r = 0;
		if (at->set || at->clr || at->userns_fd >= 0)
			r = setattr_impl(ctx, t, at->set, at->clr, 0, at->recursive,
					 at->userns_fd, 0);
		if (r == -ENOSYS) /* open_tree without mount_setattr: remount */
			later = 1, r = 0;
		if (r == 0)
			r = mnt_attach(t, target_fd);
		if (r == 0 && later)
			r = mnt_setattr(ctx, t, at->set, at->clr, 0, at->recursive,
					at->userns_fd);
		if (r == 0 && at->propagation)
			r = mnt_setattr(ctx, t, 0, 0, at->propagation, 0, -1);
		close_later(t);
		return r;
	}
	if (t != -ENOSYS)
		return t;
	/* mount(2) fallback */
	if (*src_path && src_dfd != AT_FDCWD)
		return -EINVAL; /* callers pass a host path or a descriptor */
	r = mnt_legacy(ctx, src_path, *src_path ? -1 : src_dfd, target_fd, NULL,
		       MS_BIND | (recursive ? MS_REC : 0), NULL);
	if (r < 0)
		return r;
	if (!at->set && !at->clr && at->userns_fd < 0 && !at->propagation)
		return 0;
	top = resolve(ctx, target, 0);
	if (top < 0)
		return top;
	r = mnt_setattr(ctx, top, at->set, at->clr, at->propagation, at->recursive,
			at->userns_fd);
	close_later(top);
	return r;
}
