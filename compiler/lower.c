/*
 * lower.c: the lower pass.  A valid, ordered plan becomes an op program
 * (executor/mp_ops.h), each op placed at its entry's source position:
 *
 *   ROOTFS                                 op 0: propagation, rootfs bind
 *   MOUNT | BIND [+ SETATTR] | CGROUP      each mount (a read-only path
 *                                          of exactly a bind's target
 *                                          folded into the bind)
 *   MKNOD, SYMLINK                         devices and links
 *   SETATTR RDONLY                         read-only mounts with entries beneath
 *   PIVOT
 *   HOLE_SAVE... READONLY HOLE_RESTORE...  each read-only path
 *   MASK                                   each mask
 *   SETATTR / RDONLY                       a read-only root
 *   SETATTR / propagation                  a shared or unbindable root
 *   NAMESPACES                             (v2) cgroup, user namespace
 *   UMASK, CHDIR
 *
 * An entry with a condition (v2 `when:`) is a COND before its ops.
 */
#include <stdlib.h>
#include <string.h>
#include "mp_ops.h"
#include "paths.h"
#include "passes.h"
#include "prog.h"
#include "util.h"

/* How many entries ahead lower_plan starts reading an entry's cold part
 * and its target's slot in the string index: the entries come in the
 * sorted order, their cold parts in the written one, and at 200,000
 * entries each is a miss that then overlaps the work on the entries
 * before it. */
#define LOWER_AHEAD 4

/* Append op at pos (a position without a line falls back to 1:1 of the
 * plan file). */
static void emit_op(struct prog *prog, const struct plan *plan,
		    const struct mp_op *op, struct plan_pos pos)
{
	prog_add(prog, op, pos.file ? pos.file : plan->file, pos.line, pos.col);
}

/* The attribute flags of a mount: ATTR_RECURSIVE when every attribute was
 * given recursively (rro ...) and the mount has a tree to apply it to. */
static bool all_recursive(const struct plan_entry *e)
{
	return e->attr_recursive && e->rattr_set == e->attr_set &&
	       e->cold->rattr_clr == e->cold->attr_clr;
}

/* Does an entry of kind come after PIVOT? */
static bool after_pivot(enum plan_kind kind)
{
	return kind == PLAN_MASK || kind == PLAN_READONLY;
}

/* Does e's read-only attribute wait until everything beneath it is in
 * place (a SETATTR just before PIVOT)?  So for a read-only filesystem or
 * bind (not recursively read-only) with a mount, device or link planned
 * beneath it (in index, the plan's live entries before PIVOT), which
 * could not be created on it once it is read-only (runc issue 3248: a
 * read-only /dev with devpts and nodes beneath).  proc and sysfs keep
 * theirs from the start: the kernel fills them, and what goes beneath
 * them goes on directories they already have; so does a conditional
 * entry (its SETATTR would not be guarded). */
static bool ro_deferred(const struct path_index *index, const struct plan_entry *e)
{
	const char *type = e->type.text ? e->type.text : "";

	if (e->kind != PLAN_MOUNT || e->bad || e->cold->rare->when.path.text ||
	    !(e->attr_set & MP_ATTR_RDONLY) ||
	    (e->rattr_set & MP_ATTR_RDONLY) || strcmp(type, "cgroup") == 0 ||
	    strcmp(type, "cgroup2") == 0 || strcmp(type, "proc") == 0 ||
	    strcmp(type, "sysfs") == 0 || (e->is_bind && e->recursive && all_recursive(e)))
		return false;
	return path_index_has_under(index, e->target.text, true);
}

/* Can the bind m take a read-only path of exactly its target as its own
 * read-only attribute (lower_folds)?  A bind replayed whenever the path
 * is (no condition; not optional: with its source missing the path would
 * make the image's directory read-only), mounted on what READONLY finds
 * there (no dest-nofollow, no copy-symlink), whose attributes can take
 * read-only as READONLY gives it: on an rbind's whole tree (all its
 * attributes recursive, or none). */
static bool bind_can_fold(const struct plan_entry *m)
{
	return m->kind == PLAN_MOUNT && m->is_bind && !m->cold->rare->when.path.text &&
	       !m->cold->optional && !m->cold->copy_symlink && !m->cold->dest_nofollow &&
	       (!m->recursive || all_recursive(m) || (!m->attr_set && !m->cold->attr_clr));
}

/* Does any entry of plan say stack: true? */
static bool any_stacked(const struct plan *plan)
{
	for (size_t i = 0; i < plan->n_entries; i++)
		if (plan->entries[i].stack)
			return true;
	return false;
}

/* The folds of plan (lower_folds), x being the index of its mounts,
 * devices and links.  A read-only path folds into the bind at its target
 * when nothing else needs the order between them: it has no holes and no
 * condition; the bind is the only mount, device or link at the target
 * and nothing of them lies beneath it (READONLY would make those
 * read-only too, and their mount points and nodes need it writable
 * first); no mask or other read-only path is at the target (one before
 * it in the order would be what READONLY binds); no mount says stack:
 * true (a stacked mount above the target, made after the bind, would
 * hide it from READONLY). */
static size_t *folds_of(const struct plan *plan, const struct path_index *x)
{
	size_t *fold = xcalloc(plan->n_entries + 1, sizeof(*fold));
	struct path_index late = { 0 };
	int checked = 0; /* 1: late indexed; -1: a stacked mount, no folds */

	for (size_t i = 0; i < plan->n_entries && checked >= 0; i++) {
		const struct plan_entry *r = &plan->entries[i], *m;
		const char *t = r->target.text;

		if (r->kind != PLAN_READONLY || r->bad || r->n_holes || !t ||
		    strcmp(t, "/") == 0 || r->cold->rare->when.path.text ||
		    path_index_count(x, t) != 1 || path_index_has_under(x, t, true))
			continue;
		m = path_index_find(x, t, strlen(t));
		if (!bind_can_fold(m))
			continue;
		if (!checked) {
			checked = any_stacked(plan) ? -1 : 1;
			late = path_index_of(plan, (1u << PLAN_MASK) | (1u << PLAN_READONLY));
		}
		if (checked < 0 || path_index_count(&late, t) != 1)
			continue;
		fold[i] = (size_t)(m - plan->entries) + 1;
		fold[m - plan->entries] = i + 1;
	}
	free(late.v);
	return fold;
}

/* For each of plan's entries, does its read-only attribute wait until
 * PIVOT (ro_deferred)?  One sorted index of targets makes it n log n.
 * *fold: the plan's folds (folds_of, the same index).  Free both. */
static bool *ro_deferred_entries(const struct plan *plan, size_t **fold)
{
	struct path_index index = path_index_of(plan, (1u << PLAN_MOUNT) |
							  (1u << PLAN_DEVICE) |
							  (1u << PLAN_SYMLINK));
	bool *late = xcalloc(plan->n_entries + 1, sizeof(*late));

	for (size_t i = 0; i < plan->n_entries; i++)
		late[i] = ro_deferred(&index, &plan->entries[i]);
	*fold = folds_of(plan, &index);
	free(index.v);
	return late;
}

/* The folds of plan; see passes.h. */
size_t *lower_folds(const struct plan *plan)
{
	size_t *fold;

	free(ro_deferred_entries(plan, &fold));
	return fold;
}

/* Does mount e get the plan's SELinux mount label (context=, as runc and
 * crun give it): a tmpfs, devpts or mqueue that names no context itself. */
static bool labelled(const struct plan *plan, const struct plan_entry *e)
{
	const char *type = e->type.text ? e->type.text : "";

	return plan->mount_label.text && !plan->bad_label &&
	       (strcmp(type, "tmpfs") == 0 || strcmp(type, "devpts") == 0 ||
		strcmp(type, "mqueue") == 0) &&
	       !(e->fs_data && strstr(e->fs_data, "context="));
}

/* One mount entry: BIND (with a recursive SETATTR for mixed rbind
 * attributes), CGROUP, or MOUNT; a read-only attribute deferred (ro_late)
 * is left for lower_pivot; a bind a read-only path folds into (folded:
 * folds_of) is read-only itself, on the whole tree of an rbind, so the
 * executor sets it on the clone before attaching it and never looks the
 * target up again. */
static void lower_mount(struct prog *prog, const struct plan *plan,
			const struct plan_entry *e, bool ro_late, bool folded)
{
	struct mp_op op = { 0 };
	const char *type = e->type.text ? e->type.text : "";

	op.target = prog_str(prog, e->target.text);
	op.attr_set = e->attr_set & ~(ro_late ? MP_ATTR_RDONLY : 0);
	op.attr_clr = e->cold->attr_clr;
	if (folded) {
		op.attr_set |= MP_ATTR_RDONLY;
		op.attr_clr &= ~MP_ATTR_RDONLY;
	}
	op.propagation = e->cold->prop;
	op.flags = MP_F_MKDIR;
	if (e->is_bind) {
		op.opcode = MP_OP_BIND;
		op.source = prog_str(prog, e->source.text);
		if (e->cold->idmap) {
			op.data = prog_str(prog, e->cold->idmap);
			op.flags |= MP_F_IDMAP;
		}
		if (e->recursive)
			op.flags |= MP_F_RECURSIVE;
		if (e->cold->optional)
			op.flags |= MP_F_OPTIONAL;
		op.flags |= (e->cold->src_nofollow ? MP_F_SRC_NOFOLLOW : 0) |
			    (e->cold->dest_nofollow ? MP_F_DEST_NOFOLLOW : 0) |
			    (e->cold->copy_symlink ? MP_F_COPY_SYMLINK : 0);
		if (e->cold->follow_symlinks)
			op.flags |= MP_F_FOLLOW;
		if (e->recursive && (all_recursive(e) || folded)) {
			op.flags |= MP_F_ATTR_RECURSIVE;
		} else if (e->recursive && e->attr_recursive) {
			struct mp_op rec = { 0 };

			emit_op(prog, plan, &op, e->cold->pos);
			rec.opcode = MP_OP_SETATTR;
			rec.target = op.target;
			rec.attr_set = e->rattr_set;
			rec.attr_clr = e->cold->rattr_clr;
			rec.flags = MP_F_ATTR_RECURSIVE;
			emit_op(prog, plan, &rec, e->cold->pos);
			return;
		}
	} else if (strcmp(type, "cgroup") == 0 || strcmp(type, "cgroup2") == 0) {
		op.opcode = MP_OP_CGROUP;
		op.fstype = prog_str(prog, type);
		if (e->attr_recursive)
			op.flags |= MP_F_ATTR_RECURSIVE;
	} else {
		op.opcode = MP_OP_MOUNT;
		op.source = prog_str(prog, e->source.text ? e->source.text : type);
		op.fstype = prog_str(prog, type);
		op.data = prog_str(prog, e->fs_data);
		if (labelled(plan, e)) { /* (v2) the plan's SELinux mount label */
			char *d = xasprintf("%s%scontext=\"%s\"", e->fs_data ? e->fs_data : "",
					    e->fs_data ? "," : "", plan->mount_label.text);
			op.data = prog_str(prog, d);
			op.flags |= MP_F_LABEL;
			free(d);
		}
		if (e->cold->tmpcopyup)
			op.flags |= MP_F_TMPCOPYUP;
	}
	emit_op(prog, plan, &op, e->cold->pos);
}

/* One device: MKNOD with the file type in mode and the policy's flag;
 * (v2) HOSTDEV for a like-host one: the host path (or glob) as source,
 * the node (or for a glob its directory) as target, mode 0 for the
 * host's. */
static void lower_device(struct prog *prog, const struct plan *plan,
			 const struct plan_entry *e)
{
	struct mp_op op = { 0 };
	const char *t = e->cold->node->dev_type.text ? e->cold->node->dev_type.text : "c";

	if (e->cold->node->like_host.text) {
		size_t n = (size_t)(strrchr(e->cold->node->like_host.text, '/') - e->cold->node->like_host.text);
		char *dir = n ? xstrndup(e->cold->node->like_host.text, n) : xstrdup("/");

		op.opcode = MP_OP_HOSTDEV;
		op.target = prog_str(prog, e->cold->node->glob ? dir : e->target.text);
		op.source = prog_str(prog, e->cold->node->like_host.text);
		op.mode = e->cold->node->has_mode ? e->cold->node->mode & 01777 : 0;
		free(dir);
	} else {
		op.opcode = MP_OP_MKNOD;
		op.target = prog_str(prog, e->target.text);
		op.mode = (t[0] == 'b' ? MP_IFBLK : t[0] == 'p' ? MP_IFIFO : MP_IFCHR) |
			  ((e->cold->node->has_mode ? e->cold->node->mode : 0666) & 07777);
	}
	op.major = e->cold->node->major;
	op.minor = e->cold->node->minor;
	op.uid = e->cold->node->uid;
	op.gid = e->cold->node->gid;
	switch (e->cold->node->policy) { /* its own, or the plan's (shape, normalize) */
	case PLAN_DEVPOL_AUTO:
		op.flags = MP_F_BIND_FALLBACK;
		break;
	case PLAN_DEVPOL_BIND:
		op.flags = MP_F_BIND_ONLY;
		break;
	case PLAN_DEVPOL_MKNOD:
	case PLAN_DEVPOL_MAX:
	default:
		break;
	}
	op.flags |= (e->cold->node->glob ? MP_F_GLOB : 0) | (e->cold->node->best_effort ? MP_F_BEST_EFFORT : 0);
	emit_op(prog, plan, &op, e->cold->pos);
}

/* One read-only path: save each hole, make the tree read-only, put the
 * holes back. */
static void lower_readonly(struct prog *prog, const struct plan *plan,
			   const struct plan_entry *e)
{
	struct mp_op op = { 0 };

	for (size_t k = 0; k < e->n_holes; k++) {
		struct mp_op save = { .opcode = MP_OP_HOLE_SAVE };

		save.target = prog_str(prog, e->cold->node->holes[k].path.text);
		save.aux = (uint32_t)k;
		emit_op(prog, plan, &save, e->cold->node->holes[k].path.pos);
	}
	op.opcode = MP_OP_READONLY;
	op.target = prog_str(prog, e->target.text);
	emit_op(prog, plan, &op, e->cold->pos);
	for (size_t k = 0; k < e->n_holes; k++) {
		struct mp_op restore = { .opcode = MP_OP_HOLE_RESTORE };

		restore.target = prog_str(prog, e->cold->node->holes[k].path.text);
		restore.aux = (uint32_t)k;
		emit_op(prog, plan, &restore, e->cold->node->holes[k].path.pos);
	}
}

/* One entry of any kind, without its condition (ro_late: its read-only
 * attribute is deferred; folded: a bind and the read-only path of its
 * target are one, the bind's op). */
static void lower_entry_ops(struct prog *prog, const struct plan *plan,
			    const struct plan_entry *e, bool ro_late, bool folded)
{
	struct mp_op op = { 0 };

	switch (e->kind) {
	case PLAN_MOUNT:
		lower_mount(prog, plan, e, ro_late, folded);
		return;
	case PLAN_DEVICE:
		lower_device(prog, plan, e);
		return;
	case PLAN_SYMLINK:
		op.opcode = MP_OP_SYMLINK;
		op.target = prog_str(prog, e->target.text);
		op.source = prog_str(prog, e->cold->node->link.text);
		break;
	case PLAN_MASK:
		op.opcode = MP_OP_MASK;
		op.target = prog_str(prog, e->target.text);
		break;
	case PLAN_READONLY:
		if (!folded)
			lower_readonly(prog, plan, e);
		return;
	case PLAN_KIND_MAX:
	default:
		return;
	}
	emit_op(prog, plan, &op, e->cold->pos);
}

/* One entry of any kind; an entry with a condition is a COND guarding
 * the ops the entry lowers to (its count patched in after them; a folded
 * entry has none). */
static void lower_entry(struct prog *prog, const struct plan *plan,
			const struct plan_entry *e, bool ro_late, bool folded)
{
	const struct plan_when *w = &e->cold->rare->when;
	struct mp_op cond = { .opcode = MP_OP_COND, .aux = 1 };
	size_t at;

	if (!w->path.text) {
		lower_entry_ops(prog, plan, e, ro_late, folded);
		return;
	}
	cond.source = prog_str(prog, w->path.text);
	cond.mode = w->type;
	cond.flags = w->negate ? MP_F_NOT : 0;
	at = prog_add(prog, &cond, w->pos.file ? w->pos.file : plan->file,
		      w->pos.line, w->pos.col);
	lower_entry_ops(prog, plan, e, ro_late, false);
	prog->ops[at].aux = (uint32_t)(prog->n_ops - at - 1);
}

/* PIVOT with the plan's way of switching roots, at pivot: or rootfs:,
 * after the deferred read-only attributes (SETATTR RDONLY for each entry
 * i with ro_late[i]). */
static void lower_pivot(struct prog *prog, const struct plan *plan,
			const bool *ro_late)
{
	struct mp_op op = { .opcode = MP_OP_PIVOT };

	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];
		struct mp_op ro = { .opcode = MP_OP_SETATTR, .attr_set = MP_ATTR_RDONLY };

		if (!ro_late[i])
			continue;
		ro.target = prog_str(prog, e->target.text);
		emit_op(prog, plan, &ro, e->cold->pos);
	}

	op.flags = plan->pivot == PLAN_PIVOT_MOVE ? MP_F_PIVOT_MOVE :
		   plan->pivot == PLAN_PIVOT_CHROOT ? MP_F_PIVOT_CHROOT :
						      MP_F_PIVOT_ROOT;
	emit_op(prog, plan, &op,
		plan->pivot_pos.line ? plan->pivot_pos : plan->rootfs_pos);
}

/* The propagation ROOTFS gives the new namespace for root propagation
 * prop (0: the default rslave).  A shared or unbindable root starts slave
 * or private and gets its own propagation last (SETATTR "/"): a shared
 * namespace would pass every mount made under a bind of a shared host
 * mount back to the host, pivot_root refuses a shared new root, and an
 * unbindable root cannot be bound onto itself or under a read-only path. */
static uint32_t setup_propagation(uint32_t prop)
{
	switch (prop & ~MP_PROP_REC) {
	case 0:
		return MP_PROP_SLAVE | MP_PROP_REC;
	case MP_PROP_SHARED:
		return MP_PROP_SLAVE | MP_PROP_REC;
	case MP_PROP_UNBINDABLE:
		return MP_PROP_PRIVATE | MP_PROP_REC;
	default:
		return prop;
	}
}

/* Lower a valid, ordered plan; see passes.h.  The order pass put the
 * entries that come after PIVOT last, so one walk places it. */
struct prog *lower_plan(const struct plan *plan)
{
	struct prog *prog = xmalloc(sizeof(*prog));
	struct mp_op op = { .opcode = MP_OP_ROOTFS };
	bool pivoted = false;
	size_t *fold;
	bool *ro_late = ro_deferred_entries(plan, &fold);

	prog_init(prog);
	if (plan->rootfs_fs.type.text) { /* (v2) a new filesystem as the root */
		const struct plan_entry *fs = &plan->rootfs_fs;

		op.fstype = prog_str(prog, fs->type.text);
		op.source = prog_str(prog, fs->source.text ? fs->source.text : fs->type.text);
		op.data = prog_str(prog, fs->fs_data);
		op.attr_set = fs->attr_set;
		op.attr_clr = fs->cold->attr_clr;
	} else {
		op.source = prog_str(prog, plan->rootfs_path.text);
	}
	op.propagation = setup_propagation(plan->root_prop);
	op.aux = plan->namespaces | (plan->init ? MP_NS_INIT : 0); /* (v2) */
	emit_op(prog, plan, &op, plan->rootfs_pos);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];

		if (i + LOWER_AHEAD < plan->n_entries) {
			const struct plan_entry *a = &plan->entries[i + LOWER_AHEAD];

			__builtin_prefetch(a->cold);
			prog_str_prefetch(prog, a->target.text);
		}
		if (!pivoted && after_pivot(e->kind)) {
			lower_pivot(prog, plan, ro_late);
			pivoted = true;
		}
		if (!e->bad)
			lower_entry(prog, plan, e, ro_late[i], fold[i] != 0);
	}
	if (!pivoted)
		lower_pivot(prog, plan, ro_late);
	free(ro_late);
	free(fold);
	if (plan->rootfs_readonly) {
		op = (struct mp_op){ .opcode = MP_OP_SETATTR };
		op.target = prog_str(prog, "/");
		op.attr_set = MP_ATTR_RDONLY;
		emit_op(prog, plan, &op, plan->rootfs_pos);
	}
	if (plan->root_prop && setup_propagation(plan->root_prop) != plan->root_prop) {
		op = (struct mp_op){ .opcode = MP_OP_SETATTR };
		op.target = prog_str(prog, "/");
		op.propagation = plan->root_prop;
		emit_op(prog, plan, &op, plan->rootfs_pos);
	}
	if (plan->cgroupns || plan->userns_map) {
		op = (struct mp_op){ .opcode = MP_OP_NAMESPACES };
		op.flags = (plan->cgroupns ? MP_F_CGROUPNS : 0) |
			   (plan->userns_map ? MP_F_USERNS : 0);
		op.data = prog_str(prog, plan->userns_map);
		emit_op(prog, plan, &op, plan->namespaces_pos);
	}
	op = (struct mp_op){ .opcode = MP_OP_UMASK, .mode = plan->umask & 0777 };
	emit_op(prog, plan, &op, plan->umask_pos);
	op = (struct mp_op){ .opcode = MP_OP_CHDIR };
	op.target = prog_str(prog, plan->cwd.text ? plan->cwd.text : "/");
	emit_op(prog, plan, &op, plan->cwd.pos);
	prog->name = prog_str(prog, plan->name.text);
	return prog;
}
