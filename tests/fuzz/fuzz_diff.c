/*
 * fuzz_diff.c: libFuzzer harness of `mountplan diff` (its public entry
 * point, cmd_diff).
 *
 * The input is two plans separated by "\n#8<\n"; without the separator
 * the plan is compared with itself, and then diff must not find a
 * difference (exit 1).  The output format (text, JSON, Markdown, SARIF)
 * follows the input's size.
 */
#include "commands.h"
#include "fuzz.h"

static struct fuzz_file old_plan, new_plan;

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&old_plan, "old.yaml");
	fuzz_file_init(&new_plan, "new.yaml");
	fuzz_quiet_stdout();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "--format=text", "--format=json",
					       "--format=markdown", "--format=sarif" };
	const uint8_t *b;
	size_t a_len, b_len;
	const char *argv[5];
	int rc;

	fuzz_split(data, size, "\n#8<\n", &a_len, &b, &b_len);
	argv[0] = "diff";
	argv[1] = fuzz_file_set(&old_plan, data, a_len);
	argv[2] = b ? fuzz_file_set(&new_plan, b, b_len) : argv[1];
	argv[3] = formats[size % 4];
	argv[4] = NULL;
	rc = fuzz_command(cmd_diff, argv);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2, "diff: an exit status it does not document");
	FUZZ_ASSERT(b || rc != 1, "diff finds a plan different from itself");
	return 0;
}
