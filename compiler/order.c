/*
 * order.c: the order pass.  Puts the entries in the order the executor
 * replays them:
 *
 *   - phases: mounts; then devices and symlinks; then read-only paths and
 *     masks (lower puts PIVOT between the second and third);
 *   - inside a phase, a parent before anything beneath it, by path
 *     components (/dev before /dev/shm; /dev/shm is no parent of
 *     /dev/shmx);
 *   - otherwise the written order: a parent moves up to just before its
 *     first-written descendant, and unrelated entries keep their order;
 *   - where a mount says stack: true, its target's first entry comes
 *     first and then everything at or beneath that target in written
 *     order, so each stacked mount goes on top of what was written before
 *     it (the runtime spec's "in listed order").
 *
 * Inside a phase the entries form a forest by path.  Sorting by path with
 * '/' below every other byte makes each subtree contiguous, so one stack
 * walk finds every node's nearest ancestor.  Each node's priority is the
 * smallest written index in its subtree; a topological walk that always
 * takes the available node of least priority (a binary heap) gives the
 * order.  O(n log n) in all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "passes.h"
#include "util.h"

enum { PHASE_MOUNTS, PHASE_NODES, PHASE_AFTER_PIVOT, PHASE_MAX };

/* The phase of an entry kind. */
static int phase_of(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_MOUNT:
		return PHASE_MOUNTS;
	case PLAN_DEVICE:
	case PLAN_SYMLINK:
		return PHASE_NODES;
	case PLAN_MASK:
	case PLAN_READONLY:
		return PHASE_AFTER_PIVOT;
	case PLAN_KIND_MAX:
	default:
		break;
	}
	return PHASE_AFTER_PIVOT;
}

/* An entry's path for ordering; "" when it has none usable. */
static const char *order_path(const struct plan_entry *e)
{
	const char *t = e->target.text;

	return t && t[0] == '/' ? t : "";
}

/* Compare paths component-wise: '/' sorts below every other byte. */
static int path_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if (x != y) {
			x = x == '/' ? 1 : x ? x + 1 : 0;
			y = y == '/' ? 1 : y ? y + 1 : 0;
			return x < y ? -1 : 1;
		}
		if (!x)
			return 0;
	}
}

/* The byte c as path_cmp orders it: NUL, then '/', then the other bytes
 * in their order (one byte still: c below '/' moves up one). */
static unsigned char path_byte(unsigned char c)
{
	return c == '/' ? 1 : c && c < '/' ? (unsigned char)(c + 1) : c;
}

/* Sort key of one entry: its path (its first 16 bytes also as two
 * big-endian numbers of path_byte, which order as path_cmp does), then
 * written index. */
struct item {
	uint64_t head[2];
	const char *path;
	size_t index; /* written index (tie-break, priority) */
	size_t pos;   /* position in plan->entries */
	bool stack;   /* a mount with stack: true */
};

/* qsort: items by written index. */
static int index_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* key_sort: items by path, then written index. */
static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = sort_key_cmp(x->head, y->head);

	if (!c)
		c = path_cmp(x->path, y->path);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Is a a strict ancestor of b (both non-empty absolute paths)? */
static bool is_ancestor(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n == 1)
		return b[1] != 0; /* "/" is above every other path */
	return strncmp(a, b, n) == 0 && b[n] == '/';
}

/* A group of entries with one path. */
struct node {
	size_t first, count; /* run in the sorted items */
	bool stack;          /* holds a stack: true mount */
	size_t prio;         /* least written index in the subtree */
	size_t parent;       /* node index, or SIZE_MAX */
	size_t child0;       /* children: kids[child0 .. child0 + n_kids) */
	size_t n_kids;
};

/* Min-heap of node indices by priority. */
struct heap {
	size_t *v, n;
	const struct node *nodes;
};

/* Push node i. */
static void heap_push(struct heap *h, size_t i)
{
	size_t k = h->n++;

	while (k) {
		size_t up = (k - 1) / 2;
		if (h->nodes[h->v[up]].prio <= h->nodes[i].prio)
			break;
		h->v[k] = h->v[up];
		k = up;
	}
	h->v[k] = i;
}

/* Pop the node of least priority. */
static size_t heap_pop(struct heap *h)
{
	size_t top = h->v[0], last = h->v[--h->n], k = 0;

	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->nodes[h->v[c + 1]].prio < h->nodes[h->v[c]].prio)
			c++;
		if (h->nodes[last].prio <= h->nodes[h->v[c]].prio)
			break;
		h->v[k] = h->v[c];
		k = c;
	}
	if (h->n)
		h->v[k] = last;
	return top;
}

/* Order the items of one phase (any order on entry) into out (entry
 * positions), parents first, written order otherwise; returns the number
 * written. */
static size_t order_phase(struct item *items, size_t n, size_t *out)
{
	struct node *nodes = xcalloc(n ? n : 1, sizeof(*nodes));
	size_t *stack = xcalloc(n ? n : 1, sizeof(*stack));
	size_t *kids = xcalloc(n ? n : 1, sizeof(*kids));
	struct heap heap = { xcalloc(n ? n : 1, sizeof(size_t)), 0, nodes };
	size_t n_nodes = 0, depth = 0, n_out = 0, next_kid = 0;

	key_sort(items, n, sizeof(*items), item_cmp);
	/* group equal paths; find each group's nearest ancestor group */
	for (size_t i = 0; i < n; i++) {
		struct node *nd;

		if (i && items[i].path[0] && strcmp(items[i].path, items[i - 1].path) == 0) {
			nodes[n_nodes - 1].count++;
			nodes[n_nodes - 1].stack |= items[i].stack;
			continue;
		}
		nd = &nodes[n_nodes];
		nd->first = i;
		nd->count = 1;
		nd->prio = items[i].index;
		nd->parent = SIZE_MAX;
		if (items[i].path[0]) {
			while (depth &&
			       !is_ancestor(items[nodes[stack[depth - 1]].first].path,
					    items[i].path))
				depth--;
			if (depth)
				nd->parent = stack[depth - 1];
			stack[depth++] = n_nodes;
		}
		n_nodes++;
	}
	/* subtree priorities (children follow their parents in sorted order)
	 * and child counts */
	for (size_t i = n_nodes; i-- > 0;) {
		size_t p = nodes[i].parent;
		if (p == SIZE_MAX)
			continue;
		if (nodes[i].prio < nodes[p].prio)
			nodes[p].prio = nodes[i].prio;
		nodes[p].n_kids++;
	}
	for (size_t i = 0; i < n_nodes; i++) {
		nodes[i].child0 = next_kid;
		next_kid += nodes[i].n_kids;
		nodes[i].n_kids = 0;
	}
	for (size_t i = 0; i < n_nodes; i++) {
		size_t p = nodes[i].parent;
		if (p == SIZE_MAX)
			heap_push(&heap, i);
		else
			kids[nodes[p].child0 + nodes[p].n_kids++] = i;
	}
	while (heap.n) {
		size_t i = heap_pop(&heap);

		if (nodes[i].stack) {
			/* the first entry, then the whole subtree in written
			 * order (sorted by path, the subtree is contiguous) */
			size_t a = nodes[i].first, b = a + 1;

			while (b < n && (strcmp(items[b].path, items[a].path) == 0 ||
					 is_ancestor(items[a].path, items[b].path)))
				b++;
			qsort(items + a + 1, b - a - 1, sizeof(*items), index_cmp);
			for (size_t k = a; k < b; k++)
				out[n_out++] = items[k].pos;
			continue;
		}
		for (size_t k = 0; k < nodes[i].count; k++)
			out[n_out++] = items[nodes[i].first + k].pos;
		for (size_t k = 0; k < nodes[i].n_kids; k++)
			heap_push(&heap, kids[nodes[i].child0 + k]);
	}
	free(heap.v);
	free(kids);
	free(stack);
	free(nodes);
	return n_out;
}

/* Reorder plan->entries; see passes.h. */
void order_plan(struct plan *plan)
{
	size_t n = plan->n_entries, n_out = 0;
	struct item *items = xcalloc(n ? n : 1, sizeof(*items));
	size_t *out = xcalloc(n ? n : 1, sizeof(*out));

	for (int phase = 0; phase < PHASE_MAX; phase++) {
		size_t m = 0;

		for (size_t i = 0; i < n; i++) {
			const struct plan_entry *e = &plan->entries[i];
			if (phase_of(e->kind) != phase)
				continue;
			items[m].path = order_path(e);
			sort_key(items[m].path, path_byte, items[m].head);
			items[m].index = e->index;
			items[m].pos = i;
			items[m].stack = e->kind == PLAN_MOUNT && e->stack;
			m++;
		}
		n_out += order_phase(items, m, out + n_out);
	}
	/* apply the permutation in place (new position i takes old out[i]),
	 * one cycle at a time: no second copy of the entries */
	for (size_t i = 0; i < n_out; i++) {
		struct plan_entry held;
		size_t j = i;

		if (out[i] == SIZE_MAX || out[i] == i)
			continue;
		held = plan->entries[i];
		for (;;) {
			size_t k = out[j];

			out[j] = SIZE_MAX;
			if (k == i) {
				plan->entries[j] = held;
				break;
			}
			plan->entries[j] = plan->entries[k];
			j = k;
		}
	}
	free(items);
	free(out);
}
