/*
 * diff_out.c: a diff's changes and findings as text, JSON, Markdown (a
 * pull-request comment) and SARIF (the introduced findings); diff.h.
 */
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "json_write.h"
#include "sarif.h"

/* The item a change is about. */
static const struct diff_item *subject(const struct diff_change *c)
{
	return c->new ? c->new : c->old;
}

/* The value of field k of the change's new item as it was in the old
 * item, or NULL when the old item had no such field. */
static const char *old_value(const struct diff_change *c, const char *name)
{
	return diff_field_value(c->old, name);
}

/* Does the changed item's field list differ only in order? */
static bool order_only(const struct diff_change *c)
{
	for (size_t k = 0; k < c->new->n_fields; k++) {
		const char *o = old_value(c, c->new->fields[k].name);
		if (!o || strcmp(o, c->new->fields[k].value) != 0)
			return false;
	}
	for (size_t k = 0; k < c->old->n_fields; k++)
		if (!diff_field_value(c->new, c->old->fields[k].name))
			return false;
	return true;
}

/* Each field difference of a changed item: fn(name, old or "-", new or
 * "-"), new's fields first, then those only the old one had; a
 * difference of order alone is one call named "order". */
static void each_difference(const struct diff_change *c,
			    void (*fn)(void *arg, const char *name, const char *old,
				       const char *new),
			    void *arg)
{
	if (order_only(c)) {
		char a[512] = "", b[512] = "";

		for (size_t k = 0; k < c->old->n_fields; k++)
			snprintf(a + strlen(a), sizeof a - strlen(a), "%s%s", k ? "," : "",
				 c->old->fields[k].name);
		for (size_t k = 0; k < c->new->n_fields; k++)
			snprintf(b + strlen(b), sizeof b - strlen(b), "%s%s", k ? "," : "",
				 c->new->fields[k].name);
		fn(arg, "order", a, b);
		return;
	}
	for (size_t k = 0; k < c->new->n_fields; k++) {
		const struct diff_field *f = &c->new->fields[k];
		const char *o = old_value(c, f->name);

		if (!o || strcmp(o, f->value) != 0)
			fn(arg, f->name, o ? o : "-", f->value);
	}
	for (size_t k = 0; k < c->old->n_fields; k++) {
		const struct diff_field *f = &c->old->fields[k];

		if (!diff_field_value(c->new, f->name))
			fn(arg, f->name, f->value, "-");
	}
}

/* Text of one field difference: " name: old -> new" (a setting's value
 * without its name). */
static void text_difference(void *arg, const char *name, const char *old, const char *new)
{
	FILE *out = arg;

	fputc(' ', out);
	if (strcmp(name, "value") != 0) {
		text_string(out, name);
		fputs(": ", out);
	}
	text_string(out, old);
	fputs(" -> ", out);
	text_string(out, new);
}

/* "  weakens: A; B" when the change has reasons. */
static void text_weakens(FILE *out, const struct diff_change *c)
{
	for (size_t k = 0; k < c->n_weakens; k++) {
		fputs(k ? "; " : "  weakens: ", out);
		text_string(out, c->weakens[k]);
	}
}

/* One finding line: "VERB ID: file:line:col: message". */
static void text_finding(FILE *out, const char *verb, const struct diag *d)
{
	fprintf(out, "%s %s: ", verb, d->id);
	text_string(out, d->pos.file ? d->pos.file : "-");
	fprintf(out, ":%u:%u: ", d->pos.line, d->pos.col);
	text_string(out, d->message);
	fputc('\n', out);
}

/* An added or removed item's fields: " name=value ...", a setting's
 * value alone. */
static void text_fields(FILE *out, const struct diff_item *it)
{
	bool setting = strcmp(it->section, "setting") == 0 && it->n_fields == 1;

	for (size_t k = 0; k < it->n_fields; k++) {
		fputc(' ', out);
		if (!setting) {
			text_string(out, it->fields[k].name);
			fputc('=', out);
		}
		text_string(out, it->fields[k].value);
	}
}

/* Print as text; see diff.h. */
void diff_print_text(FILE *out, const struct diff_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_change *c = &r->changes[i];
		const struct diff_item *it = subject(c);

		if (c->sign == DIFF_EFFECT || c->sign == DIFF_ORDER) {
			fputs(c->sign == DIFF_EFFECT ? "! " : "= order ", out);
			text_string(out, c->effect_path);
		} else {
			fprintf(out, "%c %s ", c->sign, it->section);
			text_string(out, it->key); /* plan strings: escaped, one line per change */
			if (it->occurrence)
				fprintf(out, " (#%u)", it->occurrence + 1);
			if (c->sign == DIFF_CHANGED)
				each_difference(c, text_difference, out);
			else
				text_fields(out, it);
		}
		text_weakens(out, c);
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->introduced.n; i++)
		text_finding(out, "introduces", &r->introduced.items[i]);
	for (size_t i = 0; i < r->resolved.n; i++)
		text_finding(out, "resolves", &r->resolved.items[i]);
}

/* An item's fields as a JSON object, or null. */
static void json_fields(FILE *out, const struct diff_item *it)
{
	if (!it) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	for (size_t k = 0; k < it->n_fields; k++) {
		fputs(k ? ", " : "", out);
		json_string(out, it->fields[k].name);
		fputs(": ", out);
		json_string(out, it->fields[k].value);
	}
	fputc('}', out);
}

/* An item's position as {"file", "line", "column"}, or null. */
static void json_pos(FILE *out, const struct diff_item *it)
{
	if (!it || !it->pos.file) {
		fputs("null", out);
		return;
	}
	fputs("{\"file\": ", out);
	json_string(out, it->pos.file);
	fprintf(out, ", \"line\": %u, \"column\": %u}", it->pos.line, it->pos.col);
}

/* Where json_difference writes, and whether it wrote yet. */
struct json_array {
	FILE *out;
	bool first;
};

/* The JSON array element of one field difference (arg: a json_array). */
static void json_difference(void *arg, const char *name, const char *old, const char *new)
{
	struct json_array *a = arg;
	FILE *out = a->out;

	fputs(a->first ? "" : ", ", out);
	a->first = false;
	fputs("{\"field\": ", out);
	json_string(out, name);
	fputs(", \"old\": ", out);
	json_string(out, old);
	fputs(", \"new\": ", out);
	json_string(out, new);
	fputc('}', out);
}

/* Findings as a JSON array. */
static void json_findings(FILE *out, const struct diag_sink *s)
{
	fputc('[', out);
	for (size_t i = 0; i < s->n; i++) {
		const struct diag *d = &s->items[i];

		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		json_string(out, d->id);
		fprintf(out, ", \"severity\": \"%s\", \"message\": ", diag_severity_name(d->severity));
		json_string(out, d->message);
		fputs(", \"file\": ", out);
		json_string(out, d->pos.file);
		fprintf(out, ", \"line\": %u, \"column\": %u}", d->pos.line, d->pos.col);
	}
	fputc(']', out);
}

/* The JSON name of a change's sign. */
static const char *sign_name(enum diff_sign s)
{
	return s == DIFF_ADDED ? "added" : s == DIFF_REMOVED ? "removed" :
	       s == DIFF_CHANGED ? "changed" : s == DIFF_EFFECT ? "effect" : "order";
}

/* Print as JSON; see diff.h. */
void diff_print_json(FILE *out, const struct diff_result *r)
{
	fprintf(out, "{\"equal\": %s, \"weakening\": %zu, \"findings_compared\": %s,\n"
		     " \"changes\": [",
		r->n ? "false" : "true", diff_weakening_count(r),
		r->findings_compared ? "true" : "false");
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_change *c = &r->changes[i];
		const struct diff_item *it = c->old || c->new ? subject(c) : NULL;

		fprintf(out, "%s{\"change\": \"%s\", \"section\": ", i ? ",\n  " : "\n  ",
			sign_name(c->sign));
		json_string(out, it ? it->section : c->sign == DIFF_EFFECT ? "table" : "ops");
		fputs(", \"path\": ", out);
		json_string(out, it ? it->key : c->sign == DIFF_EFFECT ? c->effect_path : NULL);
		fprintf(out, ", \"occurrence\": %u,\n   \"old\": ", it ? it->occurrence + 1 : 0);
		json_fields(out, c->old);
		fputs(", \"new\": ", out);
		json_fields(out, c->new);
		fputs(",\n   \"old_position\": ", out);
		json_pos(out, c->old);
		fputs(", \"new_position\": ", out);
		json_pos(out, c->new);
		fputs(",\n   \"differences\": [", out);
		if (c->sign == DIFF_CHANGED) {
			struct json_array arg = { out, true };
			each_difference(c, json_difference, &arg);
		}
		fputs("], \"detail\": ", out);
		json_string(out, c->sign == DIFF_ORDER ? c->effect_path : NULL);
		fputs(", \"weakens\": [", out);
		for (size_t k = 0; k < c->n_weakens; k++) {
			fputs(k ? ", " : "", out);
			json_string(out, c->weakens[k]);
		}
		fputs("]}", out);
	}
	fputs(r->n ? "\n ],\n \"introduced\": " : "],\n \"introduced\": ", out);
	json_findings(out, &r->introduced);
	fputs(",\n \"resolved\": ", out);
	json_findings(out, &r->resolved);
	fputs("}\n", out);
}

/* plain as Markdown code in a table cell: escaped as text_string does,
 * backticks fenced by a longer run, '|' escaped. */
static void md_code(FILE *out, const char *plain)
{
	char *e = text_escaped(plain);
	const char *s = e;
	bool tick = strchr(s, '`') != NULL;

	fputs(tick ? "`` " : "`", out);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
	fputs(tick ? " ``" : "`", out);
	free(e);
}

/* plain as text in a table cell: escaped as text_string does, then
 * '|', '<', '>', '*', '_', '`', '[', ']' and '\\' escaped. */
static void md_text(FILE *out, const char *plain)
{
	char *e = text_escaped(plain);

	for (const char *s = e; *s; s++) {
		if (strchr("|<>*_`[]\\", *s))
			fprintf(out, "\\%c", *s);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
	free(e);
}

/* The Markdown of one field difference: "name: `old` → `new`<br>". */
static void md_difference(void *arg, const char *name, const char *old, const char *new)
{
	FILE *out = arg;

	md_text(out, name);
	fputs(": ", out);
	md_code(out, old);
	fputs(" → ", out);
	md_code(out, new);
	fputs("<br>", out);
}

/* The position of an item as "file:line". */
static void md_pos(FILE *out, const struct diff_item *it)
{
	char buf[32];

	if (!it || !it->pos.file)
		return;
	md_code(out, it->pos.file);
	snprintf(buf, sizeof buf, ":%u", it->pos.line);
	fputs(buf, out);
}

/* Print as Markdown; see diff.h. */
void diff_print_markdown(FILE *out, const struct diff_result *r, const char *old_label,
			 const char *new_label)
{
	size_t weak = diff_weakening_count(r);

	fputs("### mountplan diff ", out);
	md_code(out, old_label);
	fputs(" → ", out);
	md_code(out, new_label);
	fputs("\n\n", out);
	if (!r->n && !r->introduced.n) {
		fputs("No change to the container.\n", out);
		return;
	}
	fprintf(out, "%zu change%s; **%zu weaken%s isolation**.\n\n", r->n, r->n == 1 ? "" : "s",
		weak, weak == 1 ? "s" : "");
	if (r->n)
		fputs("| | What | Change | Where | Weakens |\n|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < r->n; i++) {
		const struct diff_change *c = &r->changes[i];
		const struct diff_item *it = c->old || c->new ? subject(c) : NULL;

		fprintf(out, "| %s | ", c->n_weakens ? ":warning:" :
					c->sign == DIFF_ADDED ? "+" : c->sign == DIFF_REMOVED ? "−" : "~");
		if (it) {
			md_text(out, it->section);
			fputc(' ', out);
			md_code(out, it->key);
		} else {
			md_text(out, c->sign == DIFF_EFFECT ? "path " : "op order ");
			md_code(out, c->effect_path);
		}
		fputs(" | ", out);
		if (c->sign == DIFF_CHANGED) {
			each_difference(c, md_difference, out);
		} else if (it) {
			fputs(c->sign == DIFF_ADDED ? "added: " : "removed: ", out);
			for (size_t k = 0; k < it->n_fields; k++) {
				md_text(out, it->fields[k].name);
				fputc('=', out);
				md_code(out, it->fields[k].value);
				fputc(' ', out);
			}
		}
		fputs(" | ", out);
		md_pos(out, c->old);
		if (c->old && c->new && c->old->pos.file)
			fputs(" → ", out);
		md_pos(out, c->new);
		fputs(" | ", out);
		for (size_t k = 0; k < c->n_weakens; k++) {
			fputs(k ? "; " : "", out);
			md_text(out, c->weakens[k]);
		}
		fputs(" |\n", out);
	}
	if (r->introduced.n)
		fputs("\n**plan-check findings this change introduces**\n\n", out);
	for (size_t i = 0; i < r->introduced.n; i++) {
		const struct diag *d = &r->introduced.items[i];
		char buf[40];

		fputs("- **", out);
		md_text(out, d->id);
		fprintf(out, "** (%s) at ", diag_severity_name(d->severity));
		md_code(out, d->pos.file ? d->pos.file : "-");
		snprintf(buf, sizeof buf, ":%u:%u: ", d->pos.line, d->pos.col);
		fputs(buf, out);
		md_text(out, d->message);
		fputc('\n', out);
	}
	if (r->resolved.n)
		fprintf(out, "\nIt also resolves %zu finding%s.\n", r->resolved.n,
			r->resolved.n == 1 ? "" : "s");
}

/* Print the introduced findings as SARIF; see diff.h. */
void diff_print_sarif(FILE *out, const struct diff_result *r)
{
	sarif_print(&r->introduced, out);
}
