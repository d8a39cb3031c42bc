/*
 * fmt.c: the executor's only text formatting: a small snprintf subset and
 * a write(2)-based printer.  musl's printf family costs about 9 KiB of the
 * static binary (floating point included); this is under 1 KiB, and the
 * executor prints nothing but strings and integers (doc/executor.md,
 * "Size").
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "exec.h"

/* Append c to buf at *n (counting past the end, writing only within). */
static void put(char *buf, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		buf[*n] = c;
	(*n)++;
}

/* Append v in base (8, 10 or 16), at least width digits padded with pad. */
static void put_num(char *buf, size_t size, size_t *n, unsigned long long v,
		    unsigned base, int width, char pad)
{
	char digits[24];
	int k = 0;

	do
		digits[k++] = "0123456789abcdef"[v % base];
	while ((v /= base) > 0);
	while (width-- > k)
		put(buf, size, n, pad);
	while (k > 0)
		put(buf, size, n, digits[--k]);
}

/* vsnprintf for %s %c %d %u %o %x with an optional 0/width and l/ll
 * length, and %q: a string from the image (a file name), its control
 * bytes (below 0x20, 0x7f) as \xHH so none reaches the caller's terminal
 * or log raw (an escape sequence, a newline starting a forged line);
 * returns the length the whole output needs. */
static size_t vfmt(char *buf, size_t size, const char *f, va_list ap)
{
	size_t n = 0;

	for (; *f; f++) {
		int width = 0, lng = 0;
		char pad = ' ';
		long long sv;
		unsigned long long uv;

		if (*f != '%') {
			put(buf, size, &n, *f);
			continue;
		}
		if (*++f == '0')
			pad = '0';
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		while (*f == 'l') {
			lng++;
			f++;
		}
		switch (*f) {
		case 's':
		case 'q': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++) {
				unsigned char c = (unsigned char)*s;
				if (*f == 'q' && (c < 0x20 || c == 0x7f)) {
					put(buf, size, &n, '\\');
					put(buf, size, &n, 'x');
					put_num(buf, size, &n, c, 16, 2, '0');
				} else {
					put(buf, size, &n, *s);
				}
			}
			break;
		}
		case 'c':
			put(buf, size, &n, (char)va_arg(ap, int));
			break;
		case 'd':
			sv = lng > 1 ? va_arg(ap, long long) :
			     lng ? va_arg(ap, long) : va_arg(ap, int);
			if (sv < 0)
				put(buf, size, &n, '-');
			put_num(buf, size, &n, sv < 0 ? 0ull - (unsigned long long)sv :
					       (unsigned long long)sv, 10, width, pad);
			break;
		case 'u':
		case 'o':
		case 'x':
			uv = lng > 1 ? va_arg(ap, unsigned long long) :
			     lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_num(buf, size, &n, uv, *f == 'u' ? 10 : *f == 'o' ? 8 : 16,
				width, pad);
			break;
		case '%':
			put(buf, size, &n, '%');
			break;
		default: /* unknown conversions are a programming error */
			put(buf, size, &n, '?');
			if (!*f)
				f--;
			break;
		}
	}
	if (size)
		buf[n < size ? n : size - 1] = 0;
	return n;
}

/* snprintf subset; see vfmt. */
size_t fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = vfmt(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* Format and write to fd in one write(2) (long output is truncated at
 * 12 KiB).  0, or -1 when the write failed or was short. */
int say(int fd, const char *f, ...)
{
	char buf[12288];
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = vfmt(buf, sizeof buf, f, ap);
	va_end(ap);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	return write(fd, buf, n) == (ssize_t)n ? 0 : -1;
}

/* The decimal number at the start of s, *end just past its digits; -1 when
 * s starts with no digit or the number passes 2^62 (strtol would link
 * libc's stdio scanner, about 3 KiB of a static executor). */
long fmt_decimal(const char *s, const char **end)
{
	long v = 0;

	for (*end = s; **end >= '0' && **end <= '9'; (*end)++) {
		if (v > (1L << 62) / 10)
			return -1;
		v = v * 10 + (**end - '0');
	}
	return *end == s ? -1 : v;
}
