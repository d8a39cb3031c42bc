/*
 * oci_import.c: `mountplan import-oci config.json [-o plan.yaml]`, a plan
 * from an OCI runtime config (doc/roundtrip.md, "OCI field mapping").
 *
 * config.json is read with the plan loader (libyaml: JSON is YAML), so
 * every field keeps its line and column.  The plan is written as text,
 * each line remembering the JSON field it came from; the text is then run
 * through the compiler's front half (plan_from_file), and every error the
 * compiler finds is reported at the JSON field that produced it, named by
 * its path ("mounts[3].options[1]").  Nothing is written when there is an
 * error.
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
#include "json_write.h"
#include "node.h"
#include "oci.h"
#include "passes.h"
#include "util.h"

/* The plan being written: text, and per line the JSON field it came from. */
struct import_out {
	FILE *f;
	char *text;
	size_t len;
	struct plan_pos *line_pos; /* [line - 1]: JSON position (line 0: none) */
	char **line_field;         /* [line - 1]: JSON field path, or NULL */
	size_t lines, cap;
};


/* Append one line (printf-style, no newline) that came from JSON node at
 * field (either may be NULL). */
static void emit(struct import_out *o, const struct node *from,
		 const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void emit(struct import_out *o, const struct node *from,
		 const char *field, const char *fmt, ...)
{
	va_list ap;

	if (o->lines == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 128;
		o->line_pos = xreallocarray(o->line_pos, o->cap, sizeof(*o->line_pos));
		o->line_field = xreallocarray(o->line_field, o->cap, sizeof(*o->line_field));
	}
	o->line_pos[o->lines] = (struct plan_pos){ NULL, from ? from->line : 0,
						   from ? from->col : 0 };
	o->line_field[o->lines] = field ? xstrdup(field) : NULL;
	o->lines++;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
}

/* A scalar as a double-quoted YAML (and JSON) string, new string. */
static char *quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		fprintf(stderr, "mountplan: out of memory\n");
		exit(2);
	}
	json_string(f, s);
	fclose(f);
	return buf;
}

/* Report an error at node n (or the file) about field. */
static void field_error(struct diag_sink *sink, const char *file,
			const struct node *n, const char *field, const char *msg)
{
	struct plan_pos pos = { file, n ? n->line : 0, n ? n->col : 0 };

	diag_error(sink, pos, "MP-OCI", "%s: %s", field, msg);
}

/* A string scalar (quoted in JSON) or NULL, reporting a wrong type. */
static const char *get_string(struct diag_sink *sink, const char *file,
			      const struct node *n, const char *field)
{
	if (!n)
		return NULL;
	if (n->kind != NODE_SCALAR || (n->plain && strcmp(n->text, "null") != 0)) {
		field_error(sink, file, n, field, "must be a string");
		return NULL;
	}
	return n->plain ? NULL : n->text;
}

/* An unsigned number scalar into *v; false (reported) when not one. */
static bool get_number(struct diag_sink *sink, const char *file,
		       const struct node *n, const char *field, unsigned long *v)
{
	char *end;

	if (n->kind != NODE_SCALAR || !n->plain || !*n->text) {
		field_error(sink, file, n, field, "must be a number");
		return false;
	}
	errno = 0;
	*v = strtoul(n->text, &end, 10);
	if (*end || errno || n->text[0] == '-') {
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
	if (n->kind == NODE_SCALAR && n->plain && strcmp(n->text, "true") == 0)
		return true;
	if (n->kind == NODE_SCALAR && n->plain && strcmp(n->text, "false") == 0)
		return false;
	field_error(sink, file, n, field, "must be true or false");
	return false;
}

/* The mount of the config at destination path, or NULL. */
static const struct node *config_mount(const struct node *mounts, const char *path)
{
	for (size_t i = 0; mounts && mounts->kind == NODE_SEQUENCE && i < mounts->n_items; i++) {
		const struct node *d = oci_get(mounts->items[i], "destination");
		if (d && d->kind == NODE_SCALAR && strcmp(d->text, path) == 0)
			return mounts->items[i];
	}
	return NULL;
}

/* Is the config's mount m a bind (type bind, or a bind/rbind option)? */
static bool is_bind_mount(const struct node *m)
{
	const struct node *type = oci_get(m, "type"), *opts = oci_get(m, "options");

	if (type && type->kind == NODE_SCALAR && strcmp(type->text, "bind") == 0)
		return true;
	for (size_t i = 0; opts && opts->kind == NODE_SEQUENCE && i < opts->n_items; i++)
		if (strcmp(opts->items[i]->text, "bind") == 0 ||
		    strcmp(opts->items[i]->text, "rbind") == 0)
			return true;
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
		const struct node *e = list->items[i];
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

/* One entry of "mounts". */
static void import_mount(struct import_out *o, struct diag_sink *sink,
			 const char *file, const struct node *m, size_t idx)
{
	char field[64];
	const struct node *dest = oci_get(m, "destination"), *type = oci_get(m, "type"),
			  *src = oci_get(m, "source"), *opts = oci_get(m, "options");
	const char *d, *t, *s;
	bool bind = is_bind_mount(m);
	char *q;

	snprintf(field, sizeof field, "mounts[%zu]", idx);
	if (m->kind != NODE_MAPPING) {
		field_error(sink, file, m, field, "must be an object");
		return;
	}
	d = get_string(sink, file, dest, "destination");
	if (!d) {
		field_error(sink, file, m, field, "has no destination");
		return;
	}
	t = get_string(sink, file, type, "type");
	s = get_string(sink, file, src, "source");
	for (size_t i = 0; i < m->n_pairs; i++) {
		const char *k = m->pairs[i].key->text;
		if (strcmp(k, "destination") && strcmp(k, "type") && strcmp(k, "source") &&
		    strcmp(k, "options") && strcmp(k, "uidMappings") && strcmp(k, "gidMappings")) {
			char *f = xasprintf("%s.%s", field, k);
			field_error(sink, file, m->pairs[i].key, f, "is not a mount field mountplan knows");
			free(f);
		}
	}
	snprintf(field, sizeof field, "mounts[%zu].destination", idx);
	q = quoted(d);
	emit(o, dest, field, "  - target: %s", q);
	free(q);
	snprintf(field, sizeof field, "mounts[%zu].type", idx);
	if (bind) {
		emit(o, type ? type : m, field, "    type: bind");
	} else if (!t || !*t || strcmp(t, "none") == 0) {
		field_error(sink, file, type ? type : m, field,
			    "a mount that is not a bind needs a filesystem type");
		return;
	} else {
		q = quoted(t);
		emit(o, type, field, "    type: %s", q);
		free(q);
	}
	if (s) {
		snprintf(field, sizeof field, "mounts[%zu].source", idx);
		q = quoted(s);
		emit(o, src, field, "    source: %s", q);
		free(q);
	} else if (bind) {
		snprintf(field, sizeof field, "mounts[%zu]", idx);
		field_error(sink, file, m, field, "a bind mount needs a source");
		return;
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
			emit(o, map, field, "    %s: \"%s\"", k ? "gidmap" : "uidmap", s_map);
		free(s_map);
	}
	if (!opts)
		return;
	snprintf(field, sizeof field, "mounts[%zu].options", idx);
	if (opts->kind != NODE_SEQUENCE) {
		field_error(sink, file, opts, field, "must be an array of strings");
		return;
	}
	if (opts->n_items == 0)
		return;
	emit(o, opts, field, "    options:");
	for (size_t i = 0; i < opts->n_items; i++) {
		const char *w;

		snprintf(field, sizeof field, "mounts[%zu].options[%zu]", idx, i);
		w = get_string(sink, file, opts->items[i], field);
		if (!w || strcmp(w, "bind") == 0 || strcmp(w, "defaults") == 0)
			continue; /* bind: the type says it; defaults: nothing */
		q = quoted(w);
		emit(o, opts->items[i], field, "      - %s", q);
		free(q);
	}
}

/* linux.devices. */
static void import_devices(struct import_out *o, struct diag_sink *sink,
			   const char *file, const struct node *devs, bool runc_dev)
{
	bool any = runc_dev;

	if (devs && devs->kind != NODE_SEQUENCE) {
		field_error(sink, file, devs, "linux.devices", "must be an array");
		return;
	}
	if (!any && (!devs || devs->n_items == 0))
		return;
	emit(o, devs, "linux.devices", "devices:");
	for (size_t i = 0; runc_dev && i < oci_n_runc_devices; i++)
		emit(o, NULL, NULL, "  - {path: %s, type: c, major: %u, minor: %u, mode: 0666}",
		     oci_runc_devices[i].path, oci_runc_devices[i].major, oci_runc_devices[i].minor);
	for (size_t i = 0; devs && i < devs->n_items; i++) {
		const struct node *d = devs->items[i];
		const struct node *path = oci_get(d, "path"), *type = oci_get(d, "type");
		char field[64];
		unsigned long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
		const char *p, *t;
		char *q;

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
		q = quoted(p);
		if (t[0] == 'p')
			emit(o, d, field, "  - {path: %s, type: p, mode: 0%lo, uid: %lu, gid: %lu}", q,
			     mode & 07777, uid, gid);
		else
			emit(o, d, field,
			     "  - {path: %s, type: %c, major: %lu, minor: %lu, mode: 0%lo, uid: %lu, gid: %lu}",
			     q, t[0] == 'u' ? 'c' : t[0], major, minor, mode & 07777, uid, gid);
		free(q);
	}
}

/* linux.maskedPaths or linux.readonlyPaths as the plan's section. */
static void import_paths(struct import_out *o, struct diag_sink *sink,
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
	emit(o, list, json_name, "%s:", section);
	for (size_t i = 0; i < list->n_items; i++) {
		char field[64];
		const char *p;
		char *q;

		snprintf(field, sizeof field, "%s[%zu]", json_name, i);
		p = get_string(sink, file, list->items[i], field);
		if (!p)
			continue;
		q = quoted(p);
		emit(o, list->items[i], field, "  - %s", q);
		free(q);
	}
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

/* Write the plan for config tree root into o, reporting what cannot be
 * expressed. */
static void import_config(struct import_out *o, struct diag_sink *sink,
			  const char *file, const struct node *root)
{
	const struct node *rootn = oci_get(root, "root"), *linux_n = oci_get(root, "linux"),
			  *process = oci_get(root, "process"), *mounts = oci_get(root, "mounts");
	const struct node *n;
	const char *s;
	bool runc_dev, std_dev;

	emit(o, NULL, NULL, "# Imported from an OCI runtime config by mountplan import-oci.");
	emit(o, NULL, NULL, "mountplan: 1");
	s = get_string(sink, file, oci_get(root, "hostname"), "hostname");
	emit(o, NULL, NULL, "name: %s", s && plan_name_ok(s) ? s : "oci-import");
	emit(o, rootn, "root", "rootfs:");
	if ((n = oci_get(rootn, "path")) && (s = get_string(sink, file, n, "root.path"))) {
		char *p = rootfs_path(file, s), *q = quoted(p);
		emit(o, n, "root.path", "  path: %s", q);
		free(q);
		free(p);
	}
	if (get_bool(sink, file, oci_get(rootn, "readonly"), "root.readonly"))
		emit(o, oci_get(rootn, "readonly"), "root.readonly", "  readonly: true");
	if ((n = oci_get(linux_n, "rootfsPropagation")) &&
	    (s = get_string(sink, file, n, "linux.rootfsPropagation")) && *s)
		emit(o, n, "linux.rootfsPropagation", "  propagation: %s", s);
	if ((n = oci_get(linux_n, "mountLabel")) && n->kind == NODE_SCALAR && *n->text)
		field_error(sink, file, n, "linux.mountLabel",
			    "SELinux mount labels cannot be expressed in a plan");
	if (process) {
		const struct node *cwd = oci_get(process, "cwd");
		const struct node *um = oci_get(oci_get(process, "user"), "umask");
		unsigned long v;

		emit(o, process, "process", "process:");
		if (cwd && (s = get_string(sink, file, cwd, "process.cwd"))) {
			char *q = quoted(s);
			emit(o, cwd, "process.cwd", "  cwd: %s", q);
			free(q);
		}
		if (um && get_number(sink, file, um, "process.user.umask", &v))
			emit(o, um, "process.user.umask", "  umask: 0%03lo", v & 0777);
	}
	/* runc makes /dev's nodes and links unless /dev is a bind. */
	n = config_mount(mounts, "/dev");
	runc_dev = !(n && is_bind_mount(n));
	std_dev = runc_dev && n && config_mount(mounts, "/dev/pts") &&
		  config_mount(mounts, "/dev/shm");
	if (std_dev)
		emit(o, n, "mounts", "dev: standard");
	if (mounts && mounts->kind != NODE_SEQUENCE) {
		field_error(sink, file, mounts, "mounts", "must be an array");
	} else if (mounts && mounts->n_items) {
		emit(o, mounts, "mounts", "mounts:");
		for (size_t i = 0; i < mounts->n_items; i++)
			import_mount(o, sink, file, mounts->items[i], i);
	}
	import_devices(o, sink, file, oci_get(linux_n, "devices"), runc_dev && !std_dev);
	if (runc_dev && !std_dev) {
		emit(o, NULL, NULL, "symlinks:");
		for (size_t i = 0; i < oci_n_runc_links; i++)
			if (!oci_runc_links[i].host_dependent)
				emit(o, NULL, NULL, "  - {path: %s, target: %s}",
				     oci_runc_links[i].path, oci_runc_links[i].target);
	}
	import_paths(o, sink, file, oci_get(linux_n, "maskedPaths"), "linux.maskedPaths", "masks");
	import_paths(o, sink, file, oci_get(linux_n, "readonlyPaths"), "linux.readonlyPaths",
		     "readonly");
}

/* Compile the written plan (front half) and report each of its errors at
 * the JSON field its line came from. */
static void check_written_plan(struct import_out *o, struct diag_sink *sink,
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
		size_t l = d->pos.line;
		struct plan_pos pos = { file, 0, 0 };
		const char *f = "config";

		if (l >= 1 && l <= o->lines) {
			pos.line = o->line_pos[l - 1].line;
			pos.col = o->line_pos[l - 1].col;
			if (o->line_field[l - 1])
				f = o->line_field[l - 1];
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

/* Free o. */
static void free_out(struct import_out *o)
{
	for (size_t i = 0; i < o->lines; i++)
		free(o->line_field[i]);
	free(o->line_field);
	free(o->line_pos);
	free(o->text);
}

/* `mountplan import-oci`; see commands.h. */
int cmd_import_oci(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTIONS, CLI_OUTPUT_OPTION, { NULL, 0, NULL, 0 },
	};
	struct cli cli = { .name = "mountplan import-oci", .usage = usage, .has_output = true };
	const char *file;
	struct import_out o = { 0 };
	struct diag_sink sink;
	struct node *root;
	int io = 0, rc = 0;

	if (!cli_parse(&cli, argc, argv, longopts, 1))
		return cli.status;
	diag_init(&sink);
	root = load_file(argv[optind], &sink, &io);
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
		o.f = open_memstream(&o.text, &o.len);
		if (!o.f) {
			fprintf(stderr, "mountplan: out of memory\n");
			exit(2);
		}
		import_config(&o, &sink, file, root);
		fclose(o.f);
		check_written_plan(&o, &sink, file); /* also after errors: report all */
	}
	if (sink.n)
		diag_print(&sink, stderr, cli.format);
	rc = cli_status(&sink, true, 0);
	if (rc == 0 && emit_file(cli.output ? cli.output : "-", o.text, o.len) < 0)
		rc = 2;
	free_out(&o);
	node_free(root);
	diag_free(&sink);
	return rc;
}
