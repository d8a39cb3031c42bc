/*
 * simulate.c: replay a compiled plan's ops against a model of the mount
 * tree (simulate.h).  The model follows the kernel where the plan decides
 * the outcome:
 *
 *   - a new filesystem (fsmount) gets exactly the attributes asked for;
 *     a bind (open_tree clone) keeps the source mount's attributes except
 *     those the op sets or clears;
 *   - a mount attached under a shared parent becomes shared, otherwise it
 *     keeps its propagation (a fresh mount is private, a clone keeps its
 *     source's); ROOTFS's propagation is what every host mount has;
 *   - a recursive bind of a path (READONLY, HOLE_SAVE) clones the mount
 *     that shows the path and every mount beneath the path in its subtree,
 *     hidden ones included, as copy_tree does;
 *   - the mount that shows a path is found by walking the tree from the
 *     root: a mount stacked on the current one wins, else the child
 *     mounted deepest on the way to the path.  A device bound only where
 *     mknod is refused is taken as absent there (mknod is assumed to
 *     work: the executor runs as root in the initial user namespace).
 */
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "paths.h"
#include "simulate.h"
#include "util.h"

/* Every attribute bit the table shows. */
#define SIM_ATTRS_SHOWN (MP_ATTR_RDONLY | MP_ATTR_NOSUID | MP_ATTR_NODEV | \
			 MP_ATTR_NOEXEC | MP_ATTR__ATIME | MP_ATTR_NODIRATIME | \
			 MP_ATTR_NOSYMFOLLOW | MP_ATTR_IDMAP)

/* A saved clone (HOLE_SAVE): mounts detached from the table. */
struct sim_slot {
	struct sim_mount *mounts;
	size_t n;
	bool used;
};

/* A copy of m without its children (the strings are shared: the
 * plan's or the table's). */
static struct sim_mount copy_mount(const struct sim_mount *m)
{
	struct sim_mount c = *m;

	c.children = NULL;
	c.n_children = c.cap_children = 0;
	return c;
}

/* Free what m owns (its children list). */
static void free_mount(struct sim_mount *m)
{
	free(m->children);
}

/* Keep a string as t's; see simulate.h. */
const char *sim_keep(struct sim_table *t, char *s)
{
	t->made = xgrow(t->made, t->n_made, &t->cap_made, sizeof(*t->made));
	t->made[t->n_made++] = s;
	return s;
}

/* Free the mounts a hole slot holds (the slot itself is not reset). */
static void free_slot(struct sim_slot *slot)
{
	for (size_t k = 0; k < slot->n; k++)
		free_mount(&slot->mounts[k]);
	free(slot->mounts);
}

/* Hash of (parent, the first len bytes of target) for the child index. */
static uint64_t child_hash(long parent, const char *target, size_t len)
{
	return hash_bytes((uint64_t)(parent + 1), target, len);
}

/* The bit of child_bits for a key of hash h (other bits than the
 * slot's). */
static size_t child_bit(const struct sim_table *t, uint64_t h)
{
	return (size_t)(h >> 40) & t->child_bits_mask;
}

/* Set the bit of a key of hash h. */
static void child_bit_set(struct sim_table *t, uint64_t h)
{
	size_t bit = child_bit(t, h);

	t->child_bits[bit / 64] |= 1ull << (bit % 64);
}

/* (Re)make child_bits empty for the index's size: 4 bits a slot (8 a
 * key at most, the index being at most half full). */
static void child_bits_init(struct sim_table *t)
{
	free(t->child_bits);
	t->child_bits = xzalloc(t->child_cap / 16, sizeof(*t->child_bits));
	t->child_bits_mask = t->child_cap * 4 - 1;
}

/* The slot of the child index holding (parent, target[0..len)), whose
 * hash is h, or the empty slot where it would go. */
static size_t child_slot(const struct sim_table *t, long parent,
			 const char *target, size_t len, uint64_t h)
{
	size_t mask = t->child_cap - 1;
	size_t i = h & mask;

	for (;; i = (i + 1) & mask) {
		size_t v = t->child[i].at;
		const struct sim_mount *m;

		if (!v)
			return i;
		if (t->child[i].hash != (uint32_t)(h >> 32))
			continue;
		m = &t->mounts[v - 1];
		if (m->parent == parent && strncmp(m->target, target, len) == 0 &&
		    m->target[len] == 0)
			return i;
	}
}

/* The latest mount on parent whose target is target[0..len), leaving out
 * devices bound only where mknod is refused; -1 when there is none.
 * When there is none and prefetch is set, the slot where that key
 * would go is prefetched (it is the one a mount attached there next
 * takes). */
static long child_at(const struct sim_table *t, long parent, const char *target,
		     size_t len, bool prefetch)
{
	uint64_t h;
	size_t v, bit;

	if (!t->child_cap)
		return -1;
	h = child_hash(parent, target, len);
	bit = child_bit(t, h);
	if (!(t->child_bits[bit / 64] & (1ull << (bit % 64)))) {
		if (prefetch)
			__builtin_prefetch(&t->child[h & (t->child_cap - 1)], 1);
		return -1; /* no key with these bits: not in the index */
	}
	v = t->child[child_slot(t, parent, target, len, h)].at;
	return v ? (long)v - 1 : -1;
}

/* Enter mount i in the child index (the latest mount at a place wins). */
static void child_index(struct sim_table *t, size_t i)
{
	const struct sim_mount *m = &t->mounts[i];

	if (m->parent < 0 || m->cond == SIM_IF_NO_MKNOD)
		return;
	if (2 * (t->child_n + 1) > t->child_cap) { /* grow, rehash */
		struct sim_child *old = t->child;
		size_t old_cap = t->child_cap;

		t->child_cap = old_cap ? 2 * old_cap : 64;
		t->child = xzalloc(t->child_cap, sizeof(*t->child));
		child_bits_init(t);
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].at) { /* distinct keys: the first empty slot */
				const struct sim_mount *c = &t->mounts[old[k].at - 1];
				uint64_t h = child_hash(c->parent, c->target, strlen(c->target));
				size_t j = h & (t->child_cap - 1);

				while (t->child[j].at)
					j = (j + 1) & (t->child_cap - 1);
				t->child[j] = old[k];
				child_bit_set(t, h);
			}
		free(old);
	}
	{
		uint64_t h = child_hash(m->parent, m->target, strlen(m->target));
		size_t slot = child_slot(t, m->parent, m->target, strlen(m->target), h);

		child_bit_set(t, h);

		if (!t->child[slot].at)
			t->child_n++;
		t->child[slot] = (struct sim_child){ (uint32_t)(h >> 32), (uint32_t)(i + 1) };
		if (strcmp(m->target, t->mounts[m->parent].target) == 0)
			t->mounts[m->parent].stacked = true;
	}
}

/* Append m (taking its strings) as a child of m.parent; returns its
 * index. */
static size_t add_mount(struct sim_table *t, struct sim_mount m)
{
	t->mounts = xgrow(t->mounts, t->n, &t->cap, sizeof(*t->mounts));
	m.children = NULL;
	m.n_children = m.cap_children = 0;
	m.stacked = false;
	t->mounts[t->n] = m;
	if (m.parent >= 0) {
		struct sim_mount *p = &t->mounts[m.parent];

		p->children = xgrow(p->children, p->n_children, &p->cap_children,
				    sizeof(*p->children));
		p->children[p->n_children++] = t->n;
	}
	child_index(t, t->n);
	return t->n++;
}

/* Compare two mount indexes (qsort, bsearch). */
static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The proper descendants of mount i, ascending (so a parent comes before
 * its children); *n set.  Caller frees. */
static size_t *descendants(const struct sim_table *t, size_t i, size_t *n)
{
	size_t *out = NULL, cap = 0, k = 0;

	*n = 0;
	for (size_t c = 0; c < t->mounts[i].n_children; c++) {
		out = xgrow(out, k, &cap, sizeof(*out));
		out[k++] = t->mounts[i].children[c];
	}
	for (size_t r = 0; r < k; r++) { /* breadth first over out itself */
		const struct sim_mount *m = &t->mounts[out[r]];

		for (size_t c = 0; c < m->n_children; c++) {
			out = xgrow(out, k, &cap, sizeof(*out));
			out[k++] = m->children[c];
		}
	}
	if (k > 1)
		qsort(out, k, sizeof(*out), cmp_index);
	*n = k;
	return out;
}

/* Index of the mount that shows path, or -1 when the table is empty.
 * From the root down: a mount stacked on the current one wins, else the
 * child mounted deepest on the way to path (each prefix of path looked up
 * in the child index, longest first): O(depth^2) lookups, whatever the number
 * of mounts. */
static long visible_mount(const struct sim_table *t, const char *path)
{
	size_t len = strlen(path);
	long cur = t->n ? 0 : -1;

	while (cur >= 0 && t->mounts[cur].n_children) { /* else nothing is on it */
		const char *top = t->mounts[cur].target;
		size_t top_len = strlen(top), n = len;
		long next = t->mounts[cur].stacked ? child_at(t, cur, top, top_len, false) : -1;

		/* prefixes of path ending at a component, longer than top;
		 * the whole path's slot prefetched when nothing is on it:
		 * when cur is the last mount on the way, a mount attached
		 * at path goes there, and the lookups of the shorter
		 * prefixes (mostly answered by child_bits) overlap the
		 * miss */
		while (next < 0 && n > top_len) {
			next = child_at(t, cur, path, n, n == len);
			while (n > 0 && path[--n] != '/')
				;
		}
		if (next < 0)
			break;
		cur = next;
	}
	return cur;
}

/* Apply attr_set/attr_clr to m (an atime value counts as known when the
 * atime field is set or cleared). */
static void apply_attrs(struct sim_mount *m, uint32_t set, uint32_t clr)
{
	m->attrs = (m->attrs & ~clr) | set;
	m->known |= set | clr;
	if ((set | clr) & MP_ATTR__ATIME)
		m->known |= MP_ATTR__ATIME;
	if (m->has_alt) {
		m->alt_attrs = (m->alt_attrs & ~clr) | set;
		m->alt_known |= set | clr;
		if ((set | clr) & MP_ATTR__ATIME)
			m->alt_known |= MP_ATTR__ATIME;
	}
}

/* Set propagation prop (0: leave) on mount i, and on its subtree with
 * MP_PROP_REC. */
static void apply_propagation(struct sim_table *t, size_t i, uint32_t prop)
{
	uint32_t value = prop & ~MP_PROP_REC;
	size_t *d, n;

	if (!value)
		return;

	t->mounts[i].propagation = value;
	if (!(prop & MP_PROP_REC))
		return;
	d = descendants(t, i, &n);
	for (size_t k = 0; k < n; k++)
		t->mounts[d[k]].propagation = value;
	free(d);
}

/* Attach m at its target on top of what shows it now; a shared parent
 * makes it shared.  Returns its index. */
static size_t attach(struct sim_table *t, struct sim_mount m)
{
	m.parent = visible_mount(t, m.target);
	if (m.parent >= 0 && t->mounts[m.parent].propagation == MP_PROP_SHARED)
		m.propagation = MP_PROP_SHARED;
	return add_mount(t, m);
}

/* Clone the tree a recursive bind of path would take: the mount showing
 * path (re-rooted at path) and every mount beneath path in its subtree.
 * Returns the copies (parents are indexes into the copy, the top's -1)
 * and their number in *n. */
static struct sim_mount *clone_tree(const struct sim_table *t,
				    const char *path, size_t *n)
{
	long top = visible_mount(t, path);
	struct sim_mount *out;
	size_t *d, n_d, k = 0;
	long *copy_of;

	*n = 0;
	if (top < 0)
		return NULL;
	d = descendants(t, (size_t)top, &n_d);
	out = xcalloc(n_d + 1, sizeof(*out));
	copy_of = xcalloc(n_d + 1, sizeof(*copy_of));
	out[k] = copy_mount(&t->mounts[top]);
	out[k].target = path;
	out[k].parent = -1;
	k++;
	for (size_t r = 0; r < n_d; r++) {
		const struct sim_mount *m = &t->mounts[d[r]];
		long parent = 0; /* the top's copy */

		copy_of[r] = -1;
		if (m->parent != top) {
			size_t key = (size_t)m->parent;
			size_t *at = bsearch(&key, d, r, sizeof(*d), cmp_index);

			parent = at ? copy_of[at - d] : -1;
		}
		if (parent < 0 || !path_at_or_beneath(m->target, path))
			continue;
		out[k] = copy_mount(m);
		out[k].parent = parent;
		copy_of[r] = (long)k++;
	}
	free(copy_of);
	free(d);
	*n = k;
	return out;
}

/* Attach copies made by clone_tree (taking them) as kind, each with
 * set/clr applied, the whole tree conditional on cond when not ALWAYS. */
static void attach_tree(struct sim_table *t, struct sim_mount *tree, size_t n,
			enum sim_kind kind, enum sim_cond cond, uint32_t op,
			uint32_t set, uint32_t clr)
{
	size_t base = t->n;

	for (size_t k = 0; k < n; k++) {
		struct sim_mount m = tree[k];

		m.kind = kind;
		m.op = op;
		if (cond != SIM_ALWAYS && m.cond == SIM_ALWAYS)
			m.cond = cond;
		apply_attrs(&m, set, clr);
		if (k == 0) {
			attach(t, m);
		} else {
			m.parent = (long)base + m.parent;
			if (t->mounts[m.parent].propagation == MP_PROP_SHARED)
				m.propagation = MP_PROP_SHARED;
			add_mount(t, m);
		}
	}
	free(tree);
}

/* Is path the mount point of the mount that shows it? */
static bool is_mount_point(const struct sim_table *t, const char *path)
{
	long v = visible_mount(t, path);

	return v >= 0 && strcmp(t->mounts[v].target, path) == 0;
}

/* A new mount record for op i at target (the plan's string). */
static struct sim_mount new_mount(enum sim_kind kind, const char *target,
				  uint32_t op)
{
	struct sim_mount m = { 0 };

	m.kind = kind;
	m.target = target;
	m.op = op;
	m.parent = -1;
	m.propagation = MP_PROP_PRIVATE;
	return m;
}

/* s, or NULL for "". */
static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Simulate one op; host_prop is ROOTFS's propagation (what host mounts,
 * and so binds of them, have). */
static void simulate_op(struct sim_table *t, const struct mpb *mpb, uint32_t i,
			struct sim_slot *slots, uint32_t *host_prop)
{
	struct mp_op op;
	struct sim_mount m;
	const char *target;
	struct sim_mount *tree;
	enum sim_cond cond;
	size_t idx, n;
	long v;

	mpb_op(mpb, i, &op);
	target = mpb_str(mpb, op.target);
	switch ((enum mp_opcode)op.opcode) {
	case MP_OP_ROOTFS:
		*host_prop = op.propagation & ~MP_PROP_REC;
		m = new_mount(SIM_ROOT, "/", i);
		m.source = or_null(mpb_str(mpb, op.source));
		m.propagation = *host_prop;
		if (op.fstype) { /* (v2) a new filesystem: attributes as asked */
			m.fstype = or_null(mpb_str(mpb, op.fstype));
			m.attrs = op.attr_set & ~(op.attr_clr & ~MP_ATTR__ATIME);
			m.known = SIM_ATTRS_SHOWN & ~MP_ATTR_IDMAP;
			m.propagation = MP_PROP_PRIVATE;
		}
		add_mount(t, m);
		break;
	case MP_OP_MOUNT:
		m = new_mount(SIM_FS, target, i);
		m.fstype = or_null(mpb_str(mpb, op.fstype));
		m.source = or_null(mpb_str(mpb, op.source));
		m.attrs = op.attr_set & ~(op.attr_clr & ~MP_ATTR__ATIME);
		m.known = SIM_ATTRS_SHOWN & ~MP_ATTR_IDMAP;
		idx = attach(t, m);
		apply_propagation(t, idx, op.propagation);
		break;
	case MP_OP_BIND:
		m = new_mount(SIM_BIND, target, i);
		m.source = or_null(mpb_str(mpb, op.source));
		m.propagation = *host_prop;
		m.open_below = op.flags & MP_F_RECURSIVE;
		if (op.flags & (MP_F_OPTIONAL | MP_F_COPY_SYMLINK))
			m.cond = SIM_IF_SOURCE; /* copy-symlink: no mount for a link */
		apply_attrs(&m, op.attr_set, op.attr_clr);
		idx = attach(t, m);
		apply_propagation(t, idx, op.propagation);
		break;
	case MP_OP_CGROUP:
		m = new_mount(SIM_CGROUP, target, i);
		m.fstype = or_null(mpb_str(mpb, op.fstype));
		m.attrs = op.attr_set & ~(op.attr_clr & ~MP_ATTR__ATIME);
		m.known = SIM_ATTRS_SHOWN & ~MP_ATTR_IDMAP;
		m.open_below = true;
		m.has_alt = true; /* a v1 or hybrid host: a tmpfs of binds */
		m.alt_fstype = "tmpfs";
		m.alt_attrs = m.attrs;
		m.alt_known = m.known;
		idx = attach(t, m);
		apply_propagation(t, idx, op.propagation);
		break;
	case MP_OP_MKNOD:
		if (!(op.flags & (MP_F_BIND_ONLY | MP_F_BIND_FALLBACK)))
			break;
		m = new_mount(SIM_DEVICE, target, i);
		m.source = target;
		m.propagation = *host_prop;
		if (!(op.flags & MP_F_BIND_ONLY))
			m.cond = SIM_IF_NO_MKNOD;
		attach(t, m);
		break;
	case MP_OP_HOSTDEV: /* (v2) a node like the host's: a bind as for MKNOD */
		if (!(op.flags & (MP_F_BIND_ONLY | MP_F_BIND_FALLBACK)))
			break;
		m = new_mount(SIM_DEVICE, target, i);
		m.source = mpb_str(mpb, op.source);
		if (op.flags & MP_F_GLOB) /* one row for every match: the pattern */
			m.target = sim_keep(t, xasprintf("%s/%s", strcmp(target, "/") ? target : "",
						     strrchr(m.source, '/') + 1));
		m.propagation = *host_prop;
		if (!(op.flags & MP_F_BIND_ONLY))
			m.cond = SIM_IF_NO_MKNOD;
		else if (op.flags & (MP_F_GLOB | MP_F_BEST_EFFORT))
			m.cond = SIM_IF_SOURCE;
		m.when = sim_keep(t, xasprintf("%s%slike host %s%s", m.cond == SIM_IF_NO_MKNOD ?
				   "if mknod is refused; " : "", m.cond == SIM_IF_SOURCE ?
				   "if the host has it; " : "", m.source,
				   op.flags & MP_F_BEST_EFFORT ? ", best-effort" : ""));
		attach(t, m);
		break;
	case MP_OP_MASK:
		m = new_mount(SIM_MASK, target, i);
		m.cond = SIM_IF_PATH;
		m.fstype = "tmpfs";
		m.source = "tmpfs";
		m.attrs = MP_ATTR_RDONLY;
		m.known = MP_ATTR_RDONLY;
		m.has_alt = true; /* a file: the container's /dev/null */
		v = visible_mount(t, "/dev/null");
		if (v >= 0) {
			const struct sim_mount *null = &t->mounts[v];

			m.alt_fstype = null->fstype;
			m.alt_source = null->source;
			m.alt_attrs = null->attrs;
			m.alt_known = null->known;
		}
		attach(t, m);
		break;
	case MP_OP_HOLE_SAVE:
		if (op.aux >= MP_MAX_SLOTS)
			break;
		free_slot(&slots[op.aux]);
		slots[op.aux].mounts = clone_tree(t, target, &slots[op.aux].n);
		slots[op.aux].used = true;
		break;
	case MP_OP_READONLY:
		cond = is_mount_point(t, target) ? SIM_ALWAYS : SIM_IF_PATH;
		tree = clone_tree(t, target, &n);
		attach_tree(t, tree, n, SIM_READONLY, cond, i, MP_ATTR_RDONLY, 0);
		break;
	case MP_OP_HOLE_RESTORE:
		if (op.aux >= MP_MAX_SLOTS || !slots[op.aux].used)
			break;
		attach_tree(t, slots[op.aux].mounts, slots[op.aux].n, SIM_HOLE,
			    is_mount_point(t, target) ? SIM_ALWAYS : SIM_IF_PATH, i, 0, 0);
		slots[op.aux] = (struct sim_slot){ 0 };
		break;
	case MP_OP_SETATTR:
		v = visible_mount(t, target);
		if (v < 0)
			break;
		apply_attrs(&t->mounts[v], op.attr_set, op.attr_clr);
		if (op.flags & MP_F_ATTR_RECURSIVE) {
			size_t *d = descendants(t, (size_t)v, &n);

			for (size_t k = 0; k < n; k++)
				apply_attrs(&t->mounts[d[k]], op.attr_set, op.attr_clr);
			free(d);
		}
		apply_propagation(t, (size_t)v, op.propagation);
		break;
	case MP_OP_SYMLINK:
	case MP_OP_PIVOT:
	case MP_OP_UMASK:
	case MP_OP_CHDIR:
	case MP_OP_COND: /* simulate_mpb marks what it guards */
	case MP_OP_NAMESPACES:
		break; /* no mount; targets are already container paths */
	case MP_OP_INVALID:
	case MP_OP_MAX:
	default:
		break; /* a checked plan holds none */
	}
}

/* How many mounts simulating mpb's ops is expected to make: one per op
 * that attaches one (a READONLY's or HOLE_RESTORE's tree may hold more:
 * an eighth more for those), and one more. */
static size_t expected_mounts(const struct mpb *mpb)
{
	size_t n = 1;

	for (uint32_t i = 0; i < mpb->op_count; i++) {
		struct mp_op op;

		mpb_op(mpb, i, &op);
		switch ((enum mp_opcode)op.opcode) {
		case MP_OP_ROOTFS:
		case MP_OP_MOUNT:
		case MP_OP_BIND:
		case MP_OP_CGROUP:
		case MP_OP_MKNOD:
		case MP_OP_HOSTDEV:
		case MP_OP_MASK:
		case MP_OP_READONLY:
		case MP_OP_HOLE_RESTORE:
			n++;
			break;
		case MP_OP_HOLE_SAVE:
		case MP_OP_SETATTR:
		case MP_OP_SYMLINK:
		case MP_OP_PIVOT:
		case MP_OP_UMASK:
		case MP_OP_CHDIR:
		case MP_OP_COND:
		case MP_OP_NAMESPACES:
		case MP_OP_INVALID:
		case MP_OP_MAX:
		default:
			break;
		}
	}
	return n + n / 8;
}

/* Simulate every op; see simulate.h. */
void simulate_mpb(const struct mpb *mpb, struct sim_table *t)
{
	struct sim_slot slots[MP_MAX_SLOTS] = { 0 };
	uint32_t host_prop = MP_PROP_SLAVE;

	const char *when = NULL; /* the COND in force, in words */
	uint32_t guarded = 0; /* ops it still guards */

	memset(t, 0, sizeof(*t));
	/* room for the mounts expected, and the index at most half full
	 * with them, from the start (growing and rehashing only past
	 * that): sized by all ops, the index of the 200k bench plan (a
	 * third of its ops SETATTRs) took 8 MB, twice what its mounts
	 * need, where at 20k it fits (doc/performance.md, twelfth round) */
	t->cap = expected_mounts(mpb);
	t->mounts = xcalloc(t->cap, sizeof(*t->mounts));
	for (t->child_cap = 64; t->child_cap < 2 * t->cap;)
		t->child_cap *= 2;
	t->child = xzalloc(t->child_cap, sizeof(*t->child));
	child_bits_init(t);
	for (uint32_t i = 0; i < mpb->op_count; i++) {
		struct mp_op op;
		size_t before = t->n;

		mpb_op(mpb, i, &op);
		if (op.opcode == MP_OP_COND) {
			when = sim_keep(t, sim_when_text(mpb, &op));
			guarded = op.aux;
			continue;
		}
		simulate_op(t, mpb, i, slots, &host_prop);
		if (!guarded)
			continue;
		guarded--;
		for (size_t k = before; k < t->n; k++) {
			struct sim_mount *m = &t->mounts[k];

			if (!m->when) /* the innermost reason is the host's */
				m->when = when;
			m->cond = SIM_IF_HOST;
		}
	}
	for (size_t s = 0; s < MP_MAX_SLOTS; s++)
		free_slot(&slots[s]);
}

/* Free t; see simulate.h. */
void sim_table_free(struct sim_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free_mount(&t->mounts[i]);
	free(t->mounts);
	free(t->child);
	free(t->child_bits);
	for (size_t i = 0; i < t->n_made; i++)
		free(t->made[i]);
	free(t->made);
	memset(t, 0, sizeof(*t));
}

/* Append word to buf (size n) after a comma when buf is not empty. */
static void put_word(char *buf, size_t n, const char *word)
{
	size_t len = strlen(buf);

	if (len + strlen(word) + 2 > n)
		return;
	if (len)
		buf[len++] = ',';
	strcpy(buf + len, word);
}

/* Option words of attrs for the known bits; see simulate.h. */
void sim_attr_words(uint32_t attrs, uint32_t known, char *buf, size_t n)
{
	static const struct {
		uint32_t bit;
		const char *word;
	} flags[] = {
		{ MP_ATTR_NOSUID, "nosuid" },
		{ MP_ATTR_NODEV, "nodev" },
		{ MP_ATTR_NOEXEC, "noexec" },
		{ MP_ATTR_NODIRATIME, "nodiratime" },
		{ MP_ATTR_NOSYMFOLLOW, "nosymfollow" },
		{ MP_ATTR_IDMAP, "idmap" },
	};

	buf[0] = 0;
	if (known & MP_ATTR_RDONLY)
		put_word(buf, n, attrs & MP_ATTR_RDONLY ? "ro" : "rw");
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if ((known & flags[i].bit) && (attrs & flags[i].bit))
			put_word(buf, n, flags[i].word);
	if (known & MP_ATTR__ATIME) {
		uint32_t a = attrs & MP_ATTR__ATIME;
		put_word(buf, n, a == MP_ATTR_NOATIME ? "noatime" :
				 a == MP_ATTR_STRICTATIME ? "strictatime" : "relatime");
	}
}

/* Option words of m's known attributes; see simulate.h. */
void sim_option_words(const struct sim_mount *m, char *buf, size_t n)
{
	sim_attr_words(m->attrs, m->known, buf, n);
}

/* Propagation word (options.c's, from libmount's map); see simulate.h. */
const char *sim_propagation_name(uint32_t prop)
{
	const char *name = options_propagation_name(prop & ~MP_PROP_REC);

	return name ? name : "private";
}

/* Kind word; see simulate.h. */
const char *sim_kind_name(enum sim_kind kind)
{
	switch (kind) {
	case SIM_ROOT:
		return "rootfs";
	case SIM_FS:
		return "mount";
	case SIM_BIND:
		return "bind";
	case SIM_CGROUP:
		return "cgroup";
	case SIM_DEVICE:
		return "device";
	case SIM_MASK:
		return "mask";
	case SIM_READONLY:
		return "readonly";
	case SIM_HOLE:
		return "hole";
	case SIM_KIND_MAX:
	default:
		return "?";
	}
}

/* Condition text; see simulate.h. */
const char *sim_cond_text(enum sim_cond cond)
{
	switch (cond) {
	case SIM_ALWAYS:
		return "";
	case SIM_IF_PATH:
		return "if the path exists";
	case SIM_IF_SOURCE:
		return "if the source exists";
	case SIM_IF_NO_MKNOD:
		return "if mknod is refused";
	case SIM_IF_HOST:
		return "if the host condition holds";
	case SIM_COND_MAX:
	default:
		return "?";
	}
}

/* Condition words of a mount; see simulate.h. */
const char *sim_mount_cond(const struct sim_mount *m)
{
	return m->when ? m->when : sim_cond_text(m->cond);
}

/* A COND's test in words; see simulate.h. */
char *sim_when_text(const struct mpb *mpb, const struct mp_op *op)
{
	return sim_when_words(mpb_str(mpb, op->source), op->mode, op->flags & MP_F_NOT);
}

/* A condition in words; see simulate.h. */
char *sim_when_words(const char *path, uint32_t type, bool negate)
{
	static const struct {
		uint32_t type;
		const char *word;
	} kinds[] = {
		{ MP_IFREG, "file" }, { MP_IFDIR, "directory" },
		{ MP_IFCHR, "char-device" }, { MP_IFBLK, "block-device" },
		{ MP_IFIFO, "fifo" }, { MP_IFLNK, "symlink" }, { MP_IFSOCK, "socket" },
	};
	const char *word = NULL;
	const char *lead = negate ? "unless" : "if";

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].type == type)
			word = kinds[i].word;
	if (!word)
		return xasprintf("%s the host has %s", lead, path);
	return xasprintf("%s host %s is a %s", lead, path, word);
}
