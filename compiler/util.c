/*
 * util.c: allocation that cannot fail, reading a whole file, and "did you
 * mean" helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "util.h"

/* Report memory exhaustion and exit with the I/O-error status. */
static void oom(void)
{
	fputs("mountplan: out of memory\n", stderr);
	exit(2);
}

/* malloc that cannot fail. */
void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

/* calloc that cannot fail. */
void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

/* Zeroed memory, written; see util.h. */
void *xzalloc(size_t n, size_t size)
{
	void *p = xreallocarray(NULL, n ? n : 1, size ? size : 1);

	memset(p, 0, (n ? n : 1) * (size ? size : 1));
	return p;
}

/* reallocarray that cannot fail. */
void *xreallocarray(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

/* Room for one more element; see util.h. */
void *xgrow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 16;
	return xreallocarray(p, *cap, size);
}

/* strdup that cannot fail. */
char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

/* strndup that cannot fail. */
char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		oom();
	return p;
}

/* vasprintf that cannot fail. */
char *xvasprintf(const char *fmt, va_list ap)
{
	char *p;
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	return p;
}

/* asprintf that cannot fail. */
char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* The next comma-separated word at *p (util.h). */
char *next_word(const char **p)
{
	size_t w;
	char *word;

	if (!*p || !**p)
		return NULL;
	w = strcspn(*p, ",");
	word = xstrndup(*p, w);
	*p += w + ((*p)[w] == ',');
	return word;
}

/* A block of an arena. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

/* Allocate from an arena; see util.h. */
void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->last;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!b || b->cap - b->used < size) {
		size_t cap = b ? 2 * b->cap : 4096;

		if (cap > (4u << 20))
			cap = 4u << 20;
		if (cap < size)
			cap = size;
		b = xmalloc(sizeof(*b) + cap);
		b->next = NULL;
		b->used = 0;
		b->cap = cap;
		if (a->last)
			a->last->next = b;
		else
			a->first = b;
		a->last = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

/* Copy a string into an arena; see util.h. */
char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

/* Copy a string into an arena; see util.h. */
char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* Free an arena; see util.h. */
void arena_free(struct arena *a)
{
	arena_free_from(a->first ? a->first->data : NULL);
	a->first = a->last = NULL;
}

/* Free an arena from its first allocation; see util.h. */
void arena_free_from(void *first)
{
	struct arena_block *b;

	if (!first)
		return;
	b = (struct arena_block *)(void *)((char *)first - offsetof(struct arena_block, data));
	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
}

/* The block of the arena holding p, searched from block b on; NULL when
 * none does. */
static struct arena_block *block_holding(struct arena_block *b, const void *p)
{
	for (; b; b = b->next)
		if ((const char *)p >= (const char *)b->data &&
		    (const char *)p < (const char *)b->data + b->cap)
			return b;
	return NULL;
}

/* Free the blocks between two allocations; see util.h. */
size_t arena_free_between(void *first, const void *after, const void *before)
{
	struct arena_block *from, *to, *b;
	size_t freed = 0;

	if (!first)
		return 0;
	from = block_holding((struct arena_block *)(void *)((char *)first -
				offsetof(struct arena_block, data)), after);
	to = from ? block_holding(from, before) : NULL;
	if (!to || to == from)
		return 0;
	for (b = from->next; b != to; ) {
		struct arena_block *next = b->next;

		freed += b->cap;
		free(b);
		b = next;
	}
	from->next = to;
	return freed;
}

/* Hash bytes; see util.h. */
uint64_t hash_bytes(uint64_t seed, const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ull ^ seed;

	for (size_t k = 0; k < len; k++)
		h = (h ^ s[k]) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* A string's sort key; see util.h. */
void sort_key(const char *s, unsigned char (*byte_rank)(unsigned char), uint64_t head[2])
{
	const unsigned char *t = (const unsigned char *)s;

	head[0] = head[1] = 0;
	for (size_t k = 0; k < 16 && t[k]; k++)
		head[k / 8] |= (uint64_t)(byte_rank ? byte_rank(t[k]) : t[k]) << (8 * (7 - k % 8));
}

/* Compare sort keys; see util.h. */
int sort_key_cmp(const uint64_t a[2], const uint64_t b[2])
{
	for (int k = 0; k < 2; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

/* Byte k (0: the most significant) of the sort key elem starts with. */
static unsigned key_byte(const char *elem, unsigned k)
{
	uint64_t head[2];

	memcpy(head, elem, sizeof head);
	return (unsigned)(head[k / 8] >> (8 * (7 - k % 8))) & 0xff;
}

/* key_sort of the n elements at a whose keys agree in their first k
 * bytes, through tmp (room for n elements). */
static void key_sort_from(char *a, char *tmp, size_t n, size_t size, unsigned k,
			  int (*cmp)(const void *, const void *))
{
	size_t count[256], end[256];

	/* below 32 elements, or once the keys are equal, qsort is as fast */
	for (; n >= 32 && k < 16; k++) {
		size_t at = 0;

		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[key_byte(a + i * size, k)]++;
		if (count[key_byte(a, k)] == n)
			continue; /* one bucket: the next byte */
		for (unsigned b = 0; b < 256; b++)
			end[b] = at, at += count[b];
		for (size_t i = 0; i < n; i++)
			memcpy(tmp + end[key_byte(a + i * size, k)]++ * size, a + i * size, size);
		memcpy(a, tmp, n * size);
		at = 0;
		for (unsigned b = 0; b < 256; at = end[b], b++)
			if (end[b] - at > 1)
				key_sort_from(a + at * size, tmp, end[b] - at, size, k + 1, cmp);
		return;
	}
	if (n > 1)
		qsort(a, n, size, cmp);
}

/* Sort by key, then cmp; see util.h. */
void key_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *tmp;

	if (n < 32) {
		if (n > 1)
			qsort(base, n, size, cmp);
		return;
	}
	tmp = xmalloc(n * size);
	key_sort_from(base, tmp, n, size, 0, cmp);
	free(tmp);
}

/* Edit distance (optimal string alignment), three rows. */
size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* rows i-2, i-1 and i of the table */
	size_t *back = xcalloc(lb + 1, sizeof(size_t));
	size_t *prev = xcalloc(lb + 1, sizeof(size_t));
	size_t *cur = xcalloc(lb + 1, sizeof(size_t));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && back[j - 2] + 1 < best)
				best = back[j - 2] + 1; /* two letters swapped */
			cur[j] = best;
		}
		size_t *t = back;
		back = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(back);
	free(prev);
	free(cur);
	return d;
}

/* The closest candidate within a third of word's length, or NULL. */
const char *closest_word(const char *word, const char *const *list)
{
	size_t limit = strlen(word) / 3, best = (size_t)-1;
	const char *found = NULL;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (; *list; list++) {
		size_t d = edit_distance(word, *list);
		if (d <= limit && d < best) {
			best = d;
			found = *list;
		}
	}
	return found;
}

/* Read fd to its end into *text (NUL-terminated) and *len, at most
 * limit + 1 bytes; 0 or an errno.  size: the file's size when known (a
 * regular file's), else 0.  A file of that size is read into one buffer
 * of that size: no copy as it grows, and no smaller buffers left free
 * below it (the tree and the plan come after it in the heap). */
static int read_bounded(int fd, size_t size, size_t limit, char **text, size_t *len)
{
	size_t cap = size ? size + 1 : 4096, n = 0;
	char *buf;

	if (cap > limit + 1)
		cap = limit + 1;
	buf = xmalloc(cap + 1);

	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (n > limit)
				break;
			cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}

/* The body of input_file_read on fd (standard input when is_stdin):
 * judge the file on the descriptor, then read it; see util.h. */
static int read_judged(int fd, bool is_stdin, unsigned kinds, size_t limit, char **text,
		       size_t *len, const char **why)
{
	struct statfs fs;
	struct stat st;
	int e = 0;

	*why = NULL;
	if (fstat(fd, &st) < 0) {
		*why = strerror(errno);
	} else if (S_ISDIR(st.st_mode)) {
		*why = "a directory, not a file";
	} else if (is_stdin) {
		/* what the caller chose: read to its end, within the bound */
	} else if (S_ISFIFO(st.st_mode) && (kinds & INPUT_PIPES)) {
		/* a pipe's writer may not have written yet: wait for it */
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
			*why = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		*why = S_ISCHR(st.st_mode) ? "a character device, not a file" :
		       S_ISBLK(st.st_mode) ? "a block device, not a file" :
		       S_ISFIFO(st.st_mode) ? "a FIFO or pipe, not a file" :
		       S_ISSOCK(st.st_mode) ? "a socket, not a file" : "not a regular file";
	} else if (!(kinds & INPUT_PROC) && fstatfs(fd, &fs) == 0 &&
		   (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)) {
		*why = "a file of /proc or /sys, not a file of its own contents";
	}
	if (!*why && (e = read_bounded(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, limit,
					text, len)) != 0)
		*why = e == EAGAIN ? "reading it would block (not a file of its own contents)" :
				     strerror(e);
	return *why ? -1 : 0;
}

/* Read the whole input file path; see util.h. */
int input_file_read(const char *path, unsigned kinds, size_t limit, char **text, size_t *len,
	       const char **why)
{
	bool is_stdin = strcmp(path, "-") == 0 && (kinds & INPUT_PIPES);
	int fd = is_stdin ? STDIN_FILENO
			  : open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
					       (kinds & INPUT_NO_LINK ? O_NOFOLLOW : 0));
	int r;

	if (fd < 0) {
		*why = errno == ELOOP && (kinds & INPUT_NO_LINK) ? "a symbolic link, not followed (name it with --config to read it)"
								  : strerror(errno);
		return -1;
	}
	r = read_judged(fd, is_stdin, kinds, limit, text, len, why);
	if (!is_stdin)
		close(fd);
	return r;
}

/* Read the open input file fd; see util.h. */
int input_fd_read(int fd, unsigned kinds, size_t limit, char **text, size_t *len,
		  const char **why)
{
	return read_judged(fd, false, kinds, limit, text, len, why);
}

/* Length of a valid UTF-8 sequence; see util.h. */
size_t utf8_sequence(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}
