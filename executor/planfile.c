/*
 * planfile.c: read a compiled plan without trusting the file system.
 *
 * The plan is opened O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK in its directory
 * (a symlink, a FIFO or a directory is refused without blocking), must be
 * a regular file of at most MP_MAX_FILE_SIZE bytes, and, when the
 * executor runs as root, neither the file nor its directory may be
 * writable by anyone but root (a sticky directory may, since others cannot
 * rename or remove a root-owned file in it).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec.h"

/* Can a user other than root write what st describes?  A directory
 * with the sticky bit protects a root-owned file (file_root). */
static int others_can_write(const struct stat *st, int sticky_ok)
{
	mode_t w = st->st_mode & (S_IWGRP | S_IWOTH);

	if (st->st_uid != 0)
		return 1;
	if (sticky_ok && (st->st_mode & S_ISVTX))
		return 0;
	if (st->st_gid == 0)
		w &= ~(mode_t)S_IWGRP;
	return w != 0;
}

/* Open the directory holding path (O_PATH) and point *base at the file
 * name.  fd or -errno. */
static int open_dir_of(const char *path, const char **base)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		*base = path;
		return openat(AT_FDCWD, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof dir)
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = 0;
	/* openat, not open: musl's open adds an fcntl(FD_CLOEXEC) */
	return openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Read the plan at path into *buf, *size bytes of new anonymous memory
 * (mmap: the executor needs no malloc).
 * Returns 0, or -1 with *why saying what is wrong. */
int planfile_read(const char *path, uint8_t **buf, size_t *size,
		  const char **why)
{
	struct stat st, dst;
	const char *base;
	int dir, fd, root;
	size_t got = 0;

	dir = open_dir_of(path, &base);
	if (dir < 0) {
		*why = strerror(errno);
		return -1;
	}
	fd = *base ? openat(dir, base,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
		   : -1;
	if (fd < 0) {
		*why = !*base ? "not a file" : errno == ELOOP ? "is a symbolic link (refused)"
							    : strerror(errno);
		close(dir);
		return -1;
	}
	*why = NULL;
	root = geteuid() == 0;
	if (fstat(fd, &st) < 0 || fstat(dir, &dst) < 0)
		*why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		*why = "not a regular file";
	else if (st.st_size > (off_t)MP_MAX_FILE_SIZE)
		*why = "file too large";
	else if (root && others_can_write(&st, 0))
		*why = "writable by a user other than root (refused)";
	else if (root && others_can_write(&dst, 1))
		*why = "its directory is writable by a user other than root (refused)";
	close(dir);
	if (*why) {
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	*buf = mmap(NULL, *size ? *size : 1, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*buf == MAP_FAILED) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	while (got < *size) {
		ssize_t n = read(fd, *buf + got, *size - got);
		if (n <= 0) {
			*why = n < 0 ? strerror(errno) : "file shrank while being read";
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (*why) {
		munmap(*buf, *size ? *size : 1);
		return -1;
	}
	return 0;
}
