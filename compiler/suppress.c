/*
 * suppress.c: rule switches (defaults, config file, command line) and
 * inline `# plan-check: disable=ID[,ID] reason` comments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "rules.h"
#include "suppress.h"
#include "util.h"

/* One inline suppression comment. */
struct inline_sup {
	struct plan_pos pos; /* of the # */
	bool comment_only;   /* nothing but blanks before the # */
	char **ids;
	bool *used;          /* ids[k] dropped a finding */
	size_t n_ids;
};

struct suppress_file {
	struct inline_sup *v; /* by line, ascending */
	size_t n;
	uint32_t block_first, block_last; /* the rootfs: block; 0 when none */
};

/* Start from the catalogue's defaults. */
void suppress_init(struct suppress *s)
{
	s->enabled = xcalloc(n_rules, sizeof(*s->enabled));
	for (size_t i = 0; i < n_rules; i++)
		s->enabled[i] = rules[i].enabled;
	s->threshold = -1;
}

/* Free what s owns. */
void suppress_free(struct suppress *s)
{
	free(s->enabled);
	s->enabled = NULL;
}

/* A threshold's severity; see suppress.h. */
int suppress_severity(const char *name)
{
	for (int sev = 0; sev < DIAG_SEVERITY_MAX; sev++)
		if (strcmp(name, diag_severity_name((enum diag_severity)sev)) == 0)
			return sev;
	return -1;
}

/* --enable/--disable ID. */
int suppress_set(struct suppress *s, const char *id, bool on)
{
	const struct rule *r = rule_find(id);

	if (!r)
		return -1;
	s->enabled[r - rules] = on;
	return 0;
}

/* Report the problems of one suppression of id at pos into sink: an ID
 * that is no plan-check rule, and (once per suppression, by the caller)
 * a missing reason.  Returns whether id names a rule. */
static bool check_sup_id(const char *id, struct plan_pos pos,
			 struct diag_sink *sink)
{
	const struct rule *unknown = rule_find("PC-SUPPRESS-UNKNOWN");

	if (rule_find(id))
		return true;
	if (strncmp(id, "MP-", 3) == 0)
		diag_report(sink, unknown->severity, pos, unknown->id,
			    "%s is a compiler error and cannot be suppressed", id);
	else
		diag_report(sink, unknown->severity, pos, unknown->id,
			    "suppression names '%s', which is not a plan-check rule", id);
	return false;
}

/* Report a suppression without a reason at pos. */
static void no_reason(struct plan_pos pos, const char *ids, struct diag_sink *sink)
{
	const struct rule *r = rule_find("PC-SUPPRESS-NO-REASON");

	diag_report(sink, r->severity, pos, r->id,
		    "suppression of %s gives no reason", ids);
}

/* ---- inline comments ---------------------------------------------------- */

/* Is c a character of a rule ID? */
static bool id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Parse one line [p, e) for a suppression comment; append it to f. */
static void scan_line(struct suppress_file *f, const char *file, uint32_t line,
		      const char *p, const char *e, struct diag_sink *sink)
{
	static const char tag[] = "plan-check:";
	const char *hash = NULL, *q;
	struct inline_sup sup = { { file, line, 1 }, true, NULL, NULL, 0 };
	struct plan_pos pos = { file, line, 1 };
	char *id_list;

	for (q = p; q < e; q++) {
		if (*q != '#' || (q > p && q[-1] != ' ' && q[-1] != '\t'))
			continue;
		const char *t = q + 1;
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		if ((size_t)(e - t) >= sizeof tag - 1 && memcmp(t, tag, sizeof tag - 1) == 0) {
			hash = q;
			q = t + sizeof tag - 1;
			break;
		}
	}
	if (!hash)
		return;
	for (const char *c = p; c < hash; c++) {
		if (*c != ' ' && *c != '\t')
			sup.comment_only = false;
		if (((unsigned char)*c & 0xc0) != 0x80)
			pos.col++;
	}
	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	if ((size_t)(e - q) < 8 || memcmp(q, "disable=", 8) != 0) {
		const struct rule *r = rule_find("PC-SUPPRESS-UNKNOWN");
		diag_report(sink, r->severity, pos, r->id,
			    "plan-check comment without disable=ID[,ID]");
		return;
	}
	q += 8;
	const char *ids_start = q;
	while (q < e) {
		const char *s = q;

		while (q < e && id_char(*q))
			q++;
		if (q > s) {
			char *id = xstrndup(s, (size_t)(q - s));

			if (check_sup_id(id, pos, sink)) {
				sup.ids = xreallocarray(sup.ids, sup.n_ids + 1, sizeof(*sup.ids));
				sup.ids[sup.n_ids++] = id;
			} else {
				free(id);
			}
		}
		if (q < e && *q == ',')
			q++;
		else
			break;
	}
	id_list = xstrndup(ids_start, (size_t)(q - ids_start));
	while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q == e)
		no_reason(pos, id_list, sink);
	free(id_list);
	sup.pos = pos;
	sup.used = xcalloc(sup.n_ids + 1, sizeof(*sup.used));
	f->v = xreallocarray(f->v, f->n + 1, sizeof(*f->v));
	f->v[f->n++] = sup;
}

/* Scan a plan file's text for inline suppressions. */
struct suppress_file *suppress_scan(const char *file, const char *text,
				    size_t len, struct diag_sink *sink)
{
	struct suppress_file *f = xcalloc(1, sizeof(*f));
	const char *p = text, *end = text + len;
	uint32_t line = 1;

	while (text && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		if (memchr(p, '#', (size_t)(e - p)))
			scan_line(f, file, line, p, e, sink);
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	return f;
}

/* Free a scan. */
void suppress_file_free(struct suppress_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		for (size_t k = 0; k < f->v[i].n_ids; k++)
			free(f->v[i].ids[k]);
		free(f->v[i].ids);
		free(f->v[i].used);
	}
	free(f->v);
	free(f);
}

/* The suppression at line, or NULL (binary search). */
static struct inline_sup *sup_at(struct suppress_file *f, uint32_t line)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->v[mid].pos.line == line)
			return &f->v[mid];
		if (f->v[mid].pos.line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Does sup name id?  Marks that ID used when it does. */
static bool sup_names(struct inline_sup *sup, const char *id)
{
	for (size_t k = 0; sup && k < sup->n_ids; k++)
		if (strcmp(sup->ids[k], id) == 0)
			return sup->used[k] = true;
	return false;
}

/* The rootfs: block; see suppress.h. */
void suppress_file_block(struct suppress_file *f, uint32_t first, uint32_t last)
{
	if (f) {
		f->block_first = first;
		f->block_last = last;
	}
}

/* Does a suppression of f's rootfs: block name id (a finding in the
 * block)?  Marks it used when it does. */
static bool block_names(struct suppress_file *f, const char *id)
{
	for (size_t i = 0; i < f->n && f->v[i].pos.line <= f->block_last; i++) {
		struct inline_sup *sup = &f->v[i];

		if (sup->pos.line + 1 < f->block_first ||
		    (sup->pos.line < f->block_first && !sup->comment_only))
			continue;
		if (sup_names(sup, id))
			return true;
	}
	return false;
}

/* Should finding d be dropped? */
bool suppress_drops(const struct suppress *s, struct suppress_file *f,
		    const struct diag *d)
{
	const struct rule *r = rule_find(d->id);
	struct inline_sup *above;

	if (!r)
		return false; /* the compiler's */
	if (f && d->pos.line) {
		if (sup_names(sup_at(f, d->pos.line), d->id))
			return true;
		above = d->pos.line > 1 ? sup_at(f, d->pos.line - 1) : NULL;
		if (above && above->comment_only && sup_names(above, d->id))
			return true;
		if (f->block_first && d->pos.line >= f->block_first &&
		    d->pos.line <= f->block_last && block_names(f, d->id))
			return true;
	}
	return !s->enabled[r - rules];
}

/* Report each ID of an inline suppression that dropped no finding. */
void suppress_report_unused(const struct suppress_file *f, const char *file,
			    struct diag_sink *sink)
{
	const struct rule *r = rule_find("PC-SUPPRESS-UNUSED");

	for (size_t i = 0; f && i < f->n; i++) {
		struct plan_pos pos = f->v[i].pos;

		pos.file = file;
		for (size_t k = 0; k < f->v[i].n_ids; k++)
			if (!f->v[i].used[k])
				diag_report(sink, r->severity, pos, r->id,
					    "suppression of %s matches no finding on this line or the next",
					    f->v[i].ids[k]);
	}
}

/* ---- the config file ---------------------------------------------------- */

/* The position of a libyaml node. */
static struct plan_pos node_pos(const char *file, const yaml_node_t *n)
{
	struct plan_pos pos = { file, (uint32_t)n->start_mark.line + 1,
				(uint32_t)n->start_mark.column + 1 };
	return pos;
}

/* Apply one item of disable:/enable: ("ID", "ID reason", or {id, reason}). */
static int config_item(struct suppress *s, yaml_document_t *doc, yaml_node_t *n,
		       bool on, const char *file, struct diag_sink *sink)
{
	char *id = NULL;
	const char *reason = NULL;
	struct plan_pos pos = node_pos(file, n);
	bool ok;

	if (n->type == YAML_SCALAR_NODE) {
		const char *v = (const char *)n->data.scalar.value;
		size_t w = strcspn(v, " \t");

		id = xstrndup(v, w);
		reason = v + w + strspn(v + w, " \t");
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			yaml_node_t *v = yaml_document_get_node(doc, p->value);

			if (!k || !v || k->type != YAML_SCALAR_NODE ||
			    v->type != YAML_SCALAR_NODE) {
				free(id);
				return -1;
			}
			if (strcmp((char *)k->data.scalar.value, "id") == 0 && !id) {
				id = xstrdup((char *)v->data.scalar.value);
			} else if (strcmp((char *)k->data.scalar.value, "reason") == 0) {
				reason = (char *)v->data.scalar.value;
			} else {
				free(id);
				return -1;
			}
		}
	}
	if (!id)
		return -1;
	ok = check_sup_id(id, pos, sink);
	if (ok)
		suppress_set(s, id, on);
	if (ok && !on && (!reason || !*reason))
		no_reason(pos, id, sink);
	free(id);
	return 0;
}

/* Apply the parsed config document; -1 on a shape it does not take. */
static int config_apply(struct suppress *s, yaml_document_t *doc, const char *file,
			struct diag_sink *sink)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);

	if (!root)
		return 0; /* empty file */
	if (root->type != YAML_MAPPING_NODE)
		return -1;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *key;

		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return -1;
		key = (const char *)k->data.scalar.value;
		if (strcmp(key, "severity-threshold") == 0 && v->type == YAML_SCALAR_NODE) {
			s->threshold = suppress_severity((const char *)v->data.scalar.value);
			if (s->threshold < 0)
				return -1;
		} else if ((strcmp(key, "disable") == 0 || strcmp(key, "enable") == 0) &&
			   v->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				yaml_node_t *n = yaml_document_get_node(doc, *it);
				if (!n || config_item(s, doc, n, key[0] == 'e', file, sink) < 0)
					return -1;
			}
		} else {
			return -1;
		}
	}
	return 0;
}

/* The largest config file plan-check reads. */
#define CONFIG_MAX ((size_t)1 << 20)

/* Read a config file into s; see suppress.h. */
int suppress_load_config(struct suppress *s, const char *path, bool found,
			 struct diag_sink *sink)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	const char *file, *why;
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	if (input_file_read(path, found ? INPUT_NO_LINK : INPUT_PIPES, CONFIG_MAX, &text, &len,
			    &why) < 0 ||
	    (len > CONFIG_MAX && (why = "larger than 1 MiB"))) {
		fprintf(stderr, "plan-check: %s: %s\n", path, why);
		free(text);
		return -1;
	}
	file = diag_add_source(sink, path, text, len);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "plan-check: %s:%zu:%zu: %s\n", path,
			parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			parser.problem ? parser.problem : "YAML error");
		rc = -1;
	} else {
		if (config_apply(s, &doc, file, sink) < 0) {
			fprintf(stderr,
				"plan-check: %s: a config holds severity-threshold: note|warning|error, "
				"disable: [ID reason | {id: ID, reason: TEXT}], enable: [ID]\n",
				path);
			rc = -1;
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	return rc;
}
