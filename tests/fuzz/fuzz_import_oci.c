/*
 * fuzz_import_oci.c: libFuzzer harness of `mountplan import-oci`.
 *
 * The input is an OCI runtime config (config.json).  Property: when
 * import-oci succeeds, the plan it wrote compiles without an error (no
 * string of the config changed the plan's structure), and the decoder
 * accepts it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "fuzz.h"
#include "mpb.h"
#include "passes.h"

static struct fuzz_file config, plan;

/* libFuzzer: once, before the first input: standard output is the memfd
 * plan, where import-oci writes. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&config, "config.json");
	fuzz_file_init(&plan, "plan.yaml");
	if (dup2(plan.fd, STDOUT_FILENO) < 0)
		abort();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[] = { "import-oci", fuzz_file_set(&config, data, size),
			       size & 1 ? "--format=json" : "--format=text", NULL };
	struct diag_sink sink;
	struct mpb mpb;
	uint8_t *buf = NULL;
	size_t len;
	int rc;

	fuzz_file_set(&plan, "", 0);
	lseek(STDOUT_FILENO, 0, SEEK_SET);
	rc = fuzz_command(cmd_import_oci, argv);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2, "import-oci: an exit status it does not document");
	if (rc != 0)
		return 0;
	diag_init(&sink);
	rc = input_open(plan.path, NULL, &sink, &buf, &len, &mpb);
	for (size_t i = 0; i < sink.n; i++)
		fprintf(stderr, "written plan: %s:%u:%u: %s [%s]\n", sink.items[i].pos.file,
			sink.items[i].pos.line, sink.items[i].pos.col, sink.items[i].message,
			sink.items[i].id);
	FUZZ_ASSERT(rc == 0 && diag_count_at_least(&sink, DIAG_ERROR) == 0,
		    "import-oci succeeded but its plan does not compile");
	free(buf);
	diag_free(&sink);
	return 0;
}
