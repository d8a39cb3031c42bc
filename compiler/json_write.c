/*
 * json_write.c: strings in the commands' output (json_write.h).
 */
#include <stdbool.h>
#include <string.h>
#include "json_write.h"
#include "util.h"

/* Write s as a JSON string; see json_write.h. */
void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left;

	if (!s) {
		fputs("null", out);
		return;
	}
	left = strlen(s);
	fputc('"', out);
	while (left) {
		unsigned char c = *p;
		size_t n = utf8_sequence(p, left);

		if (!n) {
			fputs("\\ufffd", out); /* not UTF-8: JSON text cannot hold it */
			n = 1;
		} else if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else {
			fwrite(p, 1, n, out);
		}
		p += n;
		left -= n;
	}
	fputc('"', out);
}

/* Write one character of text escaped; see json_write.h. */
size_t text_char(FILE *out, const char *s, size_t left, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = utf8_sequence(p, left);

	*used = n ? n : 1;
	bool c1 = n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
	bool separator = n == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] | 1) == 0xa9;

	if (n && *p >= 0x20 && *p != 0x7f && *p != '\\' && !c1 && !separator) {
		fwrite(p, 1, n, out);
		return 1;
	}
	if (*p == '\\' || *p == '\n' || *p == '\t') {
		fprintf(out, "\\%c", *p == '\\' ? '\\' : *p == '\n' ? 'n' : 't');
		return 2;
	}
	if (c1 || separator) {
		fprintf(out, "\\u%04x", c1 ? p[1] : 0x2000 | (p[2] & 0x3f));
		return 6;
	}
	fprintf(out, "\\x%02x", *p);
	return 4;
}

/* Write s escaped for one line of text; see json_write.h. */
void text_string(FILE *out, const char *s)
{
	size_t left = s ? strlen(s) : 0, used;

	for (; left; s += used, left -= used)
		text_char(out, s, left, &used);
}

/* s escaped as by text_string, as a new string; see json_write.h. */
char *text_escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		fprintf(stderr, "mountplan: out of memory\n");
		exit(2);
	}
	text_string(f, s);
	fclose(f);
	return buf;
}
