/*
 * validate.c: the rules over the whole plan (doc/diagnostics.md,
 * "Meaning"), one small pass each, every finding at the entry's source
 * position.  Entries already marked bad are skipped; an entry a rule
 * reports is marked bad.
 *
 * The rules that relate entries by path (duplicates, hidden entries,
 * symlink parents) work on sorted arrays and binary search over each
 * target's ancestors, so the whole pass is O(n log n * depth).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mp_ops.h"
#include "fstypes.h"
#include "hostnode.h"
#include "passes.h"
#include "paths.h"
#include "util.h"

/* Mounts inside /proc that runc allows (libcontainer's checkProcMount). */
static const char *const proc_allowed[] = {
	"/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
	"/proc/stat", "/proc/swaps", "/proc/uptime",
	"/proc/loadavg", "/proc/slabinfo", "/proc/sys/kernel/ns_last_pid",
	"/proc/net/dev", NULL
};

/* Is e one a rule should look at (not bad, has a target)? */
static bool live(const struct plan_entry *e)
{
	return !e->bad && e->target.text;
}

/* Report an error at e and mark it bad. */
#define entry_error(sink, e, id, ...)                         \
	do {                                                   \
		diag_error((sink), (e)->cold->pos, (id), __VA_ARGS__); \
		(e)->bad = true;                                \
	} while (0)

/* The word for an entry in messages ("mount", "device" ...). */
static const char *entry_word(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_MOUNT:
		return "mount";
	case PLAN_DEVICE:
		return "device";
	case PLAN_SYMLINK:
		return "symlink";
	case PLAN_MASK:
		return "mask";
	case PLAN_READONLY:
		return "read-only path";
	case PLAN_KIND_MAX:
	default:
		break;
	}
	return "entry";
}

/* One entry's key for duplicate detection: compact, so sorting 100,000
 * of them does not walk the (large) entries; the hash of its class and
 * target, then its written index, as a key_sort key. */
struct target_key {
	uint64_t head[2];       /* hash, written index */
	struct plan_entry *e;
};

/* FNV-1a (64 bits) of an entry's class and target. */
static uint64_t target_hash(const struct plan_entry *e)
{
	uint64_t h = 14695981039346656037ull ^ (uint64_t)plan_target_class(e->kind);

	for (const char *c = e->target.text; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	return h;
}

/* key_sort: by hash, then written index (the key is both). */
static int cmp_target_key(const void *a, const void *b)
{
	const struct target_key *x = a, *y = b;

	return sort_key_cmp(x->head, y->head);
}

/* Are two entries of one class at one target? */
static bool same_target(const struct plan_entry *a, const struct plan_entry *b)
{
	return plan_target_class(a->kind) == plan_target_class(b->kind) &&
	       strcmp(a->target.text, b->target.text) == 0;
}

/* MP-DUP-TARGET: two entries of one class for one target; each later
 * written one is reported, naming the first, unless it is a mount that
 * says stack: true.  Entries are sorted by a hash
 * of class and target, so duplicates sit in one run of equal hashes. */
static void rule_dup_target(struct plan *plan, struct diag_sink *sink)
{
	struct target_key *v = xcalloc(plan->n_entries ? plan->n_entries : 1,
				       sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];

		if (!live(e))
			continue;
		v[n].head[0] = target_hash(e);
		v[n].head[1] = e->index;
		v[n++].e = e;
	}
	key_sort(v, n, sizeof(*v), cmp_target_key);
	for (size_t run = 0, end; run < n; run = end) {
		for (end = run + 1; end < n && v[end].head[0] == v[run].head[0]; end++)
			;
		for (size_t i = run + 1; i < end; i++) {
			struct plan_entry *e = v[i].e;
			const struct plan_entry *first = NULL;
			char *at;

			for (size_t k = run; k < i && !first; k++)
				if (same_target(v[k].e, e))
					first = v[k].e;
			if (!first || (first->synthetic && e->synthetic) ||
			    (e->stack && e->kind == PLAN_MOUNT && first->kind == PLAN_MOUNT))
				continue; /* stack: true says it is meant */
			at = plan_pos_ref(first->cold->pos, e->cold->pos);
			entry_error(sink, e, "MP-DUP-TARGET",
				    "%s %s is a second entry for this path (the first, a %s, is at %s)%s",
				    entry_word(e->kind), e->target.text,
				    entry_word(first->kind), at,
				    first->cold->pos.file != e->cold->pos.file ?
					    "; to replace an included plan's entry, write 'override: true' on the including plan's" :
					    "");
			free(at);
		}
	}
	free(v);
}

/* A rule of the form "an entry at or beneath an entry of kind cover":
 * with or_self the covering entry may be at the path itself; only_nodes
 * limits it to mounts, devices and symlinks.  The message is "KIND PATH
 * <relation> COVER<tail> (at L:C)". */
struct cover_rule {
	const char *id;
	enum plan_kind cover;
	bool or_self, only_nodes;
	const char *relation, *tail;
};

/* MP-UNDER-SYMLINK: a path beneath a symlink the plan creates (the
 * executor would have to follow it, or fail).  MP-HIDDEN: a mount, device
 * or symlink at or beneath a masked path (the order pass puts a parent
 * mount before its children, so the only thing that comes later and
 * covers an entry is a mask). */
static const struct cover_rule cover_rules[] = {
	{ "MP-UNDER-SYMLINK", PLAN_SYMLINK, false, false, "is beneath",
	  ", a symlink this plan creates" },
	{ "MP-HIDDEN", PLAN_MASK, true, true, "is hidden by the mask of", "" },
};

/* Report every live entry r covers. */
static void rule_covered(struct plan *plan, struct diag_sink *sink,
			 const struct cover_rule *r)
{
	struct path_index covers = path_index_of(plan, 1u << r->cover);

	for (size_t i = 0; covers.n && i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		const struct plan_entry *c;

		if (!live(e) || (r->only_nodes && plan_target_class(e->kind) != 0))
			continue;
		c = path_index_cover(&covers, e->target.text, r->or_self);
		if (c) {
			char *at = plan_pos_ref(c->cold->pos, e->cold->pos);

			entry_error(sink, e, r->id, "%s %s %s %s%s (at %s)",
				    entry_word(e->kind), e->target.text, r->relation,
				    c->target.text, r->tail, at);
			free(at);
		}
	}
	free(covers.v);
}

/* MP-UNDER-UNBINDABLE: a read-only path at or beneath a mount the plan
 * makes unbindable (nearest mount of the path): making it read-only binds
 * the path onto itself, which the kernel refuses for an unbindable mount
 * (EINVAL at container start, after the mounts were made). */
static void rule_under_unbindable(struct plan *plan, struct diag_sink *sink)
{
	struct path_index mounts;
	bool any = false;

	for (size_t i = 0; i < plan->n_entries && !any; i++) /* no index when none */
		any = plan->entries[i].kind == PLAN_MOUNT &&
		      (plan->entries[i].cold->prop & ~MP_PROP_REC) == MP_PROP_UNBINDABLE;
	if (!any)
		return;
	mounts = path_index_of(plan, 1u << PLAN_MOUNT);

	for (size_t i = 0; mounts.n && i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		const struct plan_entry *m;

		if (!live(e) || e->kind != PLAN_READONLY)
			continue;
		m = path_index_cover(&mounts, e->target.text, true);
		if (m && (m->cold->prop & ~MP_PROP_REC) == MP_PROP_UNBINDABLE) {
			char *at = plan_pos_ref(m->cold->pos, e->cold->pos);

			entry_error(sink, e, "MP-UNDER-UNBINDABLE",
				    "read-only path %s lies on %s, an unbindable mount (at %s): "
				    "the kernel refuses to bind it onto itself to make it read-only; "
				    "help: give that mount the option ro, or another propagation",
				    e->target.text,
				    m->target.text, at);
			free(at);
		}
	}
	free(mounts.v);
}

/* MP-PROC-MOUNT: a mount inside /proc other than runc's allow list. */
static void rule_proc_mount(struct plan *plan, struct diag_sink *sink)
{
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		bool allowed = false;

		if (!live(e) || e->kind != PLAN_MOUNT ||
		    strncmp(e->target.text, "/proc/", 6) != 0)
			continue;
		for (size_t k = 0; proc_allowed[k]; k++)
			allowed = allowed || strcmp(e->target.text, proc_allowed[k]) == 0;
		if (!allowed)
			entry_error(sink, e, "MP-PROC-MOUNT",
				    "mount on %s: inside /proc only /proc/cpuinfo, diskstats, meminfo, stat, swaps, uptime, loadavg, slabinfo, sys/kernel/ns_last_pid and net/dev may be mounted over",
				    e->target.text);
	}
}

/* MP-FSTYPE: a filesystem type the .mpb can carry: 1 to 63 of
 * [a-z0-9._-] (what the executor's decoder accepts); MP-FSTYPE-UNKNOWN:
 * one that exists (fstypes.h), unless the mount says allow_unknown_type;
 * MP-SOURCE: the source of a filesystem kept on a device is absolute. */
static void rule_fstype(struct plan *plan, struct diag_sink *sink)
{
	for (size_t i = 0; i <= plan->n_entries; i++) {
		/* every mount, and (v2) the rootfs as a new filesystem */
		struct plan_entry *e = i < plan->n_entries ? &plan->entries[i] :
							     &plan->rootfs_fs;
		const char *t = e->type.text;
		size_t n;

		if (!live(e) || e->kind != PLAN_MOUNT || e->is_bind || !t)
			continue;
		n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789._-");
		if (n == 0 || n > 63 || t[n] != 0) {
			/* "Tmpfs", "tmp fs": the closest known type, lower-case */
			char low[64];
			size_t k = 0;
			const char *near;

			for (const char *c = t; *c && k < sizeof low - 1; c++)
				if (*c != ' ' && *c != '\t')
					low[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
			low[k] = 0;
			near = fstype_known(low) ? low : fstype_closest(low);
			diag_error(sink, e->type.pos, "MP-FSTYPE",
				   "filesystem type '%.64s' is not 1 to 63 of a-z, 0-9, '.', '_', '-'%s%s%s",
				   t, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			e->bad = true;
		} else if (strcmp(t, "rbind") == 0) {
			diag_error(sink, e->type.pos, "MP-FSTYPE-UNKNOWN",
				   "filesystem type 'rbind' does not exist; help: a recursive bind is type: bind with the option rbind (options: [rbind])");
			e->bad = true;
		} else if (!e->cold->allow_unknown_type && !fstype_known(t)) {
			const char *near = fstype_closest(t);

			diag_error(sink, e->type.pos, "MP-FSTYPE-UNKNOWN",
				   "filesystem type '%s' is known neither to this kernel (/proc/filesystems) nor to libmount%s%s%s; help: if the name is right, add allow_unknown_type: true to %s",
				   t, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
				   e == &plan->rootfs_fs ? "rootfs" : "the mount");
			e->bad = true;
		} else if (e->source.text && e->source.text[0] != '/' && fstype_on_device(t)) {
			diag_error(sink, e->source.pos, "MP-SOURCE",
				   "the source of this %s mount is a device (or image) path and must be absolute: '%.64s' would be looked up relative to the executor's working directory; help: write the device's path%s",
				   t, e->source.text,
				   strchr(e->source.text, '=') ?
					   " (the executor resolves no UUID=/LABEL= tag: /dev/disk/by-uuid/... or /dev/disk/by-label/...)" :
					   ", e.g. /dev/...");
			e->bad = true;
		}
	}
}

/* MP-HOLE: each writable hole lies strictly beneath its read-only path;
 * MP-LIMIT: at most MP_MAX_SLOTS holes in one read-only path. */
static void rule_holes(struct plan *plan, struct diag_sink *sink)
{
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];

		if (!live(e) || e->kind != PLAN_READONLY)
			continue;
		if (e->n_holes > MP_MAX_SLOTS)
			entry_error(sink, e, "MP-LIMIT",
				    "read-only path %s has %zu writable paths; at most %u",
				    e->target.text, e->n_holes, MP_MAX_SLOTS);
		for (size_t k = 0; k < e->n_holes; k++) {
			const struct plan_str *h = &e->cold->node->holes[k].path;

			if (!h->text || path_beneath(h->text, e->target.text))
				continue;
			diag_error(sink, h->pos, "MP-HOLE",
				   "writable path %s is not beneath its read-only path %s",
				   h->text, e->target.text);
			e->bad = true;
		}
	}
}

/* MP-DEVICE on a (v2) like-host device's glob: a pattern only in the
 * last component, every `[` closed. */
static void like_host_glob(struct plan_entry *e, struct diag_sink *sink)
{
	const char *s = e->cold->node->like_host.text, *last = strrchr(s, '/');

	if (!e->cold->node->glob)
		return;
	if (strcspn(s, "*?[") < (size_t)(last - s)) {
		diag_error(sink, e->cold->node->like_host.pos, "MP-DEVICE",
			   "like-host %s: a pattern only in the last component (the directory is fixed)",
			   s);
		e->bad = true;
	}
	for (const char *p = last; !e->bad && (p = strchr(p, '[')) != NULL;) {
		p += 1 + (p[1] == '!' || p[1] == '^');
		p += *p == ']';
		p = strchr(p, ']');
		if (!p) {
			diag_error(sink, e->cold->node->like_host.pos, "MP-DEVICE",
				   "like-host %s: '[' without its ']'", s);
			e->bad = true;
		}
	}
}

/* MP-DEVICE: a device's type and numbers agree. */
static void rule_devices(struct plan *plan, struct diag_sink *sink)
{
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		const char *t;

		if (!live(e) || e->kind != PLAN_DEVICE)
			continue;
		t = e->cold->node->dev_type.text ? e->cold->node->dev_type.text : "";
		if (e->cold->node->like_host.text) {
			like_host_glob(e, sink);
		} else if (strcmp(t, "c") == 0 || strcmp(t, "b") == 0 || strcmp(t, "u") == 0) {
			if (!e->cold->node->major_pos.line || !e->cold->node->minor_pos.line)
				entry_error(sink, e, "MP-DEVICE",
					    "%s device %s needs major and minor",
					    t[0] == 'b' ? "block" : "character", e->target.text);
			else if (e->cold->node->major > 0xfff || e->cold->node->minor > 0xfffff)
				entry_error(sink, e, "MP-DEVICE",
					    "device %s: %u:%u is out of range (major <= 4095, minor <= 1048575)",
					    e->target.text, e->cold->node->major, e->cold->node->minor);
		} else if (strcmp(t, "p") == 0) {
			if (e->cold->node->major_pos.line || e->cold->node->minor_pos.line)
				entry_error(sink, e, "MP-DEVICE",
					    "FIFO %s takes no major or minor", e->target.text);
		} else {
			diag_error(sink, e->cold->node->dev_type.text ? e->cold->node->dev_type.pos : e->cold->pos,
				   "MP-DEVICE", "device %s: type '%s' is not c, b or p",
				   e->target.text, t);
			e->bad = true;
		}
		if (!e->bad && e->cold->node->has_mode && e->cold->node->mode > 07777)
			entry_error(sink, e, "MP-DEVICE",
				    "device %s: mode %#o has bits beyond 07777",
				    e->target.text, e->cold->node->mode);
		else if (!e->bad && e->cold->node->has_mode && (e->cold->node->mode & 06000))
			entry_error(sink, e, "MP-DEVICE",
				    "device %s: mode %04o is setuid or setgid; a device node "
				    "never is (the executor refuses it)",
				    e->target.text, e->cold->node->mode);
	}
}

/* MP-PATH for symlink contents; MP-LIMIT for the op count. */
static void rule_limits(struct plan *plan, struct diag_sink *sink)
{
	size_t ops = 6; /* ROOTFS PIVOT SETATTR UMASK CHDIR, and one spare */

	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];

		ops += 1 + 2 * e->n_holes + (e->attr_recursive ? 1 : 0);
		if (!live(e) || e->kind != PLAN_SYMLINK || !e->cold->node->link.text)
			continue;
		if (!*e->cold->node->link.text || strlen(e->cold->node->link.text) > MP_MAX_PATH)
			entry_error(sink, e, "MP-PATH",
				    "symlink %s: its contents must be 1 to 4095 bytes",
				    e->target.text);
	}
	if (ops > MP_MAX_OPS) {
		struct plan_pos pos = { plan->file, 0, 0 };
		diag_error(sink, pos, "MP-LIMIT",
			   "the plan needs about %zu ops; a compiled plan holds at most %u",
			   ops, MP_MAX_OPS);
	}
}

/* The absolute clean path that link contents lead to from the link at
 * path (relative contents from its directory; "." and ".." resolved
 * lexically, as the plan's own links are the only ones known); malloc'd. */
static char *link_destination(const char *path, const char *contents)
{
	char *joined = contents[0] == '/' ? xstrdup(contents) :
		       xasprintf("%.*s/%s", (int)(strrchr(path, '/') - path), path, contents);
	char *out = xmalloc(strlen(joined) + 2);
	size_t n = 0;

	for (char *p = joined; *p;) {
		size_t len = strcspn(p, "/");

		if ((len == 1 && p[0] == '.') || len == 0) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len + (p[len] == '/');
	}
	if (!n)
		out[n++] = '/';
	out[n] = 0;
	free(joined);
	return out;
}

/* MP-SYMLINK-LOOP: following the plan's own symlinks from a link (each
 * step replaces the link at the path, or at its nearest ancestor, by
 * where it leads) comes back to it or takes more than 40 links, which
 * the kernel refuses with ELOOP at container start. */
static void rule_symlink_loop(struct plan *plan, struct diag_sink *sink)
{
	struct path_index links = path_index_of(plan, 1u << PLAN_SYMLINK);

	for (size_t i = 0; i < links.n; i++) {
		struct plan_entry *e = (struct plan_entry *)links.v[i];
		char *cur = link_destination(e->target.text, e->cold->node->link.text);
		char *via = NULL;
		int steps = 1;

		while (steps <= 40) {
			const struct plan_entry *l = path_index_cover(&links, cur, true);
			char *dest, *next;

			if (!l)
				break;
			if (l == e) {
				steps = 41;
				break;
			}
			if (!via)
				via = xstrdup(l->target.text);
			dest = link_destination(l->target.text, l->cold->node->link.text);
			next = xasprintf("%s%s", strcmp(dest, "/") ? dest : "",
					 cur + strlen(l->target.text));
			free(dest);
			free(cur);
			cur = next[0] ? next : xstrdup("/");
			if (!next[0])
				free(next);
			steps++;
		}
		if (steps > 40)
			entry_error(sink, e, "MP-SYMLINK-LOOP",
				    "symlink %s -> %s leads back into itself through the plan's own symlinks%s%s%s: the kernel refuses it (ELOOP) at container start",
				    e->target.text, e->cold->node->link.text, via ? " (via " : "", via ? via : "",
				    via ? ")" : "");
		free(via);
		free(cur);
	}
	free(links.v);
}

/* Does (v2) like-host glob g make a node where x (a mount, device or
 * symlink: the class that MP-DUP-TARGET keeps to one entry per path)
 * puts something?  For x a glob too: can both match one name?  Not when
 * their when: are one test, one of them negated (never both run). */
static bool glob_overlaps(const struct plan_entry *g, const struct plan_entry *x)
{
	const char *gs = strrchr(g->target.text, '/'), *xs = strrchr(x->target.text, '/');
	const struct plan_when *gw = &g->cold->rare->when, *xw = &x->cold->rare->when;

	if (plan_target_class(x->kind) != 0)
		return false;
	if (gw->path.text && xw->path.text && gw->negate != xw->negate &&
	    gw->type == xw->type && strcmp(gw->path.text, xw->path.text) == 0)
		return false; /* one test, one with not: true: never both */
	if (!x->cold->node->glob)
		return host_glob_names(g->target.text, x->target.text);
	return gs - g->target.text == xs - x->target.text &&
	       memcmp(g->target.text, x->target.text, (size_t)(gs - g->target.text)) == 0 &&
	       host_globs_meet(gs + 1, xs + 1);
}

/* MP-DEVICE-OVERLAP (v2): a like-host glob that can make a node at the
 * path of another entry, or at a name another glob of its directory can
 * match too.  Both would make that node at run time: the second mknod
 * finds the first's node and takes it over (its mode and owner) when the
 * host's numbers agree, or fails the container (exit 125) when they do
 * not; which happens depends on the host, so it is an error here, at
 * both entries. */
static void rule_glob_overlap(struct plan *plan, struct diag_sink *sink)
{
	bool *hit = NULL;

	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *g = &plan->entries[i];

		if (!live(g) || g->kind != PLAN_DEVICE || !g->cold->node->glob)
			continue;
		for (size_t k = 0; k < plan->n_entries; k++) {
			struct plan_entry *x = &plan->entries[k];
			char *at_x, *at_g;

			if (k == i || !live(x) || (x->cold->node->glob && k < i) || !glob_overlaps(g, x))
				continue;
			hit = hit ? hit : xcalloc(plan->n_entries, sizeof(*hit));
			hit[i] = hit[k] = true;
			at_x = plan_pos_ref(x->cold->node->glob ? x->cold->node->like_host.pos : x->cold->pos, g->cold->node->like_host.pos);
			at_g = plan_pos_ref(g->cold->node->like_host.pos, x->cold->pos);
			if (x->cold->node->glob) {
				diag_error(sink, g->cold->node->like_host.pos, "MP-DEVICE-OVERLAP",
					   "like-host globs %s and %s (at %s) can match one name: both would make that node; help: make the patterns disjoint (a different first character, a [...] set that leaves the other's names out)",
					   g->target.text, x->target.text, at_x);
				diag_error(sink, x->cold->node->like_host.pos, "MP-DEVICE-OVERLAP",
					   "like-host globs %s and %s (at %s) can match one name: both would make that node; help: make the patterns disjoint (a different first character, a [...] set that leaves the other's names out)",
					   x->target.text, g->target.text, at_g);
			} else {
				diag_error(sink, g->cold->node->like_host.pos, "MP-DEVICE-OVERLAP",
					   "like-host glob %s matches %s, where the %s at %s%s puts something: both would make that node (%s); help: leave that name out of the pattern, or drop one of the two",
					   g->target.text, x->target.text, entry_word(x->kind), at_x,
					   x->synthetic ? " (dev: standard)" : "",
					   x->kind == PLAN_DEVICE ?
						   "mountplan-exec fails, exit 125, when the host's numbers differ, and the later one takes the node over when they agree" :
						   "what mountplan-exec does then depends on the host's nodes");
				diag_error(sink, x->cold->pos, "MP-DEVICE-OVERLAP",
					   "%s %s is also a node of like-host glob %s (at %s): both would make that node; help: leave that name out of the pattern, or drop one of the two",
					   entry_word(x->kind), x->target.text, g->target.text, at_g);
			}
			free(at_x);
			free(at_g);
		}
	}
	for (size_t i = 0; hit && i < plan->n_entries; i++)
		plan->entries[i].bad |= hit[i];
	free(hit);
}

/* Run the validation rules; see passes.h. */
void validate_plan(struct plan *plan, struct diag_sink *sink)
{
	rule_fstype(plan, sink);
	rule_devices(plan, sink);
	rule_holes(plan, sink);
	rule_limits(plan, sink);
	rule_proc_mount(plan, sink);
	rule_dup_target(plan, sink);
	rule_glob_overlap(plan, sink);
	rule_symlink_loop(plan, sink);
	rule_under_unbindable(plan, sink);
	for (size_t i = 0; i < sizeof cover_rules / sizeof cover_rules[0]; i++)
		rule_covered(plan, sink, &cover_rules[i]);
}
