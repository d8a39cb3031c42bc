/*
 * plan_input.c: open a plan argument and print its diagnostics
 * (plan_input.h).
 */
#include <stdlib.h>
#include "passes.h"
#include "plan_input.h"

/* Open and report; see plan_input.h. */
int plan_input_open(const char *path, enum diag_format format, uint8_t **buf,
		    struct mpb *mpb)
{
	struct diag_sink sink;
	size_t len = 0;
	int rc;

	diag_init(&sink);
	*buf = NULL;
	rc = input_open(path, &sink, buf, &len, mpb);
	if (rc != 2 && sink.n)
		diag_print(&sink, stderr, format);
	diag_free(&sink);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}
