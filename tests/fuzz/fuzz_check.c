/*
 * fuzz_check.c: libFuzzer harness of `mountplan check` (plan-check) with
 * suppressions.
 *
 * The input is a plan, optionally followed by "\n#8<\n" and a plan-check
 * configuration file (--config); inline "# plan-check: disable=..."
 * comments in the plan are the other kind of suppression.  Without the
 * separator the configuration is an empty file.  The output
 * format (text, JSON, SARIF) and the opt-in rule follow the input's size.
 */
#include "commands.h"
#include "fuzz.h"

static struct fuzz_file plan, config;

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init(&plan, "plan.yaml");
	fuzz_file_init(&config, "plan-check.yaml");
	fuzz_quiet_stdout();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "--format=text", "--format=json",
					       "--format=sarif" };
	char config_arg[64];
	const uint8_t *cfg;
	size_t plan_len, cfg_len;
	const char *argv[8];
	int argc = 0, rc;

	fuzz_split(data, size, "\n#8<\n", &plan_len, &cfg, &cfg_len);
	argv[argc++] = "check";
	argv[argc++] = formats[size % 3];
	if (size & 4)
		argv[argc++] = "--enable=PC-BIND-WRITABLE";
	/* no configuration: an empty one (check refuses a device such as
	 * /dev/null as --config, which would end every such input before
	 * any rule ran) */
	snprintf(config_arg, sizeof config_arg, "--config=%s",
		 fuzz_file_set(&config, cfg ? cfg : (const uint8_t *)"", cfg ? cfg_len : 0));
	argv[argc++] = config_arg;
	argv[argc++] = fuzz_file_set(&plan, data, plan_len);
	argv[argc] = NULL;
	rc = fuzz_command(cmd_check, argv);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2, "check: an exit status it does not document");
	return 0;
}
