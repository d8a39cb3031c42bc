/*
 * json_read.c: a plan (or an OCI config.json) written as JSON, read as
 * libyaml's event stream.  JSON is YAML 1.2, but libyaml (YAML 1.1)
 * refuses some valid JSON: a surrogate pair (\ud83d\ude00: each half is
 * an invalid escape to it), a key longer than 1024 characters, a key
 * and its ':' on different lines (libyaml's "simple key" limits).  A
 * text that is valid JSON (RFC 8259) is therefore turned into the
 * events libyaml would give for it, with the same marks (0-based line
 * and column in characters, a scalar's start at its opening quote), so
 * the loader builds the same tree and every diagnostic lands at the same
 * position; any other text (YAML, or JSON with an error) is left to
 * libyaml, whose errors name their position.
 */
#include <stdlib.h>
#include <string.h>
#include "json_read.h"
#include "util.h"

/* Where the reader is. */
struct json_reader {
	const unsigned char *s;
	size_t len, i;
	yaml_mark_t mark;             /* of s[i] */
	size_t max_depth;
	json_emit_fn *emit;           /* NULL: only check */
	void *ctx;
	char *buf;                    /* a string's decoded bytes */
	size_t n, cap;
	bool stop;                    /* emit said stop */
};

/* Step over n bytes (not a line break), counting characters as libyaml
 * does: a UTF-8 continuation byte is no column. */
static void step(struct json_reader *r, size_t n)
{
	for (size_t k = 0; k < n && r->i < r->len; k++, r->i++, r->mark.index++)
		if ((r->s[r->i] & 0xc0) != 0x80)
			r->mark.column++;
}

/* Skip JSON whitespace (space, tab, line feed, carriage return; \r\n and
 * a lone \r are one line break each, as for libyaml). */
static void skip_ws(struct json_reader *r)
{
	while (r->i < r->len) {
		unsigned char c = r->s[r->i];

		if (c == ' ' || c == '\t') {
			step(r, 1);
		} else if (c == '\n' || c == '\r') {
			r->i += c == '\r' && r->i + 1 < r->len && r->s[r->i + 1] == '\n' ? 2 : 1;
			r->mark.index = r->i;
			r->mark.line++;
			r->mark.column = 0;
		} else {
			break;
		}
	}
}

/* Hand one event over (when emitting); false to stop. */
static bool emit(struct json_reader *r, yaml_event_type_t type, yaml_mark_t start,
		 yaml_scalar_style_t style, const char *value, size_t len)
{
	yaml_event_t ev;

	if (!r->emit)
		return true;
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.start_mark = start;
	ev.end_mark = r->mark;
	if (type == YAML_SCALAR_EVENT) {
		ev.data.scalar.value = (yaml_char_t *)value;
		ev.data.scalar.length = len;
		ev.data.scalar.plain_implicit = style == YAML_PLAIN_SCALAR_STYLE;
		ev.data.scalar.quoted_implicit = style != YAML_PLAIN_SCALAR_STYLE;
		ev.data.scalar.style = style;
	} else if (type == YAML_MAPPING_START_EVENT) {
		ev.data.mapping_start.implicit = 1;
		ev.data.mapping_start.style = YAML_FLOW_MAPPING_STYLE;
	} else if (type == YAML_SEQUENCE_START_EVENT) {
		ev.data.sequence_start.implicit = 1;
		ev.data.sequence_start.style = YAML_FLOW_SEQUENCE_STYLE;
	} else if (type == YAML_DOCUMENT_START_EVENT || type == YAML_DOCUMENT_END_EVENT) {
		ev.data.document_start.implicit = 1;
	}
	if (!r->emit(r->ctx, &ev))
		r->stop = true;
	return !r->stop;
}

/* Append byte c to the decoded string. */
static void put(struct json_reader *r, unsigned char c)
{
	if (!r->emit)
		return;
	if (r->n + 1 >= r->cap)
		r->buf = xreallocarray(r->buf, r->cap = r->cap ? 2 * r->cap : 256, 1);
	r->buf[r->n++] = (char)c;
}

/* Append code point u as UTF-8. */
static void put_utf8(struct json_reader *r, unsigned long u)
{
	if (u < 0x80) {
		put(r, (unsigned char)u);
	} else if (u < 0x800) {
		put(r, (unsigned char)(0xc0 | u >> 6));
		put(r, (unsigned char)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		put(r, (unsigned char)(0xe0 | u >> 12));
		put(r, (unsigned char)(0x80 | (u >> 6 & 0x3f)));
		put(r, (unsigned char)(0x80 | (u & 0x3f)));
	} else {
		put(r, (unsigned char)(0xf0 | u >> 18));
		put(r, (unsigned char)(0x80 | (u >> 12 & 0x3f)));
		put(r, (unsigned char)(0x80 | (u >> 6 & 0x3f)));
		put(r, (unsigned char)(0x80 | (u & 0x3f)));
	}
}

/* The 4 hex digits at s[i] (after "\u"), or -1. */
static long hex4(const struct json_reader *r, size_t i)
{
	long v = 0;

	if (i + 4 > r->len)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		int c = r->s[k], d = c >= '0' && c <= '9' ? c - '0' :
				     c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				     c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string at s[i] (its opening quote), decoded into buf; false when it
 * is not valid JSON or not a Unicode string (a lone surrogate). */
static bool read_string(struct json_reader *r)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

	r->n = 0;
	step(r, 1);
	while (r->i < r->len && r->s[r->i] != '"') {
		unsigned char c = r->s[r->i];
		const char *e;
		long u, lo;

		if (c < 0x20)
			return false; /* a raw control character */
		if (c != '\\') {
			put(r, c);
			step(r, 1);
			continue;
		}
		if (r->i + 1 >= r->len)
			return false;
		c = r->s[r->i + 1];
		if (c == 'u') {
			if ((u = hex4(r, r->i + 2)) < 0)
				return false;
			if (u >= 0xdc00 && u <= 0xdfff)
				return false; /* a low half alone */
			if (u >= 0xd800 && u <= 0xdbff) { /* a pair: \uD83D\uDE00 */
				if (r->i + 11 >= r->len || r->s[r->i + 6] != '\\' ||
				    r->s[r->i + 7] != 'u' || (lo = hex4(r, r->i + 8)) < 0xdc00 ||
				    lo > 0xdfff)
					return false;
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				step(r, 6);
			}
			put_utf8(r, (unsigned long)u);
			step(r, 6);
			continue;
		}
		for (e = escapes; *e && *e != (char)c; e += 2)
			;
		if (!*e)
			return false;
		put(r, (unsigned char)e[1]);
		step(r, 2);
	}
	if (r->i >= r->len)
		return false;
	step(r, 1);
	put(r, 0);
	r->n--;
	return true;
}

/* The length of a JSON number, true, false or null at s[i], or 0. */
static size_t plain_len(const struct json_reader *r)
{
	const unsigned char *s = r->s + r->i, *end = r->s + r->len, *p = s;

	for (const char *const *w = (const char *const[]){ "true", "false", "null", NULL }; *w; w++) {
		size_t n = strlen(*w);

		if ((size_t)(end - s) >= n && memcmp(s, *w, n) == 0)
			return n;
	}
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (p < end && *p == '.') {
		if (++p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return (size_t)(p - s);
}

/* One value at s[i] (after whitespace) and its events; false when the
 * text is not JSON (or is nested deeper than max_depth) or emit said
 * stop. */
static bool read_value(struct json_reader *r, size_t depth)
{
	yaml_mark_t start = r->mark;
	unsigned char c = r->i < r->len ? r->s[r->i] : 0;
	size_t n;

	if (c == '"')
		return read_string(r) &&
		       emit(r, YAML_SCALAR_EVENT, start, YAML_DOUBLE_QUOTED_SCALAR_STYLE, r->buf, r->n);
	if (c == '{' || c == '[') {
		bool map = c == '{', first = true;

		if (depth >= r->max_depth)
			return false;
		step(r, 1);
		if (!emit(r, map ? YAML_MAPPING_START_EVENT : YAML_SEQUENCE_START_EVENT, start, 0,
			  NULL, 0))
			return false;
		for (;;) {
			skip_ws(r);
			if (r->i < r->len && r->s[r->i] == (map ? '}' : ']') && first)
				break;
			if (!first) {
				if (r->i >= r->len || r->s[r->i] != ',')
					break;
				step(r, 1);
				skip_ws(r);
			}
			first = false;
			if (map) {
				if (r->i >= r->len || r->s[r->i] != '"' || !read_value(r, depth + 1))
					return false;
				skip_ws(r);
				if (r->i >= r->len || r->s[r->i] != ':')
					return false;
				step(r, 1);
				skip_ws(r);
			}
			if (!read_value(r, depth + 1))
				return false;
		}
		if (r->i >= r->len || r->s[r->i] != (map ? '}' : ']'))
			return false;
		start = r->mark;
		step(r, 1);
		return emit(r, map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT, start, 0,
			    NULL, 0);
	}
	if (!(n = plain_len(r)))
		return false;
	if (r->emit) {
		r->n = 0;
		for (size_t k = 0; k < n; k++)
			put(r, r->s[r->i + k]);
		put(r, 0);
	}
	step(r, n);
	return emit(r, YAML_SCALAR_EVENT, start, YAML_PLAIN_SCALAR_STYLE, r->buf, n);
}

/* Read the whole text: one value between whitespace (a UTF-8 BOM first
 * is skipped, as libyaml skips it). */
static bool read_text(struct json_reader *r)
{
	yaml_mark_t start;

	if (r->len >= 3 && memcmp(r->s, "\xef\xbb\xbf", 3) == 0)
		r->i = r->mark.index = 3;
	start = r->mark;
	if (!emit(r, YAML_STREAM_START_EVENT, start, 0, NULL, 0))
		return false;
	skip_ws(r);
	start = r->mark;
	if (!emit(r, YAML_DOCUMENT_START_EVENT, start, 0, NULL, 0) || !read_value(r, 0))
		return false;
	skip_ws(r);
	if (r->i != r->len)
		return false;
	start = r->mark;
	return emit(r, YAML_DOCUMENT_END_EVENT, start, 0, NULL, 0) &&
	       emit(r, YAML_STREAM_END_EVENT, start, 0, NULL, 0);
}

/* Is text valid JSON, and if so its events; see json_read.h. */
bool json_read(const char *text, size_t len, size_t max_depth, json_emit_fn *fn, void *ctx)
{
	struct json_reader r = { (const unsigned char *)text, len, 0, { 0, 0, 0 },
				 max_depth, NULL, NULL, NULL, 0, 0, false };
	size_t first = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	first += strspn(text + first, " \t\r\n");
	if (first >= len || (text[first] != '{' && text[first] != '['))
		return false; /* a JSON plan or config is an object (or array) */
	if (!read_text(&r))
		return false; /* not JSON (or too deep): libyaml's to read and report */
	r = (struct json_reader){ (const unsigned char *)text, len, 0, { 0, 0, 0 },
				  max_depth, fn, ctx, NULL, 0, 0, false };
	read_text(&r);
	free(r.buf);
	return true;
}
