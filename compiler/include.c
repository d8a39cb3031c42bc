/*
 * include.c: the compose pass (doc/plan-format.md, "include").  A
 * version-2 plan's include: names other plan files, relative to the
 * including file; they are loaded (depth first, cycles, repeats and depth
 * refused at the include item), then shaped into one plan in two rounds:
 * every file's head first (versions and parameters, so a ${name} of any
 * file may use a parameter of any other), then every body, an included
 * file before the file that includes it, so the entries of a base plan
 * come first and the including plan's settings win.
 *
 * Every included file is opened beneath the include root (the directory
 * of the plan named on the command line, or --include-root) with
 * openat2(RESOLVE_BENEATH): a plan from an untrusted pull request that
 * names /etc/shadow, ../../secret or a symlink out of its tree is refused
 * at the item, before a byte is read, so its diagnostics (which quote
 * the source line) cannot print a file of the machine that checks it.
 *
 * Entries keep their own file's positions, so diagnostics, dump, table
 * and diff name the file each came from.  An entry written with
 * override: true replaces the entry of its class at its target that a
 * plan it includes (directly or not) wrote, in place; without it, two
 * entries for one target stay validate's MP-DUP-TARGET, naming both files.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "mp_ops.h"
#include "node.h"
#include "params.h"
#include "passes.h"
#include "paths.h"
#include "util.h"

/* How many times an include is opened when openat2 says a mount or a
 * rename raced with its walk (include_open). */
#define INCLUDE_RETRIES 64

/* One file of a plan. */
struct inc_file {
	struct node *root;   /* owned, except the top file's */
	const char *file;    /* the sink's name */
	uint32_t version;
	size_t parent;       /* the including file; SIZE_MAX for the top */
	size_t depth;        /* 0 for the top */
	dev_t dev;           /* identity, for cycles and repeats (0, 0: stdin) */
	ino_t ino;
	struct plan_pos at;  /* the include item that named it */
	char *dir;           /* its directory from the include root ("": the
				root; NULL: outside it); owned */
};

struct composer {
	struct inc_file *files;
	size_t n, cap;
	size_t *order;       /* bodies: an included file before its includer */
	size_t n_order;
	struct plan *plan;
	const struct plan_values *values;
	struct diag_sink *sink;
	bool rooted;         /* root_open has run (at the first include) */
	char *root_shown;    /* the include root as named */
	char *root_real;     /* its canonical path, or NULL */
	int root_fd;         /* O_PATH of it, or -1 */
};

/* Is file below one that file top includes, directly or not? */
static bool included_by(const struct composer *c, size_t below, size_t top)
{
	for (size_t f = c->files[below].parent; f != SIZE_MAX; f = c->files[f].parent)
		if (f == top)
			return true;
	return false;
}

/* The path of an include item written in the file named from: as
 * written when absolute, else beside from (malloc'd). */
static char *include_path(const char *from, const char *item)
{
	const char *slash = strrchr(from, '/');

	if (item[0] == '/' || !slash || strcmp(from, "<stdin>") == 0)
		return xstrdup(item);
	return xasprintf("%.*s%s", (int)(slash - from + 1), from, item);
}

/* What of path (canonical) lies beneath root (canonical): "" for root
 * itself, the rest after "root/", or NULL when path is outside root. */
static const char *beneath_root(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/' ? path + strspn(path, "/") : NULL;
	if (strncmp(path, root, n) != 0 || (path[n] && path[n] != '/'))
		return NULL;
	return path[n] ? path + n + 1 : path + n;
}

/* The directory of the file named file ("<stdin>" or no '/': "."),
 * malloc'd. */
static char *file_dir(const char *file)
{
	const char *slash = strrchr(file, '/');

	if (!slash || strcmp(file, "<stdin>") == 0)
		return xstrdup(".");
	return slash == file ? xstrdup("/") : xasprintf("%.*s", (int)(slash - file), file);
}

/* Open the include root (--include-root, else the directory of the top
 * file) and place the top file in it (c->files[0].dir); once, at the
 * first include (a plan without one costs nothing). */
static void root_open(struct composer *c)
{
	char *dir = file_dir(c->files[0].file), *real_dir = realpath(dir, NULL);
	const char *given = c->values ? c->values->include_root : NULL, *in;

	c->rooted = true;
	c->root_shown = xstrdup(given ? given : dir);
	c->root_real = realpath(c->root_shown, NULL);
	c->root_fd = c->root_real ? open(c->root_real, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	in = c->root_real && real_dir ? beneath_root(c->root_real, real_dir) : NULL;
	c->files[0].dir = in ? xstrdup(in) : NULL;
	free(real_dir);
	free(dir);
}

/* Open include item of file idx beneath the include root, never through
 * a symlink or ".." out of it (openat2 RESOLVE_BENEATH; before Linux 5.6
 * the item's canonical path is checked, then opened); path is the item
 * as include_path makes it.  *rel: the file's path from the root
 * (malloc'd, or NULL).  An fd (O_RDONLY|O_NONBLOCK), or -errno: -EXDEV
 * when the file lies outside the root.  openat2 fails with EAGAIN when a
 * mount or rename anywhere on the host raced with a ".." of the path
 * (openat2(2)); it is tried again (INCLUDE_RETRIES times at most): on a
 * host running containers a plan's "sub/../x.yaml" failed about once in
 * 600 compiles. */
static int include_open(struct composer *c, size_t idx, const char *item, const char *path,
			char **rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	const char *dir, *in;
	int fd, tries = 0;

	*rel = NULL;
	if (!c->rooted)
		root_open(c);
	dir = c->files[idx].dir;
	if (c->root_fd < 0)
		return -EXDEV;
	if (item[0] == '/' && (in = beneath_root(c->root_real, item)))
		*rel = xstrdup(*in ? in : ".");
	else if (item[0] != '/' && dir)
		*rel = *dir ? xasprintf("%s/%s", dir, item) : xstrdup(item);
	if (!*rel)
		return -EXDEV;
	do
		fd = (int)syscall(SYS_openat2, c->root_fd, *rel, &how, sizeof how);
	while (fd < 0 && errno == EAGAIN && ++tries < INCLUDE_RETRIES);
	if (fd < 0 && errno == ENOSYS) {
		char *real = realpath(path, NULL);

		errno = EXDEV;
		if (real && beneath_root(c->root_real, real))
			fd = open(real, (int)how.flags);
		free(real);
	}
	return fd < 0 ? -errno : fd;
}

/* The file already loaded with dev:ino, or SIZE_MAX. */
static size_t loaded(const struct composer *c, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->files[i].dev == dev && c->files[i].ino == ino && (dev || ino))
			return i;
	return SIZE_MAX;
}

/* May file idx include the file st describes (path, named at item at):
 * not one of its includers (a cycle), not one loaded already, within the
 * depth and count?  Reported at the item when not. */
static bool unloaded(struct composer *c, size_t idx, struct plan_pos at, const char *path,
		     const struct stat *st)
{
	size_t seen;

	for (size_t f2 = idx; f2 != SIZE_MAX; f2 = c->files[f2].parent) {
		if (c->files[f2].dev == st->st_dev && c->files[f2].ino == st->st_ino) {
			if (f2 == idx)
				diag_error(c->sink, at, "MP-INCLUDE-CYCLE",
					   "including '%.200s' makes a cycle: it is this file", path);
			else
				diag_error(c->sink, at, "MP-INCLUDE-CYCLE",
					   "including '%.200s' makes a cycle: it includes this file (directly or through others)",
					   path);
			return false;
		}
	}
	seen = loaded(c, st->st_dev, st->st_ino);
	if (seen != SIZE_MAX) {
		char *first = plan_pos_ref(c->files[seen].at, at);

		diag_error(c->sink, at, "MP-INCLUDE-TWICE",
			   "'%.200s' is already part of this plan (included at %s): a plan file is included once",
			   path, first);
		free(first);
		return false;
	}
	if (c->files[idx].depth + 1 > PLAN_MAX_INCLUDE_DEPTH || c->n >= PLAN_MAX_INCLUDES) {
		diag_error(c->sink, at, "MP-INCLUDE-DEPTH",
			   "including '%.200s' goes beyond the limits (includes nest at most %d deep, %d files in a plan)",
			   path, PLAN_MAX_INCLUDE_DEPTH, PLAN_MAX_INCLUDES);
		return false;
	}
	return true;
}

static void gather(struct composer *c, size_t idx);

/* Load text (len bytes, taken) of the file named path (included by file
 * idx at item at; st its identity, rel its path from the include root)
 * and gather what it includes. */
static void add_file(struct composer *c, size_t idx, struct plan_pos at, const char *path,
		     char *text, size_t len, const struct stat *st, const char *rel)
{
	struct node *root = load_buffer(path, text, len, c->sink);
	struct inc_file *f;

	if (!root)
		return; /* load reported it in the file itself */
	c->files = xgrow(c->files, c->n, &c->cap, sizeof(*c->files));
	f = &c->files[c->n];
	*f = (struct inc_file){ root, c->sink->sources[c->sink->n_sources - 1].file, 0,
				idx, c->files[idx].depth + 1, st->st_dev, st->st_ino, at,
				file_dir(rel) };
	if (strcmp(f->dir, ".") == 0)
		f->dir[0] = 0; /* the root itself */
	gather(c, c->n++);
}

/* Follow one include item n of file idx: check it, load the file and
 * gather what it includes; reports at the item and skips it on error. */
static void follow(struct composer *c, size_t idx, const struct node *n)
{
	struct plan_pos at = { c->files[idx].file, n->line, n->col };
	struct stat st;
	const char *why;
	char *path, *text, *rel;
	size_t len;
	int fd;

	if (n->kind != NODE_SCALAR || !n->len || strlen(node_text(n)) != n->len) {
		diag_error(c->sink, at, "MP-TYPE",
			   "an item of 'include' must be the path of a plan file");
		return;
	}
	path = include_path(c->files[idx].file, node_text(n));
	fd = include_open(c, idx, node_text(n), path, &rel);
	if (fd == -EXDEV)
		diag_error(c->sink, at, "MP-INCLUDE",
			   "cannot include '%.200s': it lies outside %.200s (include: reads only "
			   "files beneath the directory of the plan named on the command line, or "
			   "--include-root DIR)", path, c->root_real ? c->root_real : c->root_shown);
	else if (fd < 0)
		diag_error(c->sink, at, "MP-INCLUDE", "cannot include '%.200s': %s", path,
			   strerror(-fd));
	else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		diag_error(c->sink, at, "MP-INCLUDE", "cannot include '%.200s': not a regular file",
			   path);
	else if (!unloaded(c, idx, at, path, &st))
		; /* reported */
	/* the fstat above is of this descriptor: read it, bounded, never
	 * blocking (/proc/kmsg's kind was refused with the rest of /proc) */
	else if (input_fd_read(fd, 0, PLAN_MAX_FILE_SIZE, &text, &len, &why) < 0)
		diag_error(c->sink, at, "MP-INCLUDE", "cannot include '%.200s': %s", path, why);
	else
		add_file(c, idx, at, path, text, len, &st, rel);
	if (fd >= 0)
		close(fd);
	free(rel);
	free(path);
}

/* Read the head of file idx and gather the files it includes, then add
 * it to the order of bodies. */
static void gather(struct composer *c, size_t idx)
{
	const struct node *include;

	c->files[idx].version = shape_head(c->plan, c->files[idx].root, c->files[idx].file,
					   c->values, c->sink, &include);
	if (include && include->kind != NODE_SEQUENCE) {
		struct plan_pos at = { c->files[idx].file, include->line, include->col };

		diag_error(c->sink, at, "MP-TYPE",
			   "'include' must be a sequence of plan file paths");
	} else if (include) {
		for (size_t i = 0; i < include->n_items; i++)
			follow(c, idx, node_items(include)[i]);
	}
	c->order = xreallocarray(c->order, c->n_order + 1, sizeof(*c->order));
	c->order[c->n_order++] = idx;
}

/* The index of the file whose sink name is file, or SIZE_MAX. */
static size_t file_index(const struct composer *c, const char *file)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->files[i].file == file)
			return i;
	return SIZE_MAX;
}

/* Apply e's override: the earlier entry of its class at its target, from
 * a file that e's file includes, takes e's place; false when there is
 * none (reported). */
static bool apply_override(struct composer *c, struct plan_entry *e)
{
	struct plan *p = c->plan;
	size_t mine = file_index(c, e->cold->pos.file);

	for (size_t i = 0; i < p->n_entries; i++) {
		struct plan_entry *x = &p->entries[i];
		size_t theirs;

		if (x == e)
			break; /* only earlier entries: included files come first */
		if (x->bad || x->synthetic || !x->target.text ||
		    plan_target_class(x->kind) != plan_target_class(e->kind) ||
		    strcmp(x->target.text, e->target.text) != 0)
			continue;
		theirs = file_index(c, x->cold->pos.file);
		if (mine == SIZE_MAX || theirs == SIZE_MAX || !included_by(c, theirs, mine))
			continue;
		/* in place: the plan reads as if the base had said it */
		plan_entry_clear(x);
		*x = *e;
		x->index = i;
		memset(e, 0, sizeof(*e)); /* an empty slot, dropped by the caller */
		return true;
	}
	diag_error(c->sink, e->cold->rare->override_pos, "MP-INCLUDE-OVERRIDE",
		   "'override: true', but no plan that %s includes has an entry of this kind for %.200s",
		   e->cold->pos.file, e->target.text);
	e->bad = true;
	return false;
}

/* Apply every override, then drop the slots they emptied and number the
 * entries again in written order. */
static void apply_overrides(struct composer *c)
{
	struct plan *p = c->plan;
	size_t n = p->n_entries, k = 0;
	bool *empty = xcalloc(n ? n : 1, sizeof(*empty));

	for (size_t i = 0; i < n; i++) {
		struct plan_entry *e = &p->entries[i];

		if (!e->cold->override || e->bad || !e->target.text)
			continue;
		if (apply_override(c, e))
			empty[i] = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (empty[i])
			continue;
		p->entries[k] = p->entries[i];
		p->entries[k].index = k;
		k++;
	}
	p->n_entries = k;
	free(empty);
}

/* One setting one file writes (check_settings). */
struct setting_use {
	char *id;            /* plan_setting_id */
	char *shown;         /* as written: "rootfs.readonly", "dev" */
	char *value;         /* its value as the compiler read it (setting_value) */
	size_t file;
	struct plan_pos at;  /* the key */
};

/* A path as compared: cleaned ("/x/./y/" is "/x/y"); malloc'd. */
static char *path_value(const struct plan_str *s)
{
	return s->text ? path_clean(s->text) : xstrdup("-");
}

/* The value of setting id in plan p as shape read it (malloc'd), so two
 * spellings of one value compare equal: umask 0022, "0022", 022, 0o22
 * are 0022; True and true are true; a path is cleaned; parameters are
 * expanded; namespaces in either form, a user mapping as parsed; what
 * the root is, its keys together.  Read right after the file that sets
 * it was shaped (shape_body sets only what a file writes). */
static char *setting_value(const struct plan *p, const char *id)
{
	if (strcmp(id, "rootfs.readonly") == 0)
		return xstrdup(p->rootfs_readonly ? "true" : "false");
	if (strcmp(id, "rootfs.propagation") == 0)
		return xstrdup(p->root_propagation.text ? p->root_propagation.text : "-");
	if (strcmp(id, "rootfs.pivot") == 0)
		return xstrdup(plan_pivot_words[p->pivot]);
	if (strcmp(id, "process.umask") == 0)
		return xasprintf("%04o", p->umask);
	if (strcmp(id, "process.cwd") == 0)
		return path_value(&p->cwd);
	if (strcmp(id, "process.init") == 0)
		return xstrdup(p->init ? "true" : "false");
	if (strcmp(id, "dev") == 0)
		return xstrdup(p->dev_standard ? "standard" : "none");
	if (strcmp(id, "device-policy") == 0)
		return xstrdup(plan_policy_words[p->device_policy]);
	if (strcmp(id, "mount-label") == 0)
		return xstrdup(p->mount_label.text ? p->mount_label.text : "-");
	if (strcmp(id, "namespaces") == 0)
		return xasprintf("{%s%s%s%s%s}", p->namespaces & MP_NS_PID ? "pid " : "",
				 p->namespaces & MP_NS_IPC ? "ipc " : "",
				 p->cgroupns ? "cgroup " : "", p->userns_map ? "user: " : "",
				 p->userns_map ? p->userns_map : "");
	if (strcmp(id, "rootfs.root") == 0) {
		const struct plan_entry *fs = &p->rootfs_fs;
		char *v, *path;

		if (!fs->type.text) {
			path = path_value(&p->rootfs_path);
			v = xasprintf("path=%s", path);
			free(path);
			return v;
		}
		v = xasprintf("type=%s, source=%s, allow_unknown_type=%s, options=", fs->type.text,
			      fs->source.text ? fs->source.text : "-",
			      fs->cold->allow_unknown_type ? "true" : "false");
		for (size_t i = 0; i < fs->cold->n_options; i++) {
			char *next = xasprintf("%s%s%s", v, i ? "," : "", fs->cold->options[i].text);

			free(v);
			v = next;
		}
		return v;
	}
	return NULL; /* not a setting (an unknown key) */
}

/* Add one setting use of file f (key at key) to *u, its value read from
 * the plan c is composing. */
static void use_setting(struct composer *c, struct setting_use **u, size_t *n, size_t f,
			const char *section, const struct node *key)
{
	const char *name = node_text(key);
	char *id = plan_setting_id(section, name), *value = setting_value(c->plan, id);
	struct setting_use *x;

	if (!value) { /* an unknown key: shape said so */
		free(id);
		return;
	}
	*u = xreallocarray(*u, *n + 1, sizeof(**u));
	x = &(*u)[(*n)++];
	x->id = id;
	x->shown = section ? xasprintf("%s.%s", section, name) : xstrdup(name);
	x->value = value;
	x->file = f;
	x->at = (struct plan_pos){ c->files[f].file, key->line, key->col };
}

/* The settings file f writes, appended to *u with the values the plan
 * has right after f was shaped: the top-level ones, and each key of
 * rootfs and process; the keys that say what the root is are one
 * setting (the first of them names it). */
static void file_settings(struct composer *c, size_t f, struct setting_use **u, size_t *n)
{
	static const char *const top[] = { "namespaces", "dev", "device-policy",
					    "mount-label", NULL };
	const struct node *root = c->files[f].root;

	for (size_t i = 0; root->kind == NODE_MAPPING && i < root->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(root)[i];
		const struct node *key = p->key, *v = p->value;
		const char *name = node_text(key);
		bool section = strcmp(name, "rootfs") == 0 || strcmp(name, "process") == 0;
		bool root_seen = false;

		for (size_t t = 0; !section && top[t]; t++)
			if (strcmp(name, top[t]) == 0)
				use_setting(c, u, n, f, NULL, key);
		if (!section || v->kind != NODE_MAPPING)
			continue;
		for (size_t k = 0; k < v->n_pairs; k++) {
			const struct node *sk = node_pairs(v)[k].key;
			char *id = plan_setting_id(name, node_text(sk));
			bool what_root = strcmp(id, "rootfs.root") == 0;

			if (!(what_root && root_seen))
				use_setting(c, u, n, f, name, sk);
			root_seen |= what_root;
			free(id);
		}
	}
}

/* File f's top-level override: value, or NULL when it has none (the
 * loader has dropped repeated keys: there is at most one). */
static const struct node *override_list(const struct composer *c, size_t f)
{
	const struct node *root = c->files[f].root;

	for (size_t i = 0; root->kind == NODE_MAPPING && i < root->n_pairs; i++)
		if (strcmp(node_text(node_pairs(root)[i].key), "override") == 0)
			return node_pairs(root)[i].value;
	return NULL;
}

/* Does file f list a name covering setting id in its override:?  The
 * item that does, or NULL. */
static const struct node *overrides(const struct composer *c, size_t f, const char *id)
{
	const struct node *list = override_list(c, f);

	for (size_t i = 0; list && list->kind == NODE_SEQUENCE && i < list->n_items; i++)
		if (node_items(list)[i]->kind == NODE_SCALAR &&
		    plan_setting_covers(node_text(node_items(list)[i]), id))
			return node_items(list)[i];
	return NULL;
}

/* MP-INCLUDE-SETTING: a setting that a plan and a plan it includes (or
 * two plans included beside each other) give different values, unless
 * the last file to set it (the one that wins) names it in override: and
 * includes the other; MP-INCLUDE-OVERRIDE: an override: item that
 * replaces no included plan's setting. */
static void check_settings(struct composer *c, struct setting_use *u, size_t n)
{
	for (size_t w = 0; w < n; w++) {
		bool last = true;

		for (size_t k = w + 1; k < n; k++)
			last &= strcmp(u[k].id, u[w].id) != 0;
		for (size_t x = 0; last && x < w; x++) {
			char *at;

			if (strcmp(u[x].id, u[w].id) != 0 || strcmp(u[x].value, u[w].value) == 0 ||
			    (included_by(c, u[x].file, u[w].file) && overrides(c, u[w].file, u[w].id)))
				continue;
			at = plan_pos_ref(u[x].at, u[w].at);
			if (included_by(c, u[x].file, u[w].file))
				diag_error(c->sink, u[w].at, "MP-INCLUDE-SETTING",
					   "%s here (%.80s) silently replaces what an included plan says at %s (%.80s); help: if that is meant, write override: [%s] at the top of this file",
					   u[w].shown, u[w].value, at, u[x].value, u[w].shown);
			else
				diag_error(c->sink, u[w].at, "MP-INCLUDE-SETTING",
					   "%s here (%.80s) differs from %s at %s (%.80s), and neither file includes the other; help: set it in a plan that includes both, with override: [%s]",
					   u[w].shown, u[w].value, u[x].shown, at, u[x].value,
					   u[w].shown);
			free(at);
			break;
		}
	}
	/* each override: item must replace something */
	for (size_t f = 0; f < c->n; f++) {
		const struct node *list = override_list(c, f);

		for (size_t i = 0; list && list->kind == NODE_SEQUENCE && i < list->n_items; i++) {
			const struct node *item = node_items(list)[i];
			bool mine = false, theirs = false, known = false;

			for (size_t k = 0; item->kind == NODE_SCALAR && plan_setting_names[k]; k++)
				known |= strcmp(node_text(item), plan_setting_names[k]) == 0;
			for (size_t k = 0; known && k < n; k++) {
				if (!plan_setting_covers(node_text(item), u[k].id))
					continue;
				mine |= u[k].file == f;
				theirs |= included_by(c, u[k].file, f);
			}
			if (known && (!mine || !theirs)) /* an unknown name: shape said so */
				diag_error(c->sink,
					   (struct plan_pos){ c->files[f].file, item->line, item->col },
					   "MP-INCLUDE-OVERRIDE",
					   "'override: [%.60s]', but %s", node_text(item),
					   !mine ? "this file does not set it" :
						   "no plan this file includes sets it");
		}
	}
	for (size_t k = 0; k < n; k++) {
		free(u[k].id);
		free(u[k].shown);
		free(u[k].value);
	}
	free(u);
}

/* Load the included files, shape all, apply overrides; see passes.h. */
struct plan *compose_plan(const struct node *root, const char *path,
			  const char *file, const struct plan_values *values,
			  struct diag_sink *sink)
{
	struct composer c = { .values = values, .sink = sink, .root_fd = -1 };
	struct setting_use *uses = NULL;
	size_t n_uses = 0;
	struct stat st;
	struct plan *p = shape_new_plan(root, file, sink);

	if (!p)
		return NULL;
	c.plan = p;
	c.files = xgrow(c.files, 0, &c.cap, sizeof(*c.files));
	c.files[0] = (struct inc_file){ (struct node *)root, file, 0, SIZE_MAX, 0, 0, 0,
					{ file, 0, 0 }, NULL };
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0) {
		c.files[0].dev = st.st_dev;
		c.files[0].ino = st.st_ino;
	}
	c.n = 1;
	gather(&c, 0);
	for (size_t i = 0; i < c.n_order; i++) {
		const struct inc_file *f = &c.files[c.order[i]];

		shape_body(p, f->root, f->file, f->version, values, sink);
		if (c.n > 1) /* one file has nothing to compare */
			file_settings(&c, c.order[i], &uses, &n_uses);
	}
	p->version = c.files[0].version;
	check_settings(&c, uses, n_uses);
	shape_finish(p, values, sink);
	apply_overrides(&c);
	for (size_t i = 0; i < c.n; i++) {
		if (i)
			node_free(c.files[i].root);
		free(c.files[i].dir);
	}
	if (c.root_fd >= 0)
		close(c.root_fd);
	free(c.root_real);
	free(c.root_shown);
	free(c.files);
	free(c.order);
	return p;
}
