/*
 * sys.h: the kernel interfaces the executor calls directly.
 *
 * musl 1.2.3 has the syscall numbers but neither wrappers nor constants for
 * the mount API and openat2, and glibc's <sys/mount.h> defines some of them
 * under the kernel's names; so the constants and structures below carry a
 * K_ prefix and every call is a raw syscall(2) returning -1 with errno.
 */
#ifndef MP_SYS_H
#define MP_SYS_H

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* fstatat(2) as the kernel has it, where its struct stat is libc's
 * (x86_64, aarch64): musl's wrapper (546 bytes of code, for kernels
 * before 3.6 and 32-bit time) is not linked.  k_fstat: of fd itself. */
#if defined(__x86_64__) || defined(__aarch64__)
static inline int k_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	return (int)syscall(SYS_newfstatat, dfd, path, st, flags);
}
#else
#define k_fstatat fstatat
#endif
static inline int k_fstat(int fd, struct stat *st)
{
	if (fd < 0) { /* not AT_FDCWD's working directory */
		errno = EBADF;
		return -1;
	}
	return k_fstatat(fd, "", st, AT_EMPTY_PATH);
}

/* open_tree(2) */
#define K_OPEN_TREE_CLONE 1u
#define K_OPEN_TREE_CLOEXEC 02000000u /* O_CLOEXEC */
#define K_AT_RECURSIVE 0x8000u
#define K_AT_EMPTY_PATH 0x1000u
#define K_AT_SYMLINK_NOFOLLOW 0x100u

/* move_mount(2) */
#define K_MOVE_MOUNT_F_EMPTY_PATH 0x04u
#define K_MOVE_MOUNT_T_SYMLINKS 0x10u
#define K_MOVE_MOUNT_T_EMPTY_PATH 0x40u

/* fsopen(2), fsconfig(2), fsmount(2) */
#define K_FSOPEN_CLOEXEC 0x1u
#define K_FSCONFIG_SET_FLAG 0u
#define K_FSCONFIG_SET_STRING 1u
#define K_FSCONFIG_CMD_CREATE 6u
#define K_FSMOUNT_CLOEXEC 0x1u

/* mount_setattr(2) */
struct k_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* openat2(2) */
struct k_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define K_RESOLVE_NO_XDEV 0x01u
#define K_RESOLVE_NO_MAGICLINKS 0x02u
#define K_RESOLVE_NO_SYMLINKS 0x04u
#define K_RESOLVE_BENEATH 0x08u
#define K_RESOLVE_IN_ROOT 0x10u

#define K_CGROUP2_SUPER_MAGIC 0x63677270u
#define K_TMPFS_MAGIC 0x01021994u

/* keyctl(2): a new anonymous session keyring */
#define K_KEYCTL_JOIN_SESSION_KEYRING 1

/* removexattrat(2), Linux 6.13: the same number on every architecture */
#ifndef SYS_removexattrat
#define SYS_removexattrat 466
#endif

/* listmount(2) (Linux 6.8; one number on every architecture but alpha) */
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
/* open_tree_attr(2) (Linux 6.15; one number on every architecture) */
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
/* statmount(2) (Linux 6.8; one number on every architecture but alpha) */
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#define K_STATMOUNT_MNT_BASIC 0x2u

struct k_mnt_id_req {
	uint32_t size; /* 24: the first version's fields */
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
};

/* memfd_create(2): an executable memfd whatever vm.memfd_noexec says (6.3) */
#define K_MFD_EXEC 0x10u

/* perf_event_open(2), for --trace's syscall count: the first fields of
 * struct perf_event_attr (the rest zero), counting a tracepoint. */
struct k_perf_event_attr {
	uint32_t type;
	uint32_t size;
	uint64_t config;
	uint64_t rest[14];     /* 128 bytes in all (PERF_ATTR_SIZE_VER7) */
};
#define K_PERF_TYPE_TRACEPOINT 2u
#define K_PERF_FLAG_FD_CLOEXEC 8ul

/* Thin raw-syscall wrappers: -1 and errno on failure, as libc does. */
static inline int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dfd, path, flags);
}
static inline int sys_move_mount(int from_dfd, const char *from, int to_dfd,
				 const char *to, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}
static inline int sys_fsopen(const char *fstype, unsigned flags)
{
	return (int)syscall(SYS_fsopen, fstype, flags);
}
static inline int sys_fsconfig(int fd, unsigned cmd, const char *key,
			       const char *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}
static inline int sys_fsmount(int fd, unsigned flags, unsigned attrs)
{
	return (int)syscall(SYS_fsmount, fd, flags, attrs);
}
static inline int sys_mount_setattr(int dfd, const char *path, unsigned flags,
				    struct k_mount_attr *attr)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr,
			    sizeof(*attr));
}
static inline int sys_openat2(int dfd, const char *path, struct k_open_how *how)
{
	return (int)syscall(SYS_openat2, dfd, path, how, sizeof(*how));
}
/* openat2, retried on EAGAIN: a scoped lookup (RESOLVE_IN_ROOT,
 * RESOLVE_BENEATH) that walks ".." fails with EAGAIN when any rename or
 * mount happened meanwhile, so a renaming racer could otherwise stop the
 * container from starting.  Bounded: a racer cannot make us spin forever. */
#define OPENAT2_TRIES 128
static inline int openat2_retry(int dfd, const char *path, struct k_open_how *how)
{
	int fd = -1;

	for (int k = 0; k < OPENAT2_TRIES; k++) {
		fd = sys_openat2(dfd, path, how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}
static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}
static inline int sys_perf_event_open(struct k_perf_event_attr *attr)
{
	/* this thread, any cpu, no group */
	return (int)syscall(SYS_perf_event_open, attr, 0, -1, -1,
			    K_PERF_FLAG_FD_CLOEXEC);
}
static inline int sys_removexattrat(int dfd, const char *path, unsigned flags,
				    const char *name)
{
	return (int)syscall(SYS_removexattrat, dfd, path, flags, name);
}
static inline int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

#endif
