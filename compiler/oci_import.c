/*
 * oci_import.c: `mountplan import-oci config.json [-o plan.yaml]`, a plan
 * from an OCI runtime config (doc/roundtrip.md, "OCI field mapping").
 *
 * config.json is read with the plan loader (libyaml: JSON is YAML), so
 * every field keeps its line and column.  The plan is written through
 * libyaml's emitter (yaml_write.h: every string from the config is a
 * double-quoted scalar, so no character in it can add or change a plan
 * key), each node remembering the JSON field it came from; the text is
 * then run through the compiler's front half (plan_from_file), and every
 * error the compiler finds is reported at the JSON field that produced
 * it, named by its path ("mounts[3].options[1]").  Nothing is written
 * when there is an error.
 *
 * runc's implicit /dev (its default devices and links, made unless /dev is
 * a bind) becomes `dev: standard` when the config mounts /dev, /dev/pts
 * and /dev/shm (the config's own entries replace the shorthand's), and
 * explicit devices and symlinks otherwise.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "node.h"
#include "oci.h"
#include "options.h"
#include "passes.h"
#include "paths.h"
#include "util.h"
#include "yaml_write.h"

/* Report an error at node n (or the file) about field. */
static void field_error(struct diag_sink *sink, const char *file,
			const struct node *n, const char *field, const char *msg)
{
	struct plan_pos pos = { file, n ? n->line : 0, n ? n->col : 0 };

	diag_error(sink, pos, "MP-OCI", "%s: %s", field, msg);
}

/* Report a warning (or a note) at node n about field: what import-oci
 * changed or dropped in a config runc accepts. */
static void field_remark(struct diag_sink *sink, const char *file, const struct node *n,
			 enum diag_severity severity, const char *field, const char *msg,
			 const char *arg1, const char *arg2)
{
	struct plan_pos pos = { file, n ? n->line : 0, n ? n->col : 0 };

	diag_report(sink, severity, pos, "MP-OCI", "%s: %s '%s'%s%s%s", field, msg, arg1,
		    arg2 ? " to '" : "", arg2 ? arg2 : "", arg2 ? "'" : "");
}

/* The clean absolute form of config path p (new), with a note at n when
 * it differs (runc and crun clean "/a//b/", "/mnt/" and relative paths). */
static char *clean_config_path(struct diag_sink *sink, const char *file,
			       const struct node *n, const char *field, const char *p)
{
	char *c = path_clean(p);

	if (strcmp(c, p) != 0)
		field_remark(sink, file, n, DIAG_NOTE, field, "cleaned", p, c);
	return c;
}

/* A string scalar (quoted in JSON) or NULL, reporting a wrong type or a
 * NUL character (which would cut the string short). */
static const char *get_string(struct diag_sink *sink, const char *file,
			      const struct node *n, const char *field)
{
	if (!n)
		return NULL;
	if (n->kind != NODE_SCALAR || (n->plain && strcmp(node_text(n), "null") != 0)) {
		field_error(sink, file, n, field, "must be a string");
		return NULL;
	}
	if (!n->plain && strlen(node_text(n)) != n->len) {
		field_error(sink, file, n, field, "must not hold a NUL character");
		return NULL;
	}
	return n->plain ? NULL : node_text(n);
}

/* An unsigned number scalar into *v; false (reported) when not one. */
static bool get_number(struct diag_sink *sink, const char *file,
		       const struct node *n, const char *field, unsigned long *v)
{
	char *end;

	if (n->kind != NODE_SCALAR || !n->plain || !*node_text(n)) {
		field_error(sink, file, n, field, "must be a number");
		return false;
	}
	errno = 0;
	*v = strtoul(node_text(n), &end, 10);
	if (*end || errno || node_text(n)[0] == '-') {
		field_error(sink, file, n, field, "must be a non-negative integer");
		return false;
	}
	return true;
}

/* A boolean scalar; false when absent. */
static bool get_bool(struct diag_sink *sink, const char *file,
		     const struct node *n, const char *field)
{
	if (!n)
		return false;
	if (n->kind == NODE_SCALAR && n->plain && strcmp(node_text(n), "true") == 0)
		return true;
	if (n->kind == NODE_SCALAR && n->plain && strcmp(node_text(n), "false") == 0)
		return false;
	field_error(sink, file, n, field, "must be true or false");
	return false;
}

/* The mount of the config at destination path, or NULL. */
static const struct node *config_mount(const struct node *mounts, const char *path)
{
	for (size_t i = 0; mounts && mounts->kind == NODE_SEQUENCE && i < mounts->n_items; i++) {
		const struct node *item = node_items(mounts)[i];
		const struct node *d = oci_get(item, "destination");
		if (d && d->kind == NODE_SCALAR && d->len == strlen(path) &&
		    strcmp(node_text(d), path) == 0)
			return item;
	}
	return NULL;
}

/* Is the config's mount m a bind (type bind, or a bind/rbind option)? */
static bool is_bind_mount(const struct node *m)
{
	const struct node *type = oci_get(m, "type"), *opts = oci_get(m, "options");

	if (type && type->kind == NODE_SCALAR && type->len == 4 &&
	    strcmp(node_text(type), "bind") == 0)
		return true;
	for (size_t i = 0; opts && opts->kind == NODE_SEQUENCE && i < opts->n_items; i++) {
		const struct node *o = node_items(opts)[i];
		if (o->kind == NODE_SCALAR && strlen(node_text(o)) == o->len &&
		    (strcmp(node_text(o), "bind") == 0 || strcmp(node_text(o), "rbind") == 0))
			return true;
	}
	return false;
}

/* An OCI id mapping list ([{containerID, hostID, size}...]) as the plan's
 * "C:H:N C:H:N" string (new), or NULL after reporting. */
static char *id_mapping(struct diag_sink *sink, const char *file,
			const struct node *list, const char *field)
{
	char *out = xstrdup("");

	if (list->kind != NODE_SEQUENCE || list->n_items == 0) {
		field_error(sink, file, list, field, "must be a non-empty array");
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < list->n_items; i++) {
		unsigned long c, h, n;
		const struct node *e = node_items(list)[i];
		const struct node *cn = oci_get(e, "containerID"), *hn = oci_get(e, "hostID"),
				  *sn = oci_get(e, "size");
		char *next;

		if (!cn || !hn || !sn) {
			field_error(sink, file, e, field, "needs containerID, hostID and size");
			free(out);
			return NULL;
		}
		if (!get_number(sink, file, cn, field, &c) || !get_number(sink, file, hn, field, &h) ||
		    !get_number(sink, file, sn, field, &n)) {
			free(out);
			return NULL;
		}
		next = xasprintf("%s%s%lu:%lu:%lu", out, i ? " " : "", c, h, n);
		free(out);
		out = next;
	}
	return out;
}

/* A bind's source as the plan takes it (new): a relative source is
 * resolved against the bundle, the directory of config (as the runtime
 * spec says), and cleaned. */
static char *bind_source(const char *config, const char *source)
{
	char resolved[PATH_MAX], *dir, *joined, *clean;
	const char *slash = strrchr(config, '/');

	if (source[0] == '/')
		return xstrdup(source);
	dir = slash ? xstrndup(config, (size_t)(slash - config + (slash == config)))
		    : xstrdup(".");
	joined = xasprintf("%s/%s", realpath(dir, resolved) ? resolved : dir, source);
	clean = path_clean(joined);
	free(joined);
	free(dir);
	return clean;
}

/* Does the host path p reach its file through a symlink (in any
 * component, the last included)? */
static bool through_symlink(const char *p)
{
	char *copy = xstrdup(p);
	struct stat st;
	bool link = false;

	for (char *s = copy + 1; !link; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;

		*s = 0;
		link = lstat(copy, &st) == 0 && S_ISLNK(st.st_mode);
		*s = c;
		if (!c)
			break;
	}
	free(copy);
	return link;
}

/* The words of a mount's options the plan gets (new array of borrowed
 * strings and their nodes, *n of them): "bind" (the type says it) and
 * "defaults" dropped; on a bind, filesystem data dropped with a warning
 * (runc ignores it: a bind takes none); "idmap" added when the mount has
 * uid or gid mappings but neither idmap nor ridmap (runc makes that an
 * idmapped mount). */
static const char **mount_words(struct diag_sink *sink, const char *file,
				const struct node *m, const struct node *opts, size_t idx,
				bool bind, const struct node ***from, size_t *n)
{
	size_t cap = (opts ? opts->n_items : 0) + 1;
	const char **words = xcalloc(cap, sizeof(*words));
	bool idmap = false;
	char field[64];

	*from = xcalloc(cap, sizeof(**from));
	*n = 0;
	for (size_t i = 0; opts && i < opts->n_items; i++) {
		const struct node *item = node_items(opts)[i];
		const char *w;

		snprintf(field, sizeof field, "mounts[%zu].options[%zu]", idx, i);
		w = get_string(sink, file, item, field);
		if (!w || strcmp(w, "bind") == 0 || strcmp(w, "defaults") == 0)
			continue;
		if (bind && options_is_fs_data(w)) {
			field_remark(sink, file, item, DIAG_WARNING, field,
				     "dropped filesystem data on a bind (a bind takes none; runc ignores it):",
				     w, NULL);
			continue;
		}
		idmap |= strcmp(w, "idmap") == 0 || strcmp(w, "ridmap") == 0;
		(*from)[*n] = item;
		words[(*n)++] = w;
	}
	if (bind && !idmap && (oci_get(m, "uidMappings") || oci_get(m, "gidMappings"))) {
		(*from)[*n] = oci_get(m, "uidMappings") ? oci_get(m, "uidMappings")
							: oci_get(m, "gidMappings");
		words[(*n)++] = "idmap";
	}
	return words;
}

/* One entry of "mounts" (nothing written when it cannot be expressed). */
static void import_mount(struct yaml_write *o, struct diag_sink *sink,
			 const char *file, const struct node *m, size_t idx, bool stack)
{
	char field[64], sub[96];
	const struct node *dest = oci_get(m, "destination"), *type = oci_get(m, "type"),
			  *src = oci_get(m, "source"), *opts = oci_get(m, "options");
	const struct node **word_from;
	const char *d, *t, *s, **words;
	bool bind = is_bind_mount(m);
	char *target, *source = NULL;
	size_t n_words;

	snprintf(field, sizeof field, "mounts[%zu]", idx);
	if (m->kind != NODE_MAPPING) {
		field_error(sink, file, m, field, "must be an object");
		return;
	}
	snprintf(sub, sizeof sub, "%s.destination", field);
	d = get_string(sink, file, dest, sub);
	if (!d) {
		field_error(sink, file, m, field, "has no destination");
		return;
	}
	snprintf(sub, sizeof sub, "%s.type", field);
	t = get_string(sink, file, type, sub);
	snprintf(sub, sizeof sub, "%s.source", field);
	s = get_string(sink, file, src, sub);
	for (size_t i = 0; i < m->n_pairs; i++) {
		const struct node *key = node_pairs(m)[i].key;
		const char *k = node_text(key);
		if (strcmp(k, "destination") && strcmp(k, "type") && strcmp(k, "source") &&
		    strcmp(k, "options") && strcmp(k, "uidMappings") && strcmp(k, "gidMappings")) {
			char *f = xasprintf("%s.%s", field, k);
			field_error(sink, file, key, f, "is not a mount field mountplan knows");
			free(f);
		}
	}
	if (!bind && (!t || !*t || strcmp(t, "none") == 0)) {
		snprintf(field, sizeof field, "mounts[%zu].type", idx);
		field_error(sink, file, type ? type : m, field,
			    "a mount that is not a bind needs a filesystem type");
		return;
	}
	if (!s && bind) {
		field_error(sink, file, m, field, "a bind mount needs a source");
		return;
	}
	snprintf(field, sizeof field, "mounts[%zu].options", idx);
	if (opts && opts->kind != NODE_SEQUENCE) {
		field_error(sink, file, opts, field, "must be an array of strings");
		opts = NULL;
	}
	yaml_write_map(o, m, field, false);
	snprintf(field, sizeof field, "mounts[%zu].destination", idx);
	target = clean_config_path(sink, file, dest, field, d);
	yaml_write_string(o, dest, field, "target", target);
	free(target);
	snprintf(field, sizeof field, "mounts[%zu].type", idx);
	if (bind)
		yaml_write_word(o, type ? type : m, field, "type", "bind");
	else
		yaml_write_string(o, type, field, "type", t);
	if (s) {
		snprintf(field, sizeof field, "mounts[%zu].source", idx);
		source = bind ? bind_source(file, s) : xstrdup(s);
		yaml_write_string(o, src, field, "source", source);
		/* runc and crun follow a symlink in a bind source; a plan
		 * follows one only when it says so (format 2) */
		if (bind && through_symlink(source))
			yaml_write_word(o, src, field, "follow-symlinks", "true");
		free(source);
	}
	if (stack) {
		snprintf(field, sizeof field, "mounts[%zu].destination", idx);
		yaml_write_word(o, dest, field, "stack", "true");
	}
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "gidMappings" : "uidMappings";
		const struct node *map = oci_get(m, key);
		char *s_map;

		if (!map)
			continue;
		snprintf(field, sizeof field, "mounts[%zu].%s", idx, key);
		s_map = id_mapping(sink, file, map, field);
		if (s_map)
			yaml_write_string(o, map, field, k ? "gidmap" : "uidmap", s_map);
		free(s_map);
	}
	words = mount_words(sink, file, m, opts, idx, bind, &word_from, &n_words);
	if (n_words) {
		snprintf(field, sizeof field, "mounts[%zu].options", idx);
		yaml_write_scalar(o, opts ? opts : word_from[0], field, "options", 7, false);
		yaml_write_seq(o, opts ? opts : word_from[0], field);
		for (size_t i = 0; i < n_words; i++) {
			size_t j = 0;

			while (opts && j < opts->n_items && node_items(opts)[j] != word_from[i])
				j++;
			if (opts && j < opts->n_items)
				snprintf(field, sizeof field, "mounts[%zu].options[%zu]", idx, j);
			else
				snprintf(field, sizeof field, "mounts[%zu].%s", idx,
					 oci_get(m, "uidMappings") ? "uidMappings" : "gidMappings");
			yaml_write_scalar(o, word_from[i], field, words[i], strlen(words[i]), true);
		}
		yaml_write_end_seq(o);
	}
	free(words);
	free(word_from);
	yaml_write_end_map(o);
}

/* A plain number scalar written as decimal (octal: 0-prefixed octal). */
static void write_number(struct yaml_write *o, const struct node *from,
			 const char *field, const char *key, unsigned long v,
			 bool octal)
{
	char buf[32];

	snprintf(buf, sizeof buf, octal ? "0%03lo" : "%lu", v);
	yaml_write_word(o, from, field, key, buf);
}

/* linux.devices, after runc's own devices when runc_dev. */
static void import_devices(struct yaml_write *o, struct diag_sink *sink,
			   const char *file, const struct node *devs, bool runc_dev)
{
	if (devs && devs->kind != NODE_SEQUENCE) {
		field_error(sink, file, devs, "linux.devices", "must be an array");
		return;
	}
	if (!runc_dev && (!devs || devs->n_items == 0))
		return;
	yaml_write_scalar(o, devs, "linux.devices", "devices", 7, false);
	yaml_write_seq(o, devs, "linux.devices");
	for (size_t i = 0; runc_dev && i < oci_n_runc_devices; i++) {
		yaml_write_map(o, NULL, NULL, true);
		yaml_write_string(o, NULL, NULL, "path", oci_runc_devices[i].path);
		yaml_write_word(o, NULL, NULL, "type", "c");
		write_number(o, NULL, NULL, "major", oci_runc_devices[i].major, false);
		write_number(o, NULL, NULL, "minor", oci_runc_devices[i].minor, false);
		write_number(o, NULL, NULL, "mode", 0666, true);
		yaml_write_end_map(o);
	}
	for (size_t i = 0; devs && i < devs->n_items; i++) {
		const struct node *d = node_items(devs)[i];
		const struct node *path = oci_get(d, "path"), *type = oci_get(d, "type");
		char field[64];
		unsigned long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
		const char *p, *t;
		char tw[2], *clean;

		snprintf(field, sizeof field, "linux.devices[%zu]", i);
		p = get_string(sink, file, path, field);
		t = get_string(sink, file, type, field);
		if (!p || !t) {
			field_error(sink, file, d, field, "needs a path and a type");
			continue;
		}
		if (strcmp(t, "c") && strcmp(t, "b") && strcmp(t, "u") && strcmp(t, "p")) {
			snprintf(field, sizeof field, "linux.devices[%zu].type", i);
			field_error(sink, file, type, field, "must be c, b, u or p");
			continue;
		}
		if (oci_get(d, "major") && !get_number(sink, file, oci_get(d, "major"), field, &major))
			continue;
		if (oci_get(d, "minor") && !get_number(sink, file, oci_get(d, "minor"), field, &minor))
			continue;
		if (oci_get(d, "fileMode") &&
		    !get_number(sink, file, oci_get(d, "fileMode"), field, &mode))
			continue;
		if (oci_get(d, "uid") && !get_number(sink, file, oci_get(d, "uid"), field, &uid))
			continue;
		if (oci_get(d, "gid") && !get_number(sink, file, oci_get(d, "gid"), field, &gid))
			continue;
		tw[0] = t[0] == 'u' ? 'c' : t[0];
		tw[1] = 0;
		yaml_write_map(o, d, field, true);
		snprintf(field, sizeof field, "linux.devices[%zu].path", i);
		clean = clean_config_path(sink, file, path, field, p);
		yaml_write_string(o, d, field, "path", clean);
		free(clean);
		snprintf(field, sizeof field, "linux.devices[%zu]", i);
		yaml_write_word(o, d, field, "type", tw);
		if (t[0] != 'p') {
			write_number(o, d, field, "major", major, false);
			write_number(o, d, field, "minor", minor, false);
		}
		write_number(o, d, field, "mode", mode & 07777, true);
		write_number(o, d, field, "uid", uid, false);
		write_number(o, d, field, "gid", gid, false);
		yaml_write_end_map(o);
	}
	yaml_write_end_seq(o);
}

/* linux.maskedPaths or linux.readonlyPaths as the plan's section. */
static void import_paths(struct yaml_write *o, struct diag_sink *sink,
			 const char *file, const struct node *list,
			 const char *json_name, const char *section)
{
	if (!list)
		return;
	if (list->kind != NODE_SEQUENCE) {
		field_error(sink, file, list, json_name, "must be an array of paths");
		return;
	}
	if (list->n_items == 0)
		return;
	yaml_write_scalar(o, list, json_name, section, strlen(section), false);
	yaml_write_seq(o, list, json_name);
	for (size_t i = 0; i < list->n_items; i++) {
		const struct node *item = node_items(list)[i];
		char field[64], *clean;
		const char *p;
		bool seen = false;

		snprintf(field, sizeof field, "%s[%zu]", json_name, i);
		p = get_string(sink, file, item, field);
		if (!p)
			continue;
		clean = clean_config_path(sink, file, item, field, p);
		for (size_t k = 0; k < i && !seen; k++) {
			const struct node *e = node_items(list)[k];
			char *cq = e->kind == NODE_SCALAR && !e->plain ? path_clean(node_text(e)) : NULL;

			seen = cq && strcmp(cq, clean) == 0;
			free(cq);
		}
		if (seen) /* runc lists it once */
			field_remark(sink, file, item, DIAG_NOTE, field,
				     "dropped, listed before:", clean, NULL);
		else
			yaml_write_scalar(o, item, field, clean, strlen(clean), true);
		free(clean);
	}
	yaml_write_end_seq(o);
}

/* The rootfs path of root.path (relative to config's directory), new:
 * resolved when it exists, else config's resolved directory joined with
 * path (a rootfs need not exist yet when a plan is written). */
static char *rootfs_path(const char *config, const char *path)
{
	char *dir, *joined, resolved[PATH_MAX];
	const char *slash;

	if (path[0] == '/') {
		joined = xstrdup(path);
	} else {
		slash = strrchr(config, '/');
		dir = slash ? xstrndup(config, (size_t)(slash - config + (slash == config)))
			    : xstrdup(".");
		if (realpath(dir, resolved))
			joined = xasprintf("%s/%s", strcmp(resolved, "/") ? resolved : "",
					   path);
		else
			joined = xasprintf("%s/%s", dir, path);
		free(dir);
	}
	if (realpath(joined, resolved)) {
		free(joined);
		return xstrdup(resolved);
	}
	return joined;
}

/* The clean destination of the config's mount m, or NULL (new). */
static char *clean_destination(const struct node *m)
{
	const struct node *d = oci_get(m, "destination");

	return d && d->kind == NODE_SCALAR && !d->plain ? path_clean(node_text(d)) : NULL;
}

/* Is mounts[i] on the destination of an earlier mount (stacked on it,
 * as the runtime spec's "in listed order" asks)? */
static bool stacked_mount(const struct node *mounts, size_t i)
{
	char *d = clean_destination(node_items(mounts)[i]);
	bool found = false;

	for (size_t k = 0; d && k < i && !found; k++) {
		char *e = clean_destination(node_items(mounts)[k]);

		found = e && strcmp(e, d) == 0;
		free(e);
	}
	free(d);
	return found;
}

/* The config's linux.namespaces entry of type, or NULL. */
static const struct node *config_namespace(const struct node *linux_n, const char *type)
{
	const struct node *list = oci_get(linux_n, "namespaces");

	for (size_t i = 0; list && list->kind == NODE_SEQUENCE && i < list->n_items; i++) {
		const struct node *item = node_items(list)[i];
		const struct node *t = oci_get(item, "type");

		if (t && t->kind == NODE_SCALAR && strcmp(node_text(t), type) == 0)
			return item;
	}
	return NULL;
}

/* The config's new (not joined: no path) namespace of type (pid or
 * ipc), which the plan makes; NULL when there is none or it is joined. */
static const struct node *new_namespace(const struct node *linux_n, const char *type)
{
	const struct node *ns = config_namespace(linux_n, type);

	return ns && !oci_get(ns, "path") ? ns : NULL;
}

/* linux.namespaces' pid, ipc, user and cgroup namespaces (with
 * linux.uidMappings and gidMappings) as the plan's namespaces: (v2);
 * the others (network, uts) are the caller's to make (mountplan-exec
 * makes the mount namespace).  Joining an existing pid or ipc namespace
 * (a path) is left to the caller, with a note; joining a user or cgroup
 * namespace cannot be expressed. */
static void import_namespaces(struct yaml_write *o, struct diag_sink *sink,
			      const char *file, const struct node *linux_n)
{
	const struct node *user = config_namespace(linux_n, "user");
	const struct node *cgroup = config_namespace(linux_n, "cgroup");
	const struct node *pid = new_namespace(linux_n, "pid");
	const struct node *ipc = new_namespace(linux_n, "ipc");
	const struct node *first;
	char *maps[2] = { NULL, NULL };

	for (int k = 0; k < 2; k++) {
		const struct node *ns = config_namespace(linux_n, k ? "ipc" : "pid");

		if (ns && oci_get(ns, "path"))
			diag_report(sink, DIAG_NOTE,
				    (struct plan_pos){ file, oci_get(ns, "path")->line,
						       oci_get(ns, "path")->col },
				    "MP-OCI", "linux.namespaces.path: joining the %s namespace "
				    "is left to the caller (the plan makes none)",
				    k ? "ipc" : "pid");
	}

	for (int k = 0; k < 2; k++) {
		const struct node *ns = k ? cgroup : user;

		if (ns && oci_get(ns, "path")) {
			field_error(sink, file, oci_get(ns, "path"), "linux.namespaces.path",
				    "joining an existing namespace cannot be expressed in a plan");
			return;
		}
	}
	if (user) {
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "linux.gidMappings" : "linux.uidMappings";
			const struct node *m = oci_get(linux_n, key + 6);

			if (!m)
				field_error(sink, file, user, key,
					    "a user namespace needs the config's uid and gid mappings");
			else
				maps[k] = id_mapping(sink, file, m, key);
		}
		if (!maps[0] || !maps[1])
			user = NULL;
	}
	first = pid ? pid : ipc ? ipc : user ? user : cgroup;
	if (first) {
		yaml_write_scalar(o, first, "linux.namespaces", "namespaces", 10, false);
		yaml_write_map(o, first, "linux.namespaces", false);
		if (pid)
			yaml_write_word(o, pid, "linux.namespaces", "pid", "true");
		if (ipc)
			yaml_write_word(o, ipc, "linux.namespaces", "ipc", "true");
		if (cgroup)
			yaml_write_word(o, cgroup, "linux.namespaces", "cgroup", "true");
		if (user) {
			yaml_write_scalar(o, user, "linux.namespaces", "user", 4, false);
			yaml_write_map(o, user, "linux.namespaces", true);
			yaml_write_string(o, oci_get(linux_n, "uidMappings"), "linux.uidMappings",
					  "uidmap", maps[0]);
			yaml_write_string(o, oci_get(linux_n, "gidMappings"), "linux.gidMappings",
					  "gidmap", maps[1]);
			yaml_write_end_map(o);
		}
		yaml_write_end_map(o);
	}
	free(maps[0]);
	free(maps[1]);
}

/* Does the plan for config root need format version 2 (a stacked
 * mount, crun's copy-symlink/src-nofollow/dest-nofollow, a new pid, ipc,
 * user or cgroup namespace, a mount label)? */
static bool config_needs_v2(const char *file, const struct node *root)
{
	const struct node *mounts = oci_get(root, "mounts");

	const struct node *label = oci_get(oci_get(root, "linux"), "mountLabel");

	if (config_namespace(oci_get(root, "linux"), "user") ||
	    config_namespace(oci_get(root, "linux"), "cgroup") ||
	    new_namespace(oci_get(root, "linux"), "pid") ||
	    new_namespace(oci_get(root, "linux"), "ipc") ||
	    (label && label->kind == NODE_SCALAR && !label->plain && *node_text(label)))
		return true;
	for (size_t i = 0; mounts && mounts->kind == NODE_SEQUENCE && i < mounts->n_items; i++) {
		const struct node *item = node_items(mounts)[i];
		const struct node *opts = oci_get(item, "options");
		const struct node *src = oci_get(item, "source");

		if (is_bind_mount(item) && src && src->kind == NODE_SCALAR &&
		    !src->plain) {
			char *b = bind_source(file, node_text(src));
			bool link = through_symlink(b);

			free(b);
			if (link)
				return true;
		}

		if (i && stacked_mount(mounts, i))
			return true;
		for (size_t k = 0; opts && opts->kind == NODE_SEQUENCE && k < opts->n_items; k++)
			if (node_items(opts)[k]->kind == NODE_SCALAR &&
			    (strcmp(node_text(node_items(opts)[k]), "copy-symlink") == 0 ||
			     strcmp(node_text(node_items(opts)[k]), "src-nofollow") == 0 ||
			     strcmp(node_text(node_items(opts)[k]), "dest-nofollow") == 0))
				return true;
	}
	return false;
}

/* Write the plan for config tree root into o, reporting what cannot be
 * expressed. */
static void import_config(struct yaml_write *o, struct diag_sink *sink,
			  const char *file, const struct node *root)
{
	const struct node *rootn = oci_get(root, "root"), *linux_n = oci_get(root, "linux"),
			  *process = oci_get(root, "process"), *mounts = oci_get(root, "mounts");
	const struct node *n, *path_n, *ro_n, *prop_n, *cwd_n = NULL, *um_n = NULL;
	const char *s, *path = NULL, *prop = NULL, *cwd = NULL;
	unsigned long umask_v = 0;
	bool runc_dev, std_dev, ro = false, has_umask = false;

	yaml_write_map(o, root, NULL, false);
	yaml_write_word(o, NULL, NULL, "mountplan", config_needs_v2(file, root) ? "2" : "1");
	s = get_string(sink, file, oci_get(root, "hostname"), "hostname");
	yaml_write_string(o, NULL, NULL, "name", s && plan_name_ok(s) ? s : "oci-import");

	if ((path_n = oci_get(rootn, "path")))
		path = get_string(sink, file, path_n, "root.path");
	ro_n = oci_get(rootn, "readonly");
	ro = get_bool(sink, file, ro_n, "root.readonly");
	if ((prop_n = oci_get(linux_n, "rootfsPropagation")) &&
	    (prop = get_string(sink, file, prop_n, "linux.rootfsPropagation")) && !*prop)
		prop = NULL;
	yaml_write_scalar(o, rootn, "root", "rootfs", 6, false);
	if (path || ro || prop) {
		yaml_write_map(o, rootn, "root", false);
		if (path) {
			char *p = rootfs_path(file, path);
			yaml_write_string(o, path_n, "root.path", "path", p);
			free(p);
		}
		if (ro)
			yaml_write_word(o, ro_n, "root.readonly", "readonly", "true");
		if (prop)
			yaml_write_string(o, prop_n, "linux.rootfsPropagation", "propagation", prop);
		yaml_write_end_map(o);
	} else {
		yaml_write_scalar(o, rootn, "root", "", 0, false);
	}
	if ((n = oci_get(linux_n, "mountLabel")) &&
	    (s = get_string(sink, file, n, "linux.mountLabel")) && *s)
		yaml_write_string(o, n, "linux.mountLabel", "mount-label", s);
	if (process) {
		cwd_n = oci_get(process, "cwd");
		um_n = oci_get(oci_get(process, "user"), "umask");
		if (cwd_n)
			cwd = get_string(sink, file, cwd_n, "process.cwd");
		if (um_n)
			has_umask = get_number(sink, file, um_n, "process.user.umask", &umask_v);
		yaml_write_scalar(o, process, "process", "process", 7, false);
		if (cwd || has_umask) {
			yaml_write_map(o, process, "process", false);
			if (cwd)
				yaml_write_string(o, cwd_n, "process.cwd", "cwd", cwd);
			if (has_umask)
				write_number(o, um_n, "process.user.umask", "umask",
					     umask_v & 0777, true);
			yaml_write_end_map(o);
		} else {
			yaml_write_scalar(o, process, "process", "", 0, false);
		}
	}
	import_namespaces(o, sink, file, linux_n);
	/* runc makes /dev's nodes and links unless /dev is a bind. */
	n = config_mount(mounts, "/dev");
	runc_dev = !(n && is_bind_mount(n));
	std_dev = runc_dev && n && config_mount(mounts, "/dev/pts") &&
		  config_mount(mounts, "/dev/shm");
	if (std_dev)
		yaml_write_word(o, n, "mounts", "dev", "standard");
	if (mounts && mounts->kind != NODE_SEQUENCE) {
		field_error(sink, file, mounts, "mounts", "must be an array");
	} else if (mounts && mounts->n_items) {
		yaml_write_scalar(o, mounts, "mounts", "mounts", 6, false);
		yaml_write_seq(o, mounts, "mounts");
		for (size_t i = 0; i < mounts->n_items; i++)
			import_mount(o, sink, file, node_items(mounts)[i], i,
				     stacked_mount(mounts, i));
		yaml_write_end_seq(o);
	}
	import_devices(o, sink, file, oci_get(linux_n, "devices"), runc_dev && !std_dev);
	if (runc_dev && !std_dev) {
		yaml_write_scalar(o, NULL, NULL, "symlinks", 8, false);
		yaml_write_seq(o, NULL, NULL);
		for (size_t i = 0; i < oci_n_runc_links; i++) {
			if (oci_runc_links[i].host_dependent)
				continue;
			yaml_write_map(o, NULL, NULL, true);
			yaml_write_string(o, NULL, NULL, "path", oci_runc_links[i].path);
			yaml_write_string(o, NULL, NULL, "target", oci_runc_links[i].target);
			yaml_write_end_map(o);
		}
		yaml_write_end_seq(o);
	}
	import_paths(o, sink, file, oci_get(linux_n, "maskedPaths"), "linux.maskedPaths", "masks");
	import_paths(o, sink, file, oci_get(linux_n, "readonlyPaths"), "linux.readonlyPaths",
		     "readonly");
	yaml_write_end_map(o);
}

/* Compile the written plan (front half) and report each of its errors at
 * the JSON field its node came from. */
static void check_written_plan(struct yaml_write *o, struct diag_sink *sink,
			       const char *file)
{
	struct diag_sink inner;
	struct plan *plan;
	char path[64];
	int fd = memfd_create("import-oci", MFD_CLOEXEC), io = 0;

	if (fd < 0 || write(fd, o->text, o->len) != (ssize_t)o->len) {
		struct plan_pos pos = { file, 0, 0 };
		diag_error(sink, pos, "MP-OCI", "cannot check the plan: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	diag_init(&inner);
	plan = plan_from_file(path, NULL, &inner, &io);
	for (size_t i = 0; i < inner.n; i++) {
		const struct diag *d = &inner.items[i];
		const struct yaml_origin *from = yaml_write_origin(o, d->pos.line, d->pos.col);
		struct plan_pos pos = { file, 0, 0 };
		const char *f = "config";

		if (from && from->field) {
			pos.line = from->line;
			pos.col = from->col;
			f = from->field;
		}
		diag_report(sink, d->severity, pos, d->id, "%s: %s", f, d->message);
	}
	plan_free(plan);
	diag_free(&inner);
	close(fd);
}

/* Print import-oci's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan import-oci config.json [-o plan.yaml] [--format=text|json]\n"
	      "Write a plan from an OCI runtime config: mounts, linux.maskedPaths,\n"
	      "linux.readonlyPaths, linux.devices, linux.rootfsPropagation,\n"
	      "root.path, root.readonly, process.cwd, process.user.umask, and the\n"
	      "/dev nodes and links runc adds by itself.  A field the plan cannot\n"
	      "express is an error at its line:column.  Default output: standard output.\n"
	      "Exit status: 0 ok, 1 the config cannot be expressed, 2 usage or I/O error.\n",
	      out);
}

/* `mountplan import-oci`; see commands.h. */
int cmd_import_oci(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTIONS, CLI_OUTPUT_OPTION, { NULL, 0, NULL, 0 },
	};
	struct cli cli = { .name = "mountplan import-oci", .usage = usage, .has_output = true };
	const char *file;
	struct yaml_write o = { 0 };
	struct diag_sink sink;
	struct node *root;
	int io = 0, rc = 0;

	if (!cli_parse(&cli, argc, argv, longopts, 1))
		return cli.status;
	if (cli.values.n) {
		fprintf(stderr, "mountplan import-oci: --set and --values are for plans; a config has no parameters\n");
		values_free(&cli.values);
		return 2;
	}
	values_free(&cli.values); /* an empty values file */
	diag_init(&sink);
	root = load_file(argv[optind], false, &sink, &io);
	file = sink.n_sources ? sink.sources[sink.n_sources - 1].file : argv[optind];
	if (!root) {
		rc = cli_status(&sink, false, io);
		diag_print(&sink, stderr, cli.format);
		diag_free(&sink);
		return rc;
	}
	if (root->kind != NODE_MAPPING) {
		field_error(&sink, file, root, "config", "must be a JSON object");
	} else {
		yaml_write_begin(&o, "Imported from an OCI runtime config by mountplan import-oci.");
		import_config(&o, &sink, file, root);
		if (yaml_write_finish(&o)) {
			check_written_plan(&o, &sink, file); /* also after errors: report all */
		} else {
			struct plan_pos pos = { file, 0, 0 };
			diag_error(&sink, pos, "MP-OCI", "cannot write the plan: %s", o.error);
		}
	}
	if (sink.n)
		diag_print(&sink, stderr, cli.format);
	rc = cli_status(&sink, true, 0);
	if (rc == 0 && emit_file(cli.output ? cli.output : "-", o.text, o.len) < 0)
		rc = 2;
	yaml_write_free(&o);
	node_free(root);
	diag_free(&sink);
	return rc;
}
