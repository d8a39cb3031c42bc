/*
 * compile_cmd.c: `mountplan compile PLAN.yaml [-o OUT] [--format=text|json]`.
 *
 * Runs the whole pipeline (passes.h) and writes the .mpb, by default
 * beside the plan (PLAN.yaml -> PLAN.mpb).  Every diagnostic of the run is
 * printed to standard error; a plan with errors writes nothing, and an
 * existing output is never changed unless it is replaced whole.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "passes.h"
#include "prog.h"
#include "util.h"

/* Print compile's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan compile PLAN.yaml [-o OUT.mpb] [--format=text|json]\n"
	      "Validate PLAN.yaml and write its compiled form (default: the plan's\n"
	      "name with .mpb for .yaml, beside it; -o - writes to standard output).\n"
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
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	enum diag_format format = DIAG_TEXT;
	const char *out = NULL;
	char *out_owned = NULL;
	struct diag_sink sink;
	struct plan *plan;
	struct prog *prog;
	int c, io_error = 0, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0) {
				format = DIAG_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				format = DIAG_JSON;
			} else {
				fprintf(stderr, "mountplan compile: unknown format '%s' (text or json)\n",
					optarg);
				return 2;
			}
			break;
		case '?':
		default:
			if (optopt == 'o')
				fprintf(stderr, "mountplan compile: -o needs a file name\n");
			else
				fprintf(stderr, "mountplan compile: unknown option '%s'\n",
					argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	if (!out && strcmp(argv[optind], "-") == 0) {
		fprintf(stderr, "mountplan compile: reading standard input needs -o OUT\n");
		return 2;
	}
	if (!out)
		out = out_owned = default_output(argv[optind]);
	diag_init(&sink);
	plan = plan_from_file(argv[optind], &sink, &io_error);
	if (io_error)
		rc = 2;
	else if (!plan || diag_count_at_least(&sink, DIAG_ERROR))
		rc = 1;
	else
		rc = 0;
	diag_print(&sink, stderr, format);
	if (rc == 0) {
		prog = lower_plan(plan);
		if (emit_mpb(prog, out) < 0)
			rc = 2;
		prog_free(prog);
		free(prog);
	}
	plan_free(plan);
	diag_free(&sink);
	free(out_owned);
	return rc;
}
