/*
 * compile_cmd.c: `mountplan compile PLAN.yaml [-o OUT] [--format=text|json]`.
 *
 * Runs the whole pipeline (passes.h) and writes the .mpb, by default
 * beside the plan (PLAN.yaml -> PLAN.mpb).  Every diagnostic of the run is
 * printed to standard error; a plan with errors writes nothing, and an
 * existing output is never changed unless it is replaced whole.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"
#include "lint.h"
#include "passes.h"
#include "prog.h"
#include "util.h"

/* Print compile's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan compile PLAN.yaml [-o OUT.mpb] [--format=text|json]\n"
	      "                         [--set NAME=VALUE]... [--values FILE]... [--include-root DIR]\n"
	      "Validate PLAN.yaml and write its compiled form (default: the plan's\n"
	      "name with .mpb for .yaml, beside it; -o - writes to standard output).\n"
	      "--set and --values give the plan's parameters their values (a values\n"
	      "file is a YAML mapping NAME: VALUE; --set wins, then the last file).\n"
	      "--include-root DIR: include: may read files beneath DIR (default: beneath\n"
	      "the directory of PLAN.yaml).\n"
	      "Diagnostics go to standard error, as text or JSON.\n"
	      "Exit status: 0 ok, 1 the plan has errors, 2 usage or I/O error.\n",
	      out);
}

/* The default output for a plan path: .yaml/.yml replaced by .mpb, or
 * .mpb appended. */
static char *default_output(const char *plan)
{
	size_t n = strlen(plan);

	if (n > 5 && strcmp(plan + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(plan + n - 4, ".yml") == 0)
		n -= 4;
	return xasprintf("%.*s.mpb", (int)n, plan);
}

/* `mountplan compile`; see commands.h. */
int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTIONS, CLI_OUTPUT_OPTION, { NULL, 0, NULL, 0 },
	};
	struct cli cli = { .name = "mountplan compile", .usage = usage, .has_output = true };
	const char *out;
	char *out_owned = NULL;
	struct diag_sink sink;
	struct plan *plan;
	struct prog *prog;
	int io_error = 0, rc;

	if (!cli_parse(&cli, argc, argv, longopts, 1))
		return cli.status;
	out = cli.output;
	if (!out && strcmp(argv[optind], "-") == 0) {
		fprintf(stderr, "mountplan compile: reading standard input needs -o OUT\n");
		values_free(&cli.values);
		return 2;
	}
	if (!out)
		out = out_owned = default_output(argv[optind]);
	diag_init(&sink);
	plan = plan_from_file(argv[optind], &cli.values, &sink, &io_error);
	rc = cli_status(&sink, plan != NULL, io_error);
	if (rc == 0)
		lint_compile(plan, &cli.values, &sink);
	diag_print(&sink, stderr, cli.format);
	if (rc == 0) {
		prog = lower_plan(plan);
		/* the program holds what it needs: the .mpb reuses the plan's
		 * memory instead of fresh pages (doc/performance.md) */
		plan_free(plan);
		plan = NULL;
		if (emit_mpb(prog, out) < 0)
			rc = 2;
		prog_free(prog);
		free(prog);
	}
	plan_free(plan);
	diag_free(&sink);
	values_free(&cli.values);
	free(out_owned);
	return rc;
}
