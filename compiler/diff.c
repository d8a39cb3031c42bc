/*
 * diff.c: the items of a compiled plan and the changes between two of
 * them, with what weakens isolation (diff.h).  Linear in the plans'
 * sizes: items are matched through a hash index, and the predicted
 * tables are compared path by path through one.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "options.h"
#include "simulate.h"
#include "util.h"

/* The attributes whose loss weakens a mount. */
#define DIFF_PROTECT (MP_ATTR_RDONLY | MP_ATTR_NOSUID | MP_ATTR_NODEV | MP_ATTR_NOEXEC)

/* Distinct keys (tag, s1, s2) numbered 0, 1, ... in the order they are
 * first put; a hash index (open addressing, linear probing, at most half
 * full) of 8-byte slots finds them.  The strings are the caller's and
 * must outlive it (s2 NULL: none).  Nothing depends on the slot order. */
struct keys {
	struct key {
		uint64_t hash, tag;
		const char *s1, *s2;
	} *v;
	size_t n, cap_v;
	struct keyslot {
		uint32_t hash; /* the key's hash, its high half */
		uint32_t ref;  /* 1 + the key's number; 0: empty */
	} *slots;
	size_t cap;
};

/* The hash of a key. */
static uint64_t key_hash(uint64_t tag, const char *s1, const char *s2)
{
	uint64_t h = hash_bytes(tag, s1, strlen(s1));

	return s2 ? hash_bytes(h, s2, strlen(s2)) : h;
}

/* The slot of a key (its hash h) in m: the one holding it, or the empty
 * one where it goes. */
static struct keyslot *keys_slot(const struct keys *m, uint64_t h, uint64_t tag,
				 const char *s1, const char *s2)
{
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct keyslot *k = &m->slots[i];
		const struct key *e;

		if (!k->ref)
			return k;
		e = &m->v[k->ref - 1];
		if (k->hash == (uint32_t)(h >> 32) && e->tag == tag && strcmp(e->s1, s1) == 0 &&
		    (e->s2 == s2 || (e->s2 && s2 && strcmp(e->s2, s2) == 0)))
			return k;
	}
}

/* The number of key (tag, s1, s2), whose hash is h, in m, or SIZE_MAX
 * when absent. */
static size_t keys_find_hashed(const struct keys *m, uint64_t h, uint64_t tag,
			       const char *s1, const char *s2)
{
	if (!m->cap)
		return SIZE_MAX;
	return (size_t)keys_slot(m, h, tag, s1, s2)->ref - 1;
}

/* The number of key (tag, s1, s2) in m, or SIZE_MAX when absent. */
static size_t keys_find(const struct keys *m, uint64_t tag, const char *s1, const char *s2)
{
	return keys_find_hashed(m, key_hash(tag, s1, s2), tag, s1, s2);
}

/* Start reading the slot a key of hash h would be found at in m (a
 * hint: a probe a few keys later then finds it in the cache). */
static void keys_prefetch(const struct keys *m, uint64_t h)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[h & (m->cap - 1)]);
}

/* The number of key (tag, s1, s2), whose hash is h, in m, added (as
 * m->n - 1) when absent. */
static size_t keys_put_hashed(struct keys *m, uint64_t h, uint64_t tag, const char *s1,
			      const char *s2)
{
	struct keyslot *k;

	if ((m->n + 1) * 2 > m->cap) {
		struct keyslot *old = m->slots;
		size_t old_cap = m->cap;

		m->cap = old_cap ? old_cap * 2 : 64;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].ref) {
				size_t j = m->v[old[i].ref - 1].hash & (m->cap - 1);

				while (m->slots[j].ref)
					j = (j + 1) & (m->cap - 1);
				m->slots[j] = old[i];
			}
		free(old);
	}
	k = keys_slot(m, h, tag, s1, s2);
	if (!k->ref) {
		m->v = xgrow(m->v, m->n, &m->cap_v, sizeof(*m->v));
		m->v[m->n] = (struct key){ h, tag, s1, s2 };
		*k = (struct keyslot){ (uint32_t)(h >> 32), (uint32_t)++m->n };
	}
	return (size_t)k->ref - 1;
}

/* The number of key (tag, s1, s2) in m, added (as m->n - 1) when
 * absent. */
static size_t keys_put(struct keys *m, uint64_t tag, const char *s1, const char *s2)
{
	return keys_put_hashed(m, key_hash(tag, s1, s2), tag, s1, s2);
}

/* How many keys ahead a loop that puts or finds keys one after the
 * other hashes them and prefetches their slots: at 200,000 keys the
 * slots (4-8 MB) are read from memory, one miss a key, and these misses
 * then overlap. */
#define KEYS_AHEAD 8

/* Make room in m for n keys without growing (an empty m). */
static void keys_reserve(struct keys *m, size_t n)
{
	for (m->cap = 64; m->cap < 2 * (n + 1);)
		m->cap *= 2;
	m->slots = xzalloc(m->cap, sizeof(*m->slots));
	m->cap_v = n + 1;
	m->v = xcalloc(m->cap_v, sizeof(*m->v));
}

/* Free what m owns. */
static void keys_free(struct keys *m)
{
	free(m->v);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Room for the fields of the item being made (it grows past this). */
#define ITEM_FIELDS 8

/* How many distinct option words and data.KEY names a list pools (a
 * plan has a handful; past this many, each item gets its own copy). */
#define DIFF_POOL_MAX 64

/* The items of a list by (section, key): key k's items are first[k],
 * next[first[k]], ... (SIZE_MAX ends), in list order, so the item of
 * occurrence o is o steps along. */
struct diff_index {
	struct keys occ; /* (section, key) */
	struct key_items {
		size_t first, last, count;
	} *key;          /* per key (number_items) */
	size_t *next;    /* per item */
	struct keys paths; /* the paths of the predicted table, in its order */
	size_t *last;      /* per path: the index of the last mount there */
	struct arena fields; /* the items' fields, each item's exactly
				sized once it is made (not one block per
				item, nor room for the most an item has),
				and the values of data.KEY fields */
	struct pooled {  /* strings items share (the first DIFF_POOL_MAX):
			    the option words of each (attr_set, attr_clr),
			    each data.KEY name */
		bool name;
		uint32_t set, clr;
		char *s;
	} *pool;
	size_t n_pool, cap_pool;
};

/* Building one list: the items and their index.  The fields of the
 * item being made (open) are gathered in scratch and moved into the
 * list's arena when the next item starts (close_item). */
struct builder {
	struct diff_list *l;
	struct diff_index *x;
	const struct mpb *mpb;
	size_t open; /* the item being made; SIZE_MAX: none */
	struct diff_field *scratch;
	size_t cap_scratch;
};

/* Move the fields of the item being made, if any, into the list's
 * arena, exactly sized; a field added to it later copies them out
 * (add_field). */
static void close_item(struct builder *b)
{
	struct diff_item *it;

	if (b->open == SIZE_MAX)
		return;
	it = &b->l->items[b->open];
	it->fields = it->n_fields ? arena_alloc(&b->x->fields, it->n_fields * sizeof(*it->fields))
				  : NULL;
	if (it->n_fields)
		memcpy(it->fields, b->scratch, it->n_fields * sizeof(*it->fields));
	it->cap_fields = it->n_fields;
	b->open = SIZE_MAX;
}

/* Append an item of section at key (static, or the plan's: it must
 * outlive the list) made by op (UINT32_MAX: none); returns its index. */
static size_t add_item(struct builder *b, const char *section, const char *key,
		       uint32_t op)
{
	struct diff_list *l = b->l;
	struct diff_item *it;

	close_item(b);
	l->items = xgrow(l->items, l->n, &l->cap, sizeof(*l->items));
	it = &l->items[l->n];
	memset(it, 0, sizeof(*it));
	it->section = section;
	it->key = key;
	it->cap_fields = b->cap_scratch;
	it->fields = b->scratch;
	b->open = l->n;
	it->op = op;
	if (op != UINT32_MAX) {
		struct mp_srcpos p;

		mpb_srcpos(b->mpb, op, &p);
		it->pos = (struct diff_pos){ mpb_str(b->mpb, p.file), p.line, p.col };
	}
	return l->n++;
}

/* Append field name = value to item i: name static or the list's,
 * value malloc'd and taken (owned) or static or the plan's. */
static void add_field(struct builder *b, size_t i, const char *name, const char *value,
		      bool owned)
{
	struct diff_item *it = &b->l->items[i];

	if (i == b->open) { /* in scratch */
		b->scratch = xgrow(b->scratch, it->n_fields, &b->cap_scratch, sizeof(*b->scratch));
		it->fields = b->scratch;
		it->cap_fields = b->cap_scratch;
		it->fields[it->n_fields++] = (struct diff_field){ name, value, false, owned };
		return;
	}
	if (it->n_fields == it->cap_fields && !it->fields_owned) { /* out of the list's */
		struct diff_field *own = xcalloc(it->cap_fields, sizeof(*own));

		memcpy(own, it->fields, it->n_fields * sizeof(*own));
		it->fields = own;
		it->fields_owned = true;
	}
	it->fields = xgrow(it->fields, it->n_fields, &it->cap_fields, sizeof(*it->fields));
	it->fields[it->n_fields++] = (struct diff_field){ name, value, false, owned };
}

/* Append field name (static) = value (malloc'd, taken) to item i. */
static void set_field(struct builder *b, size_t i, const char *name, char *value)
{
	add_field(b, i, name, value, true);
}

/* Append field name (static) = value (static, or the plan's) to item i. */
static void ref_field(struct builder *b, size_t i, const char *name, const char *value)
{
	add_field(b, i, name, value, false);
}

/* The pooled string of kind name (s) or option words (set, clr), or
 * NULL when it is not pooled yet and the pool is full. */
static const char *pool_find(const struct diff_index *x, bool name, const char *s,
			     uint32_t set, uint32_t clr)
{
	for (size_t k = x->n_pool; k-- > 0;)
		if (x->pool[k].name == name && x->pool[k].set == set && x->pool[k].clr == clr &&
		    (!name || strcmp(x->pool[k].s, s) == 0))
			return x->pool[k].s;
	return NULL;
}

/* Pool s (malloc'd, taken) as kind name or (set, clr); returns it, or
 * NULL when the pool is full (s not taken). */
static const char *pool_put(struct diff_index *x, bool name, char *s, uint32_t set,
			    uint32_t clr)
{
	if (x->n_pool >= DIFF_POOL_MAX)
		return NULL;
	x->pool = xgrow(x->pool, x->n_pool, &x->cap_pool, sizeof(*x->pool));
	x->pool[x->n_pool] = (struct pooled){ name, set, clr, s };
	return x->pool[x->n_pool++].s;
}

/* The value of a field; see diff.h. */
const char *diff_field_value(const struct diff_item *it, const char *name)
{
	for (size_t k = 0; k < it->n_fields; k++)
		if (strcmp(it->fields[k].name, name) == 0)
			return it->fields[k].value;
	return NULL;
}

/* Append word to the comma list in buf (size n). */
static void put_word(char *buf, size_t n, const char *word)
{
	size_t len = strlen(buf);

	snprintf(buf + len, n - len, "%s%s", len ? "," : "", word);
}

/* The option words of an op's attr_set/attr_clr, as mount(8) writes them
 * ("ro,nosuid", "rw,suid" for cleared bits), "-" for none. */
static char *attr_words(uint32_t set, uint32_t clr)
{
	static const struct {
		uint32_t bit;
		const char *on, *off;
	} words[] = {
		{ MP_ATTR_RDONLY, "ro", "rw" },
		{ MP_ATTR_NOSUID, "nosuid", "suid" },
		{ MP_ATTR_NODEV, "nodev", "dev" },
		{ MP_ATTR_NOEXEC, "noexec", "exec" },
		{ MP_ATTR_NODIRATIME, "nodiratime", "diratime" },
		{ MP_ATTR_NOSYMFOLLOW, "nosymfollow", "symfollow" },
		{ MP_ATTR_IDMAP, "idmap", "noidmap" },
	};
	char buf[256] = "";
	uint32_t rest = (set | clr) & ~(MP_ATTR__ATIME);

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (set & words[i].bit)
			put_word(buf, sizeof buf, words[i].on);
		if (clr & words[i].bit)
			put_word(buf, sizeof buf, words[i].off);
		rest &= ~words[i].bit;
	}
	if ((set & MP_ATTR__ATIME) == MP_ATTR_NOATIME)
		put_word(buf, sizeof buf, "noatime");
	else if ((set & MP_ATTR__ATIME) == MP_ATTR_STRICTATIME)
		put_word(buf, sizeof buf, "strictatime");
	else if (set & MP_ATTR__ATIME)
		rest |= set & MP_ATTR__ATIME;
	if (clr & MP_ATTR__ATIME)
		put_word(buf, sizeof buf, "relatime");
	if (rest) {
		char hex[16];
		snprintf(hex, sizeof hex, "0x%x", rest);
		put_word(buf, sizeof buf, hex);
	}
	return xstrdup(*buf ? buf : "-");
}

/* The propagation word of an op field ("rslave" for MP_PROP_REC). */
static char *propagation_words(uint32_t prop)
{
	return xasprintf("%s%s", prop & MP_PROP_REC ? "r" : "",
			 sim_propagation_name(prop));
}

/* Append field name = the option words of (set, clr) to item i (pooled:
 * a plan has a few distinct ones). */
static void words_field(struct builder *b, size_t i, const char *name, uint32_t set,
			uint32_t clr)
{
	const char *w = pool_find(b->x, false, NULL, set, clr);
	char *made;

	if (w) {
		ref_field(b, i, name, w);
		return;
	}
	made = attr_words(set, clr);
	if ((w = pool_put(b->x, false, made, set, clr)))
		ref_field(b, i, name, w);
	else
		set_field(b, i, name, made);
}

/* One data.KEY field per comma-separated filesystem parameter (a bare
 * word's value is "yes"; a repeated key is KEY#2 ...).  The names are
 * made on the stack and pooled (a plan has a handful), the values
 * copied into the list's arena: no malloc per word. */
static void data_fields(struct builder *b, size_t i, const char *data)
{
	const char *p = data;

	while (*p) { /* each word up to a ',' (an empty one too) */
		size_t len = strcspn(p, ","), klen;
		const char *eq = memchr(p, '=', len), *value = "yes";
		char buf[128], *name = buf;
		size_t cap = sizeof buf;
		unsigned k = 1;
		const char *pooled_name;
		char *owned = NULL;

		klen = eq ? (size_t)(eq - p) : len;
		if (klen + sizeof "data.#4294967295" > cap) {
			cap = klen + sizeof "data.#4294967295";
			name = owned = xmalloc(cap);
		}
		memcpy(name, "data.", 5);
		memcpy(name + 5, p, klen);
		name[5 + klen] = 0;
		while (diff_field_value(&b->l->items[i], name))
			snprintf(name + 5 + klen, cap - 5 - klen, "#%u", ++k);
		if (eq) {
			char *v = arena_alloc(&b->x->fields, len - klen);

			memcpy(v, eq + 1, len - klen - 1);
			v[len - klen - 1] = 0;
			value = v;
		}
		if (!(pooled_name = pool_find(b->x, true, name, 0, 0))) {
			char *made = owned ? owned : xstrdup(name);

			owned = NULL;
			if (!(pooled_name = pool_put(b->x, true, made, 0, 0))) {
				ref_field(b, i, made, value);
				b->l->items[i].fields[b->l->items[i].n_fields - 1].name_owned = true;
			}
		}
		if (pooled_name)
			ref_field(b, i, pooled_name, value);
		free(owned);
		p += len + (p[len] == ',');
	}
}

/* The flag words of a mount op (opcode) that no other field shows. */
static void flag_field(struct builder *b, size_t i, uint16_t opcode, uint16_t flags)
{
	char buf[128] = "";

	if (!(flags & MP_F_MKDIR))
		put_word(buf, sizeof buf, "no-mkdir");
	if (flags & MP_F_OPTIONAL)
		put_word(buf, sizeof buf, "optional");
	if (flags & MP_F_TMPCOPYUP)
		put_word(buf, sizeof buf, "tmpcopyup");
	if (opcode == MP_OP_MOUNT && (flags & MP_F_LABEL))
		put_word(buf, sizeof buf, "mount-label");
	if (opcode == MP_OP_BIND) { /* (v2) bits that mean more on other ops */
		if (flags & MP_F_FOLLOW)
			put_word(buf, sizeof buf, "follow-symlinks");
		if (flags & MP_F_SRC_NOFOLLOW)
			put_word(buf, sizeof buf, "src-nofollow");
		if (flags & MP_F_DEST_NOFOLLOW)
			put_word(buf, sizeof buf, "dest-nofollow");
		if (flags & MP_F_COPY_SYMLINK)
			put_word(buf, sizeof buf, "copy-symlink");
	}
	if (*buf)
		set_field(b, i, "flags", xstrdup(buf));
}

/* The item of a MOUNT, BIND or CGROUP op. */
static void mount_item(struct builder *b, uint32_t k, const struct mp_op *op)
{
	const struct mpb *mpb = b->mpb;
	size_t i = add_item(b, "mount", mpb_str(mpb, op->target), k);

	if (op->opcode == MP_OP_BIND) {
		ref_field(b, i, "type", "bind");
		ref_field(b, i, "source", mpb_str(mpb, op->source));
		ref_field(b, i, "bind", op->flags & MP_F_RECURSIVE ? "rbind" : "bind");
	} else {
		ref_field(b, i, "type", mpb_str(mpb, op->fstype));
		if (op->source)
			ref_field(b, i, "source", mpb_str(mpb, op->source));
	}
	words_field(b, i, "options", op->attr_set, op->attr_clr);
	if (op->opcode != MP_OP_MOUNT)
		ref_field(b, i, "attr-scope", op->flags & MP_F_ATTR_RECURSIVE ?
						      "recursive" : "top-level");
	if (op->propagation)
		set_field(b, i, "propagation", propagation_words(op->propagation));
	if (op->opcode == MP_OP_MOUNT)
		data_fields(b, i, mpb_str(mpb, op->data));
	else if (op->flags & MP_F_IDMAP)
		ref_field(b, i, "idmap", mpb_str(mpb, op->data));
	flag_field(b, i, op->opcode, op->flags);
}

/* The item of a MKNOD op. */
static void device_item(struct builder *b, uint32_t k, const struct mp_op *op)
{
	const char *target = mpb_str(b->mpb, op->target), *src = mpb_str(b->mpb, op->source);
	/* (v2) a like-host glob's item is its pattern in the container */
	char *glob = op->flags & MP_F_GLOB ?
		     xasprintf("%s/%s", strcmp(target, "/") ? target : "", strrchr(src, '/') + 1) :
		     NULL;
	size_t i = add_item(b, "device", glob ? glob : target, k);
	uint32_t t = op->mode & MP_IFMT;

	b->l->items[i].key_owned = glob != NULL; /* freed with the list */
	if (op->opcode == MP_OP_HOSTDEV) { /* (v2) type, numbers, mode: the host's */
		set_field(b, i, "node", xasprintf("like host %s", src));
		set_field(b, i, "mode", op->mode ? xasprintf("%04o", op->mode) : xstrdup("the host's"));
	} else {
		set_field(b, i, "node", xasprintf("%c %u:%u", t == MP_IFBLK ? 'b' :
						  t == MP_IFIFO ? 'p' : t == MP_IFCHR ? 'c' : '?',
						  op->major, op->minor));
		set_field(b, i, "mode", xasprintf("%04o", op->mode & 07777));
	}
	set_field(b, i, "owner", xasprintf("%u:%u", op->uid, op->gid));
	set_field(b, i, "policy", xstrdup(op->flags & MP_F_BIND_ONLY ? "bind" :
					  op->flags & MP_F_BIND_FALLBACK ? "mknod-or-bind" :
									 "mknod"));
	if (op->flags & MP_F_BEST_EFFORT)
		set_field(b, i, "best-effort", xstrdup("true"));
}

/* A SETATTR op: the read-only root, the recursive attributes of the
 * mount just before it (a mixed rbind), or an item of its own. */
static void setattr_item(struct builder *b, uint32_t k, const struct mp_op *op, size_t last)
{
	const char *target = mpb_str(b->mpb, op->target);
	size_t i;

	if (strcmp(target, "/") == 0 && op->attr_set == MP_ATTR_RDONLY && !op->attr_clr &&
	    !op->flags && !op->propagation) {
		i = add_item(b, "setting", "rootfs.readonly", k);
		set_field(b, i, "value", xstrdup("true"));
		return;
	}
	if (last != SIZE_MAX && strcmp(b->l->items[last].section, "mount") == 0 &&
	    strcmp(b->l->items[last].key, target) == 0 &&
	    !diff_field_value(&b->l->items[last], "recursive-options") &&
	    op->flags == MP_F_ATTR_RECURSIVE && !op->propagation) {
		words_field(b, last, "recursive-options", op->attr_set, op->attr_clr);
		return;
	}
	i = add_item(b, "setattr", target, k);
	words_field(b, i, "options", op->attr_set, op->attr_clr);
	ref_field(b, i, "attr-scope", op->flags & MP_F_ATTR_RECURSIVE ?
					      "recursive" : "top-level");
	if (op->propagation)
		set_field(b, i, "propagation", propagation_words(op->propagation));
}

/* A setting item name = value at op k. */
static void setting(struct builder *b, const char *name, char *value, uint32_t k)
{
	set_field(b, add_item(b, "setting", name, k), "value", value);
}

/* The settings of ROOTFS: rootfs.path (a host directory), rootfs.type
 * (a fresh filesystem as the root, format 2: with its source, options
 * and data.KEY fields), rootfs.propagation. */
static void rootfs_items(struct builder *b, uint32_t k, const struct mp_op *op)
{
	const struct mpb *mpb = b->mpb;
	size_t i;

	setting(b, "rootfs.path", xstrdup(op->source && !op->fstype ?
					  mpb_str(mpb, op->source) : "-"), k);
	setting(b, "rootfs.type", xstrdup(op->fstype ? mpb_str(mpb, op->fstype) : "-"), k);
	if (op->fstype) {
		i = b->l->n - 1;
		set_field(b, i, "source", xstrdup(op->source ? mpb_str(mpb, op->source) : "-"));
		if (op->attr_set || op->attr_clr)
			words_field(b, i, "options", op->attr_set, op->attr_clr);
		data_fields(b, i, mpb_str(mpb, op->data));
	}
	setting(b, "rootfs.propagation", propagation_words(op->propagation), k);
	/* (v2) the pid and ipc namespaces and the init */
	setting(b, "namespaces.pid", xstrdup(op->aux & MP_NS_PID ? "true" : "false"), k);
	setting(b, "namespaces.ipc", xstrdup(op->aux & MP_NS_IPC ? "true" : "false"), k);
	setting(b, "process.init", xstrdup(op->aux & MP_NS_INIT ? "true" : "false"), k);
}

/* Items of the ops, in op order. */
static void op_items(struct builder *b)
{
	const struct mpb *mpb = b->mpb;
	char *holes = NULL, *when = NULL;
	size_t last = SIZE_MAX, i;
	uint32_t guarded = 0;
	bool readonly_root = false, namespaces_op = false;

	for (uint32_t k = 0; k < mpb->op_count; k++) {
		struct mp_op op;
		const char *target;
		size_t before = b->l->n;

		mpb_op(mpb, k, &op);
		target = mpb_str(mpb, op.target);
		if (op.opcode == MP_OP_COND) { /* its words go on what it guards */
			free(when);
			when = sim_when_text(mpb, &op);
			guarded = op.aux;
			continue;
		}
		switch ((enum mp_opcode)op.opcode) {
		case MP_OP_COND:
			break;
		case MP_OP_ROOTFS:
			rootfs_items(b, k, &op);
			break;
		case MP_OP_MOUNT:
		case MP_OP_BIND:
		case MP_OP_CGROUP:
			mount_item(b, k, &op);
			break;
		case MP_OP_MKNOD:
		case MP_OP_HOSTDEV:
			device_item(b, k, &op);
			break;
		case MP_OP_SYMLINK:
			i = add_item(b, "symlink", target, k);
			ref_field(b, i, "contents", mpb_str(mpb, op.source));
			break;
		case MP_OP_MASK:
			add_item(b, "mask", target, k);
			break;
		case MP_OP_HOLE_SAVE: {
			char *h = holes ? xasprintf("%s,%s", holes, target) : xstrdup(target);
			free(holes);
			holes = h;
			break;
		}
		case MP_OP_READONLY:
			i = add_item(b, "readonly", target, k);
			if (holes)
				set_field(b, i, "writable", holes);
			holes = NULL;
			break;
		case MP_OP_SETATTR:
			setattr_item(b, k, &op, last);
			readonly_root |= b->l->n > before &&
					 strcmp(b->l->items[b->l->n - 1].key, "rootfs.readonly") == 0;
			break;
		case MP_OP_PIVOT:
			setting(b, "rootfs.pivot", xstrdup(op.flags & MP_F_PIVOT_MOVE ? "move" :
							   op.flags & MP_F_PIVOT_CHROOT ? "chroot" :
											  "pivot_root"), k);
			break;
		case MP_OP_UMASK:
			setting(b, "process.umask", xasprintf("%04o", op.mode), k);
			break;
		case MP_OP_CHDIR:
			setting(b, "process.cwd", xstrdup(target), k);
			break;
		case MP_OP_NAMESPACES:
			setting(b, "namespaces.cgroup",
				xstrdup(op.flags & MP_F_CGROUPNS ? "true" : "false"), k);
			setting(b, "namespaces.user", xstrdup(op.flags & MP_F_USERNS && op.data ?
							      mpb_str(mpb, op.data) : "-"), k);
			namespaces_op = true;
			break;
		case MP_OP_HOLE_RESTORE: /* holes come from HOLE_SAVE */
		case MP_OP_INVALID:
		case MP_OP_MAX:
		default:
			break;
		}
		if (guarded) {
			guarded--;
			for (size_t g = before; g < b->l->n; g++)
				set_field(b, g, "when", xstrdup(when));
		}
		if (b->l->n > before)
			last = b->l->n - 1;
	}
	free(holes);
	free(when);
	if (!readonly_root)
		setting(b, "rootfs.readonly", xstrdup("false"), 0);
	if (!namespaces_op) {
		setting(b, "namespaces.cgroup", xstrdup("false"), 0);
		setting(b, "namespaces.user", xstrdup("-"), 0);
	}
	setting(b, "name", xstrdup(mpb_str(mpb, mpb->name)), UINT32_MAX);
}

/* Number the paths of t in x (in the order t first shows them), with
 * the last mount at each. */
static void table_paths(struct diff_index *x, const struct sim_table *t)
{
	uint64_t h[KEYS_AHEAD];

	keys_reserve(&x->paths, t->n);
	x->last = xcalloc(t->n + 1, sizeof(*x->last));
	for (size_t i = 0; i < t->n + KEYS_AHEAD; i++) {
		if (i >= KEYS_AHEAD) {
			size_t j = i - KEYS_AHEAD;

			x->last[keys_put_hashed(&x->paths, h[j % KEYS_AHEAD], 0,
						t->mounts[j].target, NULL)] = j;
		}
		if (i < t->n) { /* hashed and prefetched KEYS_AHEAD early */
			h[i % KEYS_AHEAD] = key_hash(0, t->mounts[i].target, NULL);
			keys_prefetch(&x->paths, h[i % KEYS_AHEAD]);
		}
	}
}

/* Number the items of b's list by (section, key), in list order: each
 * item's occurrence, and the index's first, last and next links that
 * item_at follows. */
static void number_items(struct builder *b)
{
	struct diff_list *l = b->l;
	struct diff_index *x = b->x;
	uint64_t h[KEYS_AHEAD];

	x->next = xreallocarray(NULL, l->n + 1, sizeof(*x->next));
	x->key = xreallocarray(NULL, l->n + 1, sizeof(*x->key));
	for (size_t i = 0; i < l->n + KEYS_AHEAD; i++) {
		if (i >= KEYS_AHEAD) {
			size_t j = i - KEYS_AHEAD, n_keys = x->occ.n, k;
			struct diff_item *it = &l->items[j];

			k = keys_put_hashed(&x->occ, h[j % KEYS_AHEAD], 0, it->section, it->key);
			x->next[j] = SIZE_MAX;
			if (x->occ.n > n_keys) { /* a new key */
				x->key[k] = (struct key_items){ j, j, 0 };
			} else {
				x->next[x->key[k].last] = j;
				x->key[k].last = j;
			}
			it->occurrence = (unsigned)x->key[k].count++;
		}
		if (i < l->n) { /* hashed and prefetched KEYS_AHEAD early */
			h[i % KEYS_AHEAD] = key_hash(0, l->items[i].section, l->items[i].key);
			keys_prefetch(&x->occ, h[i % KEYS_AHEAD]);
		}
	}
}

/* Start the list of a plan; see diff.h. */
void diff_list_begin(struct diff_list *l, const struct mpb *mpb)
{
	memset(l, 0, sizeof(*l));
	l->empty_plan = !mpb;
	l->index = xcalloc(1, sizeof(*l->index));
}

/* The items of a plan, numbered; see diff.h. */
void diff_list_items(struct diff_list *l, const struct mpb *mpb)
{
	struct builder b = { l, l->index, mpb, SIZE_MAX, NULL, 0 };
	size_t n;

	if (!mpb)
		return;
	/* about an item an op (and a few settings): room from the start,
	 * no growing and rehashing on the way */
	n = (size_t)mpb->op_count + 16;
	keys_reserve(&b.x->occ, n);
	l->cap = n;
	l->items = xcalloc(n, sizeof(*l->items));
	b.cap_scratch = ITEM_FIELDS;
	b.scratch = xreallocarray(NULL, b.cap_scratch, sizeof(*b.scratch));
	op_items(&b);
	close_item(&b);
	free(b.scratch);
	number_items(&b);
}

/* The predicted table of a plan, its paths numbered; see diff.h. */
void diff_list_table(struct diff_list *l, const struct mpb *mpb)
{
	if (!mpb)
		return;
	simulate_mpb(mpb, &l->table);
	table_paths(l->index, &l->table);
}

/* The items and table of a plan; see diff.h. */
void diff_plan_items(struct diff_list *l, const struct mpb *mpb)
{
	diff_list_begin(l, mpb);
	diff_list_items(l, mpb);
	diff_list_table(l, mpb);
}

/* The item of l with section, key (the two hashed: h) and occurrence,
 * or NULL. */
static struct diff_item *item_at(const struct diff_list *l, uint64_t h, const char *section,
				 const char *key, unsigned occurrence)
{
	size_t k = keys_find_hashed(&l->index->occ, h, 0, section, key), i;

	if (k == SIZE_MAX)
		return NULL;
	for (i = l->index->key[k].first; i != SIZE_MAX && occurrence; occurrence--)
		i = l->index->next[i];
	return i == SIZE_MAX ? NULL : &l->items[i];
}

/* Free a list; see diff.h. */
void diff_list_free(struct diff_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct diff_item *it = &l->items[i];

		if (it->key_owned)
			free((char *)it->key);
		for (size_t k = 0; k < it->n_fields; k++) {
			if (it->fields[k].name_owned)
				free((char *)it->fields[k].name);
			if (it->fields[k].value_owned)
				free((char *)it->fields[k].value);
		}
		if (it->fields_owned)
			free(it->fields);
	}
	free(l->items);
	sim_table_free(&l->table);
	if (l->index) {
		keys_free(&l->index->occ);
		keys_free(&l->index->paths);
		free(l->index->last);
		for (size_t k = 0; k < l->index->n_pool; k++)
			free(l->index->pool[k].s);
		free(l->index->pool);
		arena_free(&l->index->fields);
		free(l->index->key);
		free(l->index->next);
		free(l->index);
	}
	memset(l, 0, sizeof(*l));
}

/* Do two items hold the same fields in the same order? */
static bool same_fields(const struct diff_item *a, const struct diff_item *b)
{
	if (a->n_fields != b->n_fields)
		return false;
	for (size_t k = 0; k < a->n_fields; k++)
		if (strcmp(a->fields[k].name, b->fields[k].name) != 0 ||
		    strcmp(a->fields[k].value, b->fields[k].value) != 0)
			return false;
	return true;
}

/* Add a reason (formatted) to change c. */
static void weakens(struct diff_change *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void weakens(struct diff_change *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	c->weakens = xreallocarray(c->weakens, c->n_weakens + 1, sizeof(*c->weakens));
	c->weakens[c->n_weakens++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Field name of it as a string ("" when absent). */
static const char *fv(const struct diff_item *it, const char *name)
{
	const char *v = it ? diff_field_value(it, name) : NULL;
	return v ? v : "";
}

/* The MP_ATTR_* bits an option-word list sets. */
static uint32_t words_set(const char *words)
{
	static const struct {
		const char *word;
		uint32_t bit;
	} map[] = { { "ro", MP_ATTR_RDONLY }, { "nosuid", MP_ATTR_NOSUID },
		    { "nodev", MP_ATTR_NODEV }, { "noexec", MP_ATTR_NOEXEC } };
	uint32_t bits = 0;
	const char *p = words;
	char *w;

	while ((w = next_word(&p))) {
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (strcmp(w, map[i].word) == 0)
				bits |= map[i].bit;
		free(w);
	}
	return bits;
}

/* "ro,nosuid" for protective bits. */
static char *prot_words(uint32_t bits)
{
	char *w = attr_words(bits & DIFF_PROTECT, 0);
	return w;
}

/* The protective attributes a mount keeps on everything beneath it from
 * the host: an rbind's recursive ones (attr-scope recursive, or the
 * recursive-options); anything else brings no host submounts, so all it
 * has count. */
static uint32_t recursive_protection(const struct diff_item *it)
{
	uint32_t bits = 0;

	if (strcmp(fv(it, "bind"), "rbind") != 0 || strcmp(fv(it, "attr-scope"), "recursive") == 0)
		bits |= words_set(fv(it, "options"));
	bits |= words_set(fv(it, "recursive-options"));
	return bits;
}

/* A mode value (octal) of a field, or -1. */
static long mode_of(const char *v)
{
	char *end;
	long m;

	if (!v || !*v)
		return -1;
	m = strtol(v, &end, 8);
	return *end ? -1 : m;
}

/* Reasons a mode change from a to b weakens ("what" names it). */
static void mode_weakens(struct diff_change *c, const char *what, long a, long b)
{
	if (a < 0 || b < 0)
		return;
	if (b & ~a & 0777)
		weakens(c, "%s wider: %04lo -> %04lo", what, a, b);
	if ((a & 01000) && !(b & 01000))
		weakens(c, "%s loses the sticky bit: %04lo -> %04lo", what, a, b);
	if (b & ~a & 06000)
		weakens(c, "%s gains setuid/setgid: %04lo -> %04lo", what, a, b);
}

/* Why an added item weakens isolation. */
static void added_weakens(struct diff_change *c)
{
	const struct diff_item *it = c->new;

	if (strcmp(it->section, "mount") == 0) {
		if (strcmp(fv(it, "type"), "bind") == 0)
			weakens(c, "new host bind of %s", fv(it, "source"));
		if (strstr(fv(it, "propagation"), "shared"))
			weakens(c, "propagation to shared");
	} else if (strcmp(it->section, "device") == 0) {
		weakens(c, "new device %s", fv(it, "node"));
	}
}

/* Why a removed item weakens isolation. */
static void removed_weakens(struct diff_change *c)
{
	if (strcmp(c->old->section, "mask") == 0)
		weakens(c, "mask removed");
	else if (strcmp(c->old->section, "readonly") == 0)
		weakens(c, "read-only path removed");
}

/* Is word in the comma list? */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* Why a change of an entry's condition (format 2 when:) weakens: a
 * bind, device or symlink made on more hosts, a mask or read-only path
 * applied on fewer. */
static void when_weakens(struct diff_change *c)
{
	const struct diff_item *a = c->old, *b = c->new;
	const char *wa = fv(a, "when"), *wb = fv(b, "when");
	bool adds = strcmp(a->section, "device") == 0 || strcmp(a->section, "symlink") == 0 ||
		    (strcmp(a->section, "mount") == 0 && strcmp(fv(b, "type"), "bind") == 0);
	bool protects = strcmp(a->section, "mask") == 0 || strcmp(a->section, "readonly") == 0;

	if (strcmp(wa, wb) == 0 || (!adds && !protects))
		return;
	if (adds && !*wb)
		weakens(c, "made on every host now (was only %s)", wa);
	else if (protects && !*wa)
		weakens(c, "applies only %s now (was always)", wb);
	else if (*wa && *wb)
		weakens(c, "condition changed: %s -> %s", wa, wb);
}

/* Why a changed setting of the namespaces, the init or the root weakens
 * isolation (format 2). */
static void setting_v2_weakens(struct diff_change *c)
{
	const char *key = c->old->key, *va = fv(c->old, "value"), *vb = fv(c->new, "value");

	if (strncmp(key, "namespaces.", 11) == 0 && strcmp(va, "true") == 0 &&
	    strcmp(vb, "false") == 0)
		weakens(c, "%s namespace dropped: the container shares its caller's", key + 11);
	else if (strcmp(key, "namespaces.user") == 0 && strcmp(vb, "-") == 0)
		weakens(c, "user namespace dropped: the container's root is its caller's root");
	else if (strcmp(key, "namespaces.user") == 0 && strcmp(va, "-") != 0 &&
		 (strstr(vb, "=0:0:") || strstr(vb, ",0:0:")))
		weakens(c, "user namespace maps the container's root to host root now");
	else if (strcmp(key, "process.init") == 0 && strcmp(vb, "false") == 0)
		weakens(c, "no init: the command is pid 1 itself (orphans are not reaped, signals it has no handler for are lost)");
	else if (strcmp(key, "rootfs.type") == 0 && strcmp(va, "-") != 0 && strcmp(vb, "-") == 0)
		weakens(c, "the root is no longer a fresh %s: a host directory (rootfs.path or --rootfs) is the container's /",
			va);
}

/* Why a changed item weakens isolation (from its ops; the table adds
 * the attributes). */
static void changed_weakens(struct diff_change *c)
{
	const struct diff_item *a = c->old, *b = c->new;

	when_weakens(c);

	if (strcmp(a->section, "mount") == 0) {
		uint32_t lost = strcmp(fv(b, "bind"), "rbind") != 0 ? 0 : /* no host submounts */
				recursive_protection(a) & ~recursive_protection(b);

		if (strcmp(fv(b, "type"), "bind") == 0 &&
		    (strcmp(fv(a, "type"), "bind") != 0 ||
		     strcmp(fv(a, "source"), fv(b, "source")) != 0))
			weakens(c, "host bind moved: %s -> %s",
				*fv(a, "source") ? fv(a, "source") : "-", fv(b, "source"));
		if (strcmp(fv(a, "bind"), "bind") == 0 && strcmp(fv(b, "bind"), "rbind") == 0)
			weakens(c, "bind to rbind: the host's submounts come along");
		if (lost) {
			char *w = prot_words(lost);
			weakens(c, "%s no longer recursive: the host's submounts lose it", w);
			free(w);
		}
		if (strstr(fv(b, "propagation"), "shared") && !strstr(fv(a, "propagation"), "shared"))
			weakens(c, "propagation to shared");
		mode_weakens(c, "mode", mode_of(diff_field_value(a, "data.mode")),
			     mode_of(diff_field_value(b, "data.mode")));
		if (strcmp(fv(b, "type"), "bind") == 0 && in_list(fv(b, "flags"), "follow-symlinks") &&
		    !in_list(fv(a, "flags"), "follow-symlinks"))
			weakens(c, "symlinks in the bind source are followed now (follow-symlinks)");
		if (*fv(a, "data.context") && !*fv(b, "data.context"))
			weakens(c, "SELinux context dropped (was %s)", fv(a, "data.context"));
	} else if (strcmp(a->section, "device") == 0) {
		if (strcmp(fv(a, "node"), fv(b, "node")) != 0)
			weakens(c, "new device %s (was %s)", fv(b, "node"), fv(a, "node"));
		mode_weakens(c, "device mode", mode_of(fv(a, "mode")), mode_of(fv(b, "mode")));
		if (strcmp(fv(b, "mode"), "the host's") == 0 && strcmp(fv(a, "mode"), "the host's") != 0)
			weakens(c, "device mode %s -> the host's (decided at run time)", fv(a, "mode"));
	} else if (strcmp(a->section, "readonly") == 0) {
		const char *p = fv(b, "writable");
		char *w;

		while ((w = next_word(&p))) {
			if (!in_list(fv(a, "writable"), w))
				weakens(c, "new writable hole %s", w);
			free(w);
		}
	} else if (strcmp(a->section, "setting") == 0) {
		if (strcmp(a->key, "rootfs.propagation") == 0 && strstr(fv(b, "value"), "shared"))
			weakens(c, "propagation to shared");
		else if (strcmp(a->key, "rootfs.readonly") == 0 &&
			 strcmp(fv(b, "value"), "false") == 0)
			weakens(c, "read-only root to writable");
		else if (strcmp(a->key, "process.umask") == 0) {
			long ua = mode_of(fv(a, "value")), ub = mode_of(fv(b, "value"));
			if (ua >= 0 && ub >= 0 && (ua & ~ub))
				weakens(c, "umask wider: %04lo -> %04lo", ua, ub);
		} else if (strcmp(a->key, "rootfs.pivot") == 0 &&
			   strcmp(fv(b, "value"), "chroot") == 0)
			weakens(c, "chroot instead of a pivot: the old root stays reachable");
		else
			setting_v2_weakens(c);
	}
}

/* Append a change to r. */
static struct diff_change *add_change(struct diff_result *r, size_t *cap,
				      enum diff_sign sign, const struct diff_item *old,
				      const struct diff_item *new)
{
	struct diff_change *c;

	r->changes = xgrow(r->changes, r->n, cap, sizeof(*r->changes));
	c = &r->changes[r->n++];
	memset(c, 0, sizeof(*c));
	c->sign = sign;
	c->old = old;
	c->new = new;
	return c;
}

/* The last mount of l's predicted table at path (its index), or
 * SIZE_MAX when none is at path. */
static size_t last_at(const struct diff_list *l, const char *path)
{
	size_t k = keys_find(&l->index->paths, 0, path, NULL);

	return k == SIZE_MAX ? SIZE_MAX : l->index->last[k];
}

/* The mount of l's predicted table that shows path: the one at path,
 * else at the nearest parent; NULL when none. */
static const struct sim_mount *covering(const struct diff_list *l, const char *path)
{
	char *p = xstrdup(path);
	const struct sim_mount *found = NULL;

	for (;;) {
		size_t i = last_at(l, p);
		char *slash;

		if (i != SIZE_MAX) {
			found = &l->table.mounts[i];
			break;
		}
		if (strcmp(p, "/") == 0)
			break;
		slash = strrchr(p, '/');
		if (slash == p)
			slash[1] = 0;
		else
			*slash = 0;
	}
	free(p);
	return found;
}

/* The changes of r by the key of their item: change[k] is the change of
 * key k (a mount's, when several items share the key). */
struct change_index {
	struct keys keys;
	size_t *change;
};

/* The protective attributes a predicted mount certainly has. */
static uint32_t protection(const struct sim_mount *m)
{
	return m ? m->attrs & m->known & DIFF_PROTECT : 0;
}

/* The change about path in r (a change of an item keyed path, a mount's
 * first; "/" is also the rootfs.readonly setting), or a new effect. */
static struct diff_change *change_at(struct diff_result *r, size_t *cap,
				     const struct change_index *by_key, const char *path)
{
	size_t k = keys_find(&by_key->keys, 0, path, NULL);

	if (k == SIZE_MAX && strcmp(path, "/") == 0)
		k = keys_find(&by_key->keys, 0, "rootfs.readonly", NULL);
	if (k != SIZE_MAX)
		return &r->changes[by_key->change[k]];
	r->changes = xgrow(r->changes, r->n, cap, sizeof(*r->changes));
	memset(&r->changes[r->n], 0, sizeof(*r->changes));
	r->changes[r->n].sign = DIFF_EFFECT;
	r->changes[r->n].effect_path = xstrdup(path);
	return &r->changes[r->n++];
}

/* Is m a mount whose attributes compare (not a mask or a device node:
 * those have their own reasons, and a mask protects anyway)? */
static bool compares(const struct sim_mount *m)
{
	return m && m->kind != SIM_MASK && m->kind != SIM_DEVICE;
}

/* The protective attributes a path loses from the old table's mount a
 * to the new table's b (0 when a or b does not compare). */
static uint32_t lost_bits(const struct sim_mount *a, const struct sim_mount *b)
{
	if (!compares(a) || !compares(b) || b->cond == SIM_IF_NO_MKNOD)
		return 0;
	return protection(a) & ~protection(b);
}

/* The paths whose mount loses protective attributes from old's predicted
 * table to new's, in the order they are reported. */
struct table_losses {
	const struct diff_list *old, *new;
	struct path_loss {
		const char *path;
		uint32_t lost;
	} *v;
	size_t n, cap;
};

/* Append path's loss (if any) from a to b to x. */
static void path_loses(struct table_losses *x, const char *path, const struct sim_mount *a,
		       const struct sim_mount *b)
{
	uint32_t lost = lost_bits(a, b);

	if (!lost)
		return;
	x->v = xgrow(x->v, x->n, &x->cap, sizeof(*x->v));
	x->v[x->n++] = (struct path_loss){ path, lost };
}

/* Compare the predicted tables of x->old and x->new path by path into
 * x: what a path had and no longer has.  Paths go in the new table's
 * order, then those only the old table has in its order (each list
 * numbers its table's paths in that order).  Reads the lists only: the
 * work of a thread (arg: the struct table_losses) while diff_compare
 * matches the items. */
static void *table_losses(void *arg)
{
	struct table_losses *x = arg;
	const struct diff_list *old = x->old, *new = x->new;
	const struct keys *pa = &old->index->paths, *pb = &new->index->paths;

	/* each path's slot in the other numbering prefetched KEYS_AHEAD
	 * paths early (both numberings hash a path alike) */
	for (size_t k = 0; k < pb->n; k++) {
		const char *path = pb->v[k].s1;
		size_t a;

		if (k + KEYS_AHEAD < pb->n)
			keys_prefetch(pa, pb->v[k + KEYS_AHEAD].hash);
		a = keys_find_hashed(pa, pb->v[k].hash, 0, path, NULL);
		if (a != SIZE_MAX)
			a = old->index->last[a];
		path_loses(x, path, a != SIZE_MAX ? &old->table.mounts[a] : covering(old, path),
			   &new->table.mounts[new->index->last[k]]);
	}
	for (size_t k = 0; k < pa->n; k++) {
		const char *path = pa->v[k].s1;

		if (k + KEYS_AHEAD < pa->n)
			keys_prefetch(pb, pa->v[k + KEYS_AHEAD].hash);
		if (keys_find_hashed(pb, pa->v[k].hash, 0, path, NULL) == SIZE_MAX)
			path_loses(x, path, &old->table.mounts[old->index->last[k]],
				   covering(new, path));
	}
	return NULL;
}

/* Record the losses x found on r: each on the change of its path's item
 * (a new effect, DIFF_EFFECT, when there is none), in x's order. */
static void table_weakens(struct diff_result *r, size_t *cap, const struct table_losses *x)
{
	struct change_index by_key = { { 0 }, NULL };

	by_key.change = xcalloc(r->n + 1, sizeof(*by_key.change));
	for (size_t i = r->n; i-- > 0;) {
		const struct diff_item *it = r->changes[i].new ? r->changes[i].new : r->changes[i].old;
		size_t n = by_key.keys.n, k = keys_put(&by_key.keys, 0, it->key, NULL);

		if (by_key.keys.n > n || strcmp(it->section, "mount") == 0)
			by_key.change[k] = i;
	}
	for (size_t i = 0; i < x->n; i++) {
		char *w = prot_words(x->v[i].lost);

		weakens(change_at(r, cap, &by_key, x->v[i].path), "%s lost on %s", w,
			x->v[i].path);
		free(w);
	}
	keys_free(&by_key.keys);
	free(by_key.change);
}

/* Are two decoded ops equal, strings compared by content? */
static bool same_op(const struct mpb *a, const struct mp_op *x, const struct mpb *b,
		    const struct mp_op *y)
{
	return x->opcode == y->opcode && x->flags == y->flags &&
	       strcmp(mpb_str(a, x->target), mpb_str(b, y->target)) == 0 &&
	       strcmp(mpb_str(a, x->source), mpb_str(b, y->source)) == 0 &&
	       strcmp(mpb_str(a, x->fstype), mpb_str(b, y->fstype)) == 0 &&
	       strcmp(mpb_str(a, x->data), mpb_str(b, y->data)) == 0 &&
	       x->attr_set == y->attr_set && x->attr_clr == y->attr_clr &&
	       x->propagation == y->propagation && x->mode == y->mode &&
	       x->major == y->major && x->minor == y->minor && x->uid == y->uid &&
	       x->gid == y->gid && x->aux == y->aux;
}

/* The same plans; see diff.h.  Stricter than same_op: a string absent
 * (offset 0) on one side is absent on the other (items tell a missing
 * source from an empty one). */
bool diff_same_plans(const struct mpb *a, const struct mpb *b)
{
	if (a->op_count != b->op_count || strcmp(mpb_str(a, a->name), mpb_str(b, b->name)) != 0)
		return false;
	for (uint32_t k = 0; k < a->op_count; k++) {
		struct mp_op x, y;

		mpb_op(a, k, &x);
		mpb_op(b, k, &y);
		if (!same_op(a, &x, b, &y) || !x.target != !y.target || !x.source != !y.source ||
		    !x.fstype != !y.fstype || !x.data != !y.data)
			return false;
	}
	return true;
}

/* When no item changed, the first op where the lists still differ (an
 * order the items do not show), as a change. */
static void order_change(struct diff_result *r, size_t *cap, const struct mpb *a,
			 const struct mpb *b)
{
	uint32_t n = a->op_count < b->op_count ? a->op_count : b->op_count;

	for (uint32_t k = 0; k <= n; k++) {
		struct mp_op x, y;
		struct diff_change *c;

		if (k == n && a->op_count == b->op_count)
			return;
		if (k < n) {
			mpb_op(a, k, &x);
			mpb_op(b, k, &y);
			if (same_op(a, &x, b, &y))
				continue;
		}
		c = add_change(r, cap, DIFF_ORDER, NULL, NULL);
		if (k == n)
			c->effect_path = xasprintf("op %u: the lists end apart (%u ops -> %u)", k,
						   a->op_count, b->op_count);
		else
			c->effect_path = xasprintf("op %u: %s %s -> %s %s", k,
						   mp_opcode_name(x.opcode), mpb_str(a, x.target),
						   mp_opcode_name(y.opcode), mpb_str(b, y.target));
		return;
	}
}

/* An empty result; see diff.h. */
void diff_result_init(struct diff_result *r)
{
	memset(r, 0, sizeof(*r));
	diag_init(&r->introduced);
	diag_init(&r->resolved);
}

/* Compare two lists; see diff.h. */
void diff_compare(struct diff_list *old, struct diff_list *new,
		  const struct mpb *mpb_old, const struct mpb *mpb_new,
		  struct diff_result *r)
{
	size_t cap = 0;
	struct table_losses losses = { old, new, NULL, 0, 0 };
	bool tables = mpb_old && mpb_new, threaded = false;
	pthread_t t;
	uint64_t h[KEYS_AHEAD];

	diff_result_init(r);
	if (tables) /* the tables compared on a second thread, the items here */
		threaded = pthread_create(&t, NULL, table_losses, &losses) == 0;
	for (size_t i = 0; i < new->n + KEYS_AHEAD; i++) {
		uint64_t *hi = &h[i % KEYS_AHEAD];

		if (i >= KEYS_AHEAD) {
			struct diff_item *it = &new->items[i - KEYS_AHEAD];
			struct diff_item *peer = item_at(old, *hi, it->section, it->key,
							 it->occurrence);

			if (peer) {
				peer->peer = it;
				it->peer = peer;
			}
		}
		if (i < new->n) { /* hashed and prefetched KEYS_AHEAD early */
			*hi = key_hash(0, new->items[i].section, new->items[i].key);
			keys_prefetch(&old->index->occ, *hi);
		}
	}
	for (size_t i = 0; i < old->n; i++)
		if (!old->items[i].peer)
			removed_weakens(add_change(r, &cap, DIFF_REMOVED, &old->items[i], NULL));
	for (size_t i = 0; i < new->n; i++) {
		const struct diff_item *it = &new->items[i];

		if (!it->peer)
			added_weakens(add_change(r, &cap, DIFF_ADDED, NULL, it));
		else if (!same_fields(it->peer, it))
			changed_weakens(add_change(r, &cap, DIFF_CHANGED, it->peer, it));
	}
	if (tables) {
		if (threaded)
			pthread_join(t, NULL);
		else
			table_losses(&losses);
		table_weakens(r, &cap, &losses);
	}
	free(losses.v);
	if (!r->n && tables)
		order_change(r, &cap, mpb_old, mpb_new);
}

/* The message a finding is matched by: without the "(at LINE:COL)"
 * positions some messages quote.  d's own message when it quotes none,
 * else a new string, also left in *owned (else NULL) for the caller to
 * free. */
static const char *finding_text(const struct diag *d, char **owned)
{
	char *p, *q;

	*owned = NULL;
	if (!strstr(d->message, " (at "))
		return d->message;
	*owned = p = q = xstrdup(d->message);
	while (*p) {
		size_t n = strncmp(p, " (at ", 5) == 0 ? strspn(p + 5, "0123456789:") : 0;

		if (n && p[5 + n] == ')')
			p += 5 + n + 1;
		else
			*q++ = *p++;
	}
	*q = 0;
	return *owned;
}

/* Introduced and resolved findings; see diff.h.  Findings match by rule
 * ID and message (finding_text); of k findings of one key on a side, the
 * first as many as the other side has are matched, the rest reported. */
void diff_findings(const struct diag_sink *old, const struct diag_sink *new,
		   struct diff_result *r)
{
	const struct diag_sink *side[2] = { old, new };
	struct diag_sink *out[2] = { &r->resolved, &r->introduced };
	struct tally {
		size_t n[2], seen[2]; /* findings of a key on each side, so far */
	} *tally = xcalloc(old->n + new->n + 1, sizeof(*tally));
	struct keys keys = { 0 };
	size_t *key_of[2];
	char **owned[2];

	for (int s = 0; s < 2; s++) {
		key_of[s] = xcalloc(side[s]->n + 1, sizeof(*key_of[s]));
		owned[s] = xcalloc(side[s]->n + 1, sizeof(*owned[s]));
		for (size_t i = 0; i < side[s]->n; i++) {
			const struct diag *d = &side[s]->items[i];
			size_t k = keys_put(&keys, 0, d->id, finding_text(d, &owned[s][i]));

			key_of[s][i] = k;
			tally[k].n[s]++;
		}
	}
	for (int s = 1; s >= 0; s--) /* introduced, then resolved */
		for (size_t i = 0; i < side[s]->n; i++) {
			const struct diag *d = &side[s]->items[i];
			struct tally *t = &tally[key_of[s][i]];

			if (++t->seen[s] > t->n[!s])
				diag_report(out[s], d->severity, d->pos, d->id, "%s", d->message);
		}
	keys_free(&keys);
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < side[s]->n; i++)
			free(owned[s][i]);
		free(owned[s]);
		free(key_of[s]);
	}
	free(tally);
	r->findings_compared = true;
}

/* Free a result; see diff.h. */
void diff_result_free(struct diff_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->changes[i].n_weakens; k++)
			free(r->changes[i].weakens[k]);
		free(r->changes[i].weakens);
		free(r->changes[i].effect_path);
	}
	free(r->changes);
	diag_free(&r->introduced);
	diag_free(&r->resolved);
	memset(r, 0, sizeof(*r));
}

/* Count weakening changes; see diff.h. */
size_t diff_weakening_count(const struct diff_result *r)
{
	size_t n = r->introduced.n;

	for (size_t i = 0; i < r->n; i++)
		n += r->changes[i].n_weakens > 0;
	return n;
}
