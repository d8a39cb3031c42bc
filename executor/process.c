/*
 * process.c: the process around the mounts: inherited descriptors, stdio
 * on /dev/null, the console, the container's checked /dev/null, the
 * host's procfs (every magic link and proc file the executor reads goes
 * through it, never through the container's /proc), the controlling
 * terminal, signals, capabilities and dumpability before exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "exec.h"
#include "sys.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_ROOT_INO 1

/* Is st the null device (char 1:3)? */
static int is_null_device(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* Make sure fds 0, 1 and 2 are open (on /dev/null), so no descriptor the
 * executor opens later can land there, and set *null_mask to which of them
 * are the host's /dev/null (bit i for fd i).  A directory there (O_PATH
 * or not) is refused: the command would hold a host directory, a way out
 * of the root (CVE-2024-21626's leaked descriptor, on stdio).  One fstat
 * each.  0 or -errno (-EISDIR: a directory). */
int stdio_ensure(uint32_t *null_mask)
{
	struct stat st;

	*null_mask = 0;
	for (int fd = 0; fd < 3; fd++) {
		if (k_fstat(fd, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				return -EISDIR;
			if (is_null_device(&st))
				*null_mask |= 1u << fd;
			continue;
		}
		int n = openat(AT_FDCWD, "/dev/null", O_RDWR | O_NOCTTY);
		if (n < 0)
			return -errno;
		if (n != fd)
			return -EBADF;
		*null_mask |= 1u << fd;
	}
	return 0;
}

/* Close every descriptor above 2 that the caller let us inherit
 * (CVE-2024-21626: a leaked host directory fd is a way out), except keep
 * (the host's procfs, opened before).  0 or -errno. */
int close_inherited(int keep)
{
	struct rlimit rl;

	if ((keep == 3 || sys_close_range(3, (unsigned)keep - 1, 0) == 0) &&
	    sys_close_range((unsigned)keep + 1, ~0u, 0) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -errno;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > (1u << 20))
		rl.rlim_cur = 1u << 20;
	for (rlim_t fd = 3; fd < rl.rlim_cur; fd++)
		if ((int)fd != keep)
			close((int)fd);
	return 0;
}

/* Set sig's action to handler (SIG_DFL or SIG_IGN), no flags.  Raw
 * rt_sigaction: libc's would refuse its own reserved signals. */
static void sig_set(int sig, void (*handler)(int))
{
	struct { void (*handler)(int); unsigned long flags; void *restorer; uint64_t mask; }
		act = { handler, 0, 0, 0 };

	syscall(SYS_rt_sigaction, sig, &act, NULL, sizeof act.mask);
}

/* Give up the caller's controlling terminal (bwrap's CVE-2017-5226): a
 * command holding it could push input into the caller's shell (TIOCSTI)
 * or open it as /dev/tty.  TIOCNOTTY on it, so the executor stays in the
 * caller's session and process group (the terminal's ^C still reaches the
 * command), and a process without CAP_SYS_ADMIN can neither use TIOCSTI
 * on the terminal nor take it back (it is its session's).  A session
 * leader ignores the hangup TIOCNOTTY sends its foreground group, then
 * takes SIGHUP's default back (as exec_reset would).  Before ROOTFS:
 * "/dev/tty" is the host's; where it cannot be opened (no such node), a
 * new session instead, or for a group leader TIOCNOTTY on the stdio
 * descriptor that is the terminal (none: the open's error).  One failed
 * open without a terminal.  0 or -errno. */
int tty_detach(void)
{
	int fd = openat(AT_FDCWD, "/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	int leader, r = fd < 0 ? -errno : 0;

	if (r == -ENXIO || (r < 0 && setsid() >= 0))
		return 0; /* no controlling terminal, or a new session */
	leader = getsid(0) == getpid();
	if (leader)
		sig_set(SIGHUP, SIG_IGN);
	if (fd >= 0)
		r = ioctl(fd, TIOCNOTTY) < 0 ? -errno : 0;
	for (int i = 0; fd < 0 && r < 0 && i < 3; i++) /* ENOTTY: not the terminal */
		if (ioctl(i, TIOCNOTTY) == 0)
			r = 0;
	if (leader) /* an ignored signal is dropped when sent, not kept */
		sig_set(SIGHUP, SIG_DFL);
	close_later(fd); /* O_CLOEXEC */
	return r;
}

/* Join a new anonymous session keyring, as runc and crun do for every
 * container: the caller's (a login's, with its keys) would otherwise be
 * the command's, and possession lets a process read, change or revoke
 * keys whose owner bits let a user only see them.  A kernel without keys
 * (ENOSYS), or a seccomp filter that denies keyctl (EPERM: the command
 * inherits it, so it cannot reach the keyring either), leaves nothing to
 * separate.  0 or -errno. */
int keyring_detach(void)
{
	if (syscall(SYS_keyctl, K_KEYCTL_JOIN_SESSION_KEYRING, 0) >= 0 ||
	    errno == ENOSYS || errno == EPERM)
		return 0;
	return -errno;
}

/* Open the container's /dev/null O_PATH (no symlink followed at the last
 * component) and check on the descriptor that it is char 1:3.  fd, or
 * -errno with ctx->detail set. */
static int open_devnull(struct exec_ctx *ctx)
{
	struct k_open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = K_RESOLVE_IN_ROOT | K_RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd = openat2_retry(ctx->root_fd, "dev/null", &how);

	if (fd < 0)
		return -errno;
	if (k_fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (!is_null_device(&st)) {
		close(fd);
		ctx->detail = S_ISLNK(st.st_mode) ?
			"/dev/null in the container is a symlink" :
			"/dev/null in the container is not the null device (char 1:3)";
		return -ENODEV;
	}
	return fd;
}

/* The container's /dev/null as a checked O_PATH fd (opened once, kept in
 * ctx->devnull_fd).  fd or -errno. */
int container_devnull(struct exec_ctx *ctx)
{
	if (ctx->devnull_fd < 0)
		ctx->devnull_fd = open_devnull(ctx);
	return ctx->devnull_fd;
}

/* Point the stdio fds that were the host's /dev/null at the container's
 * (checked on an O_PATH descriptor, then reopened through it).  A
 * container without /dev/null leaves them.  0 or -errno. */
int reopen_null_stdio(struct exec_ctx *ctx)
{
	int fd, r = 0;

	if (!ctx->null_stdio)
		return 0;
	/* O_PATH first: opening an unchecked node O_RDWR as root can have
	 * effects (a watchdog, a tape); the checked descriptor is then
	 * reopened through the host's procfs (CVE-2025-31133 class) */
	fd = container_devnull(ctx);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	fd = proc_reopen(ctx, fd, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return fd;
	for (int i = 0; i < 3; i++)
		if ((ctx->null_stdio & (1u << i)) && dup2(fd, i) < 0)
			r = -errno;
	close_later(fd); /* O_CLOEXEC: gone at exec */
	return r;
}

/* The caller's terminal, for /dev/console: if one of fds 0..2 is a
 * pseudo-terminal slave (a character device, majors 136-143), that device
 * opened again (O_PATH, no symlink followed) in this mount namespace, since
 * a descriptor from the caller's namespace cannot be cloned here, and
 * checked to be the very same device and inode.  fd, or -1 when there is
 * no terminal. */
int console_open(struct exec_ctx *ctx)
{
	struct stat st, again;
	char self[32], path[256];

	for (int fd = 0; fd < 3; fd++) {
		ssize_t n;
		int t;

		if (!isatty(fd) || k_fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
		    major(st.st_rdev) < 136 || major(st.st_rdev) > 143)
			continue;
		fd_path(self, fd);
		n = readlinkat(ctx->proc_fd, self, path, sizeof path - 1);
		if (n <= 0 || path[0] != '/')
			continue;
		path[n] = 0;
		t = openat(AT_FDCWD, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (t < 0)
			continue;
		if (k_fstat(t, &again) == 0 && S_ISCHR(again.st_mode) &&
		    again.st_rdev == st.st_rdev && again.st_ino == st.st_ino &&
		    again.st_dev == st.st_dev)
			return t;
		close(t);
	}
	return -1;
}

/* Open the host's procfs (O_PATH) and check that it is one: the procfs
 * magic and its root inode, so a bind of some other tree or a subdirectory
 * is refused.  Called before ROOTFS, while "/proc" is the caller's.  fd or
 * -errno (-ENODEV: not a procfs root). */
int proc_open(void)
{
	struct statfs sf;
	struct stat st;
	int fd = openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sf) < 0 || k_fstat(fd, &st) < 0 ||
	    sf.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO) {
		close(fd);
		return -ENODEV;
	}
	return fd;
}

/* Read the proc file rel ("self/cgroup", relative to the host's procfs)
 * into buf, NUL-terminated.  A file that does not fit in size - 1 bytes
 * is an error (-EFBIG), never silently cut.  0 or -errno. */
int proc_read(struct exec_ctx *ctx, const char *rel, char *buf, size_t size)
{
	int fd = openat(ctx->proc_fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t n = 0;
	ssize_t k = 0;
	char more;

	if (fd < 0)
		return -errno;
	while (n < size - 1 && (k = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)k;
	if (k > 0 && read(fd, &more, 1) > 0)
		k = -1, errno = EFBIG;
	close(fd);
	buf[n] = 0;
	return k < 0 ? -errno : 0;
}

/* Open again, with oflags, the file the O_PATH descriptor fd names,
 * through the host's procfs (self/fd/N): the inode already checked on fd,
 * whatever now lies at its path.  fd or -errno. */
int proc_reopen(struct exec_ctx *ctx, int fd, int oflags)
{
	char self[32];
	int r;

	fd_path(self, fd);
	/* "N" in the host's self/fd when fd_name has opened it: one
	 * component to walk (self/fd/ is 8 characters) */
	r = ctx->fd_dir >= 0 ? openat(ctx->fd_dir, self + 8, oflags | O_CLOEXEC)
			     : openat(ctx->proc_fd, self, oflags | O_CLOEXEC);
	return r < 0 ? -errno : r;
}

/* The hexadecimal mask at p (up to its newline), or all ones when it is
 * not there whole. */
static uint64_t hex_mask(const char *p)
{
	uint64_t m = 0;

	for (;; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' :
			*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return *p == '\n' ? m : ~(uint64_t)0;
		m = m << 4 | (uint64_t)d;
	}
}

/* Empty the inheritable set (and so the ambient one, which the kernel
 * keeps within it) when it is not: the command never gains a capability
 * from a file's inheritable bits, as with runc's CVE-2022-29162 and crun's
 * CVE-2022-27650, whose fix leaves both sets empty.  Permitted and
 * effective stay the caller's. */
static void caps_reset(uint64_t inheritable)
{
	struct { uint32_t version; int pid; } head = { 0x20080522, 0 }; /* v3 */
	struct { uint32_t effective, permitted, inheritable; } data[2];

	if (inheritable && syscall(SYS_capget, &head, data) == 0) {
		data[0].inheritable = data[1].inheritable = 0;
		syscall(SYS_capset, &head, data);
	}
}

/* Before exec: no blocked signal and no ignored one passes to the command
 * (only SIG_IGN survives execve; runc and crun reset both), nor an
 * inheritable or ambient capability (caps_reset).  Which are set comes
 * from one read of self/status (SigIgn, SigBlk, CapInh) through the
 * host's procfs, so only those are reset (usually none: no syscall);
 * when one is not there whole, all of it is.  The text is walked line by
 * line (a strncmp at every byte cost 5 us). */
void exec_reset(struct exec_ctx *ctx)
{
	uint64_t none = 0, ign = ~(uint64_t)0, blk = ~(uint64_t)0, inh = ~(uint64_t)0;
	char status[8192];
	int fd = openat(ctx->proc_fd, "self/status", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, status, sizeof status - 1);

	close_later(fd);
	if (n > 0) {
		status[n] = 0;
		for (const char *p = status; *p; p = *p ? p + 1 : p) {
			if (p[0] == 'S' && strncmp(p, "SigBlk:\t", 8) == 0)
				blk = hex_mask(p + 8);
			else if (p[0] == 'S' && strncmp(p, "SigIgn:\t", 8) == 0)
				ign = hex_mask(p + 8);
			else if (p[0] == 'C' && strncmp(p, "CapInh:\t", 8) == 0)
				inh = hex_mask(p + 8);
			p = strchrnul(p, '\n');
		}
	}
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && (ign >> (sig - 1) & 1))
			sig_set(sig, SIG_DFL);
	if (blk)
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none);
	caps_reset(inh);
}

/* runc's CVE-2019-5736: the command's execve resolves "/proc/self/exe"
 * (named by the image as a script's interpreter, an ELF's, or a symlink)
 * to the executor's own file, so the image can run the executor inside
 * the container, where its root may open /proc/PID/exe and, once no
 * executor runs, write the host's binary through it.  Where that root can
 * write the binary (a user namespace: --userns, or the plan's, whose root
 * is the caller or maps host ids), the executor first runs from a sealed
 * copy in memory, as runc and crun do: when self/exe is not already one,
 * the file is copied into a memfd sealed against writing and exec'd with
 * the same arguments and environment.  Without a user namespace the
 * command is the caller's root and could do worse.  Returns only when
 * already running from a sealed copy (0) or on failure (-errno). */
int exe_sealed(struct exec_ctx *ctx, char **argv, char **envp)
{
	int exe = openat(ctx->proc_fd, "self/exe", O_RDONLY | O_CLOEXEC), mem;
	long seals;
	ssize_t n;

	if (exe < 0)
		return -errno;
	seals = syscall(SYS_fcntl, exe, F_GET_SEALS);
	if (seals >= 0 && (seals & F_SEAL_WRITE)) {
		close_later(exe);
		return 0;
	}
	/* MFD_EXEC (Linux 6.3): executable where vm.memfd_noexec says
	 * otherwise; older kernels refuse the flag, and exec any memfd */
	mem = (int)syscall(SYS_memfd_create, "mountplan-exec",
			   MFD_CLOEXEC | MFD_ALLOW_SEALING | K_MFD_EXEC);
	if (mem < 0 && errno == EINVAL)
		mem = (int)syscall(SYS_memfd_create, "mountplan-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mem < 0)
		return -errno;
	while ((n = sendfile(mem, exe, NULL, 1 << 20)) > 0)
		;
	if (n < 0 || syscall(SYS_fcntl, mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK |
			     F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return -errno;
	syscall(SYS_execveat, mem, "", argv, envp, AT_EMPTY_PATH);
	return -errno;
}

/* Make the executor non-dumpable while it holds host descriptors (the
 * host's procfs, the rootfs, bind sources): no process of the same user
 * can ptrace it or open its /proc/PID/fd.  execve makes the command
 * dumpable again (runc does the same for its init).  0 or -errno. */
int undumpable(void)
{
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 ? -errno : 0;
}
