/*
 * diag.c: collect diagnostics and print them gcc-style or as JSON.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "json_write.h"
#include "util.h"

/* Initialize an empty sink. */
void diag_init(struct diag_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
}

/* Free everything the sink owns. */
void diag_free(struct diag_sink *sink)
{
	for (size_t i = 0; i < sink->n; i++) {
		free(sink->items[i].id);
		free(sink->items[i].message);
	}
	for (size_t i = 0; i < sink->n_sources; i++) {
		free(sink->sources[i].file);
		free(sink->sources[i].text);
	}
	free(sink->items);
	free(sink->sources);
	memset(sink, 0, sizeof(*sink));
}

/* Register a file's text, taken; see diag.h. */
const char *diag_take_source(struct diag_sink *sink, const char *file,
			     char *text, size_t len)
{
	struct diag_source *s;

	sink->sources = xreallocarray(sink->sources, sink->n_sources + 1,
				      sizeof(*sink->sources));
	s = &sink->sources[sink->n_sources++];
	s->file = xstrdup(file);
	s->text = text;
	s->len = text ? len : 0;
	return s->file;
}

/* Register a copy of a file's text; returns the sink's copy of the name. */
const char *diag_add_source(struct diag_sink *sink, const char *file,
			    const char *text, size_t len)
{
	char *copy = NULL;

	if (text) {
		copy = xmalloc(len + 1);
		memcpy(copy, text, len);
		copy[len] = 0;
	}
	return diag_take_source(sink, file, copy, len);
}

/* Record a diagnostic (va_list form). */
static void diag_vreport(struct diag_sink *sink, enum diag_severity severity,
			 struct plan_pos pos, const char *id, const char *fmt,
			 va_list ap)
{
	struct diag *d;

	sink->items = xgrow(sink->items, sink->n, &sink->cap, sizeof(*d));
	d = &sink->items[sink->n++];
	d->severity = severity;
	d->pos = pos;
	d->id = xstrdup(id);
	d->message = xvasprintf(fmt, ap);
	sink->counts[severity]++;
}

/* Record a diagnostic at pos. */
void diag_report(struct diag_sink *sink, enum diag_severity severity,
		 struct plan_pos pos, const char *id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, severity, pos, id, fmt, ap);
	va_end(ap);
}

/* Move a diagnostic into sink; see diag.h. */
void diag_take(struct diag_sink *sink, struct diag *d, struct plan_pos pos)
{
	sink->items = xgrow(sink->items, sink->n, &sink->cap, sizeof(*d));
	sink->items[sink->n] = *d;
	sink->items[sink->n++].pos = pos;
	sink->counts[d->severity]++;
	d->id = d->message = NULL;
}

/* Record an error at pos. */
void diag_error(struct diag_sink *sink, struct plan_pos pos, const char *id,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, DIAG_ERROR, pos, id, fmt, ap);
	va_end(ap);
}

/* Number of diagnostics at severity or above. */
size_t diag_count_at_least(const struct diag_sink *sink,
			   enum diag_severity severity)
{
	size_t n = 0;

	for (int s = severity; s < DIAG_SEVERITY_MAX; s++)
		n += sink->counts[s];
	return n;
}

/* "error", "warning", "note". */
const char *diag_severity_name(enum diag_severity severity)
{
	switch (severity) {
	case DIAG_NOTE:
		return "note";
	case DIAG_WARNING:
		return "warning";
	case DIAG_ERROR:
		return "error";
	case DIAG_SEVERITY_MAX:
		break;
	default:
		break;
	}
	return "?";
}

/* Order two diagnostics by file, line, column; ties keep report order. */
static int diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c = x->pos.file == y->pos.file ? 0 : /* mostly one file */
		strcmp(x->pos.file ? x->pos.file : "", y->pos.file ? y->pos.file : "");

	if (c)
		return c;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x < y ? -1 : x > y; /* stable: items are in report order */
}

/* The registered text of file, or NULL. */
static const struct diag_source *find_source(const struct diag_sink *sink,
					     const char *file)
{
	for (size_t i = 0; file && i < sink->n_sources; i++)
		if (strcmp(sink->sources[i].file, file) == 0)
			return &sink->sources[i];
	return NULL;
}

/* Where the last excerpt was found, so that printing sorted diagnostics
 * walks each file once instead of once per diagnostic. */
struct excerpt_cursor {
	const struct diag_source *src;
	const char *p; /* start of line n */
	uint32_t n;
};

/* Print v in decimal, right-aligned in width columns (printf's "%*u"
 * without the format parsing: one per line of a long report). */
static void put_uint(FILE *out, uint32_t v, int width)
{
	char digits[10];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (; width > n; width--)
		putc(' ', out);
	while (n)
		putc(digits[--n], out);
}

/* Print line `line` of src and a caret under column col (columns count
 * characters, as libyaml's marks do; a tab keeps its place). */
static void print_excerpt(FILE *out, const struct diag_source *src,
			  uint32_t line, uint32_t col, struct excerpt_cursor *cur)
{
	const char *p = src->text, *end = src->text + src->len, *e;
	uint32_t n = 1;
	char *pad;
	size_t pad_len;

	if (cur->src == src && cur->n <= line) {
		p = cur->p;
		n = cur->n;
	}
	while (p < end && n < line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
		n++;
	}
	cur->src = src;
	cur->p = p;
	cur->n = n;
	if (n != line || p >= end)
		return;
	e = memchr(p, '\n', (size_t)(end - p));
	if (!e)
		e = end;
	if (e > p && e[-1] == '\r')
		e--;
	/* the line as text_string shows it (tabs kept), and under it the caret
	 * at column col, one pad character per column shown before it */
	put_uint(out, line, 5);
	fputs(" | ", out);
	pad = xmalloc((size_t)(e - p) * 6 + 1);
	pad_len = 0;
	for (uint32_t c = 1; p < e; c++) {
		size_t used = text_plain_run(p, (size_t)(e - p)), width = 1;

		if (used) { /* a plain run at once: one column a byte */
			fwrite(p, 1, used, out);
			for (size_t k = 0; k < used && c + k < col; k++)
				pad[pad_len++] = ' ';
			p += used;
			c += (uint32_t)used - 1;
			continue;
		}
		if (*p == '\t' || *p == '\\') { /* kept: the line is shown as is */
			fputc(*p, out);
			used = 1;
		} else {
			width = text_char(out, p, (size_t)(e - p), &used);
		}
		for (size_t k = 0; c < col && k < width; k++)
			pad[pad_len++] = *p == '\t' ? '\t' : ' ';
		p += used;
	}
	pad[pad_len] = 0;
	fputs("\n      | ", out);
	fputs(pad, out);
	fputs("^\n", out);
	free(pad);
}

/* Print s as a JSON string, NULL as ""; see diag.h. */
void diag_json_string(FILE *out, const char *s)
{
	json_string(out, s ? s : "");
}

/* Print one diagnostic to out (text or JSON; i: its place in the list),
 * with its excerpt from the sink's sources. */
static void print_one(const struct diag_sink *sink, const struct diag *d, size_t i,
		      FILE *out, enum diag_format format, struct excerpt_cursor *cur)
{
	const struct diag_source *src;

	if (format == DIAG_JSON) {
		fputs(i ? ",\n {" : "\n {", out);
		fputs("\"file\": ", out);
		diag_json_string(out, d->pos.file);
		fprintf(out, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", \"id\": ",
			d->pos.line, d->pos.col, diag_severity_name(d->severity));
		diag_json_string(out, d->id);
		fputs(", \"message\": ", out);
		diag_json_string(out, d->message);
		fputs("}", out);
		return;
	}
	/* file and message may hold what a plan or config held: escaped,
	 * so each diagnostic stays one line */
	text_string(out, d->pos.file);
	if (d->pos.line) {
		putc(':', out);
		put_uint(out, d->pos.line, 0);
		putc(':', out);
		put_uint(out, d->pos.col, 0);
	}
	fputs(": ", out);
	fputs(diag_severity_name(d->severity), out);
	fputs(": ", out);
	text_string(out, d->message);
	fputs(" [", out);
	fputs(d->id, out);
	fputs("]\n", out);
	src = find_source(sink, d->pos.file);
	if (src && src->text && d->pos.line)
		print_excerpt(out, src, d->pos.line, d->pos.col, cur);
}

/* Write what the memory stream buf holds (*chunk, *len after a flush) to
 * out and empty buf. */
static void spill(FILE *buf, char **chunk, size_t *len, FILE *out)
{
	fflush(buf);
	fwrite(*chunk, 1, *len, out);
	fseeko(buf, 0, SEEK_SET); /* a memory stream's size is its position */
}

/* Print every diagnostic, sorted.  The text goes through a memory
 * stream written to out 64 KiB at a time: out is often stderr, which is
 * unbuffered (a write(2) for every putc otherwise). */
void diag_print(struct diag_sink *sink, FILE *out, enum diag_format format)
{
	struct excerpt_cursor cur = { NULL, NULL, 0 };
	char *chunk = NULL;
	size_t len = 0;
	FILE *buf, *w;

	if (!sink->n && format != DIAG_JSON) /* nothing to print */
		return;
	buf = open_memstream(&chunk, &len);
	w = buf ? buf : out;

	if (sink->n > 1)
		qsort(sink->items, sink->n, sizeof(*sink->items), diag_cmp);
	if (format == DIAG_JSON)
		fputs("[", w);
	for (size_t i = 0; i < sink->n; i++) {
		print_one(sink, &sink->items[i], i, w, format, &cur);
		if (buf && ftello(buf) >= 65536)
			spill(buf, &chunk, &len, out);
	}
	if (format == DIAG_JSON)
		fputs(sink->n ? "\n]\n" : "]\n", w);
	if (buf) {
		spill(buf, &chunk, &len, out);
		fclose(buf);
		free(chunk);
	}
}
