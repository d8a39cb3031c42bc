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

/* Open name (one component) in directory dir with O_PATH, not following
 * it if it is a symlink (then ELOOP); fd, or -1 with errno. */
static int open_step(int dir, const char *name)
{
	struct stat st;
	int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
		close(fd);
		fd = -1;
		errno = ELOOP;
	}
	return fd;
}

/* Open path (absolute) with O_PATH, following no symlink in any
 * component (a symlink: ELOOP); fd, or -1 with errno. */
static int open_nofollow(const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (char *c = strtok_r(copy, "/", &save); fd >= 0 && c; c = strtok_r(NULL, "/", &save)) {
		int next = open_step(fd, c);

		close(fd);
		fd = next;
	}
	free(copy);
	return fd;
}

/* Read the host node at path into *h as the executor would (HOSTDEV on
 * one node): dir >= 0 is the directory path's last component is in,
 * already opened without symlinks (a glob's); else the path is walked
 * from "/". */
static void read_node(struct host_node *h, const char *path, int dir)
{
	struct stat st;
	int fd = dir >= 0 ? open_step(dir, strrchr(path, '/') + 1) : open_nofollow(path);

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
		read_node(&v[0], source, -1);
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

		if (!mp_glob_match(pattern, e->d_name))
			continue;
		_Static_assert(MP_MAX_GLOB == 4096, "the reason below says 4096");
		if (*n == MP_MAX_GLOB) {
			*why = "more than 4096 host nodes match";
			break;
		}
		v = xgrow(v, *n, &cap, sizeof(*v));
		memset(&v[*n], 0, sizeof(*v));
		path = xasprintf("%s%s", dir, e->d_name);
		read_node(&v[(*n)++], path, dirfd(d));
		free(path);
	}
	closedir(d);
	free(dir);
	if (*why) {
		host_nodes_free(v, *n);
		*n = 0;
		return NULL;
	}
	if (*n > 1) /* none matched: v is NULL, which qsort must not get */
		qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

/* Does like-host glob pattern name path?  See hostnode.h. */
bool host_glob_names(const char *pattern, const char *path)
{
	const char *p = strrchr(pattern, '/'), *s = strrchr(path, '/');

	return p && s && p - pattern == s - path && memcmp(pattern, path, (size_t)(p - pattern)) == 0 &&
	       mp_glob_match(p + 1, s + 1);
}

/* The bytes the token at p takes (one byte each: a literal, `?`, a
 * `[...]` set read as mp_glob_match reads it) into set; its length.
 * p is not at a `*` or the end. */
static size_t token_set(const char *p, bool set[256])
{
	const char *q = p + 1, *first;
	bool neg;

	memset(set, 0, 256 * sizeof(*set));
	if (*p == '?' || *p != '[') {
		for (int c = 1; c < 256; c++)
			set[c] = *p == '?' || c == (unsigned char)*p;
		return 1;
	}
	neg = *q == '!' || *q == '^';
	first = q += neg;
	while (*q && (*q != ']' || q == first)) {
		if (q[1] == '-' && q[2] && q[2] != ']') {
			for (int c = (unsigned char)q[0]; c <= (unsigned char)q[2]; c++)
				set[c] = true;
			q += 3;
		} else {
			set[(unsigned char)*q++] = true;
		}
	}
	for (int c = 1; neg && c < 256; c++)
		set[c] = !set[c];
	set[0] = false;
	return (size_t)(q - p) + (*q == ']');
}

/* Pattern intersection state: a and b from positions i and j on. */
struct meet {
	const char *a, *b;
	size_t lb;
	unsigned char *memo; /* (i, j): 0 unknown, 1 yes, 2 no */
	bool no_dot;         /* the name's first byte may not be '.' */
};

/* Can some rest of a name match a from i and b from j?  The first byte
 * of the name is consumed exactly where a[..i) and b[..j) are all `*`. */
static bool meet_from(struct meet *m, size_t i, size_t j)
{
	unsigned char *memo = &m->memo[i * (m->lb + 1) + j];
	const char *a = m->a + i, *b = m->b + j;
	bool yes = false;

	if (*memo)
		return *memo == 1;
	*memo = 2; /* a cycle cannot consume anything: no */
	if (!*a && !*b) {
		yes = true;
	} else if (*a == '*' || *b == '*') {
		bool sa[256], sb[256], start = strspn(m->a, "*") >= i && strspn(m->b, "*") >= j;

		yes = (*a == '*' && meet_from(m, i + 1, j)) || (*b == '*' && meet_from(m, i, j + 1));
		if (!yes && *a == '*' && *b && *b != '*') { /* a's star takes b's token */
			size_t t = token_set(b, sb);

			for (int c = 1; c < 256 && !yes; c++)
				yes = sb[c] && !(start && m->no_dot && c == '.') && meet_from(m, i, j + t);
		}
		if (!yes && *b == '*' && *a && *a != '*') {
			size_t t = token_set(a, sa);

			for (int c = 1; c < 256 && !yes; c++)
				yes = sa[c] && !(start && m->no_dot && c == '.') && meet_from(m, i + t, j);
		}
	} else if (*a && *b) {
		bool sa[256], sb[256], start = strspn(m->a, "*") >= i && strspn(m->b, "*") >= j;
		size_t ta = token_set(a, sa), tb = token_set(b, sb);
		bool common = false;

		for (int c = 1; c < 256 && !common; c++)
			common = sa[c] && sb[c] && !(start && m->no_dot && c == '.');
		yes = common && meet_from(m, i + ta, j + tb);
	}
	*memo = yes ? 1 : 2;
	return yes;
}

/* Can one name match both patterns?  See hostnode.h. */
bool host_globs_meet(const char *a, const char *b)
{
	struct meet m = { a, b, strlen(b), NULL, a[0] != '.' };
	bool yes;

	if ((a[0] == '.') != (b[0] == '.'))
		return false; /* a dot name needs a dot in both patterns */
	m.memo = xcalloc((strlen(a) + 1) * (m.lb + 1), 1);
	yes = meet_from(&m, 0, 0);
	if (!yes && m.no_dot && a[0] == '*' && b[0] == '*') {
		/* both leading stars take one first byte, not a dot (a
		 * state meet_from cannot tell from taking none): the rest
		 * is then under no dot rule (`*` and `*.` meet in "x.") */
		memset(m.memo, 0, (strlen(a) + 1) * (m.lb + 1));
		m.no_dot = false;
		yes = meet_from(&m, 0, 0);
	}
	free(m.memo);
	return yes;
}

/* Free what host_nodes_read returned; see hostnode.h. */
void host_nodes_free(struct host_node *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
