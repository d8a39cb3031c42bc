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
 * new mount is then found again by resolving its target inside the root,
 * and checked to be the mount just made (refind).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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

/* Does the test build fail the identity check of a mount found again
 * that what names (MP_FAULT_CHECK=what: "new", refind's; "tree",
 * remount_tree_legacy's; tests/exec/fault.sh), or ("named") a mount by
 * name on a directory this run just made (EIO; tests/exec/named.sh)?
 * 0 in the installed binary. */
static int fault_check(const char *what)
{
#ifdef MP_TEST_HOOKS
	const char *f = getenv("MP_FAULT_CHECK");

	return f && strcmp(f, what) == 0;
#else
	(void)what;
	return 0;
#endif
}

/* In the test build, wait as many microseconds as the variable var
 * says: MP_REFIND_PAUSE_US before a path is looked up again
 * (tests/exec/harden.sh "refind race"), MP_BIND_PAUSE_US between a
 * BIND's target (its descriptor, or a name just made) and the bind
 * (tests/exec/named.sh): the window a renaming racer aims at; nothing
 * in the installed binary. */
void race_pause(const char *var)
{
#ifdef MP_TEST_HOOKS
	const char *pause = getenv(var), *end;
	struct timespec ts = { 0, pause ? fmt_decimal(pause, &end) * 1000L : 0 };

	if (ts.tv_nsec > 0 && ts.tv_nsec < 1000000000L)
		nanosleep(&ts, NULL);
#else
	(void)var;
#endif
}

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
 * the host's self/fd (never closed) and ctx->parent_fd (held; parent_keep
 * forgets the number when another directory takes it) are remembered
 * (ctx->cwd_fd): any other descriptor number may have been closed and
 * reused since.  0 or -errno. */
int cwd_at(struct exec_ctx *ctx, int fd)
{
	int held = fd == ctx->fd_dir || fd == ctx->parent_fd;

	if (held && ctx->cwd_fd == fd)
		return 0;
	if (fchdir(fd) < 0)
		return -errno;
	ctx->cwd_fd = held ? fd : CWD_AWAY;
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
static int mnt_legacy_at(struct exec_ctx *ctx, const char *src, int src_fd, int target_fd,
			 const char *name, const char *fstype, unsigned long flags,
			 const char *data)
{
	char from[32], to[32] = ".";
	/* a bind names two; during ROOTFS the caller's directory stays */
	int r = src_fd < 0 && ctx->root_fd >= 0 && names_no_path(fstype) ?
			cwd_at(ctx, target_fd) : -ENOTDIR;

	if (r < 0 && name) /* a name from the working directory only */
		target_fd = named_fd(ctx, target_fd, &name);
	if (target_fd < 0)
		return target_fd;
	if (r < 0) { /* or the target cannot be the working directory */
		r = src_fd >= 0 ? fd_name(ctx, src_fd, from) : 0;
		if (r == 0)
			r = fd_name(ctx, target_fd, to);
	}
	if (r < 0)
		return r;
	if (name && fault_check("named"))
		return -EIO;
	return mount(src_fd >= 0 ? from : src, name ? name : to, fstype, flags, data) < 0 ?
		-errno : 0;
}

int mnt_legacy(struct exec_ctx *ctx, const char *src, int src_fd, int target_fd,
	       const char *fstype, unsigned long flags, const char *data)
{
	return mnt_legacy_at(ctx, src, src_fd, target_fd, NULL, fstype, flags, data);
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

/* The decimal number at *s (0 when there is none), *s moved past it and
 * the blank after it. */
static uint64_t number(char **s)
{
	const char *end;
	long v = fmt_decimal(*s, &end);

	*s += end - *s;
	if (**s == ' ')
		(*s)++;
	return v < 0 ? 0 : (uint64_t)v;
}

/* Read self/mountinfo into t: its text (mountinfo_read) and its lines
 * (ids, mount point unescaped, filesystem type), in its order; lines it
 * cannot read are left out.  0 or -errno (t then holds nothing). */
int mnt_table_read(struct exec_ctx *ctx, struct mnt_table *t)
{
	t->n = 0;
	t->buf = mountinfo_read(ctx, &t->cap);
	if (!t->buf)
		return -errno;
	t->max = t->cap / 256;
	t->lines = mmap(NULL, t->max * sizeof *t->lines, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (t->lines == MAP_FAILED) {
		int r = -errno;

		munmap(t->buf, t->cap);
		return r;
	}
	for (char *line = t->buf, *next; *line && t->n < t->max; line = next) {
		struct mnt_line *l = &t->lines[t->n];
		char *f = line, *dash;

		next = strchr(line, '\n');
		next = next ? (*next = 0, next + 1) : line + strlen(line);
		l->id = number(&f);
		l->parent = number(&f);
		for (dash = f; *dash && !(dash[0] == ' ' && dash[1] == '-' && dash[2] == ' ');)
			dash++;
		l->point = mountinfo_next(&line);
		if (!*dash || !*l->point)
			continue;
		l->fstype = dash + 3;
		*strchrnul(dash + 3, ' ') = 0;
		t->n++;
	}
	return 0;
}

/* Release what mnt_table_read took. */
void mnt_table_free(struct mnt_table *t)
{
	munmap(t->lines, t->max * sizeof *t->lines);
	munmap(t->buf, t->cap);
}

/* The line of mount id in t, or NULL. */
struct mnt_line *mnt_table_find(const struct mnt_table *t, uint64_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->lines[i].id == id)
			return &t->lines[i];
	return NULL;
}

/* Is line l the mount top or beneath it (by parent ids)? */
int mnt_table_under(const struct mnt_table *t, const struct mnt_line *l, uint64_t top)
{
	for (int depth = 0; l && depth < 4096; depth++) {
		if (l->id == top)
			return 1;
		if (l->parent == l->id)
			return 0;
		l = mnt_table_find(t, l->parent);
	}
	return 0;
}

/* The mount id (mountinfo's first field) of what fd names: statx's
 * (Linux 5.8), else the "mnt_id:" line of self/fdinfo/N (3.15: every
 * kernel the mount(2) fallback may run on); 0 when neither tells.
 * ctx->no_mnt_id: statx has none (not asked again). */
static uint64_t mnt_id_of(struct exec_ctx *ctx, int fd)
{
	char rel[40], buf[1024];
	const char *p, *end;
	uint64_t id = ctx->no_mnt_id ? 0 : mount_id(fd);
	long v;

	if (id)
		return id;
	ctx->no_mnt_id = 1;
	fmt(rel, sizeof rel, "self/fdinfo/%d", fd);
	if (proc_read(ctx, rel, buf, sizeof buf) < 0)
		return 0;
	for (p = buf; strncmp(p, "mnt_id:", 7) != 0; p++) /* (no strstr linked) */
		if (!(p = strchr(p, '\n')))
			return 0;
	for (p += 7; *p == ' ' || *p == '\t';)
		p++;
	v = fmt_decimal(p, &end);
	return v > 0 ? (uint64_t)v : 0;
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

/* Remount the mount whose root fd is and every mount beneath it, the
 * fallback for mount_setattr(AT_RECURSIVE); a mount listmount says has
 * none beneath it is remounted alone.  Otherwise one snapshot of
 * self/mountinfo tells which mounts lie beneath fd's (by parent ids) and
 * where (each one's mount point below fd's own, both from the snapshot);
 * each is opened from fd without following any symlink and checked to be
 * that mount (its id): a process renaming directories of the tree
 * meanwhile could otherwise have one remounted twice and another left
 * writable.  A mount hidden under another on the same mount point cannot
 * be reached by path: it is left, as before.  0, or -EBUSY with
 * ctx->detail, or -errno. */
static int remount_tree_legacy(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr)
{
	struct k_open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = K_RESOLVE_BENEATH | K_RESOLVE_NO_SYMLINKS |
			   K_RESOLVE_NO_MAGICLINKS,
	};
	struct mnt_table t;
	struct mnt_line *top;
	size_t tlen;
	int r;

	if (no_submounts(ctx, fd)) /* one listmount, not mountinfo's every mount */
		return remount_legacy(ctx, fd, set, clr);
	r = mnt_table_read(ctx, &t);
	if (r < 0)
		return r;
	top = mnt_table_find(&t, mnt_id_of(ctx, fd));
	r = top ? remount_legacy(ctx, fd, set, clr) : -ENOENT;
	tlen = top && strcmp(top->point, "/") ? strlen(top->point) : 0;
	for (size_t i = 0; r == 0 && i < t.n; i++) {
		struct mnt_line *l = &t.lines[i], *seen;
		const char *rel = l->point + tlen;
		int sub;

		if (l == top || !mnt_table_under(&t, l, top->id))
			continue;
		while (*rel == '/')
			rel++;
		race_pause("MP_REFIND_PAUSE_US");
		sub = openat2_retry(fd, *rel ? rel : ".", &how);
		seen = sub < 0 || fault_check("tree") ? NULL
						      : mnt_table_find(&t, mnt_id_of(ctx, sub));
		if (seen == l) {
			r = remount_legacy(ctx, sub, set, clr);
		} else if (!seen || strcmp(seen->point, l->point) != 0 ||
			   !mnt_table_under(&t, seen, l->id)) {
			/* not the mount the snapshot has there, nor one
			 * stacked on it */
			ctx->detail = "a mount beneath the target was moved while it was made "
				      "read-only (refused)";
			r = -EBUSY;
		}
		if (sub >= 0)
			close(sub);
	}
	mnt_table_free(&t);
	return r;
}

/* Fill a for mount_setattr (or open_tree_attr): set and clr, every
 * atime bit cleared when either names an atime mode (the kernel wants
 * that), the idmap's user namespace userns_fd when >= 0. */
static void attr_fill(struct k_mount_attr *a, uint32_t set, uint32_t clr, int userns_fd)
{
	a->attr_set = set;
	a->attr_clr = clr;
	if ((set | clr) & MP_ATTR__ATIME)
		a->attr_clr |= MP_ATTR__ATIME;
	if (userns_fd >= 0)
		a->userns_fd = (uint64_t)userns_fd;
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
		attr_fill(&a, set, clr, userns_fd);
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

/* Does every mount of fstype get a superblock of its own (tmpfs; devpts,
 * a new instance at every mount since Linux 4.7)?  Then MS_RDONLY in its
 * mount(2) makes only that new superblock read-only besides the mount, as
 * runc mounts them.  Any other type may share its superblock: sysfs's is
 * its network namespace's, cgroup2's the system's, mqueue's its IPC
 * namespace's, a disk's wherever it is mounted; one that this mount
 * creates (measured: the first sysfs of a new network namespace, mounted
 * read-only) stays read-only for every later mount of it. */
static int own_superblock(const char *fstype)
{
	return strcmp(fstype, "tmpfs") == 0 || strcmp(fstype, "devpts") == 0;
}

/* Is found's mount the last mount self/mountinfo lists with
 * target_fd's mount as its parent (mountinfo lists mounts in the order
 * they were attached; since Linux 6.8 by unique id, the same order)?
 * 1 yes, 0 no, or -errno. */
static int newest_in_mountinfo(struct exec_ctx *ctx, int target_fd, int found)
{
	uint64_t parent = mnt_id_of(ctx, target_fd), id = mnt_id_of(ctx, found), last = 0;
	struct mnt_table t;
	int r;

	if (!parent || !id)
		return -ENOTSUP;
	r = mnt_table_read(ctx, &t);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t.n; i++)
		if (t.lines[i].parent == parent)
			last = t.lines[i].id;
	mnt_table_free(&t);
	return last == id;
}

/* The unique id of the parent of the mount of unique id id, by
 * statmount(2) (Linux 6.8), or 0. */
static uint64_t parent_unique(uint64_t id)
{
	struct k_mnt_id_req req = { .size = sizeof req, .mnt_id = id,
				    .param = K_STATMOUNT_MNT_BASIC };
	uint64_t sm[64]; /* struct statmount: mnt_parent_id is its 7th u64 */

	if (syscall(SYS_statmount, &req, sm, sizeof sm, 0) < 0 || !(sm[1] & req.param))
		return 0;
	return sm[6];
}

/* Is found's mount the newest child of target_fd's mount, asked of
 * listmount(2) (Linux 6.8) by unique ids?  A kernel lists either the
 * mount's children (6.8) or every mount beneath it (6.11 on), in either
 * case from an id on.  A new filesystem has nothing beneath it: from
 * found's id on, found's alone is listed.  A recursive bind (tree) has
 * its copies beneath: found must be a child of target_fd's mount
 * (statmount) and every mount listed after found's id beneath the latter
 * lie beneath found too.  1 yes, 0 no; -1 when listmount cannot tell (not
 * there: then not asked again; or more than a page of mounts). */
static int newest_by_listmount(struct exec_ctx *ctx, int target_fd, int found, int tree)
{
	struct k_mnt_id_req req = { .size = sizeof req };
	uint64_t id = mount_id_unique(found), ids[2][64];
	long n, k;

	req.mnt_id = mount_id_unique(target_fd);
	if (!req.mnt_id || !id) {
		ctx->no_listmount = 1; /* no unique ids: before Linux 6.8 */
		return -1;
	}
	if (tree && parent_unique(id) != req.mnt_id)
		return 0;
	req.param = tree ? id : id - 1; /* the mounts after that id */
	n = syscall(SYS_listmount, &req, ids[0], tree ? 64 : 2, 0);
	if (n < 0)
		ctx->no_listmount = 1;
	if (n < 0 || n == 64)
		return -1;
	if (!tree)
		return n == 2 ? -1 : n == 1 && ids[0][0] == id;
	if (n == 0)
		return 1;
	req.mnt_id = id;
	k = syscall(SYS_listmount, &req, ids[1], 64, 0);
	return k == n && memcmp(ids[0], ids[1], (size_t)n * sizeof ids[0][0]) == 0;
}

/* Is found, what a lookup of a target found right after mount(2) made a
 * mount on the target's descriptor target_fd (a recursive bind when
 * tree), that new mount (its root, or a directory in it), not an older
 * mount that a process renaming the rootfs's directories meanwhile put at
 * the target's path?  Only this process makes mounts in its namespace (a
 * host mount propagating into it takes root on the host), so the new
 * mount is the newest child of target_fd's mount: listmount says so, or
 * mountinfo.  A directory inside the new mount is not a mount's root:
 * every change made on it after this (attributes, propagation) is refused
 * by the kernel (EINVAL).  0, or -EBUSY with ctx->detail, or -errno. */
static int found_is_new(struct exec_ctx *ctx, int target_fd, int found, int tree)
{
	int r = ctx->no_listmount ? -1 : newest_by_listmount(ctx, target_fd, found, tree);

	if (r < 0)
		r = newest_in_mountinfo(ctx, target_fd, found);
	if (r == 0 || fault_check("new")) {
		ctx->detail = "the target was replaced while it was mounted on (refused)";
		return -EBUSY;
	}
	return r < 0 ? r : 0;
}

/* Find the mount just made on target_fd (a recursive bind when tree)
 * again by resolving target, and check it is that mount (found_is_new).
 * fd or -errno. */
static int refind(struct exec_ctx *ctx, int target_fd, const char *target, int tree)
{
	int m, r;

	race_pause("MP_REFIND_PAUSE_US");
	m = resolve_from(ctx, target, 0, 1); /* an anchor at target is beneath it */
	if (m < 0)
		return m;
	r = found_is_new(ctx, target_fd, m, tree);
	if (r < 0) {
		close_later(m);
		return r;
	}
	return m;
}

/* A new fstype instance (source, data, attr_set) as a detached mount
 * (fsopen, fsconfig, fsmount).  fd, or -ENOSYS when the caller must use
 * mount(2) (--legacy or a kernel without fsopen), or -errno. */
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
 * resolved target, or with name (not NULL) on name in target_fd, a
 * directory this run just made there in a new filesystem's tree, which
 * nobody else reaches (resolve_mkdirs_named: FRESH_CLEAN; op_mount
 * passes one only where mount(2) is taken, without a root); target is
 * its path; how: MNT_NEW_COPYUP copies the
 * target's contents into it first; MNT_NEW_SB_HELD says its superblock
 * exists and is held (MS_RDONLY then makes only the mount read-only);
 * MNT_NEW_SB_RO makes the superblock read-only too (the masks' tmpfs:
 * mount(2) even when root is wanted, and the caller checks what it
 * finds).  With root (not NULL), *root gets an fd of the new mount's root.
 *
 * Copy-up, a read-only mount whose superblock may be shared, every mount
 * after PIVOT, and one whose root is wanted and whose data is empty (3
 * calls more than mount(2), one less than finding it again) are made by
 * fsopen ... fsmount (read-only as a mount attribute) and attached by
 * move_mount: the new mount's own descriptor, nothing looked up again.  Otherwise (before PIVOT), one mount(2) on the
 * resolved target (mnt_legacy: "." or the host's self/fd/N, each naming
 * it exactly as move_mount's descriptor does; a name from its
 * directory, the working directory), read-only by MS_RDONLY
 * (own_superblock, or held); when root is wanted (5 calls less than
 * fsopen ... move_mount for runc-default's /dev), and in the fallback,
 * the new mount is found again by resolving target and checked to be the
 * one made (refind: a renaming process may have put another one there
 * meanwhile; the masks' tmpfs is checked by op_mask).  Where that, the
 * copy, or a source or data that may name a path needs the target's
 * descriptor, a name is opened first (named_fd), as before.  0 or -errno. */
int mnt_new(struct exec_ctx *ctx, const char *fstype, const char *source,
	    const char *data, uint32_t attr_set, unsigned how, int target_fd,
	    const char *name, const char *target, int *root)
{
	int copyup = !!(how & MNT_NEW_COPYUP);
	int sb_ro = own_superblock(fstype) || (how & (MNT_NEW_SB_HELD | MNT_NEW_SB_RO));
	uint32_t now;
	int m, r;

	/* copy-up keeps the protection the copied tree had: nodev and nosuid
	 * of the mount it lies on carry over to the new tmpfs */
	if (copyup)
		attr_set |= mnt_attrs_now(target_fd) & (MP_ATTR_NODEV | MP_ATTR_NOSUID);
	if (!(how & MNT_NEW_SB_RO) &&
	    (copyup || ctx->pivoted || ((attr_set & MP_ATTR_RDONLY) && !sb_ro) ||
	     (root && !(data && *data)))) {
		m = mnt_make(ctx, fstype, source, data, attr_set);
		if (m >= 0) {
			r = copyup ? copy_up(ctx, target_fd, m) : 0;
			if (r == 0)
				r = mnt_attach(m, target_fd, name, 0);
			if (r == 0 && root)
				*root = m;
			else
				close_later(m);
			return r;
		}
		if (m != -ENOSYS)
			return m;
	}
	/* mount(2): read-only in the call where it leaves no shared
	 * superblock read-only and nothing is copied in first; else made
	 * read-only afterwards (mount_setattr, or a bind remount) on the new
	 * mount found again */
	now = attr_set;
	if (copyup || !sb_ro)
		now &= ~MP_ATTR_RDONLY;
	r = mnt_legacy_at(ctx, source && *source ? source : fstype, -1, target_fd, name,
			  fstype, ms_flags(now), data && *data ? data : NULL);
	if (r < 0 || (!copyup && !root && !(attr_set & ~now & MP_ATTR_RDONLY)))
		return r;
	/* the masks' tmpfs: op_mask checks what it finds */
	m = how & MNT_NEW_SB_RO ? resolve_from(ctx, target, 0, 1)
				: refind(ctx, target_fd, target, 0);
	if (m < 0)
		return m;
	r = copyup ? copy_up(ctx, target_fd, m) : 0;
	if (r == 0 && (attr_set & ~now & MP_ATTR_RDONLY))
		r = make_readonly(ctx, m, attr_set); /* made just now with attr_set */
	if (r == 0 && root)
		*root = m;
	else
		close_later(m);
	return r;
}

/* Attach the detached mount tree_fd on target_fd, or (name not NULL) on
 * name in it: a link there followed when follow (anchored_name's names,
 * which the kernel owns), never otherwise (a directory this run just
 * made: resolve_mkdirs_named).  0 or -errno. */
int mnt_attach(int tree_fd, int target_fd, const char *name, int follow)
{
	if (name && !follow && fault_check("named"))
		return -EIO;
	if (sys_move_mount(tree_fd, "", target_fd, name ? name : "",
			   K_MOVE_MOUNT_F_EMPTY_PATH |
			   (name ? (follow ? K_MOVE_MOUNT_T_SYMLINKS : 0) : K_MOVE_MOUNT_T_EMPTY_PATH)) < 0)
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

/* A clone of src_dfd/src_path ("" for src_dfd itself), the whole tree
 * when recursive, with at's attributes and idmap set on it (on the whole
 * tree too) in one call: open_tree_attr(2), Linux 6.15, where open_tree
 * and mount_setattr are two.  Only where that is what the two calls do:
 * attributes to set, and recursive ones on a recursive clone (a single
 * mount's clone has nothing beneath it).  A kernel or filter without the
 * call (ENOSYS, EPERM: then not asked again) or any other failure, and
 * the caller makes the two calls, which report what fails (but for a
 * missing source, -ENOENT).  fd, -errno, or -ENOSYS when not tried. */
static int clone_with_attrs(struct exec_ctx *ctx, int src_dfd, const char *src_path,
			    int recursive, const struct mnt_attrs *at)
{
	struct k_mount_attr a = { 0 };
	unsigned flags = K_OPEN_TREE_CLONE | K_OPEN_TREE_CLOEXEC;
	int fd;

	if (ctx->legacy || ctx->no_setattr || ctx->no_open_tree_attr ||
	    !(at->set || at->clr || at->userns_fd >= 0) || (recursive && !at->recursive))
		return -ENOSYS;
	attr_fill(&a, at->set, at->clr, at->userns_fd);
	if (recursive)
		flags |= K_AT_RECURSIVE;
	if (!*src_path)
		flags |= K_AT_EMPTY_PATH;
	fd = (int)syscall(SYS_open_tree_attr, src_dfd, src_path, flags, &a, sizeof a);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		ctx->no_open_tree_attr = 1;
	return fd < 0 ? -errno : fd;
}

/* Bind src (src_dfd/src_path, "" for src_dfd itself; a host path with
 * AT_FDCWD) onto target_fd, the whole tree when recursive, then set
 * attributes (on the tree when attr_recursive), the idmap user namespace
 * (userns_fd >= 0) and propagation, as at says (NULL: none of them);
 * with at->root, *at->root gets a descriptor of the bind's root: the
 * attached clone's own, or in the fallback the bind found again and
 * checked (refind).  target is the path, for the fallback; at->name
 * (new API only) names the target in target_fd.  0 or -errno. */
int mnt_bind(struct exec_ctx *ctx, int src_dfd, const char *src_path,
	     int target_fd, const char *target, int recursive,
	     const struct mnt_attrs *at)
{
	static const struct mnt_attrs none = { .userns_fd = -1 };
	int t, r, top, done;

	if (!at)
		at = &none;
	/* (a plain bind by mount(2) on /proc/self/fd/N would be one call
	 * instead of two, but measured slower: 17.3 us a bind against 15.8
	 * with open_tree and move_mount, CPU: doc/executor.md, eighth pass) */
	t = clone_with_attrs(ctx, src_dfd, src_path, recursive, at);
	done = t >= 0;
	if (t == -ENOENT)
		return t; /* a missing source: not again by open_tree */
	if (!done)
		t = mnt_clone(ctx, src_dfd, src_path, recursive);
	if (t >= 0) {
		int later = 0;

		r = 0;
		if (!done && (at->set || at->clr || at->userns_fd >= 0))
			r = setattr_impl(ctx, t, at->set, at->clr, 0, at->recursive,
					 at->userns_fd, 0);
		if (r == -ENOSYS) /* open_tree without mount_setattr: remount */
			later = 1, r = 0;
		if (r == 0)
			r = mnt_attach(t, target_fd, at->name, at->follow);
		if (r == 0 && later)
			r = mnt_setattr(ctx, t, at->set, at->clr, 0, at->recursive,
					at->userns_fd);
		if (r == 0 && at->propagation)
			r = mnt_setattr(ctx, t, 0, 0, at->propagation, 0, -1);
		if (at->root)
			*at->root = t;
		close_later(t);
		return r;
	}
	if (t != -ENOSYS)
		return t;
	/* mount(2) fallback */
	if ((*src_path && src_dfd != AT_FDCWD) || at->name)
		return -EINVAL; /* callers pass a host path or a descriptor */
	r = mnt_legacy(ctx, src_path, *src_path ? -1 : src_dfd, target_fd, NULL,
		       MS_BIND | (recursive ? MS_REC : 0), NULL);
	if (r < 0)
		return r;
	if (!at->set && !at->clr && at->userns_fd < 0 && !at->propagation && !at->root)
		return 0;
	top = refind(ctx, target_fd, target, recursive);
	if (top < 0)
		return top;
	r = mnt_setattr(ctx, top, at->set, at->clr, at->propagation, at->recursive,
			at->userns_fd);
	if (at->root)
		*at->root = top;
	close_later(top);
	return r;
}
