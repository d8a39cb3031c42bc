/*
 * exec.h: the executor's internal interfaces (mountplan-exec).
 *
 * One struct exec_ctx carries the replay state; every op function takes it
 * and the decoded op, and returns 0 or a negative errno (with ctx->detail
 * optionally naming a cause errno cannot express).  Only replay.c prints
 * an op's failure, so every error has the one-line form of doc/executor.md.
 */
#ifndef MP_EXEC_H
#define MP_EXEC_H

#include <stdint.h>
#include <sys/types.h>
#include "mpb.h"

/* ctx->cwd_fd besides fd_dir: the working directory is home (the root,
 * CHDIR's, or the caller's before ROOTFS), or away in a mount target. */
#define CWD_HOME (-1)
#define CWD_AWAY (-2)

/* Replay state (one per process). */
/* A directory this run made (parent_fresh): empty; FRESH_CLEAN also when
 * it is a new filesystem's root or was made in one, so no default ACL of
 * the image's reaches what is created in it (ops_node.c). */
#define FRESH_MADE 1
#define FRESH_CLEAN 2

/* New mounts kept as anchors (ctx->anchor_*): at most this many. */
#define MAX_ANCHORS 16

/* The ops whose target makes a mount at or above it an anchor (MKNOD,
 * SYMLINK, MASK, HOLE_SAVE, READONLY, HOLE_RESTORE, SETATTR, CHDIR,
 * HOSTDEV: changed_under), as bits 1 << opcode; a run lists them all,
 * sorted by target, in the spare memory after the plan (changes_list). */
#define CHANGE_OPS (1u << MP_OP_MKNOD | 1u << MP_OP_SYMLINK | 1u << MP_OP_MASK | \
		    1u << MP_OP_HOLE_SAVE | 1u << MP_OP_READONLY | 1u << MP_OP_HOLE_RESTORE | \
		    1u << MP_OP_SETATTR | 1u << MP_OP_CHDIR | 1u << MP_OP_HOSTDEV)

/* A CHANGE_OPS op of the plan: its target (string offset) and index. */
struct change {
	uint32_t target, index;
};

struct exec_ctx {
	const struct mpb *plan;
	const char *rootfs;    /* --rootfs, or the plan's ROOTFS source */
	int rootfs_fd;         /* O_PATH: the rootfs directory on the host */
	int root_fd;           /* O_PATH: the rootfs bind (before PIVOT) or "/" */
	int host_fd;           /* O_PATH: "/" as the executor found it (HOSTDEV), or -1 */
	int hostns_fd;         /* its mount namespace, kept alive (or -1) */
	int devnull_fd;        /* O_PATH: the container's checked /dev/null, or -1 */
	int proc_fd;           /* O_PATH: the host's procfs (checked), opened
				  before ROOTFS; every magic link and proc
				  file goes through it */
	int mask_fd;           /* the read-only tmpfs of the first masked
				  directory, cloned for every other one, or -1 */
	int parent_fd;         /* O_PATH: the directory parent_path names, where
				  the last path was created (resolve.c), kept
				  until an op mounts on it or above it, or -1 */
	int parent_fresh;      /* parent_fd is a directory this run made:
				  FRESH_MADE, or FRESH_CLEAN within a new
				  filesystem; 0: the image's */
	int clean_sgid;        /* the root of the last FRESH_CLEAN tree (a new
				  tmpfs kept by op_mount) is setgid */
	int trace_fd;          /* --trace: the syscall counter, or -1 */
	int high_fd;           /* the highest fd resolve() returned since the
				  last fd sweep */
	long long t0_us;       /* --trace: when main started */
	int slots[MP_MAX_SLOTS]; /* HOLE_SAVE clones, -1 when empty */
	int anchor_fd[MAX_ANCHORS]; /* roots of new mounts (MOUNT, BIND,
				  READONLY) that later CHANGE_OPS' targets lie
				  at or beneath: every path there is resolved
				  from them (resolve) */
	const char *anchor_path[MAX_ANCHORS]; /* their targets */
	char anchor_kernel[MAX_ANCHORS]; /* the anchor is a new proc or sysfs
				  (anchored_name) */
	int anchors;           /* how many */
	const struct change *changes; /* the plan's CHANGE_OPS, sorted by
				  target (changes_list, changed_under) */
	uint32_t n_changes;    /* how many there are */
	int trace;             /* --trace */
	int userns;            /* --userns */
	int fresh;             /* (v2) the root is ROOTFS's new filesystem */
	int userns_fd;         /* (v2) NAMESPACES' user namespace, made at ROOTFS, or -1 */
	const char *cgroups;   /* (v2) /proc/self/cgroup as read before a cgroup namespace */
	int init;              /* (v2) stay pid 1, run the command as pid 2 */
	int legacy;            /* use mount(2) on /proc/self/fd/N */
	int pivoted;           /* PIVOT ran: "/proc" is no longer the host's */
	int fd_dir;            /* O_PATH: the host's self/fd (fd_name), or -1 */
	int cwd_fd;            /* the working directory: fd_dir, parent_fd
				  (a mount(2) by name in it), CWD_HOME, or
				  CWD_AWAY (a mount(2) target: cwd_at) */
	int home_fd;           /* CHDIR's directory, held, or -1 (the root) */
	int cond_held;         /* (v2) some COND holds (cond.c reads its bits only then) */
	int no_mnt_id;         /* statx tells no mount id (before Linux 5.8):
				  self/fdinfo does (mnt.c) */
	int no_listmount;      /* listmount(2) cannot answer (before Linux 6.8,
				  or refused): the fallback reads mountinfo */
	int shared;            /* a mount of the namespace may be shared (ROOTFS's
				  propagation, or an op's) */
	int no_open_tree_attr; /* open_tree_attr(2) is missing (before 6.15) or
				  refused: open_tree + mount_setattr (mnt.c) */
	int no_setattr;        /* the kernel lacks mount_setattr (5.2-5.11):
				  attributes by remount, the rest new API */
	int umask_set;         /* an UMASK op ran */
	mode_t umask0;         /* the caller's umask */
	uint32_t null_stdio;   /* bit i: fd i was the host's /dev/null */
	uint32_t index;        /* op being replayed */
	const char *detail;    /* replaces strerror in the op's message */
	const char *note;      /* --trace: what the op did ("skipped: missing") */
	/* the two long buffers last: the fields above share a page (fewer
	 * stack pages touched, shorter field offsets) */
	char parent_path[MP_MAX_PATH + 1]; /* what parent_fd names */
	char why[MP_MAX_PATH + 96]; /* room for a detail naming a path */
};

/* replay.c: replay of a checked plan, dry-run listing, --trace totals. */
int replay(struct exec_ctx *ctx);
int print_plan(const struct mpb *plan, const char *rootfs);
void report(const struct exec_ctx *ctx, const struct mp_op *op, const char *tail);
void fd_sweep(const struct exec_ctx *ctx, int extra);
void trace_start(struct exec_ctx *ctx);
void trace_totals(struct exec_ctx *ctx);

/* An O_CLOEXEC descriptor an op no longer needs: left open for the sweep
 * replay() makes with close_range once descriptor numbers grow (or for
 * execve), rather than one close(2) each.  Only descriptors held in ctx
 * survive the sweep. */
#define close_later(fd) ((void)(fd))

/* Note fd as opened (for the sweep): every op that opens descriptors
 * passes its highest one here (resolve() does), so none piles up beyond
 * a few between two sweeps. */
static inline int fd_seen(struct exec_ctx *ctx, int fd)
{
	if (fd > ctx->high_fd)
		ctx->high_fd = fd;
	return fd;
}

/* ops_setup.c: ops before PIVOT that make the tree. */
int op_rootfs(struct exec_ctx *ctx, const struct mp_op *op);
int op_mount(struct exec_ctx *ctx, const struct mp_op *op);
int op_bind(struct exec_ctx *ctx, const struct mp_op *op);
int op_cgroup(struct exec_ctx *ctx, const struct mp_op *op);
int op_pivot(struct exec_ctx *ctx, const struct mp_op *op);
uint64_t mount_id(int fd);
uint64_t mount_id_unique(int fd);

/* detach.c: the host's mounts out of the way of a move or chroot PIVOT. */
int detach_outside(struct exec_ctx *ctx);

/* ops_node.c: device nodes and symlinks. */
int op_mknod(struct exec_ctx *ctx, const struct mp_op *op);
int node_make(struct exec_ctx *ctx, const struct mp_op *op, const char *target,
	      const char *host);
int op_symlink(struct exec_ctx *ctx, const struct mp_op *op);
int link_make(struct exec_ctx *ctx, const char *target, const char *contents);

/* ops_late.c: ops after PIVOT (and SETATTR, which may stand anywhere). */
int op_mask(struct exec_ctx *ctx, const struct mp_op *op);
int op_hole_save(struct exec_ctx *ctx, const struct mp_op *op);
int op_readonly(struct exec_ctx *ctx, const struct mp_op *op);
int op_hole_restore(struct exec_ctx *ctx, const struct mp_op *op);
int op_setattr(struct exec_ctx *ctx, const struct mp_op *op);
int op_umask(struct exec_ctx *ctx, const struct mp_op *op);
int op_namespaces(struct exec_ctx *ctx, const struct mp_op *op);
int op_chdir(struct exec_ctx *ctx, const struct mp_op *op);

/* pidns.c: (v2) pid and ipc namespaces, the minimal init. */
int pidns_enter(struct exec_ctx *ctx, const struct mp_op *op);
void init_fork(void);

/* hostdev.c: (v2) device nodes like the host's, one or a glob. */
int op_hostdev(struct exec_ctx *ctx, const struct mp_op *op);
void best_effort_skip(struct exec_ctx *ctx, const struct mp_op *op,
		      const char *what, int r);

/* cond.c: host conditions (v2), tested before ROOTFS; op_cond returns 1
 * to skip the ops. */
int conds_prepare(struct exec_ctx *ctx);
int op_cond(struct exec_ctx *ctx, const struct mp_op *op);

/* resolve.c: paths inside the root, never escaping it. */
int resolve_from(struct exec_ctx *ctx, const char *path, int oflags, int below_only);
void anchor_set(struct exec_ctx *ctx, const char *path, int keep, int fd, int kernel);
const char *anchored_name(const struct exec_ctx *ctx, const char *path, int *dir);
void changes_list(struct exec_ctx *ctx);
int changed_under(const struct exec_ctx *ctx, const char *path);
/* resolve_from at or beneath an anchor. */
#define resolve(ctx, path, oflags) resolve_from(ctx, path, oflags, 0)
int resolve_parent(struct exec_ctx *ctx, const char *path, int create,
		   const char **name);
int resolve_mkdirs(struct exec_ctx *ctx, const char *path, int as_file);
int resolve_mkdirs_named(struct exec_ctx *ctx, const char *path, int *made,
			 const char **name);
int named_fd(struct exec_ctx *ctx, int parent, const char **name);
int open_beneath(int dir_fd, const char *name);
void parent_keep(struct exec_ctx *ctx, const char *path, size_t n, int fd,
		 int fresh);

/* mnt.c: mounting on descriptors, with the mount(2) fallback. */
struct mnt_attrs {
	uint32_t set, clr;     /* MP_ATTR_* */
	int recursive;         /* set/clr on the whole tree */
	int userns_fd;         /* idmap user namespace, or -1 */
	uint32_t propagation;  /* MP_PROP_*, 0 to leave */
	int *root;             /* not NULL: gets the new mount's root (mnt_bind) */
	const char *name;      /* not NULL: the target is this name in
				  target_fd (mnt_bind, new API only) */
	int follow;            /* a link at name followed (anchored_name) */
};
int mnt_make(struct exec_ctx *ctx, const char *fstype, const char *source,
	     const char *data, uint32_t attr_set);
#define MNT_NEW_COPYUP 1u  /* mnt_new: copy the target's contents in first */
#define MNT_NEW_SB_HELD 2u /* its superblock exists and is held */
#define MNT_NEW_SB_RO 4u   /* read-only superblock by mount(2), checked by the caller */
int mnt_new(struct exec_ctx *ctx, const char *fstype, const char *source,
	    const char *data, uint32_t attr_set, unsigned how, int target_fd,
	    const char *name, const char *target, int *root);
int mnt_clone(struct exec_ctx *ctx, int src_dfd, const char *src_path,
	      int recursive);
int mnt_attach(int tree_fd, int target_fd, const char *name, int follow);
uint32_t mnt_attrs_now(int fd);
char *mountinfo_read(struct exec_ctx *ctx, size_t *cap);
char *mountinfo_next(char **line);
/* One line of self/mountinfo: ids, mount point and filesystem type. */
struct mnt_line {
	uint64_t id, parent;
	char *point, *fstype;
};
/* A snapshot of self/mountinfo: its text and its lines. */
struct mnt_table {
	char *buf;
	size_t cap;
	struct mnt_line *lines;
	size_t n, max;
};
int mnt_table_read(struct exec_ctx *ctx, struct mnt_table *t);
void mnt_table_free(struct mnt_table *t);
struct mnt_line *mnt_table_find(const struct mnt_table *t, uint64_t id);
int mnt_table_under(const struct mnt_table *t, const struct mnt_line *l, uint64_t top);
int fd_name(struct exec_ctx *ctx, int fd, char buf[32]);
int cwd_home(struct exec_ctx *ctx, int fd);
int cwd_at(struct exec_ctx *ctx, int fd);
int mnt_legacy(struct exec_ctx *ctx, const char *src, int src_fd, int target_fd,
	       const char *fstype, unsigned long flags, const char *data);
int mnt_setattr(struct exec_ctx *ctx, int fd, uint32_t set, uint32_t clr,
		uint32_t propagation, int recursive, int userns_fd);
int mnt_bind(struct exec_ctx *ctx, int src_dfd, const char *src_path,
	     int target_fd, const char *target, int recursive,
	     const struct mnt_attrs *at);
void fd_path(char buf[32], int fd);
void race_pause(const char *var);

/* A linux_dirent64 record as getdents64(2) returns it. */
struct dirent64_rec {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* copyup.c: tmpfs copy-up. */
int copy_tree(struct exec_ctx *ctx, int from_dir, int to_dir);

/* userns.c: user namespaces. */
int userns_enter(struct exec_ctx *ctx);
int userns_for_idmap(struct exec_ctx *ctx, const char *mapping);
int namespaces_prepare(struct exec_ctx *ctx);
int plan_userns(const struct mpb *plan);

/* process.c: descriptors, stdio, the console, proc files. */
int stdio_ensure(uint32_t *null_mask);
int close_inherited(int keep);
int reopen_null_stdio(struct exec_ctx *ctx);
int console_open(struct exec_ctx *ctx);
int container_devnull(struct exec_ctx *ctx);
int proc_open(void);
int proc_read(struct exec_ctx *ctx, const char *rel, char *buf, size_t size);
int proc_reopen(struct exec_ctx *ctx, int fd, int oflags);
void exec_reset(struct exec_ctx *ctx);
int tty_detach(void);
int keyring_detach(void);
int exe_sealed(struct exec_ctx *ctx, char **argv, char **envp);
int undumpable(void);

/* fmt.c: a small snprintf subset and a write(2) printer. */
size_t fmt(char *buf, size_t size, const char *f, ...);
int say(int fd, const char *f, ...);
long fmt_decimal(const char *s, const char **end);

/* planfile.c: read the plan file safely (path is written to while its
 * directories are checked, and left as it was). */
int planfile_read(struct exec_ctx *ctx, char *path, uint8_t **buf, size_t *size,
		  const char **why);

#endif
