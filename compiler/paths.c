/*
 * paths.c: path relations and the sorted entry index (paths.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mpb.h"
#include "mp_ops.h"
#include "paths.h"
#include "util.h"

/* Is path dir itself or beneath it?  See paths.h.  One pass that stops
 * at the first byte apart (the rules ask this of every bind source
 * against dozens of host paths). */
bool path_at_or_beneath(const char *path, const char *dir)
{
	if (dir[0] == '/' && !dir[1])
		return path[0] == '/';
	while (*dir && *path == *dir)
		path++, dir++;
	return !*dir && (!*path || *path == '/');
}

/* Is path strictly beneath dir?  See paths.h. */
bool path_beneath(const char *path, const char *dir)
{
	if (dir[0] == '/' && !dir[1])
		return path[0] == '/' && path[1];
	while (*dir && *path == *dir)
		path++, dir++;
	return !*dir && *path == '/';
}

/* Clean path lexically; see paths.h. */
char *path_clean(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);

	mp_path_clean(out, path);
	return out;
}

/* Why path is not an absolute clean path; see paths.h. */
const char *path_problem(const char *path)
{
	size_t len = strlen(path);

	if (mp_path_is_clean(path))
		return NULL;
	if (len == 0)
		return "is empty";
	if (path[0] == '~')
		return "is relative (a path must start with /; ~ is not expanded: write the home directory out)";
	if (path[0] != '/')
		return "is relative (a path must start with /)";
	if (len > MP_MAX_PATH)
		return "is longer than 4095 bytes";
	if (strstr(path, "//"))
		return "has an empty component (//)";
	if (path[len - 1] == '/')
		return "ends with / (write it without)";
	for (const char *c = path; c; c = strchr(c + 1, '/')) {
		if (strncmp(c, "/./", 3) == 0 || strcmp(c, "/.") == 0)
			return "has a . component";
		if (strncmp(c, "/../", 4) == 0 || strcmp(c, "/..") == 0)
			return "has a .. component";
	}
	return "is not clean";
}

/* An entry with its target beside it, and the target's first 16 bytes
 * as two big-endian numbers (NUL-padded: they order as strcmp does), so
 * a sort mostly compares numbers without reading strings or entries. */
struct target_ref {
	uint64_t head[2];
	const char *target;
	const struct plan_entry *e;
};

/* The reference to e for sorting. */
static struct target_ref target_ref_of(const struct plan_entry *e)
{
	struct target_ref r = { { 0, 0 }, e->target.text, e };

	sort_key(e->target.text, NULL, r.head);
	return r;
}

/* key_sort: by target, then by place in the plan (the sort stays stable). */
static int cmp_target(const void *a, const void *b)
{
	const struct target_ref *x = a, *y = b;
	int c = sort_key_cmp(x->head, y->head);

	if (!c)
		c = strcmp(x->target, y->target);
	return c ? c : (x->e > y->e) - (x->e < y->e);
}

/* An empty index with room for n entries: v, t and the hash slots (and
 * after them two words: the slots are filled, the searches so far) in
 * one block. */
static struct path_index index_alloc(size_t n)
{
	size_t cap = 16;
	struct path_index x;

	while (cap < 2 * (n + 1))
		cap *= 2;
	x.v = xcalloc(2 * (n + 1) + ((cap + 2) * sizeof(uint32_t) + sizeof(void *) - 1) /
					    sizeof(void *),
		      sizeof(void *));
	x.n = 0;
	x.t = (const char **)(void *)(x.v + n + 1);
	x.slots = (uint32_t *)(void *)(x.t + n + 1);
	x.cap = cap;
	return x;
}

/* The slot of the first len bytes of path (hash h) in x: the one
 * holding that target, or the empty one where it goes. */
static uint32_t *index_slot(const struct path_index *x, const char *path, size_t len,
			    uint64_t h)
{
	for (size_t i = h & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		uint32_t *k = &x->slots[i];
		const char *t;

		if (!*k)
			return k;
		t = x->t[*k - 1];
		if (strncmp(t, path, len) == 0 && !t[len])
			return k;
	}
}

/* Fill the hash slots of x (each target once, at its first position,
 * as a search of the sorted list finds it; equal targets are
 * neighbours). */
static void index_hash(const struct path_index *x)
{
	x->slots[x->cap] = 1;
	for (size_t i = 0; i < x->n; i++) {
		size_t j;

		if (i && strcmp(x->t[i], x->t[i - 1]) == 0)
			continue;
		j = hash_bytes(0, x->t[i], strlen(x->t[i])) & (x->cap - 1);
		while (x->slots[j]) /* distinct targets: the first empty slot */
			j = (j + 1) & (x->cap - 1);
		x->slots[j] = (uint32_t)i + 1;
	}
}

/* Build the index of some kinds; see paths.h. */
struct path_index path_index_of(const struct plan *plan, unsigned kinds)
{
	struct path_index x;
	struct target_ref *refs = xcalloc(plan->n_entries + 1, sizeof(*refs));
	size_t n = 0;

	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];

		if (!e->bad && e->target.text && (kinds & (1u << e->kind)))
			refs[n++] = target_ref_of(e);
	}
	key_sort(refs, n, sizeof(*refs), cmp_target);
	/* sized for the entries it holds, not the plan's: the hash of 2,000
	 * masks then fits the caches, where sized for 200,000 entries each
	 * lookup was a miss */
	x = index_alloc(n);
	for (x.n = 0; x.n < n; x.n++) {
		x.v[x.n] = refs[x.n].e;
		x.t[x.n] = refs[x.n].target;
	}
	free(refs);
	return x;
}

/* The entries of x whose kind is in the bit set kinds, in x's order. */
struct path_index path_index_filter(const struct path_index *x, unsigned kinds)
{
	struct path_index y = index_alloc(x->n);

	for (size_t i = 0; i < x->n; i++)
		if (kinds & (1u << x->v[i]->kind)) {
			y.t[y.n] = x->t[i];
			y.v[y.n++] = x->v[i];
		}
	return y;
}

/* The first position in x whose target sorts at or after the first len
 * bytes of path. */
static size_t index_lower(const struct path_index *x, const char *path,
			  size_t len)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = x->t[mid];
		int c = strncmp(t, path, len);

		if (c == 0)
			c = t[len] != 0; /* t is longer: it sorts after */
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry at the first len bytes of path; see paths.h. */
const struct plan_entry *path_index_find(const struct path_index *x,
					 const char *path, size_t len)
{
	uint32_t k;

	/* a binary search while the searches are few for the index's size
	 * (a rule looking up /dev), the hash once they are many (a rule
	 * looking up every mount's ancestors) */
	if (!x->slots[x->cap] && x->slots[x->cap + 1]++ >= 8 + x->n / 64)
		index_hash(x);
	if (!x->slots[x->cap]) {
		size_t i = index_lower(x, path, len);

		if (i < x->n && strncmp(x->t[i], path, len) == 0 && x->t[i][len] == 0)
			return x->v[i];
		return NULL;
	}
	k = *index_slot(x, path, len, hash_bytes(0, path, len));
	return k ? x->v[k - 1] : NULL;
}

/* Entries at path; see paths.h. */
size_t path_index_count(const struct path_index *x, const char *path)
{
	size_t len = strlen(path), i = index_lower(x, path, len), n = 0;

	while (i + n < x->n && strcmp(x->t[i + n], path) == 0)
		n++;
	return n;
}

/* The nearest covering entry; see paths.h. */
const struct plan_entry *path_index_cover(const struct path_index *x,
					  const char *path, bool or_self)
{
	size_t len = strlen(path);
	const struct plan_entry *found;

	if (!x->n)
		return NULL;
	if (or_self && (found = path_index_find(x, path, len)))
		return found;
	for (size_t i = len; i-- > 1;)
		if (path[i] == '/' && (found = path_index_find(x, path, i)))
			return found;
	if (len > 1 && (found = path_index_find(x, "/", 1)))
		return found;
	return NULL;
}

/* An entry at or beneath path?  See paths.h. */
bool path_index_has_under(const struct path_index *x, const char *path,
			  bool below_only)
{
	size_t len = strlen(path);

	for (size_t i = index_lower(x, path, len); i < x->n; i++) {
		const char *t = x->t[i];

		if (strncmp(t, path, len) != 0)
			break;
		if (t[len] == '/' || (t[len] == 0 && !below_only) ||
		    (len == 1 && t[1] != 0))
			return true;
	}
	return false;
}
