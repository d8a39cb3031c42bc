/*
 * diff.c: `mountplan diff OLD NEW`, what a change to a plan does to the
 * container.
 *
 * Both plans (.yaml compiled in memory or .mpb, any mix) become a list of
 * items, each a section ("mount", "device", "symlink", "mask", "readonly",
 * "setting"), a key (the path; the k-th mount at one path is its own
 * item) and named fields.  Mounts come from the predicted table
 * (simulate.c), everything else from the ops.  Items only in OLD are
 * removed, only in NEW added, in both with other fields changed.  A
 * change that weakens isolation says so ("weakens: REASON"): read-only to
 * writable, a nosuid/nodev/noexec dropped, a mask or read-only path
 * removed, a new writable hole, a new host bind, propagation to shared, a
 * new or changed device, a writable root.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"
#include "json_write.h"
#include "simulate.h"
#include "util.h"

#define DIFF_FIELDS 5

/* One thing in a container that a plan decides. */
struct diff_item {
	const char *section;             /* "mount", "device" ... */
	char *key;                       /* path, or a setting's name */
	unsigned occurrence;             /* k-th item with this section and key */
	const char *names[DIFF_FIELDS];  /* field names, NULL-terminated */
	char *values[DIFF_FIELDS];       /* their values */
	uint32_t attrs, known;           /* mounts: attributes */
	uint32_t propagation;            /* mounts: MP_PROP_* */
	bool host_bind;                  /* mounts: a bind of a host path */
	struct diff_item *peer;          /* the same item in the other plan */
};

struct diff_list {
	struct diff_item *items;
	size_t n, cap;
};

/* One change found. */
struct diff_change {
	char sign;                 /* '+' added, '-' removed, '~' changed */
	const struct diff_item *old, *new;
	const char *weakens;       /* reason, or NULL */
};

/* Append an item of section at key; returns it with no fields. */
static struct diff_item *add_item(struct diff_list *l, const char *section,
				  const char *key)
{
	struct diff_item *it;
	unsigned occ = 0;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].section, section) == 0 && strcmp(l->items[i].key, key) == 0)
			occ++;
	l->items = xgrow(l->items, l->n, &l->cap, sizeof(*l->items));
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	it->section = section;
	it->key = xstrdup(key);
	it->occurrence = occ;
	return it;
}

/* Set field name of it to value (taken). */
static void set_field(struct diff_item *it, const char *name, char *value)
{
	for (size_t k = 0; k < DIFF_FIELDS; k++) {
		if (!it->names[k]) {
			it->names[k] = name;
			it->values[k] = value;
			return;
		}
	}
	free(value);
}

/* Value of field name of it, or "". */
static const char *field(const struct diff_item *it, const char *name)
{
	for (size_t k = 0; k < DIFF_FIELDS && it->names[k]; k++)
		if (strcmp(it->names[k], name) == 0)
			return it->values[k];
	return "";
}

/* Items of the mounts section, from the predicted table. */
static void mount_items(struct diff_list *l, const struct sim_table *t)
{
	char opts[256];

	for (size_t i = 0; i < t->n; i++) {
		const struct sim_mount *m = &t->mounts[i];
		struct diff_item *it;

		if (m->kind != SIM_FS && m->kind != SIM_BIND && m->kind != SIM_CGROUP)
			continue;
		it = add_item(l, "mount", m->target);
		set_field(it, "type", xstrdup(m->kind == SIM_BIND ? "bind" :
					      m->fstype ? m->fstype : "-"));
		set_field(it, "source", xstrdup(m->source ? m->source : "-"));
		sim_option_words(m, opts, sizeof opts);
		set_field(it, "options", xstrdup(*opts ? opts : "-"));
		set_field(it, "propagation", xstrdup(sim_propagation_name(m->propagation)));
		if (m->open_below || m->cond == SIM_IF_SOURCE)
			set_field(it, "flags", xasprintf("%s%s%s", m->open_below ? "recursive" : "",
							 m->open_below && m->cond ? "," : "",
							 m->cond == SIM_IF_SOURCE ? "optional" : ""));
		if (m->when)
			set_field(it, "when", xstrdup(m->when));
		it->attrs = m->attrs;
		it->known = m->known;
		it->propagation = m->propagation;
		it->host_bind = m->kind == SIM_BIND;
	}
}

/* The device policy word of MKNOD flags. */
static const char *device_policy(uint16_t flags)
{
	return flags & MP_F_BIND_ONLY ? "bind" :
	       flags & MP_F_BIND_FALLBACK ? "mknod-or-bind" : "mknod";
}

/* Items of every other section, from the ops. */
static void op_items(struct diff_list *l, const struct mpb *mpb)
{
	char *holes = NULL, *when = NULL;
	uint32_t guarded = 0;

	for (uint32_t i = 0; i < mpb->op_count; i++) {
		struct mp_op op;
		const char *target;
		struct diff_item *it;
		size_t before = l->n;

		mpb_op(mpb, i, &op);
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
			it = add_item(l, "setting", op.fstype ? "rootfs.type" : "rootfs.path");
			set_field(it, "value", xstrdup(op.fstype ? mpb_str(mpb, op.fstype) :
						       op.source ? mpb_str(mpb, op.source) : "-"));
			if (op.fstype) {
				set_field(it, "source", xstrdup(mpb_str(mpb, op.source)));
				set_field(it, "data", xstrdup(op.data ? mpb_str(mpb, op.data) : "-"));
			}
			it = add_item(l, "setting", "rootfs.propagation");
			set_field(it, "value", xstrdup(sim_propagation_name(op.propagation)));
			it->propagation = op.propagation & ~MP_PROP_REC;
			break;
		case MP_OP_MKNOD:
			it = add_item(l, "device", target);
			set_field(it, "node", xasprintf("%c %u:%u",
							(op.mode & MP_IFMT) == MP_IFBLK ? 'b' :
							(op.mode & MP_IFMT) == MP_IFIFO ? 'p' : 'c',
							op.major, op.minor));
			set_field(it, "mode", xasprintf("%04o", op.mode & 07777));
			set_field(it, "owner", xasprintf("%u:%u", op.uid, op.gid));
			set_field(it, "policy", xstrdup(device_policy(op.flags)));
			it->attrs = op.mode & 07777;
			break;
		case MP_OP_SYMLINK:
			it = add_item(l, "symlink", target);
			set_field(it, "contents", xstrdup(mpb_str(mpb, op.source)));
			break;
		case MP_OP_MASK:
			add_item(l, "mask", target);
			break;
		case MP_OP_HOLE_SAVE: {
			char *h = holes ? xasprintf("%s,%s", holes, target) : xstrdup(target);
			free(holes);
			holes = h;
			break;
		}
		case MP_OP_READONLY:
			it = add_item(l, "readonly", target);
			if (holes)
				set_field(it, "writable", holes);
			holes = NULL;
			break;
		case MP_OP_SETATTR:
			if (strcmp(target, "/") == 0 && (op.attr_set & MP_ATTR_RDONLY)) {
				it = add_item(l, "setting", "rootfs.readonly");
				set_field(it, "value", xstrdup("true"));
			}
			break;
		case MP_OP_PIVOT:
			it = add_item(l, "setting", "rootfs.pivot");
			set_field(it, "value", xstrdup(op.flags & MP_F_PIVOT_MOVE ? "move" :
						       op.flags & MP_F_PIVOT_CHROOT ? "chroot" :
										      "pivot_root"));
			break;
		case MP_OP_UMASK:
			it = add_item(l, "setting", "process.umask");
			set_field(it, "value", xasprintf("%04o", op.mode));
			break;
		case MP_OP_CHDIR:
			it = add_item(l, "setting", "process.cwd");
			set_field(it, "value", xstrdup(target));
			break;
		case MP_OP_NAMESPACES:
			it = add_item(l, "setting", "namespaces");
			set_field(it, "value", xasprintf("%s%s%s", op.flags & MP_F_CGROUPNS ? "cgroup " : "",
							 op.flags & MP_F_USERNS ? "user " : "",
							 op.data ? mpb_str(mpb, op.data) : ""));
			break;
		case MP_OP_MOUNT:
		case MP_OP_BIND:
		case MP_OP_CGROUP:
		case MP_OP_HOLE_RESTORE:
			break; /* mounts come from the table; holes from HOLE_SAVE */
		case MP_OP_INVALID:
		case MP_OP_MAX:
		default:
			break;
		}
		if (guarded) {
			guarded--;
			for (size_t k = before; k < l->n; k++)
				set_field(&l->items[k], "when", xstrdup(when));
		}
	}
	free(holes);
	free(when);
}

/* Build the item list of a checked plan. */
static void plan_items(struct diff_list *l, const struct mpb *mpb)
{
	struct sim_table t;

	memset(l, 0, sizeof(*l));
	op_items(l, mpb);
	simulate_mpb(mpb, &t);
	mount_items(l, &t);
	sim_table_free(&t);
}

/* Free the items of l. */
static void free_items(struct diff_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		for (size_t k = 0; k < DIFF_FIELDS; k++)
			free(l->items[i].values[k]);
	}
	free(l->items);
}

/* Do two items hold the same fields? */
static bool same_fields(const struct diff_item *a, const struct diff_item *b)
{
	for (size_t k = 0; k < DIFF_FIELDS; k++) {
		const char *n = a->names[k] ? a->names[k] : b->names[k];
		if (n && strcmp(field(a, n), field(b, n)) != 0)
			return false;
		if (b->names[k] && strcmp(field(a, b->names[k]), field(b, b->names[k])) != 0)
			return false;
	}
	return true;
}

/* Why an added item weakens isolation, or NULL. */
static const char *added_weakens(const struct diff_item *it)
{
	if (strcmp(it->section, "mount") == 0) {
		if (it->host_bind)
			return "new host bind";
		if (it->propagation == MP_PROP_SHARED)
			return "propagation to shared";
	} else if (strcmp(it->section, "device") == 0) {
		return "new device";
	} else if (strcmp(it->section, "setting") == 0 &&
		   strcmp(it->key, "rootfs.propagation") == 0 && it->propagation == MP_PROP_SHARED) {
		return "propagation to shared";
	}
	return NULL;
}

/* Why a removed item weakens isolation, or NULL. */
static const char *removed_weakens(const struct diff_item *it)
{
	if (strcmp(it->section, "mask") == 0)
		return "mask removed";
	if (strcmp(it->section, "readonly") == 0)
		return "read-only path removed";
	if (strcmp(it->section, "setting") == 0 && strcmp(it->key, "rootfs.readonly") == 0)
		return "read-only root to writable";
	return NULL;
}

/* Was bit set and known in a and is it clear (known) in b? */
static bool dropped(const struct diff_item *a, const struct diff_item *b, uint32_t bit)
{
	return (a->known & bit) && (a->attrs & bit) && (b->known & bit) && !(b->attrs & bit);
}

/* Why a changed item weakens isolation, or NULL. */
static const char *changed_weakens(const struct diff_item *a, const struct diff_item *b)
{
	if (strcmp(a->section, "mount") == 0) {
		if (dropped(a, b, MP_ATTR_RDONLY) || ((a->attrs & MP_ATTR_RDONLY) &&
						       !(b->known & MP_ATTR_RDONLY)))
			return "read-only to writable";
		if (b->host_bind && strcmp(field(a, "source"), field(b, "source")) != 0)
			return "new host bind";
		if (b->propagation == MP_PROP_SHARED && a->propagation != MP_PROP_SHARED)
			return "propagation to shared";
		if (dropped(a, b, MP_ATTR_NOSUID))
			return "nosuid dropped";
		if (dropped(a, b, MP_ATTR_NODEV))
			return "nodev dropped";
		if (dropped(a, b, MP_ATTR_NOEXEC))
			return "noexec dropped";
	} else if (strcmp(a->section, "device") == 0) {
		if (strcmp(field(a, "node"), field(b, "node")) != 0)
			return "new device";
		if (b->attrs & ~a->attrs)
			return "device mode widened";
	} else if (strcmp(a->section, "readonly") == 0) {
		return "new writable hole";
	} else if (strcmp(a->section, "setting") == 0 &&
		   strcmp(a->key, "rootfs.propagation") == 0 && b->propagation == MP_PROP_SHARED) {
		return "propagation to shared";
	}
	return NULL;
}

/* Find the item of l with the section, key and occurrence of it. */
static struct diff_item *find_item(struct diff_list *l, const struct diff_item *it)
{
	for (size_t i = 0; i < l->n; i++) {
		struct diff_item *x = &l->items[i];
		if (!x->peer && x->occurrence == it->occurrence &&
		    strcmp(x->section, it->section) == 0 && strcmp(x->key, it->key) == 0)
			return x;
	}
	return NULL;
}

/* Every change from a to b, in b's order (removals first, in a's). */
static struct diff_change *compare_lists(struct diff_list *a, struct diff_list *b,
					 size_t *n)
{
	struct diff_change *out = xcalloc(a->n + b->n + 1, sizeof(*out));
	size_t k = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct diff_item *old = find_item(a, &b->items[i]);

		if (old) {
			old->peer = &b->items[i];
			b->items[i].peer = old;
		}
	}
	for (size_t i = 0; i < a->n; i++)
		if (!a->items[i].peer)
			out[k++] = (struct diff_change){ '-', &a->items[i], NULL,
							 removed_weakens(&a->items[i]) };
	for (size_t i = 0; i < b->n; i++) {
		struct diff_item *it = &b->items[i];
		struct diff_item *old = it->peer;

		if (!old) {
			out[k++] = (struct diff_change){ '+', NULL, it, added_weakens(it) };
			continue;
		}
		if (!same_fields(old, it))
			out[k++] = (struct diff_change){ '~', old, it, changed_weakens(old, it) };
	}
	*n = k;
	return out;
}

/* Print an item's fields as "name=value ..." */
static void print_fields(FILE *out, const struct diff_item *it)
{
	for (size_t k = 0; k < DIFF_FIELDS && it->names[k]; k++) {
		fprintf(out, " %s=", it->names[k]);
		text_string(out, it->values[k]);
	}
}

/* Print one change as text. */
static void print_change_text(FILE *out, const struct diff_change *c)
{
	const struct diff_item *it = c->new ? c->new : c->old;

	fprintf(out, "%c %s ", c->sign, it->section);
	text_string(out, it->key); /* plan strings: escaped, one line per change */
	if (c->sign == '~') {
		for (size_t k = 0; k < DIFF_FIELDS; k++) {
			const char *n = c->new->names[k];
			if (n && strcmp(field(c->old, n), field(c->new, n)) != 0) {
				fprintf(out, " %s: ", n);
				text_string(out, *field(c->old, n) ? field(c->old, n) : "-");
				fputs(" -> ", out);
				text_string(out, field(c->new, n));
			}
		}
		for (size_t k = 0; k < DIFF_FIELDS; k++) {
			const char *n = c->old->names[k];
			if (n && !*field(c->new, n)) {
				fprintf(out, " %s: ", n);
				text_string(out, field(c->old, n));
				fputs(" -> -", out);
			}
		}
	} else {
		print_fields(out, it);
	}
	if (c->weakens) {
		fputs("  weakens: ", out);
		text_string(out, c->weakens);
	}
	fputc('\n', out);
}

/* Print an item's fields as a JSON object. */
static void print_fields_json(FILE *out, const struct diff_item *it)
{
	if (!it) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	for (size_t k = 0; k < DIFF_FIELDS && it->names[k]; k++) {
		if (k)
			fputs(", ", out);
		json_string(out, it->names[k]);
		fputs(": ", out);
		json_string(out, it->values[k]);
	}
	fputc('}', out);
}

/* Print every change as one JSON object. */
static void print_json(FILE *out, const struct diff_change *c, size_t n)
{
	fprintf(out, "{\"equal\": %s, \"changes\": [", n ? "false" : "true");
	for (size_t i = 0; i < n; i++) {
		const struct diff_item *it = c[i].new ? c[i].new : c[i].old;

		fputs(i ? ",\n  " : "\n  ", out);
		fprintf(out, "{\"change\": \"%s\", \"section\": \"%s\", \"path\": ",
			c[i].sign == '+' ? "added" : c[i].sign == '-' ? "removed" : "changed",
			it->section);
		json_string(out, it->key);
		fputs(", \"old\": ", out);
		print_fields_json(out, c[i].old);
		fputs(", \"new\": ", out);
		print_fields_json(out, c[i].new);
		fputs(", \"weakens\": ", out);
		json_string(out, c[i].weakens);
		fputc('}', out);
	}
	fputs(n ? "\n]}\n" : "]}\n", out);
}

/* Print diff's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan diff OLD NEW [--format=text|json]\n"
	      "Show what changes in the container from plan OLD to plan NEW (each\n"
	      ".yaml or .mpb): mounts, devices, symlinks, masks, read-only paths and\n"
	      "settings added (+), removed (-) or changed (~).  A change that weakens\n"
	      "isolation ends in 'weakens: REASON'.\n"
	      "Exit status: 0 equal, 1 different, 2 error.\n",
	      out);
}

/* `mountplan diff`; see commands.h. */
int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = { CLI_OPTIONS, { NULL, 0, NULL, 0 } };
	struct cli cli = { .name = "mountplan diff", .usage = usage };
	struct diff_list lists[2];
	struct diff_change *changes;
	struct mpb mpb[2];
	uint8_t *buf[2] = { NULL, NULL };
	size_t n;

	if (!cli_parse(&cli, argc, argv, longopts, 2))
		return cli.status;
	for (int k = 0; k < 2; k++) {
		if (cli_open_mpb(&cli, argv[optind + k], &buf[k], &mpb[k]) != 0) {
			free(buf[0]);
			return 2; /* a plan that does not compile is an error here */
		}
	}
	plan_items(&lists[0], &mpb[0]);
	plan_items(&lists[1], &mpb[1]);
	changes = compare_lists(&lists[0], &lists[1], &n);
	if (cli.format == DIAG_JSON) {
		print_json(stdout, changes, n);
	} else {
		for (size_t i = 0; i < n; i++)
			print_change_text(stdout, &changes[i]);
	}
	free(changes);
	free_items(&lists[0]);
	free_items(&lists[1]);
	free(buf[0]);
	free(buf[1]);
	return cli_flush(n ? 1 : 0);
}
