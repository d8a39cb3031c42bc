/*
 * util.h: allocation that cannot fail (it aborts with a message on ENOMEM),
 * reading a whole file, and small string helpers, for the compiler only.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* malloc/calloc/reallocarray/strdup that exit(2) with a message on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* xcalloc's zeroed memory, but zeroed by writing it: a large calloc is
 * fresh pages that read as zero, and a page read before it is written is
 * faulted twice, the second time (the write) with a TLB flush sent to
 * every CPU running another of the process's threads.  For a hash table
 * probed (read) at random before its slots are filled. */
void *xzalloc(size_t n, size_t size);

/* Make room to append one element to the array p holding n of them in
 * *cap: when n == *cap, *cap doubles (the first time to 16) and p is
 * reallocated.  Returns p, moved or not:
 *     a->items = xgrow(a->items, a->n, &a->cap, sizeof(*a->items));
 *     a->items[a->n++] = item; */
void *xgrow(void *p, size_t n, size_t *cap, size_t size);
char *xstrndup(const char *s, size_t n);

/* An arena: allocations carved in order from a few large blocks (4 KiB
 * doubling to 4 MiB), all freed at once.  What is allocated one after
 * the other lies side by side, with no per-allocation header: a pass
 * that reads the allocations in that order reads memory in order.  A
 * zeroed struct arena is an empty one. */
struct arena_block;
struct arena {
	struct arena_block *first, *last;
};

/* size bytes from a, aligned to 8 bytes (pointers, 64-bit numbers;
 * aborts on ENOMEM).  The first allocation of an arena starts its first
 * block: arena_free_from frees the whole arena from it. */
void *arena_alloc(struct arena *a, size_t size);

/* A copy of the len bytes at s, NUL-terminated, in a. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* A copy of string s in a. */
char *arena_strdup(struct arena *a, const char *s);

/* Free every block of a and empty it. */
void arena_free(struct arena *a);

/* Free the arena whose first allocation is first (NULL: nothing). */
void arena_free_from(void *first);

/* In the arena whose first allocation is first, free the blocks that
 * lie after the block holding allocation after and before the one
 * holding allocation before (after allocated first); nothing when they
 * are not both found in that order.  Returns the bytes freed. */
size_t arena_free_between(void *first, const void *after, const void *before);

/* Whether a command frees what it built before its process exits (1),
 * or leaves it to the exit (0): freed only under AddressSanitizer, whose
 * leak check the sanitizer build and the fuzzers (which run a command
 * many times in one process) rely on.  Elsewhere freeing is time spent
 * for nothing: diff's two 200,000-entry plans, items and tables took
 * about 0.1 s to free (doc/performance.md; diff now frees each plan
 * after its plan-check anyway, so that its items and table reuse the
 * memory). */
#if defined(__SANITIZE_ADDRESS__)
#define MP_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MP_FREE_AT_EXIT 1
#endif
#endif
#ifndef MP_FREE_AT_EXIT
#define MP_FREE_AT_EXIT 0
#endif

/* A new string formatted like vsprintf/sprintf. */
char *xvasprintf(const char *fmt, va_list ap);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What input_file_read takes besides a regular file of a disk filesystem. */
#define INPUT_PIPES 1u /* "-" (standard input), a pipe or FIFO (<(...)) */
#define INPUT_PROC 2u  /* a file of /proc or /sys (a mountinfo) */
/* ...and what it refuses besides */
#define INPUT_NO_LINK 4u /* path itself a symbolic link (not followed) */

/* Read the whole input file path into *text, NUL-terminated (caller
 * frees), and its length into *len: at most limit + 1 bytes, so a
 * caller can tell "too large" without holding more.  The file is
 * opened with O_NONBLOCK and O_NOCTTY (a FIFO without a writer, a
 * device, a tty never block the open) and judged on that descriptor: a
 * regular file is read (non-blocking: a read that would block, as
 * /proc/kmsg's, fails); with INPUT_PIPES "-" (standard input, whatever
 * it is but a directory) and a pipe or FIFO are read to their end; with INPUT_PROC a file of /proc or /sys too
 * (else refused: such files can block, never end or change the kernel's
 * state when read).  Anything else (a directory, a device such as
 * /dev/zero, a socket) is refused before a byte is read.  Returns 0, or
 * -1 with *why saying why (static text or strerror's). */
int input_file_read(const char *path, unsigned kinds, size_t limit, char **text, size_t *len,
	       const char **why);

/* input_file_read on fd, already open (O_NONBLOCK, O_NOCTTY) on a file
 * that is not standard input; fd stays open. */
int input_fd_read(int fd, unsigned kinds, size_t limit, char **text, size_t *len,
		  const char **why);

/* The next comma-separated word at *p as a new string (possibly empty),
 * *p moved past it and its comma; NULL when *p is at the end. */
char *next_word(const char **p);

/* A hash of the len bytes at p, started from seed (for hash tables):
 * FNV-1a, its bits then mixed so that the low bits, which index a
 * table, differ for keys that differ only in their last characters
 * (plain FNV leaves those clustered: long probe runs at 200,000 paths). */
uint64_t hash_bytes(uint64_t seed, const void *p, size_t len);

/* A sort key of string s: its first 16 bytes (NUL-padded), each mapped
 * through byte_rank (NULL: as they are), as two big-endian numbers in
 * head.  Keys that differ order as the (mapped) strings do; equal keys
 * leave the order to the strings: sort_key_cmp says 0. */
void sort_key(const char *s, unsigned char (*byte_rank)(unsigned char), uint64_t head[2]);

/* Compare two sort_key heads: -1, 0 (look at the strings) or 1. */
int sort_key_cmp(const uint64_t a[2], const uint64_t b[2]);

/* Sort n elements of size bytes at base that each start with a sort key
 * (uint64_t head[2], as sort_key makes) in cmp's order, as qsort would:
 * cmp must order by the key first (sort_key_cmp) and be a total order
 * (a tie-break such as the written index), so the result is the one
 * order there is.  A radix sort on the key's 16 bytes, most significant
 * first, with qsort only inside small buckets and runs of equal keys:
 * linear in n where qsort's merge sort has a log factor. */
void key_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Edit distance between a and b, a swap of two adjacent letters counting
 * as one edit ("nmae" is 1 from "name"), for "did you mean". */
size_t edit_distance(const char *a, const char *b);

/* The candidate in list (NULL-terminated) closest to word, or NULL when
 * none is within a third of word's length (at least 1, at most 3 edits). */
const char *closest_word(const char *word, const char *const *list);

/* Length of the valid UTF-8 sequence at s (n >= 1 bytes left), or 0 when
 * it is not one (overlong forms, surrogates and code points past U+10FFFF
 * are refused). */
size_t utf8_sequence(const unsigned char *s, size_t n);

#endif
