/*
 * mp_ops.h: the mountplan op set, versions 1 and 2.
 *
 * The executor defines what can be replayed, as a VM defines its bytecode;
 * the compiler includes this header and emits nothing else.  One block per
 * opcode below documents its operands; doc/mpb-format.md is the file format
 * around these records and doc/ops.md is generated from nothing but this
 * header's blocks (keep them in the "Opcode:" form).
 *
 * An op record has fixed fields.  String fields hold an offset into the
 * string table, 0 meaning "none" (offset 0 is always the empty string).
 * Numeric fields an op does not use must be 0, and flag bits an op does
 * not define must be clear: the decoder refuses anything else.
 *
 * Version 2 adds opcodes, flags and field uses, each marked "(v2)" below.
 * A file declares the version it needs: 1 unless one of its ops uses a v2
 * addition (mp_op_version() in mpb.h says which), so a version-1 plan
 * compiles to the bytes it always did, and a reader refuses a v2 addition
 * in a file that says version 1.
 */
#ifndef MP_OPS_H
#define MP_OPS_H

#include <stdint.h>

#define MP_MAGIC "MPB\0\r\n\032\n"   /* 8 bytes, NUL included */
#define MP_MAGIC_LEN 8
#define MP_VERSION 2                  /* newest format version this header describes */
#define MP_HEADER_SIZE 64             /* bytes */
#define MP_OP_SIZE 56                 /* bytes per op record on disk */
#define MP_SRCPOS_SIZE 12             /* bytes per source map record */
#define MP_TRAILER_SIZE 4             /* CRC-32 of everything before it */
#define MP_MAX_FILE_SIZE (64u << 20)  /* executor refuses larger plans */
#define MP_MAX_OPS 1000000u
#define MP_MAX_PATH 4095              /* bytes in a path, NUL excluded */
#define MP_MAX_SLOTS 64               /* hole slots (HOLE_SAVE/HOLE_RESTORE) */
#define MP_MAX_GLOB 4096              /* (v2) host nodes one HOSTDEV glob makes */

/* Opcodes.  Values are part of the file format: never renumber. */
enum mp_opcode {
	MP_OP_INVALID = 0,
	MP_OP_ROOTFS = 1,
	MP_OP_MOUNT = 2,
	MP_OP_BIND = 3,
	MP_OP_CGROUP = 4,
	MP_OP_MKNOD = 5,
	MP_OP_SYMLINK = 6,
	MP_OP_PIVOT = 7,
	MP_OP_MASK = 8,
	MP_OP_HOLE_SAVE = 9,
	MP_OP_READONLY = 10,
	MP_OP_HOLE_RESTORE = 11,
	MP_OP_SETATTR = 12,
	MP_OP_UMASK = 13,
	MP_OP_CHDIR = 14,
	MP_OP_COND = 15, /* (v2) */
	MP_OP_NAMESPACES = 16, /* (v2) */
	MP_OP_HOSTDEV = 17, /* (v2) */
	MP_OP_MAX
};

/*
 * Opcode: ROOTFS  source=default-rootfs  propagation=root-propagation
 *                 [fstype data attr_set attr_clr aux=namespaces (v2)]
 *   Always op 0, exactly once.  Sets the propagation of every mount in the
 *   new mount namespace (the namespace's "/", recursively; default
 *   MS_SLAVE|MS_REC) so nothing reaches the host, makes the rootfs's parent
 *   mount private if it is shared, and bind-mounts the rootfs (recursively)
 *   onto itself.  source is the plan's rootfs.path, or 0 when the plan has
 *   none (then --rootfs is required).
 *   (v2) With fstype, the root is a new filesystem instead (a fresh tmpfs,
 *   an overlay of image layers ...): fstype, source (its "source"
 *   parameter, any string, 0: none), data (its parameters, e.g. overlay's
 *   lowerdir=...,upperdir=...,workdir=..., host paths the kernel resolves)
 *   and attr_set/attr_clr as for MOUNT.  It is made with fsopen/fsmount
 *   and attached on top of the namespace's "/" (made private first when
 *   the propagation is shared), where path lookups from the executor's
 *   root still see the host below it, so BIND sources and COND tests are
 *   the host's until PIVOT; PIVOT then makes it the root (MS_MOVE is
 *   skipped: it is already on "/").  --rootfs DIR overrides it with DIR.
 *   Needs the new mount API (Linux 5.2): there is no mount(2) fallback.
 *   (v2) aux holds MP_NS_* bits: new pid (MP_NS_PID) and ipc (MP_NS_IPC)
 *   namespaces, entered after the user namespace of --userns (so it owns
 *   them) and before anything is mounted.  With MP_NS_PID the executor
 *   forks: the child, pid 1 of the new namespace, replays the plan (a proc
 *   it mounts is its own namespace's) and execs the command as pid 1; the
 *   parent stays outside, forwards every signal it can catch to the child
 *   and exits with its status (by the same signal when it was killed).
 *   With MP_NS_INIT (needs MP_NS_PID) pid 1 stays the executor, a minimal
 *   init: the command runs as pid 2; pid 1 forwards signals to it, reaps
 *   every child and exits with the command's status (128+N for signal N).
 *
 * Opcode: MOUNT  target fstype source data attr_set attr_clr propagation flags
 *   A new filesystem instance of fstype (fsopen/fsconfig/fsmount), with
 *   source as its "source" parameter (0: none), data as its comma-separated
 *   filesystem parameters (0: none), attr_set/attr_clr as MOUNT_ATTR_* bits,
 *   then propagation (0: leave).  MP_F_MKDIR creates a missing target
 *   directory (one component at a time, inside the rootfs; a dangling
 *   symlink on the way is followed inside the root, as runc does).  A tmpfs
 *   without mode= over an existing directory takes its mode and (unless
 *   data names them) owner, as runc and crun do; one on a created
 *   directory keeps the tmpfs defaults.  proc and sysfs are refused on a target reached
 *   through a symlink in the rootfs.  (v2) MP_F_LABEL: data's last
 *   parameter is context="LABEL" (the plan's SELinux mount label), left
 *   out where the host has no SELinux (no /sys/fs/selinux/enforce), as
 *   crun does.  A value in double quotes may hold commas.  MP_F_TMPCOPYUP
 *   (tmpfs only) copies the target directory's contents into the new tmpfs.
 *
 * Opcode: BIND  target source data attr_set attr_clr propagation flags
 *   Bind-mounts the host path source (resolved on the host, before pivot)
 *   onto target: open_tree(OPEN_TREE_CLONE [|AT_RECURSIVE with
 *   MP_F_RECURSIVE]).  attr_set/attr_clr apply to the top mount, or to the
 *   whole tree with MP_F_ATTR_RECURSIVE.  A missing target is created as a
 *   directory or an empty file to match the source (MP_F_MKDIR).
 *   The source is opened without following a symlink in any component
 *   (openat2 RESOLVE_NO_SYMLINKS: a shared volume cannot redirect it to a
 *   host file, CVE-2017-1002101, CVE-2021-25741); MP_F_FOLLOW (v2) follows
 *   them as mount(8) does.
 *   MP_F_OPTIONAL skips the op when source does not exist.  With
 *   MP_F_IDMAP, data holds the mapping "uid=C:H:N[,C:H:N...];gid=C:H:N..."
 *   and MOUNT_ATTR_IDMAP is in attr_set.  (v2, crun's options)
 *   MP_F_SRC_NOFOLLOW: a source that is a symlink is bound itself, not
 *   what it points to; MP_F_DEST_NOFOLLOW: a symlink at the target (last
 *   component) is mounted on, not followed; MP_F_COPY_SYMLINK: a source
 *   that is a symlink becomes a symlink with the same contents at target
 *   (no mount; a missing target only).
 *
 * Opcode: CGROUP  target fstype attr_set attr_clr propagation flags
 *   fstype is "cgroup2" or "cgroup".  On a unified host a cgroup2 instance
 *   (namespaced to the caller's cgroup); on a v1/hybrid host a tmpfs at
 *   target holding a read-only bind of the caller's own cgroup for each
 *   mounted controller.  On EPERM/EBUSY, binds of the host's hierarchy.
 *
 * Opcode: MKNOD  target mode major minor uid gid flags
 *   mode holds the file type (S_IFCHR, S_IFBLK or S_IFIFO) and permission
 *   bits; created under umask 0 and chowned to uid:gid.  An existing node
 *   must have the same type and numbers, or the op fails.  MP_F_BIND_FALLBACK
 *   binds the host's node when mknod is not allowed (EPERM, as in a user
 *   namespace); MP_F_BIND_ONLY always binds it.  (v2) MP_F_BEST_EFFORT:
 *   a failure is reported on stderr and the op skipped (as HOSTDEV's).
 *
 * Opcode: SYMLINK  target source
 *   Creates the symlink target with contents source (not resolved).  An
 *   existing symlink with the same contents is accepted.
 *
 * Opcode: PIVOT  flags
 *   Makes the rootfs the root: MP_F_PIVOT_ROOT (pivot_root(".", ".") then
 *   detach the old root), MP_F_PIVOT_MOVE (MS_MOVE onto "/" then chroot) or
 *   MP_F_PIVOT_CHROOT (chroot only).  Exactly one PIVOT; every op after it
 *   resolves targets against the new root.
 *
 * Opcode: MASK  target
 *   (MASK, READONLY, the holes and SETATTR: a target at or beneath a
 *   MOUNT's or a BIND's is found from that mount's own descriptor, not by
 *   path; after a READONLY, from its own: see doc/executor.md, Resolution.)
 *   Hides target: a file or device is covered by a bind of the container's
 *   /dev/null (checked on the opened descriptor to be char 1:3); a
 *   directory by a read-only empty tmpfs, one for every masked directory
 *   (the first MASK's, bound on the others, as runc does).  A missing target is skipped.
 *
 * Opcode: HOLE_SAVE  target aux=slot
 *   Clones the mount at target (open_tree OPEN_TREE_CLONE|AT_RECURSIVE) into
 *   slot before a READONLY makes its tree read-only.  target lies beneath
 *   that READONLY's target (the first READONLY after it, past other
 *   HOLE_SAVEs; mpb_open refuses a plan where it does not): the READONLY's target is resolved as
 *   READONLY resolves it, the rest of target beneath it with no symlink
 *   followed (one is refused: a link in the tree made read-only could name
 *   the read-only path itself, or another, and make it writable).
 *   Missing: slot empty.
 *
 * Opcode: READONLY  target
 *   Makes target and everything mounted beneath it read-only: a recursive
 *   bind of target onto itself, then MOUNT_ATTR_RDONLY with AT_RECURSIVE.
 *   A missing target is skipped.
 *
 * Opcode: HOLE_RESTORE  target aux=slot
 *   Attaches the clone held in slot at target again (move_mount), so target
 *   stays writable inside a read-only tree.  target is resolved as for
 *   HOLE_SAVE (from the last READONLY before it, past other
 *   HOLE_RESTOREs) and must be the directory saved (same device and
 *   inode), else refused.  An empty slot is skipped.
 *
 * Opcode: SETATTR  target attr_set attr_clr propagation flags
 *   Changes the attributes (mount_setattr) of the mount at target, of its
 *   whole tree with MP_F_ATTR_RECURSIVE; the read-only root is a SETATTR of
 *   "/" with MOUNT_ATTR_RDONLY.
 *
 * Opcode: UMASK  mode
 *   Sets the umask the command starts with.
 *
 * Opcode: CHDIR  target
 *   Sets the directory the command starts in (resolved inside the root).
 *
 * Opcode: COND  source mode aux=count flags  (v2)
 *   A condition on the host, tested once before ROOTFS (before any
 *   namespace is entered or anything mounted) and applied when the op is
 *   replayed: the next count ops (at least 1, none of them ROOTFS, PIVOT
 *   or COND, all inside the file) run only when it holds, and are skipped
 *   otherwise; a test that cannot be answered (an error other than a
 *   missing path) ends the run then, before anything changed, with the
 *   COND op's error line.  The test: the
 *   host path source exists (mode 0) or is of the file type in mode (an
 *   MP_IF* value).  source is resolved from the executor's root in the
 *   caller's mount namespace, so a COND after PIVOT still sees the host
 *   and never the rootfs; symlinks are followed except for the last
 *   component when mode is MP_IFLNK.  MP_F_NOT inverts the result.  A further test will
 *   use a field COND leaves zero today (so a reader refuses it), not a new
 *   opcode; the plan's `when:` mapping grows a key for it.
 */

/*
 * Opcode: NAMESPACES  data flags  (v2)
 *   The namespaces the command runs in besides the mount namespace; at
 *   most one, after PIVOT.  MP_F_CGROUPNS: a new cgroup namespace, made
 *   when ROOTFS runs (before any mount, so a cgroup2 mount shows the
 *   caller's cgroup as its root; the cgroups a v1 CGROUP binds are read
 *   before it).  MP_F_USERNS: a new user namespace with data's mapping
 *   ("uid=C:H:N[,...];gid=C:H:N[,...]", as BIND's idmap), made when ROOTFS
 *   runs (while the host's /proc is at hand) and entered at this op, after
 *   every mount: the executor mounts as the caller (so bind sources the
 *   container's ids cannot reach still mount, as runtimes open them before
 *   entering), and the command starts as the namespace's root (uid and
 *   gid 0, no supplementary groups).
 */

/*
 * Opcode: HOSTDEV  target source mode uid gid flags  (v2)
 *   A device node like the host's: the host node source is opened before
 *   PIVOT from the executor's starting root (ctx host fd, RESOLVE_IN_ROOT,
 *   no symlink followed in any component, O_PATH), and its type, numbers
 *   and permission bits are read from that descriptor; anything but a
 *   character or block device, or a node with setuid or setgid bits, is
 *   refused.  The node is then made at target as MKNOD makes one (the
 *   same checks on what the rootfs has there, the same policy flags
 *   BIND_FALLBACK and BIND_ONLY; a bind opens the host path again in the
 *   executor's namespace and checks it has the type and numbers read),
 *   with mode's permission bits instead of the host's when mode is not 0,
 *   owned by uid:gid.
 *   MP_F_GLOB: source's last component is a pattern (`*`, `?`, `[...]`
 *   with ranges and `!`; a leading `.` only matched by a `.`; never `.` or
 *   `..`) over the entries of its directory (read with getdents64, never following a
 *   symlink; at most MP_MAX_GLOB matches); each matching node is made
 *   as above at target/NAME, target being the container directory.  No
 *   match is not an error.  An entry that matches and is not a device
 *   node (a symlink, a regular file) is refused like a single one.
 *   MP_F_BEST_EFFORT: a node that fails (missing, refused, mknod or bind
 *   failing) is reported on stderr (one line, the op's form, ending
 *   "(skipped: best-effort)") and skipped; the op goes on with the next
 *   match.  Without it the first failure fails the op.
 */

/* Flag bits (the 16-bit flags field); each op accepts only its own. */
#define MP_F_MKDIR 0x0001          /* MOUNT, BIND: create a missing target */
#define MP_F_RECURSIVE 0x0002      /* BIND: rbind */
#define MP_F_ATTR_RECURSIVE 0x0004 /* BIND, SETATTR, CGROUP: attrs on the whole tree */
#define MP_F_OPTIONAL 0x0008       /* BIND: skip when the source is missing */
#define MP_F_TMPCOPYUP 0x0010      /* MOUNT (tmpfs): copy the target's contents up */
#define MP_F_IDMAP 0x0020          /* BIND: data holds an id mapping */
#define MP_F_BIND_FALLBACK 0x0040  /* MKNOD: bind the host's node on EPERM */
#define MP_F_BIND_ONLY 0x0080      /* MKNOD: always bind the host's node */
#define MP_F_PIVOT_ROOT 0x0100     /* PIVOT: pivot_root(".", ".") */
#define MP_F_PIVOT_MOVE 0x0200     /* PIVOT: MS_MOVE + chroot */
#define MP_F_PIVOT_CHROOT 0x0400   /* PIVOT: chroot */
#define MP_F_FOLLOW 0x0800         /* BIND (v2): follow symlinks in source */
#define MP_F_NOT 0x4000            /* COND (v2): invert the test */
#define MP_F_USERNS 0x0800         /* NAMESPACES (v2): a user namespace, data's mapping */
#define MP_F_CGROUPNS 0x1000       /* NAMESPACES (v2): a cgroup namespace */
#define MP_F_LABEL 0x2000          /* MOUNT (v2): data's last parameter is an SELinux context= */
#define MP_F_SRC_NOFOLLOW 0x4000   /* BIND (v2): a symlink source is bound itself */
#define MP_F_DEST_NOFOLLOW 0x1000  /* BIND (v2): a symlink at the target is mounted on */
#define MP_F_COPY_SYMLINK 0x2000   /* BIND (v2): a symlink source is copied, not bound */
#define MP_F_GLOB 0x1000           /* HOSTDEV (v2): source's last component is a pattern */
#define MP_F_BEST_EFFORT 0x8000    /* HOSTDEV, MKNOD (v2): report a failure and go on */
#define MP_F_V2 0xf800             /* flag bits that need version 2 */

/* ROOTFS's aux (v2): the namespaces the plan asks for besides mount. */
#define MP_NS_PID 0x1u  /* a new pid namespace: the command is pid 1 */
#define MP_NS_IPC 0x2u  /* a new ipc namespace (mqueue mountable) */
#define MP_NS_INIT 0x4u /* with MP_NS_PID: the executor stays pid 1, an init */
#define MP_NS_ALL 0x7u

/* MOUNT_ATTR_* values (linux/mount.h), repeated so musl builds need no
 * kernel headers.  The file format stores these exact bits. */
#define MP_ATTR_RDONLY 0x00000001u
#define MP_ATTR_NOSUID 0x00000002u
#define MP_ATTR_NODEV 0x00000004u
#define MP_ATTR_NOEXEC 0x00000008u
#define MP_ATTR__ATIME 0x00000070u  /* the atime field: one of the three below */
/* How the compiler writes the atime choice (attr_set and attr_clr never
 * share a bit): noatime / strictatime are that value in attr_set; an
 * explicit relatime is MP_ATTR__ATIME in attr_clr (value 0 in attr_set).
 * mount_setattr wants MOUNT_ATTR__ATIME in attr_clr whenever the atime
 * field changes: the executor adds it when attr_set holds an atime value. */
#define MP_ATTR_RELATIME 0x00000000u
#define MP_ATTR_NOATIME 0x00000010u
#define MP_ATTR_STRICTATIME 0x00000020u
#define MP_ATTR_NODIRATIME 0x00000080u
#define MP_ATTR_IDMAP 0x00100000u
#define MP_ATTR_NOSYMFOLLOW 0x00200000u
#define MP_ATTR_ALL 0x003000ffu

/* Propagation values (the MS_* bits of mount(2)); a field holds 0 or one
 * of SHARED, SLAVE, PRIVATE, UNBINDABLE, optionally or'd with MP_PROP_REC. */
#define MP_PROP_REC 0x00004000u
#define MP_PROP_UNBINDABLE 0x00020000u
#define MP_PROP_PRIVATE 0x00040000u
#define MP_PROP_SLAVE 0x00080000u
#define MP_PROP_SHARED 0x00100000u

/* File type bits accepted in MKNOD's mode (S_IF* values). */
#define MP_IFCHR 0020000u
#define MP_IFBLK 0060000u
#define MP_IFIFO 0010000u
#define MP_IFMT 0170000u
/* Further file types a COND (v2) tests for. */
#define MP_IFREG 0100000u
#define MP_IFDIR 0040000u
#define MP_IFLNK 0120000u
#define MP_IFSOCK 0140000u

/*
 * One op as decoded (host byte order).  On disk the same fields follow in
 * this order, each little-endian: 2+2+4*13 = 56 bytes.
 */
struct mp_op {
	uint16_t opcode;      /* enum mp_opcode */
	uint16_t flags;       /* MP_F_* bits defined for this opcode */
	uint32_t target;      /* str: absolute clean path inside the rootfs */
	uint32_t source;      /* str: host path, fs source or link contents */
	uint32_t fstype;      /* str: filesystem type */
	uint32_t data;        /* str: filesystem parameters or id mapping */
	uint32_t attr_set;    /* MP_ATTR_* bits to set */
	uint32_t attr_clr;    /* MP_ATTR_* bits to clear */
	uint32_t propagation; /* MP_PROP_* or 0 */
	uint32_t mode;        /* MKNOD: type and permissions; UMASK: the umask;
				 COND: the file type (0: any); HOSTDEV:
				 permissions (0: the host's) */
	uint32_t major;       /* MKNOD: device major */
	uint32_t minor;       /* MKNOD: device minor */
	uint32_t uid;         /* MKNOD, HOSTDEV: owner */
	uint32_t gid;         /* MKNOD, HOSTDEV: group */
	uint32_t aux;         /* HOLE_SAVE, HOLE_RESTORE: slot; COND: count;
				 ROOTFS: MP_NS_* (v2) */
};

/* Source map record: where op i came from in the plan. */
struct mp_srcpos {
	uint32_t file; /* str: plan file name as given to the compiler */
	uint32_t line; /* 1-based */
	uint32_t col;  /* 1-based */
};

/* Name of an opcode ("MOUNT"), or NULL when out of range. */
const char *mp_opcode_name(unsigned opcode);

/* (v2) Does name (one directory entry) match HOSTDEV's pattern p (the
 * glob's last component; language above, at HOSTDEV)?  1 or 0
 * (executor/glob.c; the compiler predicts matches with it too). */
int mp_glob_match(const char *p, const char *name);

#endif
