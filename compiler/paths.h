/*
 * paths.h: how plan paths relate (at or beneath one another) and a sorted
 * index of entries by target for ancestor and descendant lookups, shared
 * by the validate pass and plan-check's rules.
 *
 * Paths are normalized absolute paths (normalize pass): no trailing '/',
 * no "." or "..", "/" alone for the root.
 */
#ifndef PATHS_H
#define PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "plan.h"

/* Why path is not an absolute clean path (doc/plan-format.md), as a
 * phrase ("has a .. component"), or NULL when it is one.  The verdict is
 * mp_path_is_clean's (the executor's); this only says which rule failed. */
const char *path_problem(const char *path);

/* Is path dir itself or beneath it? */
bool path_at_or_beneath(const char *path, const char *dir);

/* Is path strictly beneath dir? */
bool path_beneath(const char *path, const char *dir);

/* path as a clean absolute path, lexically (new string): "/" first (a
 * relative path is taken from "/"), no empty ("//") or "." component,
 * ".." taking off the component before it (never above "/"), no
 * trailing "/" except for "/" itself. */
char *path_clean(const char *path);

/* The live entries (no error found, a target) of some kinds, sorted by
 * target; v points into the plan's entries, valid while they do not
 * move.  Free v. */
struct path_index {
	const struct plan_entry **v;
	size_t n;
	const char **t; /* t[i] is v[i]'s target (a search reads no entry);
			   in v's block: free(v) frees both */
	uint32_t *slots; /* a hash index of the targets for path_index_find,
			    filled once it has searched 8 + n/64 times
			    (slots[cap] says so, slots[cap + 1] counts):
			    1 + the first position of a target, 0 empty
			    (open addressing, a power of two, at most half
			    full); in v's block too */
	size_t cap;
};

/* The index of plan's live entries whose kind is in the bit set kinds
 * (1u << kind). */
struct path_index path_index_of(const struct plan *plan, unsigned kinds);

/* The entries of x whose kind is in the bit set kinds, in x's order
 * (the index of those kinds, without sorting again). */
struct path_index path_index_filter(const struct path_index *x, unsigned kinds);

/* The entry of x whose target is the first len bytes of path, or NULL. */
const struct plan_entry *path_index_find(const struct path_index *x,
					 const char *path, size_t len);

/* How many entries of x have path (whole) as their target. */
size_t path_index_count(const struct path_index *x, const char *path);

/* The nearest entry of x at a strict ancestor of path ("/" included), or
 * with or_self at path itself first; NULL when none. */
const struct plan_entry *path_index_cover(const struct path_index *x,
					  const char *path, bool or_self);

/* Does x hold an entry at path or beneath it (with below_only: strictly
 * beneath)? */
bool path_index_has_under(const struct path_index *x, const char *path,
			  bool below_only);

#endif
