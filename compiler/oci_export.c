/*
 * oci_export.c: `mountplan export-oci PLAN [--base config.json]`, the
 * plan's mount fields as an OCI runtime config (doc/roundtrip.md, "OCI
 * field mapping").
 *
 * The plan is read by the compiler's front half (plan_from_file: dev:
 * standard is already expanded, options are checked).  Written: mounts
 * (options as written, a bind as type "bind" with "bind"/"rbind", the
 * propagation key as an option word, uidmap/gidmap as uidMappings/
 * gidMappings), linux.devices (less runc's own defaults), linux.maskedPaths,
 * linux.readonlyPaths, linux.rootfsPropagation, root.readonly, root.path
 * (when the plan has one), process.cwd.  With --base every other field
 * of the base config is kept as it is, in its order.  What OCI cannot say
 * (a symlink other than runc's /dev links, a writable hole) is an error
 * at its plan position; an optional bind (exported as a plain one), a
 * pivot method other than pivot_root, a device policy, a new filesystem
 * as the root (v2: OCI's root is a directory), an init (v2) and a condition
 * (v2 `when:`; OCI has none, the entry is exported unconditionally) are
 * warned about.  A like-host device (v2; OCI has none) is resolved on the
 * exporting host, as the executor would resolve it there (hostnode.c:
 * no symlink followed, only a char or block device without setuid or
 * setgid, a glob matched by the executor's matcher): each
 * node is exported with this host's numbers and mode, and warned about;
 * one that is missing or refused is an error, or without best-effort a
 * warning and left out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cli.h"
#include "hostnode.h"
#include "commands.h"
#include "json_write.h"
#include "mp_ops.h"
#include "oci.h"
#include "options.h"
#include "passes.h"
#include "util.h"


/* Print a newline and depth tabs. */
static void indent(FILE *out, int depth)
{
	fputc('\n', out);
	for (int i = 0; i < depth; i++)
		fputc('\t', out);
}

/* Start an array's element or an object's member: a comma unless it is
 * the first (*n counts them), then a new line at depth. */
static void element(FILE *out, size_t *n, int depth)
{
	if ((*n)++)
		fputc(',', out);
	indent(out, depth);
}

/* Start an object's member: a comma unless it is the first (*n counts
 * them), a new line at depth, the key and ": ". */
static void member(FILE *out, size_t *n, int depth, const char *key)
{
	element(out, n, depth);
	json_string(out, key);
	fputs(": ", out);
}

/* Is s a JSON literal (true, false, null or a JSON number), so a plain
 * scalar can be written as it is?  (A base config is read as YAML, where
 * a plain scalar may be any text.) */
static bool json_literal(const char *s)
{
	const char *p = s;

	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "null") == 0)
		return true;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == 0;
}

/* Write a node of the base config as JSON (plain scalars as they are:
 * numbers, true, false, null). */
static void write_node(FILE *out, const struct node *n, int depth)
{
	switch (n->kind) {
	case NODE_SCALAR:
		if (n->plain && json_literal(node_text(n)))
			fputs(node_text(n), out);
		else if (n->plain && (!*node_text(n) || strcmp(node_text(n), "~") == 0))
			fputs("null", out); /* YAML's other nulls */
		else
			json_string(out, node_text(n));
		return;
	case NODE_SEQUENCE:
		fputc('[', out);
		for (size_t i = 0, k = 0; i < n->n_items; i++) {
			element(out, &k, depth + 1);
			write_node(out, node_items(n)[i], depth + 1);
		}
		if (n->n_items)
			indent(out, depth);
		fputc(']', out);
		return;
	case NODE_MAPPING:
		fputc('{', out);
		for (size_t i = 0, k = 0; i < n->n_pairs; i++) {
			member(out, &k, depth + 1, node_text(node_pairs(n)[i].key));
			write_node(out, node_pairs(n)[i].value, depth + 1);
		}
		if (n->n_pairs)
			indent(out, depth);
		fputc('}', out);
		return;
	case NODE_KIND_MAX:
	default:
		fputs("null", out);
		return;
	}
}

/* Write the option words of a mount entry (each written option may hold
 * several, comma-separated), a bind's bind/rbind first, the propagation
 * key last. */
static void write_mount_options(FILE *out, const struct plan_entry *e, int depth)
{
	size_t n = 0;

	fputc('[', out);
	if (e->is_bind) {
		indent(out, depth + 1);
		json_string(out, e->recursive ? "rbind" : "bind");
		n++;
	}
	for (size_t i = 0; i < e->cold->n_options; i++) {
		const char *text = e->cold->options[i].text;

		/* its words; a quoted value (context="...,...") keeps its commas */
		for (size_t off = 0, len; text[off]; off += len + (text[off + len] == ',')) {
			char *w;

			len = options_word_len(text + off, NULL);
			w = xstrndup(text + off, len);
			if (*w && strcmp(w, "bind") != 0 && strcmp(w, "rbind") != 0) {
				element(out, &n, depth + 1);
				json_string(out, w);
			}
			free(w);
		}
	}
	if (e->cold->propagation.text) {
		element(out, &n, depth + 1);
		json_string(out, e->cold->propagation.text);
	}
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* Write a plan id mapping "C:H:N C:H:N" as OCI's [{containerID ...}]. */
static void write_id_mapping(FILE *out, const char *map, int depth)
{
	char *copy = xstrdup(map), *save = NULL;
	size_t n = 0;

	fputc('[', out);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		unsigned long c = 0, h = 0, s = 0;

		if (sscanf(w, "%lu:%lu:%lu", &c, &h, &s) != 3)
			continue;
		element(out, &n, depth + 1);
		fprintf(out, "{\"containerID\": %lu, \"hostID\": %lu, \"size\": %lu}", c, h, s);
	}
	free(copy);
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* Write "mounts": one object per mount entry, in the plan's order. */
static void write_mounts(FILE *out, const struct plan *plan, int depth)
{
	size_t n = 0;

	fputc('[', out);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];

		if (e->kind != PLAN_MOUNT || e->bad)
			continue;
		element(out, &n, depth + 1);
		fputs("{", out);
		indent(out, depth + 2);
		fputs("\"destination\": ", out);
		json_string(out, e->target.text);
		fputc(',', out);
		indent(out, depth + 2);
		fputs("\"type\": ", out);
		json_string(out, e->is_bind ? "bind" : e->type.text);
		fputc(',', out);
		indent(out, depth + 2);
		fputs("\"source\": ", out);
		json_string(out, e->source.text ? e->source.text : e->type.text);
		if (e->cold->rare->uidmap.text) {
			fputc(',', out);
			indent(out, depth + 2);
			fputs("\"uidMappings\": ", out);
			write_id_mapping(out, e->cold->rare->uidmap.text, depth + 2);
		}
		if (e->cold->rare->gidmap.text) {
			fputc(',', out);
			indent(out, depth + 2);
			fputs("\"gidMappings\": ", out);
			write_id_mapping(out, e->cold->rare->gidmap.text, depth + 2);
		}
		fputc(',', out);
		indent(out, depth + 2);
		fputs("\"options\": ", out);
		write_mount_options(out, e, depth + 2);
		indent(out, depth + 1);
		fputc('}', out);
	}
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* One device node as exported. */
struct oci_node {
	char *path;
	char type; /* 'c', 'b', 'p' */
	uint32_t major, minor, mode, uid, gid;
};

/* Is node d one runc makes by itself? */
static bool runc_default_device(const struct oci_node *d)
{
	for (size_t i = 0; i < oci_n_runc_devices; i++)
		if (strcmp(d->path, oci_runc_devices[i].path) == 0 && d->type == 'c' &&
		    d->major == oci_runc_devices[i].major && d->minor == oci_runc_devices[i].minor &&
		    d->mode == 0666 && d->uid == 0 && d->gid == 0)
			return true;
	return false;
}

/* The nodes device e exports (*n of them, malloc'd): its own, or (v2)
 * for like-host, the exporting host's nodes it names, read as the
 * executor would read them (hostnode.h); with sink, each one resolved is
 * warned about and each missing or refused one is an error (a warning
 * with best-effort, and left out). */
static struct oci_node *device_nodes(const struct plan_entry *e, size_t *n,
				     struct diag_sink *sink)
{
	struct oci_node *v = NULL;
	struct host_node *h;
	const char *why;
	size_t n_host;

	*n = 0;
	if (!e->cold->node->like_host.text) {
		const char type = e->cold->node->dev_type.text ? e->cold->node->dev_type.text[0] : 'c';

		v = xcalloc(1, sizeof(*v));
		v[0] = (struct oci_node){ xstrdup(e->target.text), type == 'u' ? 'c' : type,
					  e->cold->node->major, e->cold->node->minor, e->cold->node->has_mode ? e->cold->node->mode : 0666,
					  e->cold->node->uid, e->cold->node->gid };
		*n = 1;
		return v;
	}
	h = host_nodes_read(e->cold->node->like_host.text, e->cold->node->glob, &n_host, &why);
	if (why && sink)
		diag_report(sink, e->cold->node->best_effort ? DIAG_WARNING : DIAG_ERROR, e->cold->node->like_host.pos,
			    "MP-OCI-EXPORT", "OCI has no host-derived devices and like-host %s: %s%s",
			    e->cold->node->like_host.text, why, e->cold->node->best_effort ? ": left out (best-effort)" : "");
	v = xcalloc(n_host ? n_host : 1, sizeof(*v));
	for (size_t k = 0; k < n_host; k++) {
		struct oci_node *d = &v[*n];

		if (h[k].refused) {
			if (sink)
				diag_report(sink, e->cold->node->best_effort ? DIAG_WARNING : DIAG_ERROR,
					    e->cold->node->like_host.pos, "MP-OCI-EXPORT",
					    "OCI has no host-derived devices and like-host %s: %s%s",
					    h[k].path, h[k].refused,
					    e->cold->node->best_effort ? ": left out (best-effort)" : "");
			continue;
		}
		*d = (struct oci_node){ xstrdup(e->cold->node->glob ? h[k].path : e->target.text),
					h[k].type == MP_IFBLK ? 'b' : 'c', major(h[k].rdev),
					minor(h[k].rdev), e->cold->node->has_mode ? e->cold->node->mode : h[k].perm,
					e->cold->node->uid, e->cold->node->gid };
		if (sink)
			diag_report(sink, DIAG_WARNING, e->cold->node->like_host.pos, "MP-OCI-EXPORT",
				    "OCI has no host-derived devices: %s is exported with this host's %c %u:%u mode %04o",
				    d->path, d->type, d->major, d->minor, d->mode);
		(*n)++;
	}
	host_nodes_free(h, n_host);
	return v;
}

/* Write "linux.devices": every device node but runc's defaults. */
static void write_devices(FILE *out, const struct plan *plan, int depth)
{
	size_t n = 0;

	fputc('[', out);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];
		struct oci_node *v;
		size_t n_nodes;

		if (e->kind != PLAN_DEVICE || e->bad)
			continue;
		v = device_nodes(e, &n_nodes, NULL);
		for (size_t k = 0; k < n_nodes; k++) {
			const struct oci_node *d = &v[k];

			if (!runc_default_device(d)) {
				element(out, &n, depth + 1);
				fputs("{\"path\": ", out);
				json_string(out, d->path);
				fprintf(out, ", \"type\": \"%c\"", d->type);
				if (d->type != 'p')
					fprintf(out, ", \"major\": %u, \"minor\": %u", d->major, d->minor);
				fprintf(out, ", \"fileMode\": %u, \"uid\": %u, \"gid\": %u}",
					d->mode, d->uid, d->gid);
			}
			free(v[k].path);
		}
		free(v);
	}
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* Write the paths of every entry of kind as a JSON array. */
static void write_paths(FILE *out, const struct plan *plan, enum plan_kind kind,
			int depth)
{
	size_t n = 0;

	fputc('[', out);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];

		if (e->kind != kind || e->bad)
			continue;
		element(out, &n, depth + 1);
		json_string(out, e->target.text);
	}
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* Report what OCI cannot express (errors) or leaves to the runtime
 * (warnings). */
static void check_expressible(const struct plan *plan, struct diag_sink *sink)
{
	if (plan->pivot != PLAN_PIVOT_ROOT)
		diag_report(sink, DIAG_WARNING, plan->pivot_pos, "MP-OCI-EXPORT",
			    "the pivot method is not part of an OCI config (runc: --no-pivot)");
	if (plan->init)
		diag_report(sink, DIAG_WARNING, plan->init_pos, "MP-OCI-EXPORT",
			    "OCI has no init: the process is pid 1 itself (docker's --init adds one)");
	if (plan->rootfs_fs.type.text)
		diag_report(sink, DIAG_WARNING, plan->rootfs_fs.type.pos, "MP-OCI-EXPORT",
			    "OCI's root is a directory (root.path): the new %s root is not exported, the runtime uses the bundle's",
			    plan->rootfs_fs.type.text);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];
		const struct plan_when *w = &e->cold->rare->when;
		bool runc_link = false;

		for (size_t k = 0; e->kind == PLAN_SYMLINK && k < oci_n_runc_links; k++)
			if (strcmp(e->target.text, oci_runc_links[k].path) == 0 &&
			    strcmp(e->cold->node->link.text, oci_runc_links[k].target) == 0)
				runc_link = true;
		/* runc makes its own links (/dev/core only with /proc/kcore) */
		if (w->path.text && !runc_link)
			diag_report(sink, DIAG_WARNING, w->pos, "MP-OCI-EXPORT",
				    "OCI has no conditions: %s is exported unconditionally, not only %s %s",
				    e->target.text, w->negate ? "without" : "with", w->path.text);
		switch (e->kind) {
		case PLAN_MOUNT:
			if (e->cold->optional)
				diag_report(sink, DIAG_WARNING, e->cold->pos, "MP-OCI-EXPORT",
					    "OCI binds are not optional: %s is exported as a plain bind, and runtimes fail where %s is missing",
					    e->target.text, e->source.text);
			break;
		case PLAN_SYMLINK:
			if (!runc_link)
				diag_error(sink, e->cold->pos, "MP-OCI-EXPORT",
					   "OCI has no symlinks: %s -> %s cannot be exported",
					   e->target.text, e->cold->node->link.text);
			break;
		case PLAN_READONLY:
			if (e->n_holes)
				diag_error(sink, e->cold->node->holes[0].path.pos, "MP-OCI-EXPORT",
					   "OCI readonlyPaths have no writable holes (%s)",
					   e->cold->node->holes[0].path.text);
			break;
		case PLAN_DEVICE:
			if (e->cold->node->has_policy && e->cold->node->policy == PLAN_DEVPOL_BIND)
				diag_report(sink, DIAG_WARNING, e->cold->pos, "MP-OCI-EXPORT",
					    "OCI runtimes choose mknod or bind themselves (%s)",
					    e->target.text);
			if (e->cold->node->like_host.text && !e->bad) {
				size_t n_nodes;
				struct oci_node *v = device_nodes(e, &n_nodes, sink);

				for (size_t k = 0; k < n_nodes; k++)
					free(v[k].path);
				free(v);
			}
			break;
		case PLAN_MASK:
		case PLAN_KIND_MAX:
		default:
			break;
		}
	}
}

/* Which top-level and linux fields export-oci writes. */
enum export_field { F_ROOT, F_MOUNTS, F_LINUX, F_PROCESS, F_FIELD_MAX };

/* Copy base's members (when base is an object) to an object at depth,
 * but those named in skip (n_skip names; NULL ones skip nothing). */
static void copy_members(FILE *out, const struct node *base, int depth, size_t *n,
			 const char *const *skip, size_t n_skip)
{
	for (size_t i = 0; base && base->kind == NODE_MAPPING && i < base->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(base)[i];
		const char *k = node_text(p->key);
		bool replaced = false;

		for (size_t j = 0; j < n_skip; j++)
			replaced |= skip[j] && strcmp(k, skip[j]) == 0;
		if (replaced)
			continue;
		member(out, n, depth, k);
		write_node(out, p->value, depth);
	}
}

/* Write the value of "root": base's fields with readonly (and path when
 * the plan has one) replaced. */
static void write_root(FILE *out, const struct plan *plan, const struct node *base,
		       int depth)
{
	const char *const ours[] = { "readonly", plan->rootfs_path.text ? "path" : NULL };
	size_t n = 0;

	fputc('{', out);
	copy_members(out, base, depth + 1, &n, ours, 2);
	if (plan->rootfs_path.text) {
		member(out, &n, depth + 1, "path");
		json_string(out, plan->rootfs_path.text);
	}
	member(out, &n, depth + 1, "readonly");
	fputs(plan->rootfs_readonly ? "true" : "false", out);
	indent(out, depth);
	fputc('}', out);
}

/* Does base (linux.namespaces) have a namespace of type? */
static bool base_has_namespace(const struct node *base, const char *type)
{
	for (size_t i = 0; base && base->kind == NODE_SEQUENCE && i < base->n_items; i++) {
		const struct node *t = oci_get(node_items(base)[i], "type");

		if (t && t->kind == NODE_SCALAR && strcmp(node_text(t), type) == 0)
			return true;
	}
	return false;
}

/* Write the value of "linux.namespaces": base's, but for its user and
 * cgroup namespaces, which the plan's namespaces: decides, and with the
 * pid and ipc namespaces the plan asks for added where base lacks them
 * (a plan without them leaves them to its caller, the runtime: base's
 * stay). */
static void write_namespaces(FILE *out, const struct plan *plan, const struct node *base,
			     int depth)
{
	static const struct {
		uint32_t bit;
		const char *json, *type;
	} own[] = { { MP_NS_PID, "{\"type\": \"pid\"}", "pid" },
		    { MP_NS_IPC, "{\"type\": \"ipc\"}", "ipc" } };
	size_t n = 0;

	fputc('[', out);
	for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
		if ((plan->namespaces & own[k].bit) && !base_has_namespace(base, own[k].type)) {
			element(out, &n, depth + 1);
			fputs(own[k].json, out);
		}
	for (size_t i = 0; base && base->kind == NODE_SEQUENCE && i < base->n_items; i++) {
		const struct node *item = node_items(base)[i];
		const struct node *t = oci_get(item, "type");

		if (t && t->kind == NODE_SCALAR &&
		    (strcmp(node_text(t), "user") == 0 || strcmp(node_text(t), "cgroup") == 0))
			continue;
		element(out, &n, depth + 1);
		write_node(out, item, depth + 1);
	}
	if (plan->userns_uidmap.text) {
		element(out, &n, depth + 1);
		fputs("{\"type\": \"user\"}", out);
	}
	if (plan->cgroupns) {
		element(out, &n, depth + 1);
		fputs("{\"type\": \"cgroup\"}", out);
	}
	if (n)
		indent(out, depth);
	fputc(']', out);
}

/* Write the value of "linux": base's fields with the mount fields and
 * the user and cgroup namespaces replaced (added when base lacks them),
 * and the plan's pid and ipc namespaces added. */
static void write_linux(FILE *out, const struct plan *plan, const struct node *base,
			int depth)
{
	static const char *const ours[] = { "rootfsPropagation", "devices", "maskedPaths",
					    "readonlyPaths", "namespaces", "uidMappings",
					    "gidMappings", "mountLabel" };
	size_t n = 0;

	fputc('{', out);
	copy_members(out, base, depth + 1, &n, ours, sizeof ours / sizeof ours[0]);
	if (plan->userns_uidmap.text || plan->cgroupns || plan->namespaces ||
	    oci_get(base, "namespaces")) {
		member(out, &n, depth + 1, "namespaces");
		write_namespaces(out, plan, oci_get(base, "namespaces"), depth + 1);
	}
	if (plan->mount_label.text) {
		member(out, &n, depth + 1, "mountLabel");
		json_string(out, plan->mount_label.text);
	}
	if (plan->userns_uidmap.text && plan->userns_gidmap.text) {
		member(out, &n, depth + 1, "uidMappings");
		write_id_mapping(out, plan->userns_uidmap.text, depth + 1);
		member(out, &n, depth + 1, "gidMappings");
		write_id_mapping(out, plan->userns_gidmap.text, depth + 1);
	}
	if (plan->root_propagation.text) {
		member(out, &n, depth + 1, "rootfsPropagation");
		json_string(out, plan->root_propagation.text);
	}
	member(out, &n, depth + 1, "devices");
	write_devices(out, plan, depth + 1);
	member(out, &n, depth + 1, "maskedPaths");
	write_paths(out, plan, PLAN_MASK, depth + 1);
	member(out, &n, depth + 1, "readonlyPaths");
	write_paths(out, plan, PLAN_READONLY, depth + 1);
	indent(out, depth);
	fputc('}', out);
}

/* Write the value of "process": base's fields with cwd replaced when
 * the plan has one. */
static void write_process(FILE *out, const struct plan *plan, const struct node *base,
			  int depth)
{
	const char *const ours[] = { plan->cwd.text ? "cwd" : NULL };
	size_t n = 0;

	fputc('{', out);
	copy_members(out, base, depth + 1, &n, ours, 1);
	if (plan->cwd.text || !n) {
		member(out, &n, depth + 1, "cwd");
		json_string(out, plan->cwd.text ? plan->cwd.text : "/");
	}
	indent(out, depth);
	fputc('}', out);
}

/* Write one of our fields' value. */
static void write_field(FILE *out, const struct plan *plan, enum export_field f,
			const struct node *base_value)
{
	switch (f) {
	case F_ROOT:
		write_root(out, plan, base_value, 1);
		break;
	case F_MOUNTS:
		write_mounts(out, plan, 1);
		break;
	case F_LINUX:
		write_linux(out, plan, base_value, 1);
		break;
	case F_PROCESS:
		write_process(out, plan, base_value, 1);
		break;
	case F_FIELD_MAX:
	default:
		break;
	}
}

/* Write the whole config: base's top-level fields in their order with
 * ours replaced, then ours that base lacks. */
static void write_config(FILE *out, const struct plan *plan, const struct node *base)
{
	static const char *const names[F_FIELD_MAX] = { "root", "mounts", "linux", "process" };
	bool done[F_FIELD_MAX] = { false };
	size_t n = 0;

	fputc('{', out);
	if (!base) {
		indent(out, 1);
		fputs("\"ociVersion\": \"1.0.2\"", out);
		n++;
		done[F_PROCESS] = !plan->cwd.text; /* no process without a cwd to say */
	}
	for (size_t i = 0; base && i < base->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(base)[i];
		const char *k = node_text(p->key);
		int f = -1;

		for (int j = 0; j < F_FIELD_MAX; j++)
			if (strcmp(k, names[j]) == 0)
				f = j;
		member(out, &n, 1, k);
		if (f < 0) {
			write_node(out, p->value, 1);
			continue;
		}
		write_field(out, plan, (enum export_field)f, p->value);
		done[f] = true;
	}
	for (int f = 0; f < F_FIELD_MAX; f++) {
		if (done[f])
			continue;
		member(out, &n, 1, names[f]);
		write_field(out, plan, (enum export_field)f, NULL);
	}
	fputs("\n}\n", out);
}

/* Print export-oci's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan export-oci PLAN.yaml [--base config.json] [-o OUT] [--format=text|json]\n"
	      "Write the plan as an OCI runtime config: mounts, linux.devices,\n"
	      "linux.maskedPaths, linux.readonlyPaths, linux.rootfsPropagation,\n"
	      "root.readonly (root.path, process.cwd when the plan has them).  With\n"
	      "--base, every other field of that config is kept.  Default output:\n"
	      "standard output.\n"
	      "Exit status: 0 ok, 1 the plan has errors or cannot be expressed, 2 usage or I/O error.\n",
	      out);
}

/* `mountplan export-oci`; see commands.h. */
int cmd_export_oci(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		CLI_OPTIONS, CLI_OUTPUT_OPTION, { NULL, 0, NULL, 0 },
	};
	struct cli cli = { .name = "mountplan export-oci", .usage = usage, .has_output = true };
	const char *base_path = NULL;
	struct node *base = NULL;
	struct diag_sink sink;
	struct plan *plan = NULL;
	char *text = NULL;
	size_t len = 0;
	int c, io = 0, rc;
	FILE *out;

	while ((c = cli_next_option(&cli, argc, argv, longopts)) != -1) {
		if (c != 'b')
			return cli.status; /* CLI_STOP: the only other value */
		base_path = optarg;
	}
	if (!cli_operands(&cli, argc, 1))
		return cli.status;
	if (input_is_mpb(argv[optind])) {
		fprintf(stderr, "mountplan export-oci: %s is a compiled plan: export reads the plan's YAML\n",
			argv[optind]);
		values_free(&cli.values);
		return 2;
	}
	diag_init(&sink);
	plan = plan_from_file(argv[optind], &cli.values, &sink, &io);
	if (plan && !diag_count_at_least(&sink, DIAG_ERROR))
		check_expressible(plan, &sink);
	if (base_path && !io && plan && !diag_count_at_least(&sink, DIAG_ERROR)) {
		base = load_file(base_path, false, &sink, &io);
		if (base && base->kind != NODE_MAPPING) {
			struct plan_pos pos = { base_path, base->line, base->col };
			diag_error(&sink, pos, "MP-OCI", "the base config must be a JSON object");
		}
	}
	if (sink.n)
		diag_print(&sink, stderr, cli.format);
	rc = cli_status(&sink, plan != NULL, io);
	if (rc == 0) {
		out = open_memstream(&text, &len);
		if (!out) {
			fprintf(stderr, "mountplan: out of memory\n");
			exit(2);
		}
		write_config(out, plan, base);
		fclose(out);
		if (emit_file(cli.output ? cli.output : "-", text, len) < 0)
			rc = 2;
		free(text);
	}
	node_free(base);
	plan_free(plan);
	diag_free(&sink);
	values_free(&cli.values); /* after the diagnostics, which may point into it */
	return rc;
}
