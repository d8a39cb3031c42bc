/*
 * params.c: parameter values, types and ${name} expansion (params.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "node.h"
#include "options.h"
#include "params.h"
#include "passes.h"
#include "paths.h"
#include "util.h"

/* The name positions of --set arguments are in this pseudo-file, one
 * argument per line. */
#define SET_FILE "--set"

const char *const param_type_words[] = { "string", "path", "integer", "label", NULL };

/* Free everything vals owns. */
void values_free(struct plan_values *vals)
{
	for (size_t i = 0; i < vals->n; i++) {
		free(vals->v[i].name);
		free(vals->v[i].text);
	}
	free(vals->v);
	for (size_t i = 0; i < vals->n_sources; i++) {
		free(vals->sources[i].file);
		free(vals->sources[i].text);
	}
	free(vals->sources);
	*vals = (struct plan_values){ .any_plan = vals->any_plan,
				      .include_root = vals->include_root };
}

/* The source of vals named file, added (empty) when missing. */
static struct diag_source *values_source(struct plan_values *vals,
					 const char *file)
{
	struct diag_source *s;

	for (size_t i = 0; i < vals->n_sources; i++)
		if (strcmp(vals->sources[i].file, file) == 0)
			return &vals->sources[i];
	vals->sources = xreallocarray(vals->sources, vals->n_sources + 1,
				      sizeof(*vals->sources));
	s = &vals->sources[vals->n_sources++];
	s->file = xstrdup(file);
	s->text = xstrdup("");
	s->len = 0;
	return s;
}

/* Append a value. */
static void values_add(struct plan_values *vals, const char *name, size_t name_len,
		       const char *text, size_t len, struct plan_pos pos, bool from_set)
{
	vals->v = xgrow(vals->v, vals->n, &vals->cap, sizeof(*vals->v));
	vals->v[vals->n++] = (struct plan_value){
		xstrndup(name, name_len), xstrndup(text, len), pos, from_set };
}

/* The number of UTF-8 characters in the first n bytes of s. */
static uint32_t chars(const char *s, size_t n)
{
	uint32_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Add --set arg; see params.h. */
const char *values_set(struct plan_values *vals, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct diag_source *src;
	char *line, *text;
	size_t n;

	if (!eq)
		return "needs NAME=VALUE";
	line = xstrndup(arg, (size_t)(eq - arg));
	if (!param_name_ok(line)) {
		free(line);
		return "needs a parameter name ([A-Za-z_][A-Za-z0-9_]*) before '='";
	}
	free(line);
	src = values_source(vals, SET_FILE);
	vals->n_set++;
	/* the quoted line: control characters shown as '?', so a value
	 * holding a newline stays on its line */
	line = xstrdup(arg);
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	text = xasprintf("%s%s\n", src->text, line);
	free(line);
	free(src->text);
	src->text = text;
	src->len = strlen(text);
	n = (size_t)(eq - arg);
	values_add(vals, arg, n, eq + 1, strlen(eq + 1),
		   (struct plan_pos){ src->file, vals->n_set, chars(arg, n) + 2 }, true);
	return NULL;
}

/* The values of the mapping root of a values file named file; false
 * after reporting into sink. */
static bool values_of_tree(struct plan_values *vals, const struct node *root,
			   const char *file, struct diag_sink *sink)
{
	bool ok = true;

	if (root->kind != NODE_MAPPING) {
		diag_error(sink, (struct plan_pos){ file, root->line, root->col },
			   "MP-TYPE", "a values file must be a mapping of parameter names to values");
		return false;
	}
	for (size_t i = 0; i < root->n_pairs; i++) {
		const struct node_pair *p = &node_pairs(root)[i];
		const struct node *k = p->key, *v = p->value;
		struct plan_pos kpos = { file, k->line, k->col };

		if (!param_name_ok(node_text(k))) {
			diag_error(sink, kpos, "MP-PARAM-SYNTAX",
				   "'%.64s' is not a parameter name ([A-Za-z_][A-Za-z0-9_]*, at most 64)",
				   node_text(k));
			ok = false;
		} else if (v->kind != NODE_SCALAR || strlen(node_text(v)) != v->len ||
			   (v->plain && (v->len == 0 || strcmp(node_text(v), "~") == 0 ||
					 strcmp(node_text(v), "null") == 0))) {
			diag_error(sink, (struct plan_pos){ file, v->line, v->col }, "MP-TYPE",
				   "the value of '%s' must be a string or a number", node_text(k));
			ok = false;
		} else {
			values_add(vals, node_text(k), k->len, node_text(v), v->len,
				   (struct plan_pos){ file, v->line, v->col }, false);
		}
	}
	return ok;
}

/* Read a values file; see params.h. */
bool values_read(struct plan_values *vals, const char *path,
		 enum diag_format format)
{
	struct diag_sink sink;
	struct diag_source *src;
	struct node *root;
	int io = 0;
	bool ok = false;

	diag_init(&sink);
	root = load_file(path, false, &sink, &io);
	if (root) {
		const struct diag_source *s = &sink.sources[sink.n_sources - 1];

		src = values_source(vals, s->file);
		free(src->text);
		src->text = xstrndup(s->text, s->len);
		src->len = s->len;
		ok = values_of_tree(vals, root, src->file, &sink);
		node_free(root);
	}
	if (sink.n)
		diag_print(&sink, stderr, format);
	diag_free(&sink);
	return ok;
}

/* Register the values' sources; see params.h. */
void values_register(const struct plan_values *vals, struct diag_sink *sink)
{
	for (size_t i = 0; vals && i < vals->n_sources; i++)
		diag_add_source(sink, vals->sources[i].file, vals->sources[i].text,
				vals->sources[i].len);
}

/* Is file one of vals' sources; see params.h. */
bool values_source_named(const struct plan_values *vals, const char *file)
{
	for (size_t i = 0; vals && i < vals->n_sources; i++)
		if (strcmp(vals->sources[i].file, file) == 0)
			return true;
	return false;
}

/* The value given for name; see params.h. */
const struct plan_value *values_find(const struct plan_values *vals,
				     const char *name)
{
	const struct plan_value *found = NULL;

	for (size_t i = 0; vals && i < vals->n; i++) {
		const struct plan_value *v = &vals->v[i];

		if (strcmp(v->name, name) == 0 && (v->from_set || !found || !found->from_set))
			found = v;
	}
	return found;
}

/* The parameter of plan named name (len bytes), or NULL. */
static struct plan_param *param_find(const struct plan *plan, const char *name,
				     size_t len)
{
	for (size_t i = 0; i < plan->n_params; i++)
		if (strlen(plan->params[i].name.text) == len &&
		    strncmp(plan->params[i].name.text, name, len) == 0)
			return &plan->params[i];
	return NULL;
}

/* The declared parameter closest to name, for "did you mean", or NULL. */
static const char *param_closest(const struct plan *plan, const char *name)
{
	const char **names = xcalloc(plan->n_params + 1, sizeof(*names));
	const char *near;

	for (size_t i = 0; i < plan->n_params; i++)
		names[i] = plan->params[i].name.text;
	near = closest_word(name, names);
	free(names);
	return near;
}

/* Report every --set of an undeclared name; see params.h. */
void values_check_names(const struct plan_values *vals, const struct plan *plan,
			struct diag_sink *sink)
{
	if (vals && vals->any_plan)
		return;
	for (size_t i = 0; vals && i < vals->n; i++) {
		const struct plan_value *v = &vals->v[i];
		struct plan_pos at;
		const char *near;

		if (!v->from_set || param_find(plan, v->name, strlen(v->name)))
			continue;
		near = param_closest(plan, v->name);
		at = v->pos;
		at.col = 1; /* the name, at the start of its --set line */
		diag_error(sink, at, "MP-PARAM-UNKNOWN",
			   "the plan declares no parameter '%.64s'%s%s%s", v->name,
			   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	}
}

/* Is name a parameter name; see params.h. */
bool param_name_ok(const char *name)
{
	size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				"0123456789_");

	return n >= 1 && n <= 64 && !name[n] && !(name[0] >= '0' && name[0] <= '9');
}

/* Why text is not an SELinux context user:role:type[:level], or NULL. */
static const char *label_problem(const char *text)
{
	size_t colons = 0;

	if (strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_.:,-") != strlen(text))
		return "holds a character other than A-Z a-z 0-9 _ . : , - (an SELinux context is user:role:type[:level])";
	for (const char *c = text; *c; c++)
		colons += *c == ':';
	if (colons < 2 || text[0] == ':')
		return "is not an SELinux context user:role:type[:level]";
	return NULL;
}

/* Why text is not a value of type; see params.h. */
const char *param_value_problem(enum plan_param_type type, const char *text)
{
	size_t len = strlen(text);

	for (size_t i = 0, k; i < len; i += k) {
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return "holds a control character";
		k = utf8_sequence((const unsigned char *)text + i, len - i);
		if (!k)
			return "is not UTF-8 (a plan's strings are)";
	}
	if (len > 4095)
		return "is longer than 4095 bytes";
	switch (type) {
	case PLAN_PARAM_STRING:
		return NULL;
	case PLAN_PARAM_PATH:
		return path_problem(text);
	case PLAN_PARAM_INTEGER:
		if (!len || strspn(text, "0123456789") != len)
			return "is not a decimal integer";
		if (len > 20 || (len == 20 && strcmp(text, "18446744073709551615") > 0))
			return "is larger than 18446744073709551615";
		return NULL;
	case PLAN_PARAM_LABEL:
		return label_problem(text);
	case PLAN_PARAM_TYPE_MAX:
	default:
		break;
	}
	return "has an unknown type";
}

/* text for a message: at most 64 bytes, a control character as \xNN,
 * "..." when cut (malloc'd). */
static char *shown(const char *text)
{
	char *out = xmalloc(64 * 4 + 4), *o = out;
	size_t i;

	for (i = 0; text[i] && i < 64; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	strcpy(o, text[i] ? "..." : "");
	return out;
}

/* Settle a parameter's value; see params.h. */
void param_settle(struct plan_param *p, const struct plan_values *vals,
		  struct diag_sink *sink)
{
	const struct plan_value *given = values_find(vals, p->name.text);
	const char *problem;
	char *text;

	free(p->value.text);
	p->value = (struct plan_str){ NULL, p->name.pos };
	if (given) {
		p->value = (struct plan_str){ xstrdup(given->text), given->pos };
		p->given = true;
	} else if (p->fallback.text) {
		p->value = (struct plan_str){ xstrdup(p->fallback.text), p->fallback.pos };
	}
	if (!p->value.text || p->bad)
		return;
	problem = param_value_problem(p->type, p->value.text);
	if (!problem)
		return;
	text = shown(p->value.text);
	diag_error(sink, p->value.pos, "MP-PARAM-VALUE",
		   "%s '%s' of parameter '%s' (%s, declared at %s:%u:%u) %s",
		   p->given ? "the value" : "the default", text, p->name.text,
		   param_type_words[p->type], p->name.pos.file, p->name.pos.line,
		   p->name.pos.col, problem);
	free(text);
	p->bad = true;
}

/* The position of the byte at offset of s, whose text starts text_col
 * columns after s->pos (-1: unknown, s->pos itself). */
static struct plan_pos ref_pos(const struct plan_str *s, int text_col,
			       size_t offset)
{
	struct plan_pos pos = s->pos;

	if (text_col >= 0)
		pos.col += (uint32_t)text_col + chars(s->text, offset);
	return pos;
}

/* Does option (one mount option after expansion) hold a comma outside
 * double quotes, or unbalanced quotes? */
static bool option_splits(const char *option)
{
	bool open_quote;

	return option[options_word_len(option, &open_quote)] || open_quote;
}

/* Where a parameter's value came from, as "--set:1:5" or the default's
 * "plan.yaml:4:14" (a buffer of the calling thread's). */
static const char *value_origin(const struct plan_param *p)
{
	static _Thread_local char buf[512];

	snprintf(buf, sizeof buf, "%s %s:%u:%u", p->given ? "set at" : "default at",
		 p->value.pos.file, p->value.pos.line, p->value.pos.col);
	return buf;
}

/* Check one reference's value for a use; false after reporting at pos. */
static bool use_ok(const struct plan_param *p, enum param_use use,
		   struct plan_pos pos, struct diag_sink *sink)
{
	if (use == PARAM_USE_OPTION && strchr(p->value.text, '"')) {
		diag_error(sink, pos, "MP-PARAM-VALUE",
			   "the value of '%s' (%s) holds a double quote, which a mount option cannot take",
			   p->name.text, value_origin(p));
		return false;
	}
	return true;
}

/* Look up the reference name (len bytes) at pos; the parameter with a
 * value, or NULL after reporting. */
static struct plan_param *resolve(struct plan *plan, const char *name, size_t len,
				  struct plan_pos pos, struct diag_sink *sink)
{
	struct plan_param *p = param_find(plan, name, len);
	char *copy;
	const char *near;

	if (p && p->bad)
		return NULL; /* reported at its declaration or value */
	if (p && p->value.text)
		return p;
	if (p) {
		p->uses++;
		diag_error(sink, pos, "MP-PARAM-UNSET",
			   "parameter '%s' (declared at %s:%u:%u) has no value here: give one with --set %s=VALUE or a values file, or declare a default",
			   p->name.text, p->name.pos.file, p->name.pos.line, p->name.pos.col,
			   p->name.text);
		return NULL;
	}
	copy = xstrndup(name, len);
	near = param_closest(plan, copy);
	diag_error(sink, pos, "MP-PARAM-UNKNOWN",
		   "'${%.64s}' names no declared parameter%s%s%s", copy,
		   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	free(copy);
	return NULL;
}

/* Record the note of a substitution at pos. */
static void add_subst(struct plan *plan, struct plan_pos pos, char *note)
{
	plan->substs = xgrow(plan->substs, plan->n_substs, &plan->cap_substs,
			     sizeof(*plan->substs));
	plan->substs[plan->n_substs++] = (struct plan_subst){ pos, note };
}

/* Expand the references of s; see params.h. */
bool params_expand(struct plan *plan, struct plan_str *s, int text_col,
		   enum param_use use, struct diag_sink *sink)
{
	const char *t = s->text;
	char *out = NULL, *note = NULL, *tmp;
	size_t out_len = 0;
	FILE *f;
	bool ok = true;

	if (!t || !strstr(t, "${"))
		return true;
	f = open_memstream(&out, &out_len);
	if (!f)
		abort();
	for (size_t i = 0; t[i];) {
		const char *close;
		struct plan_pos pos = ref_pos(s, text_col, i);
		struct plan_param *p;

		if (strncmp(t + i, "$${", 3) == 0) { /* escape: a literal ${ */
			fputs("${", f);
			i += 3;
			continue;
		}
		if (strncmp(t + i, "${", 2) != 0) {
			fputc(t[i++], f);
			continue;
		}
		close = strchr(t + i + 2, '}');
		if (!close) {
			diag_error(sink, pos, "MP-PARAM-SYNTAX",
				   "'${' without its closing '}' (write $${ for a literal ${)");
			ok = false;
			break;
		}
		tmp = xstrndup(t + i + 2, (size_t)(close - t - i - 2));
		i = (size_t)(close - t) + 1;
		if (!param_name_ok(tmp)) {
			diag_error(sink, pos, "MP-PARAM-SYNTAX",
				   "'${%.64s}' is not a parameter reference (a name is [A-Za-z_][A-Za-z0-9_]*; write $${ for a literal ${)",
				   tmp);
			free(tmp);
			ok = false;
			continue;
		}
		p = resolve(plan, tmp, strlen(tmp), pos, sink);
		free(tmp);
		if (!p || !use_ok(p, use, pos, sink)) {
			ok = false;
			continue;
		}
		p->uses++;
		tmp = xasprintf("%s%s'${%s}' is '%.64s' (%s)", note ? note : "",
				note ? "; " : "", p->name.text, p->value.text,
				value_origin(p));
		free(note);
		note = tmp;
		fputs(p->value.text, f);
	}
	if (fclose(f) != 0)
		abort();
	if (ok && use == PARAM_USE_OPTION && option_splits(out)) {
		diag_error(sink, s->pos, "MP-PARAM-VALUE",
			   "option '%.64s' becomes '%.64s', which is not one option (%s): a value may hold a comma only between double quotes",
			   t, out, note ? note : "no reference");
		ok = false;
	}
	if (ok) {
		free(s->text);
		s->text = out;
		out = NULL;
		if (note)
			add_subst(plan, s->pos, note);
		note = NULL;
	}
	free(out);
	free(note);
	return ok;
}

/* The substitution note at pos; see params.h. */
const char *plan_subst_note(const struct plan *plan, struct plan_pos pos)
{
	for (size_t i = 0; i < plan->n_substs; i++) {
		const struct plan_subst *s = &plan->substs[i];

		if (s->pos.line == pos.line && s->pos.col == pos.col &&
		    s->pos.file == pos.file)
			return s->note;
	}
	return NULL;
}
