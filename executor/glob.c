/*
 * glob.c: HOSTDEV's pattern language (executor/mp_ops.h), one matcher
 * that the executor runs over a host directory and the compiler uses to
 * predict what it matches (verify, export-oci, overlapping devices).
 * Pure: no syscall, no allocation.
 */
#include <stddef.h>
#include "mp_ops.h"

/* Does name match pattern p: `*` any run, `?` one byte, `[...]` one of a
 * set (ranges a-z, `!` or `^` first to negate, `]` first is literal)?  A
 * leading `.` in name is matched only by a `.` in p (as sh's globs); "."
 * and "..", a directory's own entries and never a node, match nothing. */
int mp_glob_match(const char *p, const char *name)
{
	const char *star = NULL, *back = NULL, *s = name;

	if (*s == '.' && (*p != '.' || !s[1] || (s[1] == '.' && !s[2])))
		return 0;
	while (*s) {
		if (*p == '*') {
			star = ++p;
			back = s;
			continue;
		}
		if (*p == '[') {
			const char *q = p + 1, *first;
			int neg = *q == '!' || *q == '^', hit = 0;

			first = q += neg;
			while (*q && (*q != ']' || q == first)) {
				if (q[1] == '-' && q[2] && q[2] != ']') {
					hit |= *s >= q[0] && *s <= q[2];
					q += 3;
				} else {
					hit |= *s == *q++;
				}
			}
			if (*q && hit != neg) {
				p = q + 1;
				s++;
				continue;
			}
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
			continue;
		}
		if (!star)
			return 0;
		p = star;
		s = ++back;
	}
	while (*p == '*')
		p++;
	return !*p;
}

