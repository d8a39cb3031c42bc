/*
 * shape.c: the shape pass.  Walk the node tree (node.h) and build the plan
 * model (plan.h) as doc/plan-format.md describes it: known keys only (an
 * unknown one gets a "did you mean"), the right type for every value,
 * required fields, numbers in range and enumerated words spelled right.
 *
 * Strings are kept as written, with their positions: paths, options and
 * the dev shorthand are normalize's.  Every error is reported and the walk
 * goes on; an entry with an error is marked bad so later passes skip it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mp_ops.h"
#include "node.h"
#include "options.h"
#include "params.h"
#include "passes.h"
#include "util.h"

struct shaper {
	struct diag_sink *sink;
	const char *file;                 /* the file being read (a plan may have several) */
	struct plan *plan;
	const struct plan_values *values; /* --set, values files; may be NULL */
	uint32_t version;                 /* this file's mountplan: (0: none yet) */
	const struct node *tree;          /* shape_body's root: the sections' items
					   * are freed once read (NULL: kept) */
};

/* The position of node n. */
static struct plan_pos node_pos(const struct shaper *sh, const struct node *n)
{
	return (struct plan_pos){ sh->file, n->line, n->col };
}

/* True when n is a plain null: empty, ~, null, Null or NULL. */
static bool is_null(const struct node *n)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };

	if (n->kind != NODE_SCALAR || !n->plain || n->len > 4)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(node_text(n), words[i]) == 0)
			return true;
	return false;
}

/* True when n is a plain boolean (YAML 1.2 core schema); its value in *v. */
static bool is_bool(const struct node *n, bool *v)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };

	if (n->kind != NODE_SCALAR || !n->plain || n->len < 4 || n->len > 5)
		return false;
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(node_text(n), yes[i]) == 0 || strcmp(node_text(n), no[i]) == 0) {
			*v = strcmp(node_text(n), yes[i]) == 0;
			return true;
		}
	}
	return false;
}

/* Report that the value n of subject is not what it must be (MP-TYPE);
 * subject is a quoted key name ("'target'") or a phrase ("a mount"). */
static void type_error(struct shaper *sh, const struct node *n,
		       const char *subject, const char *want)
{
	bool b;

	if (n->kind == NODE_SEQUENCE)
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "%s must be %s, not a sequence", subject, want);
	else if (n->kind == NODE_MAPPING)
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "%s must be %s, not a mapping", subject, want);
	else if (is_null(n))
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "%s must be %s, not null", subject, want);
	else if (is_bool(n, &b))
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "%s must be %s, not a boolean", subject, want);
	else
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "%s must be %s, not '%.40s'", subject, want, node_text(n));
}

/* type_error for the value of key. */
static void key_type_error(struct shaper *sh, const struct node *n,
			   const char *key, const char *want)
{
	char *subject = xasprintf("'%s'", key);

	type_error(sh, n, subject, want);
	free(subject);
}

/* Read a string value (any scalar but null and booleans) into *out;
 * false after reporting. */
static bool get_string(struct shaper *sh, const char *key,
		       const struct node *n, struct plan_str *out)
{
	bool b;

	if (n->kind != NODE_SCALAR || is_null(n) || is_bool(n, &b)) {
		key_type_error(sh, n, key, "a string");
		return false;
	}
	if (strlen(node_text(n)) != n->len) {
		diag_error(sh->sink, node_pos(sh, n), "MP-BAD-VALUE",
			   "'%s' holds a NUL character", key);
		return false;
	}
	free(out->text);
	out->text = xstrndup(node_text(n), n->len);
	out->pos = node_pos(sh, n);
	return true;
}

/* Expand the parameter references of s, read from node n (version 2;
 * a version-1 plan has none); false after reporting. */
static bool expand(struct shaper *sh, struct plan_str *s, const struct node *n,
		   enum param_use use)
{
	int text_col = n->end_line == n->line ? (n->plain ? 0 : 1) : -1;

	if (sh->version < 2)
		return true;
	return params_expand(sh->plan, s, text_col, use, sh->sink);
}

/* get_string, then expand the value's parameter references as use. */
static bool get_value(struct shaper *sh, const char *key, const struct node *n,
		      struct plan_str *out, enum param_use use)
{
	return get_string(sh, key, n, out) && expand(sh, out, n, use);
}

/* get_value (use), or get_string when use is PARAM_USE_MAX, into out
 * with the text kept in arena a, one of the plan's (struct plan:
 * targets, words). */
static bool get_kept(struct shaper *sh, const char *key, const struct node *n,
		     enum param_use use, struct arena *a, struct plan_str *out)
{
	struct plan_str s = { NULL, out->pos };
	bool ok = use == PARAM_USE_MAX ? get_string(sh, key, n, &s) :
					 get_value(sh, key, n, &s, use);

	if (s.text) {
		*out = plan_kept(a, s.text, s.pos);
		free(s.text);
	}
	return ok;
}

/* An entry's path (key) into its target. */
static bool get_target(struct shaper *sh, const char *key, const struct node *n,
		       struct plan_entry *e)
{
	return get_kept(sh, key, n, PARAM_USE_PATH, &sh->plan->targets, &e->target);
}

/* Read a boolean value; false after reporting. */
static bool get_bool(struct shaper *sh, const char *key, const struct node *n,
		     bool *out)
{
	if (!is_bool(n, out)) {
		key_type_error(sh, n, key, "true or false");
		return false;
	}
	return true;
}

/* Read a decimal integer 0..max (plain scalar); false after reporting. */
static bool get_decimal(struct shaper *sh, const char *key,
			const struct node *n, uint64_t max, uint32_t *out)
{
	const char *s = n->kind == NODE_SCALAR ? node_text(n) : "";
	bool negative = *s == '-';
	uint64_t v = 0;
	bool over = false;

	if (negative || *s == '+')
		s++;
	if (n->kind != NODE_SCALAR || !n->plain || !*s ||
	    strspn(s, "0123456789") != strlen(s)) {
		key_type_error(sh, n, key, "an integer");
		return false;
	}
	for (; *s; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			over = true, v = max + 1;
	}
	if (over || (negative && v)) {
		diag_error(sh->sink, node_pos(sh, n), "MP-RANGE",
			   "'%s' must be between 0 and %llu, not %s", key,
			   (unsigned long long)max, node_text(n));
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Read an octal integer 0..max, written 0022, 022, 22, 0o22 or as the
 * string "0022"; false after reporting. */
static bool get_octal(struct shaper *sh, const char *key, const struct node *n,
		      uint32_t max, uint32_t *out)
{
	const char *s = n->kind == NODE_SCALAR ? node_text(n) : "";
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		s += 2;
	if (n->kind != NODE_SCALAR || !*s || strspn(s, "01234567") != strlen(s)) {
		key_type_error(sh, n, key, "an octal integer");
		return false;
	}
	for (; *s && v <= max; s++)
		v = v * 8 + (uint64_t)(*s - '0');
	if (v > max) {
		diag_error(sh->sink, node_pos(sh, n), "MP-RANGE",
			   "'%s' must be between 0 and 0%o, not %s", key, max, node_text(n));
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Read one of words (NULL-terminated) into *index; false after reporting
 * (MP-BAD-VALUE with a "did you mean"). */
static bool get_word(struct shaper *sh, const char *key, const struct node *n,
		     const char *const *words, size_t *index)
{
	struct plan_str s = { 0 };
	const char *near;
	char *list = NULL;

	if (!get_string(sh, key, n, &s))
		return false;
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(s.text, words[i]) == 0) {
			*index = i;
			free(s.text);
			return true;
		}
	}
	near = closest_word(s.text, words);
	if (near) {
		diag_error(sh->sink, s.pos, "MP-BAD-VALUE",
			   "unknown %s '%s'; did you mean '%s'?", key, s.text, near);
	} else {
		for (size_t i = 0; words[i]; i++) {
			char *l = xasprintf("%s%s%s", list ? list : "", list ? ", " : "", words[i]);
			free(list);
			list = l;
		}
		diag_error(sh->sink, s.pos, "MP-BAD-VALUE",
			   "unknown %s '%s' (one of: %s)", key, s.text, list);
		free(list);
	}
	free(s.text);
	return false;
}

/* True when n is a mapping; otherwise report that what must be one. */
static bool want_mapping(struct shaper *sh, const struct node *n, const char *what)
{
	if (n->kind == NODE_MAPPING)
		return true;
	type_error(sh, n, what, "a mapping");
	return false;
}

/* True when n is a sequence; otherwise report. */
static bool want_sequence(struct shaper *sh, const struct node *n, const char *what)
{
	if (n->kind == NODE_SEQUENCE)
		return true;
	type_error(sh, n, what, "a sequence");
	return false;
}

/* Keys people write from other formats' habits, and the fix ("help:"):
 * where they are found ("in a mount" ...), the key, the hint.  A mount
 * key that is a mount option is the unquoted comma of a flow mapping. */
static const struct {
	const char *where, *key, *help;
} key_hints[] = {
	{ "in a mount", "ro", "read-only is an option: options: [ro] (rro for the whole tree of an rbind)" },
	{ "in a mount", "read_only", "read-only is an option: options: [ro] (rro for the whole tree of an rbind)" },
	{ "in a mount", "readonly", "read-only is an option: options: [ro]; the top-level readonly: list makes paths read-only" },
	{ "in a mount", "read-only", "read-only is an option: options: [ro] (rro for the whole tree of an rbind)" },
	{ "in a mount", "readOnly", "read-only is an option: options: [ro] (rro for the whole tree of an rbind)" },
	{ "in a mount", "dev", "device files are the option dev/nodev: options: [nodev]; the standard /dev is the top-level dev: standard" },
	{ "in a mount", "destination", "the mount point is target: (OCI's destination)" },
	{ "in a mount", "src", "the host path is source:" },
	{ "in a mount", "dst", "the mount point is target:" },
	{ "in a mount", "tmpfs-size", "a tmpfs size is an option: options: [size=64m] (docker's --tmpfs-size)" },
	{ "in a mount", "tmpfs-mode", "a tmpfs mode is an option: options: [mode=1777] (docker's --tmpfs-mode)" },
	{ "in a mount", "bind-propagation", "propagation is the key propagation: (rslave, rprivate ...)" },
	{ "in a mount", "consistency", "docker's consistency has no effect on Linux: drop it" },
	{ "in a symlink", "source", "a symlink is {path: THE-LINK, target: WHAT-IT-POINTS-TO}: its contents go in target:" },
	{ "in a symlink", "link", "a symlink is {path: THE-LINK, target: WHAT-IT-POINTS-TO}" },
	{ "in a device", "major_minor", "write major: and minor: as two keys" },
};

/* The hint for an unknown key written where, or NULL; an option word as
 * a mount key is a flow mapping's unquoted comma. */
static const char *key_hint(const char *where, const char *key)
{
	static const char *const option_words[] = {
		"nosuid", "nodev", "noexec", "suid", "exec", "rw", "rbind", "bind",
		"noatime", "relatime", "strictatime", "nodiratime", "rro", "rnosuid",
		"rnodev", "rnoexec", "private", "rprivate", "slave", "rslave",
		"shared", "rshared", "tmpcopyup", NULL
	};

	for (size_t k = 0; k < sizeof key_hints / sizeof key_hints[0]; k++)
		if (strcmp(where, key_hints[k].where) == 0 && strcmp(key, key_hints[k].key) == 0)
			return key_hints[k].help;
	if (strcmp(where, "in a mount") != 0)
		return NULL;
	for (size_t k = 0; option_words[k]; k++)
		if (strcmp(key, option_words[k]) == 0 || strncmp(key, "size=", 5) == 0 ||
		    strncmp(key, "mode=", 5) == 0)
			return "this is an option after an unquoted comma: in a flow mapping {options: nosuid,nodev} the comma ends the value; write options: [nosuid, nodev] or quote it: \"nosuid,nodev\"";
	return NULL;
}

/* Index of key in known (NULL-terminated), or -1 after reporting an
 * unknown key (MP-UNKNOWN-KEY) found where, with a help: hint for the
 * usual mistakes (key_hint). */
static int key_index(struct shaper *sh, const struct node *key,
		     const char *const *known, const char *where)
{
	const char *near, *help;

	for (int i = 0; known[i]; i++)
		if (strcmp(node_text(key), known[i]) == 0)
			return i;
	help = key_hint(where, node_text(key));
	if (help) {
		diag_error(sh->sink, node_pos(sh, key), "MP-UNKNOWN-KEY",
			   "unknown key '%s' %s; help: %s", node_text(key), where, help);
		return -1;
	}
	near = closest_word(node_text(key), known);
	if (near)
		diag_error(sh->sink, node_pos(sh, key), "MP-UNKNOWN-KEY",
			   "unknown key '%s' %s; did you mean '%s'?", node_text(key), where, near);
	else
		diag_error(sh->sink, node_pos(sh, key), "MP-UNKNOWN-KEY",
			   "unknown key '%s' %s", node_text(key), where);
	return -1;
}

/* Where an entry of a mapping starts: its first key, or the mapping. */
static struct plan_pos entry_pos(const struct shaper *sh, const struct node *n)
{
	if (n->kind == NODE_MAPPING && n->n_pairs > 0)
		return node_pos(sh, node_pairs(n)[0].key);
	return node_pos(sh, n);
}

/* Report a required key missing from an entry (MP-MISSING). */
static void missing(struct shaper *sh, struct plan_pos pos, const char *what,
		    const char *key)
{
	diag_error(sh->sink, pos, "MP-MISSING", "%s needs '%s'", what, key);
}

static const char *const propagation_words[] = {
	"shared", "slave", "private", "unbindable",
	"rshared", "rslave", "rprivate", "runbindable", NULL
};
const char *const plan_policy_words[] = { "mknod-or-bind", "mknod", "bind", NULL };

/* Read a propagation word as written into *out; false after reporting. */
static bool get_propagation(struct shaper *sh, const char *key,
			    const struct node *n, struct plan_str *out)
{
	size_t i;

	if (!get_word(sh, key, n, propagation_words, &i))
		return false;
	return get_string(sh, key, n, out);
}

/* Options as read (malloc'd strings), before get_options moves them
 * into the plan's arenas. */
struct option_list {
	struct plan_str *v;
	size_t n;
};

/* Append o (its text malloc'd) to list. */
static void option_push(struct option_list *list, struct plan_str o)
{
	list->v = xreallocarray(list->v, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = o;
}

/* Split one comma-separated options string into options appended to
 * list (a comma between double quotes does not separate:
 * options_word_len); each piece keeps its column when the string is on
 * one line.  false after reporting an empty piece. */
static bool split_options(struct shaper *sh, struct option_list *list,
			  const struct node *n)
{
	uint32_t quote = n->plain ? 0 : 1;
	bool one_line = n->end_line == n->line;
	const char *p = node_text(n);
	uint32_t chars = 0; /* characters before p */
	bool ok = true;

	for (;;) {
		size_t len = options_word_len(p, NULL);
		struct plan_pos pos = node_pos(sh, n);
		if (one_line)
			pos.col += quote + chars;
		if (len == 0) {
			diag_error(sh->sink, pos, "MP-BAD-VALUE",
				   "an empty option in '%.60s'", node_text(n));
			ok = false;
		} else {
			struct plan_str o = { xstrndup(p, len), pos };

			if (sh->version >= 2 &&
			    !params_expand(sh->plan, &o, one_line ? 0 : -1,
					   PARAM_USE_OPTION, sh->sink))
				ok = false;
			option_push(list, o);
		}
		for (size_t i = 0; i < len; i++)
			chars += ((unsigned char)p[i] & 0xc0) != 0x80;
		if (!p[len])
			break;
		p += len + 1;
		chars++;
	}
	return ok;
}

/* Read options: a sequence of strings or one comma-separated string,
 * appended to list. */
static bool read_options(struct shaper *sh, struct option_list *list,
			 const struct node *n)
{
	bool ok = true;

	if (n->kind == NODE_SCALAR) {
		struct plan_str s = { 0 };
		if (!get_string(sh, "options", n, &s))
			return false;
		free(s.text);
		return split_options(sh, list, n);
	}
	if (n->kind == NODE_MAPPING) { /* {size: 64m, mode: 1777}: KEY=VALUE words */
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "'options' must be a sequence of strings or one string, not a mapping; help: a filesystem parameter is one word KEY=VALUE: options: [size=64m, mode=1777]");
		return false;
	}
	if (n->kind != NODE_SEQUENCE) {
		key_type_error(sh, n, "options", "a sequence of strings or one string");
		return false;
	}
	for (size_t i = 0; i < n->n_items; i++) {
		const struct node *item = node_items(n)[i];
		struct plan_str s = { 0 };
		if (!get_string(sh, "options", item, &s)) {
			ok = false;
			continue;
		}
		if (!expand(sh, &s, item, PARAM_USE_OPTION))
			ok = false;
		if (!*s.text) {
			diag_error(sh->sink, s.pos, "MP-BAD-VALUE", "an empty option");
			free(s.text);
			ok = false;
			continue;
		}
		option_push(list, s);
	}
	return ok;
}

/* read_options, the options read then moved into the plan's arenas
 * after e's earlier ones (plan_add_options). */
static bool get_options(struct shaper *sh, struct plan_entry *e,
			const struct node *n)
{
	struct option_list read = { 0 };
	bool ok = read_options(sh, &read, n);

	plan_add_options(sh->plan, e, read.v, read.n);
	for (size_t i = 0; i < read.n; i++)
		free(read.v[i].text);
	free(read.v);
	return ok;
}

static bool shape_needs_v2(struct shaper *sh, const struct node *n,
			   const char *what);

enum when_key { WK_PATH, WK_IS, WK_NOT, WK_MAX };
static const char *const when_keys[] = { "path", "is", "not", NULL };
/* `is:` words and the file type each tests (index-aligned). */
static const char *const when_words[] = { "present", "file", "directory",
	"char-device", "block-device", "fifo", "symlink", "socket", NULL };
static const uint32_t when_types[] = { 0, MP_IFREG, MP_IFDIR, MP_IFCHR,
	MP_IFBLK, MP_IFIFO, MP_IFLNK, MP_IFSOCK };

/* when: (v2) a condition on the host: {path: P, is: WORD, not: BOOL}.
 * False after a report. */
static bool get_when(struct shaper *sh, const struct node *key,
		     const struct node *n, struct plan_when *w)
{
	unsigned seen = 0;
	bool ok = true;
	size_t word;

	if (!shape_needs_v2(sh, key, "when"))
		return false;
	if (!want_mapping(sh, n, "'when'"))
		return false;
	w->pos = node_pos(sh, n);
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(n)[i];
		const struct node *v = p->value;
		int k = key_index(sh, p->key, when_keys, "in a condition");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum when_key)k) {
		case WK_PATH:
			ok &= get_value(sh, "path", v, &w->path, PARAM_USE_PATH);
			break;
		case WK_IS:
			if (get_word(sh, "is", v, when_words, &word))
				w->type = when_types[word];
			else
				ok = false;
			break;
		case WK_NOT:
			ok &= get_bool(sh, "not", v, &w->negate);
			break;
		case WK_MAX:
		default:
			ok = false;
			break;
		}
	}
	if (!(seen & 1u << WK_PATH)) {
		missing(sh, w->pos, "a condition", "path");
		ok = false;
	}
	return ok;
}

enum mount_key { MK_TARGET, MK_TYPE, MK_SOURCE, MK_OPTIONS, MK_PROPAGATION,
		 MK_OPTIONAL, MK_UIDMAP, MK_GIDMAP, MK_WHEN, MK_OVERRIDE,
		 MK_FOLLOW, MK_ALLOW_UNKNOWN_TYPE, MK_STACK, MK_MAX };
static const char *const mount_keys[] = { "target", "type", "source", "options",
	"propagation", "optional", "uidmap", "gidmap", "when",
	"override", "follow-symlinks", "allow_unknown_type", "stack", NULL };

/* override: (version 2) on entry e: it replaces an included plan's
 * entry for its target (include.c); false after reporting. */
static bool get_override(struct shaper *sh, const struct node_pair *pair,
			 struct plan_entry *e)
{
	plan_rare(e)->override_pos = node_pos(sh, pair->key);
	return shape_needs_v2(sh, pair->key, "override") &&
	       get_bool(sh, "override", pair->value, &e->cold->override);
}

/* One item of mounts:. */
static void shape_mount(struct shaper *sh, const struct node *n)
{
	struct plan_entry *e = plan_add_entry(sh->plan, PLAN_MOUNT, entry_pos(sh, n));
	unsigned seen = 0;
	bool ok = true;

	if (n->kind == NODE_SCALAR && node_text(n)[0] == '/' && strchr(node_text(n), ':')) {
		diag_error(sh->sink, node_pos(sh, n), "MP-TYPE",
			   "a mount must be a mapping, not '%.60s'; help: Docker's SRC:DST[:ro] is {target: DST, type: bind, source: SRC, options: [rbind, ro]} here",
			   node_text(n));
		goto bad;
	}
	if (!want_mapping(sh, n, "a mount"))
		goto bad;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(n)[i];
		const struct node *v = p->value;
		int k = key_index(sh, p->key, mount_keys, "in a mount");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum mount_key)k) {
		case MK_TARGET:
			ok &= get_target(sh, "target", v, e);
			break;
		case MK_TYPE:
			ok &= get_kept(sh, "type", v, PARAM_USE_MAX, &sh->plan->words, &e->type);
			break;
		case MK_SOURCE:
			ok &= get_kept(sh, "source", v, PARAM_USE_PATH, &sh->plan->words,
					 &e->source);
			break;
		case MK_OPTIONS:
			ok &= get_options(sh, e, v);
			break;
		case MK_PROPAGATION:
			ok &= get_propagation(sh, "propagation", v, &e->cold->propagation);
			break;
		case MK_OPTIONAL:
			ok &= get_bool(sh, "optional", v, &e->cold->optional);
			plan_rare(e)->optional_pos = node_pos(sh, v);
			break;
		case MK_UIDMAP:
			ok &= get_value(sh, "uidmap", v, &plan_rare(e)->uidmap, PARAM_USE_TEXT);
			break;
		case MK_GIDMAP:
			ok &= get_value(sh, "gidmap", v, &plan_rare(e)->gidmap, PARAM_USE_TEXT);
			break;
		case MK_WHEN:
			ok &= get_when(sh, p->key, v, &plan_rare(e)->when);
			break;
		case MK_OVERRIDE:
			ok &= get_override(sh, p, e);
			break;
		case MK_STACK:
			ok &= shape_needs_v2(sh, p->key, "stack") &&
			      get_bool(sh, "stack", v, &e->stack);
			break;
		case MK_FOLLOW:
			plan_rare(e)->follow_pos = node_pos(sh, p->key);
			ok &= shape_needs_v2(sh, p->key, "follow-symlinks") &&
			      get_bool(sh, "follow-symlinks", v, &e->cold->follow_symlinks);
			break;
		case MK_ALLOW_UNKNOWN_TYPE:
			ok &= get_bool(sh, "allow_unknown_type", v, &e->cold->allow_unknown_type);
			break;
		case MK_MAX:
		default:
			ok = false;
			break;
		}
	}
	if (!(seen & 1u << MK_TARGET)) {
		missing(sh, e->cold->pos, "a mount", "target");
		ok = false;
	}
	if (!(seen & 1u << MK_TYPE)) {
		missing(sh, e->cold->pos, "a mount", "type");
		ok = false;
	} else if (e->type.text && strcmp(e->type.text, "bind") == 0 &&
		   !(seen & 1u << MK_SOURCE)) {
		missing(sh, e->cold->pos, "a bind mount", "source");
		ok = false;
	}
	if (ok)
		return;
bad:
	e->bad = true;
}

enum device_key { DK_PATH, DK_TYPE, DK_MAJOR, DK_MINOR, DK_MODE, DK_UID,
		  DK_GID, DK_POLICY, DK_WHEN, DK_OVERRIDE, DK_LIKE_HOST,
		  DK_BEST_EFFORT, DK_MAX };
static const char *const device_keys[] = { "path", "type", "major", "minor",
	"mode", "uid", "gid", "policy", "when", "override", "like-host",
	"best-effort", NULL };
static const char *const device_types[] = { "c", "b", "p", "u", NULL };

/* One item of devices:. */
static void shape_device(struct shaper *sh, const struct node *n)
{
	struct plan_entry *e = plan_add_entry(sh->plan, PLAN_DEVICE, entry_pos(sh, n));
	unsigned seen = 0;
	bool ok = true;
	size_t w;

	e->cold->node->mode = 0666;
	if (!want_mapping(sh, n, "a device"))
		goto bad;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(n)[i];
		const struct node *v = p->value;
		struct plan_pos vpos = node_pos(sh, v);
		int k = key_index(sh, p->key, device_keys, "in a device");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum device_key)k) {
		case DK_PATH:
			ok &= get_target(sh, "path", v, e);
			break;
		case DK_TYPE:
			if (!get_word(sh, "type", v, device_types, &w)) {
				ok = false;
				break;
			}
			free(e->cold->node->dev_type.text);
			e->cold->node->dev_type = (struct plan_str){
				xstrdup(w == 3 ? "c" : device_types[w]), vpos };
			break;
		case DK_MAJOR:
			ok &= get_decimal(sh, "major", v, 4095, &e->cold->node->major);
			e->cold->node->major_pos = vpos;
			break;
		case DK_MINOR:
			ok &= get_decimal(sh, "minor", v, 1048575, &e->cold->node->minor);
			e->cold->node->minor_pos = vpos;
			break;
		case DK_MODE:
			ok &= e->cold->node->has_mode = get_octal(sh, "mode", v, 07777, &e->cold->node->mode);
			e->cold->node->mode_pos = vpos;
			break;
		case DK_UID:
			ok &= e->cold->node->has_uid = get_decimal(sh, "uid", v, 4294967294u, &e->cold->node->uid);
			e->cold->node->uid_pos = vpos;
			break;
		case DK_GID:
			ok &= e->cold->node->has_gid = get_decimal(sh, "gid", v, 4294967294u, &e->cold->node->gid);
			e->cold->node->gid_pos = vpos;
			break;
		case DK_POLICY:
			if (!get_word(sh, "policy", v, plan_policy_words, &w)) {
				ok = false;
				break;
			}
			e->cold->node->policy = (enum plan_device_policy)w;
			e->cold->node->has_policy = true;
			break;
		case DK_WHEN:
			ok &= get_when(sh, p->key, v, &plan_rare(e)->when);
			break;
		case DK_OVERRIDE:
			ok &= get_override(sh, p, e);
			break;
		case DK_LIKE_HOST:
			ok &= shape_needs_v2(sh, p->key, "like-host") &&
			      get_value(sh, "like-host", v, &e->cold->node->like_host, PARAM_USE_PATH);
			break;
		case DK_BEST_EFFORT:
			e->cold->node->best_effort_pos = node_pos(sh, p->key);
			ok &= shape_needs_v2(sh, p->key, "best-effort") &&
			      get_bool(sh, "best-effort", v, &e->cold->node->best_effort);
			break;
		case DK_MAX:
		default:
			ok = false;
			break;
		}
	}
	if (seen & 1u << DK_LIKE_HOST) {
		/* (v2) numbers, type and mode from the host's node at run time */
		const struct plan_pos at[] = { e->cold->node->dev_type.pos, e->cold->node->major_pos, e->cold->node->minor_pos };
		const int not_with[] = { DK_TYPE, DK_MAJOR, DK_MINOR };

		for (size_t k = 0; k < 3; k++)
			if (seen & 1u << not_with[k]) {
				diag_error(sh->sink, at[k], "MP-DEVICE",
					   "a like-host device takes its %s from the host's node: "
					   "write either like-host or %s",
					   device_keys[not_with[k]], device_keys[not_with[k]]);
				ok = false;
			}
		if (e->cold->node->like_host.text && strpbrk(e->cold->node->like_host.text, "*?[")) {
			e->cold->node->glob = true;
			if (seen & 1u << DK_PATH) {
				diag_error(sh->sink, e->target.pos, "MP-DEVICE",
					   "a like-host glob makes each node at its host path: "
					   "it takes no path");
				ok = false;
			}
		}
		if (!(seen & 1u << DK_PATH) && e->cold->node->like_host.text)
			e->target = plan_kept(&sh->plan->targets, e->cold->node->like_host.text,
					      e->cold->node->like_host.pos);
	} else if (!(seen & 1u << DK_PATH)) {
		missing(sh, e->cold->pos, "a device", "path");
		ok = false;
	}
	if (seen & 1u << DK_LIKE_HOST) {
		/* no type: the host's */
	} else if (!(seen & 1u << DK_TYPE)) {
		missing(sh, e->cold->pos, "a device", "type");
		ok = false;
	} else if (e->cold->node->dev_type.text && strcmp(e->cold->node->dev_type.text, "p") != 0) {
		if (!(seen & 1u << DK_MAJOR)) {
			missing(sh, e->cold->pos, "a character or block device", "major");
			ok = false;
		}
		if (!(seen & 1u << DK_MINOR)) {
			missing(sh, e->cold->pos, "a character or block device", "minor");
			ok = false;
		}
	}
	if (!e->cold->node->has_mode)
		e->cold->node->mode = 0666;
	if (ok)
		return;
bad:
	e->bad = true;
}

enum symlink_key { SK_PATH, SK_TARGET, SK_WHEN, SK_OVERRIDE, SK_MAX };
static const char *const symlink_keys[] = { "path", "target", "when", "override", NULL };

/* One item of symlinks:. */
static void shape_symlink(struct shaper *sh, const struct node *n)
{
	struct plan_entry *e = plan_add_entry(sh->plan, PLAN_SYMLINK, entry_pos(sh, n));
	unsigned seen = 0;
	bool ok = true;

	if (!want_mapping(sh, n, "a symlink"))
		goto bad;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(n)[i];
		const struct node *v = p->value;
		int k = key_index(sh, p->key, symlink_keys, "in a symlink");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum symlink_key)k) {
		case SK_PATH:
			ok &= get_target(sh, "path", v, e);
			break;
		case SK_TARGET:
			ok &= get_value(sh, "target", v, &e->cold->node->link, PARAM_USE_TEXT);
			break;
		case SK_WHEN:
			ok &= get_when(sh, p->key, v, &plan_rare(e)->when);
			break;
		case SK_OVERRIDE:
			ok &= get_override(sh, p, e);
			break;
		case SK_MAX:
		default:
			ok = false;
			break;
		}
	}
	if (!(seen & 1u << SK_PATH)) {
		missing(sh, e->cold->pos, "a symlink", "path");
		ok = false;
	}
	if (!(seen & 1u << SK_TARGET)) {
		missing(sh, e->cold->pos, "a symlink", "target");
		ok = false;
	}
	if (ok)
		return;
bad:
	e->bad = true;
}

enum mask_key { XK_PATH, XK_WHEN, XK_OVERRIDE, XK_WRITABLE, XK_MAX };
static const char *const mask_keys[] = { "path", "when", "override", NULL };
static const char *const readonly_keys[] = { "path", "when", "override", "writable", NULL };

/* Read the writable holes of a read-only entry. */
static bool get_holes(struct shaper *sh, struct plan_entry *e,
		      const struct node *n)
{
	bool ok = true;

	if (!want_sequence(sh, n, "'writable'"))
		return false;
	for (size_t i = 0; i < n->n_items; i++) {
		struct plan_str s = { 0 };
		if (!get_value(sh, "writable", node_items(n)[i], &s, PARAM_USE_PATH)) {
			ok = false;
			continue;
		}
		e->cold->node->holes = xreallocarray(e->cold->node->holes, e->n_holes + 1, sizeof(*e->cold->node->holes));
		e->cold->node->holes[e->n_holes++].path = s;
	}
	return ok;
}

/* One item of masks: or readonly: (kind says which): a path, or a
 * mapping with path (and, for readonly, writable). */
static void shape_path_entry(struct shaper *sh, const struct node *n,
			     enum plan_kind kind)
{
	struct plan_entry *e = plan_add_entry(sh->plan, kind, entry_pos(sh, n));
	const char *what = kind == PLAN_MASK ? "a mask" : "a read-only path";
	unsigned seen = 0;
	bool ok = true, b;

	if (n->kind == NODE_SCALAR && !is_null(n) && !is_bool(n, &b)) {
		if (!get_target(sh, "path", n, e))
			goto bad;
		return;
	}
	if (n->kind != NODE_MAPPING) {
		type_error(sh, n, kind == PLAN_MASK ? "a mask" : "a read-only path",
			   "a path or a mapping");
		goto bad;
	}
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(n)[i];
		const struct node *v = p->value;
		int k = key_index(sh, p->key,
				  kind == PLAN_MASK ? mask_keys : readonly_keys,
				  kind == PLAN_MASK ? "in a mask" : "in a read-only path");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum mask_key)k) {
		case XK_PATH:
			ok &= get_target(sh, "path", v, e);
			break;
		case XK_WRITABLE:
			ok &= get_holes(sh, e, v);
			break;
		case XK_WHEN:
			ok &= get_when(sh, p->key, v, &plan_rare(e)->when);
			break;
		case XK_OVERRIDE:
			ok &= get_override(sh, p, e);
			break;
		case XK_MAX:
		default:
			ok = false;
			break;
		}
	}
	if (!(seen & 1u << XK_PATH)) {
		missing(sh, e->cold->pos, what, "path");
		ok = false;
	}
	if (ok)
		return;
bad:
	e->bad = true;
}

/* The paths of `masks: standard` and `readonly: standard` (v2): docker's
 * default maskedPaths and readonlyPaths in docker's order (runc spec's,
 * plus /sys/devices/virtual/powercap), which PC-PROC-UNMASKED,
 * PC-PROC-WRITABLE and PC-SYSFS-UNMASKED ask for. */
static const char *const standard_masks[] = { "/proc/asound", "/proc/acpi",
	"/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap", NULL };
static const char *const standard_readonly[] = { "/proc/bus", "/proc/fs",
	"/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };

/* True when n is the word standard (plain or quoted). */
static bool is_standard(const struct node *n)
{
	return n->kind == NODE_SCALAR && strcmp(node_text(n), "standard") == 0;
}

/* True when the sequence seq (or the single item seq) lists path itself,
 * as a path or as a mapping's path. */
static bool lists_path(const struct node *seq, const char *path)
{
	size_t n = seq->kind == NODE_SEQUENCE ? seq->n_items : 1;

	for (size_t i = 0; i < n; i++) {
		const struct node *item = seq->kind == NODE_SEQUENCE ? node_items(seq)[i] : seq;
		const struct node *it = item;

		if (item->kind == NODE_MAPPING)
			for (size_t k = 0; k < item->n_pairs; k++)
				if (strcmp(node_text(node_pairs(item)[k].key), "path") == 0)
					it = node_pairs(item)[k].value;
		if (it->kind == NODE_SCALAR && strcmp(node_text(it), path) == 0)
			return true;
	}
	return false;
}

/* The word standard at node word in masks: or readonly: (section seq):
 * one entry per standard path at word's position, except the paths seq
 * lists itself (the explicit entry wins, e.g. one with when:). */
static void shape_standard(struct shaper *sh, const struct node *word,
			   const struct node *seq, enum plan_kind kind)
{
	const char *const *paths = kind == PLAN_MASK ? standard_masks : standard_readonly;

	if (!shape_needs_v2(sh, word, "standard"))
		return;
	for (size_t k = 0; paths[k]; k++) {
		struct plan_entry *e;

		if (lists_path(seq, paths[k]))
			continue;
		e = plan_add_entry(sh->plan, kind, node_pos(sh, word));
		e->target = plan_kept(&sh->plan->targets, paths[k], node_pos(sh, word));
		e->cold->standard_word = true;
	}
}

/* One section of entries (mounts: ... readonly:): a sequence of items of
 * that kind; masks: and readonly: also take the word standard, alone or
 * as an item. */
static void shape_section(struct shaper *sh, const struct node *n,
			  enum plan_kind kind)
{
	bool paths = kind == PLAN_MASK || kind == PLAN_READONLY;
	char *subject;
	bool ok;

	if (paths && is_standard(n)) {
		shape_standard(sh, n, n, kind);
		return;
	}
	subject = xasprintf("'%s'", plan_kind_section(kind));
	ok = want_sequence(sh, n, subject);
	free(subject);
	if (!ok)
		return;
	for (size_t i = 0; i < n->n_items; i++) {
		const struct node *item = node_items(n)[i];

		/* items 0 .. i-1 are read: let the plan reuse their memory */
		if (sh->tree && i % 64 == 0 && i)
			node_free_between(sh->tree, n, item);
		if (paths && is_standard(item)) {
			shape_standard(sh, item, n, kind);
			continue;
		}
		switch (kind) {
		case PLAN_MOUNT:
			shape_mount(sh, item);
			break;
		case PLAN_DEVICE:
			shape_device(sh, item);
			break;
		case PLAN_SYMLINK:
			shape_symlink(sh, item);
			break;
		case PLAN_MASK:
		case PLAN_READONLY:
			shape_path_entry(sh, item, kind);
			break;
		case PLAN_KIND_MAX:
		default:
			break;
		}
	}
}

enum rootfs_key { RK_PATH, RK_READONLY, RK_PROPAGATION, RK_PIVOT, RK_TYPE,
		  RK_SOURCE, RK_OPTIONS, RK_ALLOW_UNKNOWN_TYPE, RK_MAX };
static const char *const rootfs_keys[] = { "path", "readonly", "propagation",
	"pivot", "type", "source", "options", "allow_unknown_type", NULL };
const char *const plan_pivot_words[] = { "pivot_root", "move", "chroot", NULL };

/* The last line any scalar of n (a node and what it holds) is on. */
static uint32_t last_line(const struct node *n)
{
	uint32_t last = n->kind == NODE_SCALAR ? n->end_line : n->line;
	size_t n_children = n->kind == NODE_SEQUENCE ? n->n_items :
			    n->kind == NODE_MAPPING ? n->n_pairs : 0;

	for (size_t i = 0; i < n_children; i++) {
		uint32_t l = last_line(n->kind == NODE_SEQUENCE ? node_items(n)[i] :
				       node_pairs(n)[i].value);

		last = l > last ? l : last;
	}
	return last;
}

/* rootfs: */
static void shape_rootfs(struct shaper *sh, const struct node *n)
{
	struct plan *p = sh->plan;
	struct plan_entry *fs = &p->rootfs_fs;
	const struct node *type_key = NULL, *path_key = NULL, *allow_key = NULL;
	size_t w;

	if (!want_mapping(sh, n, "'rootfs'"))
		return;
	/* what the root is (a host directory, or a new filesystem with its
	 * source and options) replaces an included file's whole */
	for (size_t i = 0; i < n->n_pairs; i++) {
		char *id = node_pairs(n)[i].key->kind == NODE_SCALAR ?
			   plan_setting_id("rootfs", node_text(node_pairs(n)[i].key)) : NULL;
		bool root = id && strcmp(id, "rootfs.root") == 0;

		free(id);
		if (root) {
			plan_entry_clear(fs);
			memset(fs, 0, sizeof(*fs));
			plan_cold_init(&p->rootfs_fs_cold);
			fs->cold = &p->rootfs_fs_cold;
			free(p->rootfs_path.text);
			p->rootfs_path.text = NULL;
			break;
		}
	}
	fs->kind = PLAN_MOUNT;
	fs->cold->pos = node_pos(sh, n);
	fs->target = plan_kept(&p->targets, "/", fs->cold->pos);
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node *v = node_pairs(n)[i].value;
		const struct node *key = node_pairs(n)[i].key;
		int k = key_index(sh, key, rootfs_keys, "in rootfs");

		/* a new filesystem as the root is format 2 */
		if ((k == RK_TYPE || k == RK_SOURCE || k == RK_OPTIONS ||
		     k == RK_ALLOW_UNKNOWN_TYPE) &&
		    !shape_needs_v2(sh, key, node_text(key)))
			continue;
		switch ((enum rootfs_key)k) {
		case RK_TYPE:
			type_key = key;
			if (get_kept(sh, "type", v, PARAM_USE_MAX, &p->words, &fs->type))
				fs->cold->pos = node_pos(sh, key);
			break;
		case RK_SOURCE:
			get_kept(sh, "source", v, PARAM_USE_TEXT, &p->words, &fs->source);
			break;
		case RK_OPTIONS:
			get_options(sh, fs, v);
			break;
		case RK_ALLOW_UNKNOWN_TYPE:
			allow_key = key;
			get_bool(sh, "allow_unknown_type", v, &fs->cold->allow_unknown_type);
			break;
		case RK_PATH:
			path_key = key;
			get_value(sh, "path", v, &p->rootfs_path, PARAM_USE_PATH);
			break;
		case RK_READONLY:
			get_bool(sh, "readonly", v, &p->rootfs_readonly);
			break;
		case RK_PROPAGATION:
			get_propagation(sh, "propagation", v, &p->root_propagation);
			break;
		case RK_PIVOT:
			if (get_word(sh, "pivot", v, plan_pivot_words, &w))
				p->pivot = (enum plan_pivot)w;
			p->pivot_pos = node_pos(sh, v);
			break;
		case RK_MAX:
		default:
			break;
		}
	}
	if (type_key && path_key)
		diag_error(sh->sink, node_pos(sh, type_key), "MP-OPTION-CONFLICT",
			   "rootfs has both 'path' (a host directory) and 'type' (a new filesystem): write one");
	if (!type_key && (fs->source.text || fs->cold->n_options || allow_key))
		missing(sh, node_pos(sh, n),
			"a rootfs with 'source', 'options' or 'allow_unknown_type'", "type");
}

enum process_key { PK_UMASK, PK_CWD, PK_INIT, PK_MAX };
static const char *const process_keys[] = { "umask", "cwd", "init", NULL };

/* process: */
static void shape_process(struct shaper *sh, const struct node *n)
{
	struct plan *p = sh->plan;

	if (!want_mapping(sh, n, "'process'"))
		return;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node *v = node_pairs(n)[i].value;
		switch ((enum process_key)key_index(sh, node_pairs(n)[i].key, process_keys,
						    "in process")) {
		case PK_UMASK:
			p->umask_pos = node_pos(sh, v);
			if (get_octal(sh, "umask", v, 0777, &p->umask))
				p->has_umask = true;
			else
				p->umask = 022;
			break;
		case PK_CWD:
			get_value(sh, "cwd", v, &p->cwd, PARAM_USE_PATH);
			break;
		case PK_INIT:
			p->init_pos = node_pos(sh, node_pairs(n)[i].key);
			if (shape_needs_v2(sh, node_pairs(n)[i].key, "init"))
				get_bool(sh, "init", v, &p->init);
			break;
		case PK_MAX:
		default:
			break;
		}
	}
}

enum user_key { UK_UIDMAP, UK_GIDMAP, UK_MAX };
static const char *const user_keys[] = { "uidmap", "gidmap", NULL };
/* namespaces: (v2) words and their MP_NS_* bits (index-aligned); cgroup
 * is the plan's cgroupns, user takes a mapping (shape_userns). */
enum ns_key { NK_PID, NK_IPC, NK_CGROUP, NK_USER, NK_MAX };
static const char *const ns_keys[] = { "pid", "ipc", "cgroup", "user", NULL };
static const uint32_t ns_bits[] = { MP_NS_PID, MP_NS_IPC };

/* namespaces.user: {uidmap, gidmap}, both required, into the plan's
 * userns fields (userns_map when both are valid mappings). */
static void shape_userns(struct shaper *sh, const struct node *key, const struct node *n)
{
	struct plan *p = sh->plan;
	struct plan_str *maps[2] = { &p->userns_uidmap, &p->userns_gidmap };
	char *parsed[2] = { NULL, NULL };

	if (!want_mapping(sh, n, "'namespaces.user'"))
		return;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *pair = &node_pairs(n)[i];
		int k = key_index(sh, pair->key, user_keys, "in namespaces.user");

		if (k >= 0)
			get_value(sh, user_keys[k], pair->value, maps[k], PARAM_USE_TEXT);
	}
	for (int k = 0; k < 2; k++) {
		const char *why = NULL;

		if (!maps[k]->text) {
			missing(sh, node_pos(sh, key), "namespaces.user", user_keys[k]);
			continue;
		}
		parsed[k] = options_id_map(maps[k]->text, &why);
		if (!parsed[k])
			diag_error(sh->sink, maps[k]->pos, "MP-IDMAP", "bad %s: %s", user_keys[k], why);
	}
	if (parsed[0] && parsed[1]) {
		free(p->userns_map);
		p->userns_map = xasprintf("uid=%s;gid=%s", parsed[0], parsed[1]);
	}
	free(parsed[0]);
	free(parsed[1]);
}

/* One namespace word k asked for at n: its bit, or cgroupns; twice is an
 * error. */
static void shape_namespace_on(struct shaper *sh, const struct node *n, enum ns_key k)
{
	struct plan *p = sh->plan;
	bool twice = k == NK_CGROUP ? p->cgroupns : (p->namespaces & ns_bits[k]) != 0;

	if (twice)
		diag_error(sh->sink, node_pos(sh, n), "MP-BAD-VALUE",
			   "namespace '%s' is listed twice", ns_keys[k]);
	if (k == NK_CGROUP)
		p->cgroupns = true;
	else
		p->namespaces |= ns_bits[k];
}

/* namespaces: (v2) either a sequence of words [pid, ipc, cgroup] or a
 * mapping {pid: BOOL, ipc: BOOL, cgroup: BOOL, user: {uidmap, gidmap}}. */
static void shape_namespaces(struct shaper *sh, const struct node *key, const struct node *n)
{
	struct plan *p = sh->plan;

	/* an included plan's namespaces: is replaced whole (include.c says
	 * when it may be) */
	p->namespaces = 0;
	p->cgroupns = false;
	free(p->userns_uidmap.text);
	free(p->userns_gidmap.text);
	free(p->userns_map);
	p->userns_uidmap.text = p->userns_gidmap.text = p->userns_map = NULL;
	p->namespaces_pos = node_pos(sh, key);
	if (n->kind == NODE_SEQUENCE) {
		for (size_t i = 0; i < n->n_items; i++) {
			const struct node *item = node_items(n)[i];
			size_t w;

			if (!get_word(sh, "namespace", item, ns_keys, &w))
				continue;
			if (w == NK_USER)
				diag_error(sh->sink, node_pos(sh, item), "MP-BAD-VALUE",
					   "a user namespace needs its mappings: write namespaces as a mapping, "
					   "user: {uidmap: ..., gidmap: ...}");
			else
				shape_namespace_on(sh, item, (enum ns_key)w);
		}
		return;
	}
	if (!want_mapping(sh, n, "'namespaces'"))
		return;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node_pair *pair = &node_pairs(n)[i];
		const struct node *v = pair->value;
		int k = key_index(sh, pair->key, ns_keys, "in namespaces");
		bool on = false;

		if (k == NK_USER)
			shape_userns(sh, pair->key, v);
		else if (k >= 0 && get_bool(sh, ns_keys[k], v, &on) && on)
			shape_namespace_on(sh, pair->key, (enum ns_key)k);
	}
}

enum top_key { TK_VERSION, TK_NAME, TK_DESCRIPTION, TK_ROOTFS, TK_PROCESS,
	       TK_DEV, TK_DEVICE_POLICY, TK_MOUNTS, TK_DEVICES, TK_SYMLINKS,
	       TK_MASKS, TK_READONLY, TK_PARAMETERS, TK_INCLUDE, TK_NAMESPACES,
	       TK_MOUNT_LABEL, TK_OVERRIDE, TK_MAX };
static const char *const top_keys[] = { "mountplan", "name", "description",
	"rootfs", "process", "dev", "device-policy", "mounts", "devices",
	"symlinks", "masks", "readonly", "parameters", "include", "namespaces",
	"mount-label", "override", NULL };
static const char *const dev_words[] = { "none", "standard", NULL };

/* mountplan: the format version, the integer 1 or 2.  Version 2 admits the
 * keys that shape_needs_v2 guards; a version-1 plan compiles as before. */
static void shape_version(struct shaper *sh, const struct node *v)
{
	if (sh->file == sh->plan->file)
		sh->plan->version_pos = node_pos(sh, v);
	if (v->kind != NODE_SCALAR) {
		key_type_error(sh, v, "mountplan", "the integer 1 or 2");
		return;
	}
	if (!v->plain) {
		diag_error(sh->sink, node_pos(sh, v), "MP-VERSION",
			   "'mountplan' must be the integer 1 or 2, not a quoted string");
		return;
	}
	if (strcmp(node_text(v), "1") != 0 && strcmp(node_text(v), "2") != 0) {
		diag_error(sh->sink, node_pos(sh, v), "MP-VERSION",
			   "unsupported plan format version '%.20s' (this mountplan reads versions 1 and 2)",
			   node_text(v));
		return;
	}
	sh->version = (uint32_t)(node_text(v)[0] - '0');
}

/* Report at node n that the key or word `what` belongs to format version 2
 * when the plan declared version 1; true when the plan may use it. */
static bool shape_needs_v2(struct shaper *sh, const struct node *n, const char *what)
{
	if (sh->version >= 2)
		return true;
	diag_error(sh->sink, node_pos(sh, n), "MP-VERSION",
		   "'%.60s' needs format version 2: write 'mountplan: 2' at the top", what);
	return false;
}

enum param_key { AK_TYPE, AK_DEFAULT, AK_DESCRIPTION, AK_MAX };
static const char *const param_keys[] = { "type", "default", "description", NULL };

/* One declaration of parameters: (name: {type, default, description}),
 * appended to the plan's parameters with its value settled. */
static void shape_parameter(struct shaper *sh, const struct node *key,
			    const struct node *n)
{
	struct plan *pl = sh->plan;
	struct plan_param *p;
	unsigned seen = 0;
	size_t w;

	if (!param_name_ok(node_text(key))) {
		diag_error(sh->sink, node_pos(sh, key), "MP-PARAM-SYNTAX",
			   "'%.64s' is not a parameter name ([A-Za-z_][A-Za-z0-9_]*, at most 64)",
			   node_text(key));
		return;
	}
	for (size_t i = 0; i < pl->n_params; i++) {
		if (strcmp(pl->params[i].name.text, node_text(key)) == 0) {
			char *at = plan_pos_ref(pl->params[i].name.pos, node_pos(sh, key));

			diag_error(sh->sink, node_pos(sh, key), "MP-PARAM-DUP",
				   "parameter '%s' is also declared at %s (a plan and the plans it includes declare each parameter once)",
				   node_text(key), at);
			free(at);
			return;
		}
	}
	pl->params = xreallocarray(pl->params, pl->n_params + 1, sizeof(*pl->params));
	p = &pl->params[pl->n_params++];
	memset(p, 0, sizeof(*p));
	p->name = (struct plan_str){ xstrdup(node_text(key)), node_pos(sh, key) };
	p->fallback.pos = p->description.pos = p->name.pos;
	if (!want_mapping(sh, n, "a parameter")) {
		p->bad = true;
		return;
	}
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct node *v = node_pairs(n)[i].value;
		int k = key_index(sh, node_pairs(n)[i].key, param_keys, "in a parameter");

		seen |= k >= 0 ? 1u << k : 0;
		switch ((enum param_key)k) {
		case AK_TYPE:
			if (get_word(sh, "type", v, param_type_words, &w))
				p->type = (enum plan_param_type)w;
			else
				p->bad = true;
			break;
		case AK_DEFAULT:
			p->bad |= !get_string(sh, "default", v, &p->fallback);
			break;
		case AK_DESCRIPTION:
			get_string(sh, "description", v, &p->description);
			break;
		case AK_MAX:
		default:
			p->bad = true;
			break;
		}
	}
	if (!(seen & 1u << AK_TYPE)) {
		missing(sh, p->name.pos, "a parameter", "type");
		p->bad = true;
	}
	param_settle(p, sh->values, sh->sink);
}

/* parameters: (version 2), read before every key that may use them. */
static void shape_parameters(struct shaper *sh, const struct node_pair *pair)
{
	const struct node *n = pair->value;

	if (!shape_needs_v2(sh, pair->key, "parameters") ||
	    !want_mapping(sh, n, "'parameters'"))
		return;
	for (size_t i = 0; i < n->n_pairs; i++)
		shape_parameter(sh, node_pairs(n)[i].key, node_pairs(n)[i].value);
}

/* One key of the top-level mapping. */
static void shape_top_key(struct shaper *sh, const struct node_pair *pair,
			  unsigned *seen)
{
	struct plan *p = sh->plan;
	const struct node *v = pair->value;
	int k = key_index(sh, pair->key, top_keys, "at the top level");
	size_t w;
	bool b;

	*seen |= k >= 0 ? 1u << k : 0;
	switch ((enum top_key)k) {
	case TK_VERSION: /* read first, by shape_head */
	case TK_PARAMETERS: /* read next */
	case TK_INCLUDE: /* by shape_head, for include.c */
		break;
	case TK_NAME:
		if (get_string(sh, "name", v, &p->name) && !plan_name_ok(p->name.text))
			diag_error(sh->sink, p->name.pos, "MP-BAD-VALUE",
				   "name '%.70s' must be 1 to 64 of A-Z a-z 0-9 . _ -",
				   p->name.text);
		break;
	case TK_DESCRIPTION:
		get_string(sh, "description", v, &p->description);
		break;
	case TK_ROOTFS:
		p->rootfs_pos = node_pos(sh, pair->key);
		p->rootfs_last_line = last_line(v);
		shape_rootfs(sh, v);
		break;
	case TK_PROCESS:
		shape_process(sh, v);
		break;
	case TK_NAMESPACES:
		if (shape_needs_v2(sh, pair->key, "namespaces"))
			shape_namespaces(sh, pair->key, v);
		break;
	case TK_OVERRIDE: /* which included settings this file replaces (include.c) */
		if (!shape_needs_v2(sh, pair->key, "override"))
			break;
		if (v->kind != NODE_SEQUENCE) {
			key_type_error(sh, v, "override",
				       "a sequence of setting names (rootfs.readonly, device-policy ...)");
			break;
		}
		for (size_t i = 0; i < v->n_items; i++)
			get_word(sh, "setting", node_items(v)[i], plan_setting_names, &w);
		break;
	case TK_MOUNT_LABEL:
		if (shape_needs_v2(sh, pair->key, "mount-label") &&
		    get_value(sh, "mount-label", v, &p->mount_label, PARAM_USE_TEXT) &&
		    (!*p->mount_label.text || strpbrk(p->mount_label.text, "\"\\\n"))) {
			diag_error(sh->sink, p->mount_label.pos, "MP-BAD-VALUE",
				   "mount-label must be a non-empty SELinux context without "
				   "quotes, backslashes or newlines");
			p->bad_label = true;
		}
		break;
	case TK_DEV:
		p->dev_pos = node_pos(sh, pair->key);
		if (is_bool(v, &b)) {
			diag_error(sh->sink, node_pos(sh, v), "MP-BAD-VALUE",
				   "dev takes a word, not a boolean; help: dev: standard gives the standard /dev (tmpfs, null zero full random urandom tty, pts, shm, ptmx and the fd links); leave dev out for none");
			break;
		}
		if (get_word(sh, "dev", v, dev_words, &w))
			p->dev_standard = w == 1;
		break;
	case TK_DEVICE_POLICY:
		if (get_word(sh, "device-policy", v, plan_policy_words, &w))
			p->device_policy = (enum plan_device_policy)w;
		break;
	case TK_MOUNTS:
		shape_section(sh, v, PLAN_MOUNT);
		break;
	case TK_DEVICES:
		shape_section(sh, v, PLAN_DEVICE);
		break;
	case TK_SYMLINKS:
		shape_section(sh, v, PLAN_SYMLINK);
		break;
	case TK_MASKS:
		shape_section(sh, v, PLAN_MASK);
		break;
	case TK_READONLY:
		shape_section(sh, v, PLAN_READONLY);
		break;
	case TK_MAX:
	default:
		break;
	}
}

/* A new plan for the file whose tree is root; see passes.h. */
struct plan *shape_new_plan(const struct node *root, const char *file,
			    struct diag_sink *sink)
{
	struct shaper sh = { sink, file, NULL, NULL, 0, NULL };
	struct plan_pos top;
	struct plan *p;

	if (!root)
		return NULL;
	top = entry_pos(&sh, root);
	if (root->kind != NODE_MAPPING) {
		type_error(&sh, root, "the plan", "a mapping of keys");
		return NULL;
	}
	p = plan_new();
	p->file = file;
	p->version_pos = top;
	p->rootfs_pos = top; /* without rootfs:, the ops it implies sit here */
	p->pivot = PLAN_PIVOT_ROOT;
	p->pivot_pos = p->rootfs_pos;
	p->umask = 022;
	p->umask_pos = p->rootfs_pos;
	p->dev_pos = p->rootfs_pos;
	p->device_policy = PLAN_DEVPOL_AUTO;
	p->name.pos = p->description.pos = p->rootfs_path.pos = top;
	p->root_propagation.pos = p->cwd.pos = top;
	return p;
}

/* The value of the top-level key of root named key, or NULL. */
static const struct node_pair *top_pair(const struct node *root, const char *key)
{
	for (size_t i = 0; i < root->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(root)[i];
		const struct node *k = p->key;
		if (k->kind == NODE_SCALAR && strcmp(node_text(k), key) == 0)
			return p;
	}
	return NULL;
}

/* The head of one file of a plan; see passes.h. */
uint32_t shape_head(struct plan *plan, const struct node *root, const char *file,
		    const struct plan_values *values, struct diag_sink *sink,
		    const struct node **include)
{
	struct shaper sh = { sink, file, plan, values, 0, NULL };
	const struct node_pair *pair;

	*include = NULL;
	if (root->kind != NODE_MAPPING) {
		type_error(&sh, root, "the plan", "a mapping of keys");
		return 0;
	}
	/* The version decides which keys exist, so it is read first. */
	pair = top_pair(root, "mountplan");
	if (pair)
		shape_version(&sh, pair->value);
	else
		diag_error(sink, entry_pos(&sh, root), "MP-VERSION",
			   "the plan needs 'mountplan: 1' or 'mountplan: 2' (the format version)");
	/* Then the parameters, which the values of the other keys use. */
	pair = top_pair(root, "parameters");
	if (pair)
		shape_parameters(&sh, pair);
	pair = top_pair(root, "include");
	if (pair && shape_needs_v2(&sh, pair->key, "include"))
		*include = pair->value;
	return sh.version;
}

/* The rest of one file of a plan; see passes.h. */
void shape_body(struct plan *plan, const struct node *root, const char *file,
		uint32_t version, const struct plan_values *values,
		struct diag_sink *sink)
{
	struct shaper sh = { sink, file, plan, values, version, root };
	unsigned seen = 0;

	if (root->kind != NODE_MAPPING)
		return; /* shape_head reported it */
	for (size_t i = 0; i < root->n_pairs; i++)
		shape_top_key(&sh, &node_pairs(root)[i], &seen);
	if (!(seen & 1u << TK_NAME))
		missing(&sh, entry_pos(&sh, root), "the plan", "name");
}

/* The end of shaping a plan; see passes.h. */
void shape_finish(struct plan *plan, const struct plan_values *values,
		  struct diag_sink *sink)
{
	values_check_names(values, plan, sink);
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		if (e->kind == PLAN_DEVICE && !e->cold->node->has_policy)
			e->cold->node->policy = plan->device_policy;
	}
}

/* Build the plan from one tree, reporting every shape error. */
struct plan *check_shape(const struct node *root, const char *file,
			 const struct plan_values *values, struct diag_sink *sink)
{
	struct plan *p = shape_new_plan(root, file, sink);
	const struct node *include;

	if (!p)
		return NULL;
	p->version = shape_head(p, root, file, values, sink, &include);
	shape_body(p, root, file, p->version, values, sink);
	shape_finish(p, values, sink);
	return p;
}
