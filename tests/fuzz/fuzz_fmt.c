/*
 * fuzz_fmt.c: libFuzzer harness of the executor's formatter
 * (executor/fmt.c, compiled in here: it is not part of libplan).
 *
 * The input is a string, formatted with %q (an image's file name in an
 * error line) and %s into buffers of every size from 0 to past its
 * length.  Properties: the result is NUL-terminated within the buffer and
 * is a prefix of the whole output; the returned length is the whole
 * output's; %q writes no byte below 0x20 nor 0x7f, and its \xHH escapes
 * undone give the input back; %s copies it as it is.
 *
 * The same input is also read by fmt_decimal (the executor's number
 * parser: /proc files, environment), against the value of its leading
 * digits, and its last 8 bytes (zero-padded) are a number printed with
 * each integer conversion the executor uses (%d %u %o %x, l and ll, a
 * width padded with '0' or ' ') against the C library's snprintf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../executor/fmt.c"

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Undo %q: s's \xHH escapes, into out (at least strlen(s) + 1 bytes). */
static void unquote(const char *s, char *out)
{
	static const char hex[] = "0123456789abcdef";

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3] && strchr(hex, s[2]) &&
		    strchr(hex, s[3])) {
			*out++ = (char)((strchr(hex, s[2]) - hex) * 16 + (strchr(hex, s[3]) - hex));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = 0;
}

/* fmt_decimal on s against the value of its leading digits: -1 when
 * there is none or the number passes its bound (checked before each
 * digit past the first: a value above 2^62 / 10 stops it), else that
 * value, *end just past the digits. */
static void check_decimal(const char *s)
{
	const char *end;
	long v = fmt_decimal(s, &end);
	size_t k = strspn(s, "0123456789");
	unsigned __int128 head = 0, all; /* the digits but the last; all */

	for (size_t i = 0; i + 1 < k && head <= (unsigned __int128)1 << 100; i++)
		head = head * 10 + (unsigned)(s[i] - '0');
	all = k ? head * 10 + (unsigned)(s[k - 1] - '0') : 0;
	if (!k || head > ((unsigned __int128)1 << 62) / 10)
		FUZZ_ASSERT(v == -1, "fmt_decimal: a number without digits or past its bound");
	else
		FUZZ_ASSERT(v >= 0 && (unsigned __int128)v == all && end == s + k,
			    "fmt_decimal: not the value of the leading digits");
}

/* Each integer conversion of fmt against snprintf's, for the number v. */
static void check_numbers(unsigned long long v)
{
	char a[96], b[96];

#define SAME(f, x) do { \
		size_t n = fmt(a, sizeof a, f, x); \
		snprintf(b, sizeof b, f, x); \
		FUZZ_ASSERT(n == strlen(b) && strcmp(a, b) == 0, "fmt " f " differs from snprintf's"); \
	} while (0)
	SAME("%d", (int)v);
	SAME("%ld", (long)v);
	SAME("%lld", (long long)v);
	SAME("%u", (unsigned)v);
	SAME("%lu", (unsigned long)v);
	SAME("%llu", v);
	SAME("%x", (unsigned)v);
	SAME("%llx", v);
	SAME("%o", (unsigned)v);
	SAME("%04o", (unsigned)v & 07777);
	SAME("%08x", (unsigned)v);
	SAME("%5u", (unsigned)v % 1000);
	SAME("%c", (int)(v % 255 + 1));
#undef SAME
}

/* One input: a NUL-free string (cut at its first NUL). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *whole, *part, *back;
	size_t len, n, qn;

	memcpy(in, data, size);
	in[size] = 0;
	len = strlen(in);
	check_decimal(in);
	{
		unsigned long long v = 0;

		for (size_t i = size > 8 ? size - 8 : 0; i < size; i++)
			v = v << 8 | data[i];
		check_numbers(v);
	}
	/* %q leaves a backslash as it is, so an input holding "\x" and two
	 * hex digits would read back as an escape: the round trip is
	 * checked on the others */
	whole = malloc(5 * len + 64);
	back = malloc(5 * len + 64);
	n = fmt(whole, 5 * len + 64, "<%q|%s>", in, in);
	qn = fmt(NULL, 0, "%q", in); /* the length of %q's part */
	if (n >= 5 * len + 64 || strlen(whole) != n || n != qn + len + 3)
		abort(); /* the whole output fits and is measured */
	for (size_t i = 1; i <= qn; i++)
		if ((unsigned char)whole[i] < 0x20 || whole[i] == 0x7f)
			abort(); /* a control byte written raw by %q */
	if (whole[n - 1] != '>' || memcmp(whole + n - 1 - len, in, len) != 0)
		abort(); /* %s copies its string as it is */
	if (!strstr(in, "\\x")) {
		char *q = strndup(whole + 1, qn);
		unquote(q, back);
		if (strcmp(back, in) != 0)
			abort(); /* %q's escapes undone give the input back */
		free(q);
	}
	for (size_t size2 = 0; size2 <= n + 1 && size2 < 512; size2++) {
		part = malloc(size2 ? size2 : 1);
		if (fmt(part, size2, "<%q|%s>", in, in) != n)
			abort(); /* the length does not depend on the buffer */
		if (size2 && (strlen(part) != (n < size2 ? n : size2 - 1) ||
			      memcmp(part, whole, strlen(part)) != 0))
			abort(); /* NUL-terminated within it, a prefix of the whole */
		free(part);
	}
	free(whole);
	free(back);
	free(in);
	return 0;
}
