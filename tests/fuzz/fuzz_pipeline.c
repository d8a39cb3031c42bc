/*
 * fuzz_pipeline.c: libFuzzer harness of the YAML -> .mpb pipeline.
 *
 * The input is a plan file (or an .mpb: input_open takes both),
 * optionally followed by "\n#8<\n" and a values file for its parameters
 * (--values), or "--set" and a line, then one NAME=VALUE a line (each
 * a --set).  It is compiled in memory as every command does; properties:
 *   - the executor's decoder (executor/mpb.c) accepts everything the
 *     compiler emits (input_open reports MP-INTERNAL otherwise), also from
 *     a heap copy of exactly the emitted size given the checksum compile
 *     writes (in memory the trailer is left zero: prog_serialize_unsummed),
 *     through mpb_open's every check;
 *   - dump and simulate run on every plan that compiles;
 *   - diagnostics print as text and JSON.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "mpb.h"
#include "params.h"
#include "passes.h"

static struct fuzz_file plan_file, values_file;

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&plan_file, "plan.yaml");
	fuzz_file_init(&values_file, "values.yaml");
	fuzz_quiet_stdout();
	return 0;
}

/* Each line of text (len bytes) as the argument of a --set (values_set);
 * false at the first malformed one, as the command line stops there. */
static bool set_values(struct plan_values *values, const uint8_t *text, size_t len)
{
	char *copy = strndup((const char *)text, len), *line, *save = NULL;
	bool ok = true;

	for (line = strtok_r(copy, "\n", &save); line && ok; line = strtok_r(NULL, "\n", &save))
		ok = values_set(values, line) == NULL;
	free(copy);
	return ok;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan_values values = { 0 };
	const uint8_t *vals;
	size_t plan_len, vals_len;
	const char *path;
	struct diag_sink sink;
	struct mpb mpb, again;
	struct mpb_error err;
	uint8_t *buf = NULL, *copy;
	size_t len = 0;
	int rc;

	fuzz_split(data, size, "\n#8<\n", &plan_len, &vals, &vals_len);
	if (vals && vals_len >= 6 && memcmp(vals, "--set\n", 6) == 0) {
		if (!set_values(&values, vals + 6, vals_len - 6)) {
			values_free(&values);
			return 0;
		}
	} else if (vals && !values_read(&values, fuzz_file_set(&values_file, vals, vals_len),
					DIAG_TEXT)) {
		values_free(&values);
		return 0;
	}
	path = fuzz_file_set(&plan_file, data, plan_len);
	diag_init(&sink);
	rc = input_open(path, &values, &sink, &buf, &len, &mpb);
	for (size_t i = 0; i < sink.n; i++)
		FUZZ_ASSERT(strcmp(sink.items[i].id, "MP-INTERNAL") != 0,
			    "the executor's decoder refuses what the compiler emitted");
	if (rc == 0) {
		copy = malloc(len);
		memcpy(copy, buf, len);
		mp_put32(copy + len - MP_TRAILER_SIZE,
			 mp_crc32(0, copy, len - MP_TRAILER_SIZE));
		FUZZ_ASSERT(mpb_open(&again, copy, len, &err) == 0,
			    "an exact-size copy of the .mpb is refused");
		fuzz_use_plan(&again);
		free(copy);
	}
	diag_print(&sink, fuzz_devnull(), size & 1 ? DIAG_JSON : DIAG_TEXT);
	free(buf);
	diag_free(&sink);
	values_free(&values);
	return 0;
}
