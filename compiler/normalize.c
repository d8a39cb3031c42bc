/*
 * normalize.c: the normalize pass.  Checks every path (MP-PATH, and a
 * bind's source: MP-BIND-SOURCE), expands `dev: standard`, parses mount
 * options (options.c) and settles the plan-wide defaults (root
 * propagation, umask).
 */
#include <stdlib.h>
#include <string.h>
#include "mp_ops.h"
#include "mpb.h"
#include "options.h"
#include "params.h"
#include "passes.h"
#include "paths.h"
#include "util.h"

/* Check one path value of plan; report at its position as id and return
 * false when it is not absolute and clean (naming the parameter values
 * that made it, if any).  An absent value passes (shape reports missing
 * keys). */
static bool check_path(const struct plan *plan, struct diag_sink *sink,
		       const struct plan_str *s, const char *what, const char *id)
{
	const char *problem, *note;

	if (!s->text)
		return true;
	problem = path_problem(s->text);
	if (!problem)
		return true;
	note = plan_subst_note(plan, s->pos);
	diag_error(sink, s->pos, id, "%s '%.64s%s' %s%s%s%s", what, s->text,
		   strlen(s->text) > 64 ? "..." : "", problem, note ? " (" : "",
		   note ? note : "", note ? ")" : "");
	return false;
}

/* The word an entry kind uses for its path in messages. */
static const char *path_word(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_MOUNT:
		return "target";
	case PLAN_DEVICE:
		return "device path";
	case PLAN_SYMLINK:
		return "symlink path";
	case PLAN_MASK:
		return "masked path";
	case PLAN_READONLY:
		return "read-only path";
	case PLAN_KIND_MAX:
	default:
		break;
	}
	return "path";
}

/* Check the paths of one entry of plan (target, bind source, holes,
 * condition). */
static void check_entry_paths(const struct plan *plan, struct plan_entry *e,
			      struct diag_sink *sink)
{
	if (!check_path(plan, sink, &e->target, path_word(e->kind), "MP-PATH"))
		e->bad = true;
	for (size_t i = 0; i < e->n_holes; i++)
		if (!check_path(plan, sink, &e->cold->node->holes[i].path, "writable path", "MP-PATH"))
			e->bad = true;
	if (!check_path(plan, sink, &e->cold->rare->when.path, "condition path", "MP-PATH"))
		e->bad = true;
	/* a like-host device's path, when not written, is its like-host path:
	 * reported once, as the device path */
	if (!(e->cold->node->like_host.text && e->target.pos.line == e->cold->node->like_host.pos.line &&
	      e->target.pos.col == e->cold->node->like_host.pos.col) &&
	    !check_path(plan, sink, &e->cold->node->like_host, "like-host path", "MP-PATH"))
		e->bad = true;
	else if (e->cold->node->like_host.text && strcmp(e->cold->node->like_host.text, "/") == 0) {
		diag_error(sink, e->cold->node->like_host.pos, "MP-PATH", "like-host path '/' is no device node");
		e->bad = true;
	}
	if (e->kind != PLAN_MOUNT || !e->is_bind)
		return;
	if (!e->source.text) {
		diag_error(sink, e->cold->pos, "MP-BIND-SOURCE",
			   "bind mount of %.64s needs a source (the host path to bind)",
			   e->target.text ? e->target.text : "?");
		e->bad = true;
	} else if (!check_path(plan, sink, &e->source, "bind source", "MP-BIND-SOURCE")) {
		e->bad = true;
	}
}

/* One mount of the standard /dev. */
struct std_mount {
	const char *target, *type, *options;
};

static const struct std_mount std_mounts[] = {
	{ "/dev", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	{ "/dev/pts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "/dev/shm", "tmpfs", "nosuid,noexec,nodev,mode=1777,size=65536k" },
};

static const struct {
	const char *path;
	uint32_t major, minor;
} std_devices[] = {
	{ "/dev/null", 1, 3 },	  { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
	{ "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

static const struct {
	const char *path, *link;
} std_links[] = {
	{ "/dev/ptmx", "pts/ptmx" },
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

/* Does the plan write an entry of its own that puts something at path
 * (a mount, device or symlink; a mask or read-only path acts on what is
 * there and replaces nothing)? */
static bool plan_has_target(const struct plan *plan, size_t n_written,
			    const char *path)
{
	for (size_t i = 0; i < n_written; i++) {
		const struct plan_entry *e = &plan->entries[i];

		if (e->kind != PLAN_MOUNT && e->kind != PLAN_DEVICE &&
		    e->kind != PLAN_SYMLINK)
			continue;
		if (e->target.text && strcmp(e->target.text, path) == 0)
			return true;
	}
	return false;
}

/* A plan_str owning a copy of text at pos. */
static struct plan_str owned_str(const char *text, struct plan_pos pos)
{
	struct plan_str s = { xstrdup(text), pos };
	return s;
}

/* Add a synthetic entry of kind for path at the dev key. */
static struct plan_entry *add_synthetic(struct plan *plan, enum plan_kind kind,
					const char *path)
{
	struct plan_entry *e = plan_add_entry(plan, kind, plan->dev_pos);

	e->synthetic = true;
	e->target = plan_kept(&plan->targets, path, plan->dev_pos);
	return e;
}

/* A synthetic entry of kind at path for dev: standard, or NULL when one
 * of the n_written entries the plan wrote is already there (the plan's
 * own entry wins). */
static struct plan_entry *add_standard(struct plan *plan, size_t n_written,
				       enum plan_kind kind, const char *path)
{
	if (plan_has_target(plan, n_written, path))
		return NULL;
	return add_synthetic(plan, kind, path);
}

/* Expand `dev: standard` (doc/plan-format.md): the plan's own entry for
 * one of these targets replaces the shorthand's. */
static void expand_dev_standard(struct plan *plan)
{
	size_t n_written = plan->n_entries;
	struct plan_pos pos = plan->dev_pos;

	for (size_t i = 0; i < sizeof std_mounts / sizeof std_mounts[0]; i++) {
		struct plan_entry *e = add_standard(plan, n_written, PLAN_MOUNT, std_mounts[i].target);

		if (!e)
			continue;
		e->type = plan_kept(&plan->words, std_mounts[i].type, pos);
		plan_add_options(plan, e, &(struct plan_str){ (char *)std_mounts[i].options, pos }, 1);
	}
	for (size_t i = 0; i < sizeof std_devices / sizeof std_devices[0]; i++) {
		struct plan_entry *e = add_standard(plan, n_written, PLAN_DEVICE, std_devices[i].path);

		if (!e)
			continue;
		e->cold->node->dev_type = owned_str("c", pos);
		e->cold->node->major = std_devices[i].major;
		e->cold->node->minor = std_devices[i].minor;
		e->cold->node->major_pos = e->cold->node->minor_pos = pos;
		e->cold->node->mode = 0666;
		e->cold->node->has_mode = true;
		e->cold->node->policy = plan->device_policy;
	}
	for (size_t i = 0; i < sizeof std_links / sizeof std_links[0]; i++) {
		struct plan_entry *e = add_standard(plan, n_written, PLAN_SYMLINK, std_links[i].path);

		if (!e)
			continue;
		e->cold->node->link = owned_str(std_links[i].link, pos);
	}
}

/* Plan-wide settings: root propagation, umask, rootfs path, cwd, init. */
static void normalize_settings(struct plan *plan, struct diag_sink *sink)
{
	/* a word of libmount's when written: shape checked it */
	plan->root_prop = plan->root_propagation.text ?
				  options_propagation(plan->root_propagation.text) :
				  MP_PROP_SLAVE | MP_PROP_REC;
	if (!plan->has_umask)
		plan->umask = 022;
	check_path(plan, sink, &plan->rootfs_path, "rootfs path", "MP-PATH");
	check_path(plan, sink, &plan->cwd, "cwd", "MP-PATH");
	if (plan->init && !(plan->namespaces & MP_NS_PID))
		diag_error(sink, plan->init_pos, "MP-MISSING",
			   "process.init needs a pid namespace of its own: add 'namespaces: [pid]'");
}

/* (v2) rootfs as a new filesystem: its options as a mount's, and what a
 * root cannot be (a bind: that is `path`; cgroup; tmpcopyup, an id map or
 * a propagation of its own: the root has `propagation`). */
static void normalize_rootfs_fs(struct plan *plan, struct diag_sink *sink)
{
	struct plan_entry *fs = &plan->rootfs_fs;
	const char *t = fs->type.text;

	if (!t)
		return;
	options_parse_mount(fs, sink);
	if (fs->is_bind || strcmp(t, "cgroup") == 0 || strcmp(t, "cgroup2") == 0)
		diag_error(sink, fs->type.pos, "MP-OPTION-CONFLICT",
			   "a rootfs of type '%.64s' is not a new filesystem: a host directory is 'path'",
			   t);
	else if (fs->cold->tmpcopyup || fs->cold->idmap || fs->cold->prop || fs->recursive)
		diag_error(sink, fs->type.pos, "MP-OPTION-CONFLICT",
			   "a new filesystem as the root takes no %s",
			   fs->cold->tmpcopyup ? "tmpcopyup" : fs->cold->idmap ? "idmap" :
			   fs->cold->prop ? "propagation option (write rootfs.propagation)" : "rbind");
	else
		return;
	fs->bad = true;
}

/* Clean paths, expand dev: standard, parse options; see passes.h. */
void normalize_plan(struct plan *plan, struct diag_sink *sink)
{
	normalize_settings(plan, sink);
	normalize_rootfs_fs(plan, sink);
	if (plan->dev_standard)
		expand_dev_standard(plan);
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];

		if (e->bad)
			continue; /* shape reported it */
		if (e->kind == PLAN_MOUNT)
			options_parse_mount(e, sink);
		if (plan->version < 2 && (e->cold->copy_symlink || e->cold->src_nofollow || e->cold->dest_nofollow)) {
			diag_error(sink, e->cold->rare->nofollow_pos, "MP-VERSION",
				   "copy-symlink, src-nofollow and dest-nofollow need format "
				   "version 2: write 'mountplan: 2' at the top");
			e->bad = true;
		}
		check_entry_paths(plan, e, sink);
	}
}
