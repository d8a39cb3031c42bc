/*
 * hostnode.c: the host nodes a like-host device (v2) names, read with
 * mountplan-exec's rules (executor/hostdev.c, HOSTDEV in mp_ops.h), so
 * that what verify and export-oci say of this host is what the executor
 * would do on it: the path is walked from "/" one component at a time
 * without following a symlink anywhere; a glob lists its directory and
 * matches each name with the executor's own matcher (mp_glob_match, not
 * glob(3): no escapes, no character classes, a leading dot only for a
 * dot); only a character or block device without setuid or setgid bits
 * can be copied.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hostnode.h"
#include "mp_ops.h"
#include "util.h"

/* Open path (absolute) with O_PATH, following no symlink in any
 * component (a symlink: ELOOP); fd, or -1 with errno. */
static int open_nofollow(const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (char *c = strtok_r(copy, "/", &save); fd >= 0 && c; c = strtok_r(NULL, "/", &save)) {
		struct stat st;
		int next = openat(fd, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);

		close(fd);
		fd = next;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
			close(fd);
			fd = -1;
			errno = ELOOP;
		}
	}
	free(copy);
	return fd;
}

/* Read the host node at path into *h as the executor would (HOSTDEV on
 * one node). */
static void read_node(struct host_node *h, const char *path)
{
	struct stat st;
	int fd = open_nofollow(path);

	h->path = xstrdup(path);
	h->name = strrchr(h->path, '/') + 1;
	if (fd < 0 || fstat(fd, &st) < 0) {
		h->refused = errno == ELOOP ? "the host path holds a symbolic link (refused)" :
			     errno == ENOENT ? "missing on this host" : strerror(errno);
	} else if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
		h->refused = "the host's file is not a character or block device (refused)";
	} else if (st.st_mode & 06000) {
		h->refused = "the host's node is setuid or setgid (refused)";
	} else {
		h->type = S_ISBLK(st.st_mode) ? MP_IFBLK : MP_IFCHR;
		h->perm = (uint32_t)st.st_mode & 01777;
		h->rdev = st.st_rdev;
	}
	if (fd >= 0)
		close(fd);
}

/* qsort: host nodes by name. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct host_node *)a)->name, ((const struct host_node *)b)->name);
}

/* The host nodes like-host source names; see hostnode.h. */
struct host_node *host_nodes_read(const char *source, bool glob, size_t *n,
				  const char **why)
{
	const char *pattern = strrchr(source, '/') + 1;
	struct host_node *v = NULL;
	size_t cap = 0;
	struct dirent *e;
	char *dir;
	DIR *d;
	int fd;

	*n = 0;
	*why = NULL;
	if (!glob) {
		v = xcalloc(1, sizeof(*v));
		read_node(&v[0], source);
		*n = 1;
		return v;
	}
	dir = xstrndup(source, (size_t)(pattern - source));
	fd = open_nofollow(dir);
	if (fd >= 0) { /* O_PATH cannot list: open the same directory again */
		int list = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		close(fd);
		fd = list;
	}
	if (fd < 0 || !(d = fdopendir(fd))) {
		*why = errno == ELOOP ? "the host directory path holds a symbolic link (refused)" :
		       strerror(errno);
		if (fd >= 0)
			close(fd);
		free(dir);
		return NULL;
	}
	while ((e = readdir(d))) {
		char *path;

		if (!mp_glob_match(pattern, e->d_name) || !strcmp(e->d_name, ".") ||
		    !strcmp(e->d_name, ".."))
			continue;
		_Static_assert(MP_MAX_GLOB == 4096, "the reason below says 4096");
		if (*n == MP_MAX_GLOB) {
			*why = "more than 4096 host nodes match";
			break;
		}
		v = xgrow(v, *n, &cap, sizeof(*v));
		memset(&v[*n], 0, sizeof(*v));
		path = xasprintf("%s%s", dir, e->d_name);
		read_node(&v[(*n)++], path);
		free(path);
	}
	closedir(d);
	free(dir);
	if (*why) {
		host_nodes_free(v, *n);
		*n = 0;
		return NULL;
	}
	qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

/* Does like-host glob pattern name path?  See hostnode.h. */
bool host_glob_names(const char *pattern, const char *path)
{
	const char *p = strrchr(pattern, '/'), *s = strrchr(path, '/');

	return p && s && p - pattern == s - path && memcmp(pattern, path, (size_t)(p - pattern)) == 0 &&
	       mp_glob_match(p + 1, s + 1) && strcmp(s + 1, ".") && strcmp(s + 1, "..");
}

/* Free what host_nodes_read returned; see hostnode.h. */
void host_nodes_free(struct host_node *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
