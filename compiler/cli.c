/*
 * cli.c: the option parsing, input opening and exit statuses every
 * subcommand shares (cli.h).
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "mpb.h"
#include "passes.h"

/* Parse --format's value into *format; false on an unknown one. */
static bool parse_format(const char *arg, enum diag_format *format)
{
	if (strcmp(arg, "text") == 0)
		*format = DIAG_TEXT;
	else if (strcmp(arg, "json") == 0)
		*format = DIAG_JSON;
	else
		return false;
	return true;
}

/* End the command's run with status: the values it parsed are freed (it
 * returns without using them); CLI_STOP. */
static int stop(struct cli *cli, int status)
{
	values_free(&cli->values);
	cli->status = status;
	return CLI_STOP;
}

/* Report a bad option (unknown, or missing its argument) and the usage. */
static int bad_option(struct cli *cli, char **argv)
{
	if (optopt == 'o' && cli->has_output)
		fprintf(stderr, "%s: -o needs a file name\n", cli->name);
	else
		fprintf(stderr, "%s: unknown option '%s'\n", cli->name, argv[optind - 1]);
	cli->usage(stderr);
	return stop(cli, 2);
}

/* The next option that is the command's own; see cli.h. */
int cli_next_option(struct cli *cli, int argc, char **argv,
		    const struct option *longopts)
{
	int c;

	if (!cli->started) {
		optind = 1; /* a new command: start argv over */
		opterr = 0; /* the messages are ours */
		cli->started = true;
	}
	for (;;) {
		c = getopt_long(argc, argv, cli->has_output ? "ho:" : "h", longopts, NULL);
		switch (c) {
		case 'h':
			cli->usage(stdout);
			return stop(cli, 0);
		case 'f':
			if (parse_format(optarg, &cli->format))
				continue;
			fprintf(stderr, "%s: unknown format '%s' (text or json)\n", cli->name,
				optarg);
			return stop(cli, 2);
		case 'o':
			if (!cli->has_output)
				return bad_option(cli, argv);
			cli->output = optarg;
			continue;
		case CLI_OPT_SET:
		case CLI_OPT_VALUES:
		case CLI_OPT_INCLUDE_ROOT:
			if (cli_value_option(&cli->values, c, optarg, cli->name, cli->format))
				continue;
			return stop(cli, 2);
		case '?':
		case ':':
			return bad_option(cli, argv);
		default:
			return c; /* -1, or the command's own */
		}
	}
}

/* Parse the shared options and count the operands; see cli.h. */
bool cli_parse(struct cli *cli, int argc, char **argv,
	       const struct option *longopts, int operands)
{
	int c = cli_next_option(cli, argc, argv, longopts);

	if (c == CLI_STOP)
		return false;
	if (c != -1) { /* in longopts but not handled: a slip of the caller */
		bad_option(cli, argv);
		return false;
	}
	return cli_operands(cli, argc, operands);
}

/* Check the operand count; see cli.h. */
bool cli_operands(struct cli *cli, int argc, int n)
{
	if (argc - optind == n)
		return true;
	cli->usage(stderr);
	stop(cli, 2);
	return false;
}

/* cli_open_mpb into sink (initialized; the caller frees it, after
 * *plan: its positions name the sink's file names); with plan not NULL,
 * *plan is the .yaml's plan compiled (plan_free it), NULL for a .mpb or
 * on failure. */
static int open_into(const struct cli *cli, const char *path, uint8_t **buf,
		     struct mpb *mpb, struct plan **plan, struct diag_sink *sink)
{
	struct plan *made = NULL;
	size_t len = 0;
	int rc;

	*buf = NULL;
	/* without plan, the plan is freed before its .mpb is made, which
	 * then reuses its memory (doc/performance.md, ninth round) */
	rc = input_open_plan(path, &cli->values, sink, buf, &len, mpb, plan ? &made : NULL);
	if (rc != 2 && sink->n)
		diag_print(sink, stderr, cli->format); /* errors, or warnings */
	if (rc != 0 || !plan) {
		plan_free(made);
		made = NULL;
	}
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	if (plan)
		*plan = made;
	return rc;
}

/* Open a plan argument and print its diagnostics; see cli.h. */
int cli_open_mpb(const struct cli *cli, const char *path, uint8_t **buf,
		 struct mpb *mpb)
{
	struct diag_sink sink;
	int rc;

	diag_init(&sink);
	rc = open_into(cli, path, buf, mpb, NULL, &sink);
	diag_free(&sink);
	return rc;
}

/* Parse, open, show one plan; see cli.h. */
int cli_show_plan(struct cli *cli, int argc, char **argv,
		  void (*show)(FILE *out, const struct mpb *mpb,
			       const struct plan *plan, enum diag_format format))
{
	static const struct option longopts[] = { CLI_OPTIONS, { NULL, 0, NULL, 0 } };
	struct diag_sink sink;
	struct plan *plan = NULL;
	struct mpb mpb;
	uint8_t *buf;
	int rc;

	if (!cli_parse(cli, argc, argv, longopts, 1)) {
		values_free(&cli->values);
		return cli->status;
	}
	diag_init(&sink);
	rc = open_into(cli, argv[optind], &buf, &mpb, cli->shows_plan ? &plan : NULL, &sink);
	if (rc == 0)
		show(stdout, &mpb, plan, cli->format);
	plan_free(plan);
	values_free(&cli->values);
	diag_free(&sink);
	free(buf);
	if (rc)
		return rc;
	return cli_flush(0);
}

/* The exit status of a loaded input; see cli.h. */
int cli_status(const struct diag_sink *sink, bool loaded, int io_error)
{
	if (io_error)
		return 2;
	if (!loaded || diag_count_at_least(sink, DIAG_ERROR))
		return 1;
	return 0;
}

/* Flush standard output; see cli.h. */
int cli_flush(int rc)
{
	return fflush(stdout) == 0 ? rc : 2;
}

/* Parse one --set, --values or --include-root argument; see cli.h. */
bool cli_value_option(struct plan_values *values, int opt, const char *arg,
		      const char *name, enum diag_format format)
{
	const char *why;

	if (opt == CLI_OPT_INCLUDE_ROOT) {
		values->include_root = arg;
		return true;
	}
	if (opt == CLI_OPT_VALUES)
		return values_read(values, arg, format);
	why = values_set(values, arg);
	if (why)
		fprintf(stderr, "%s: --set '%s' %s\n", name, arg, why);
	return !why;
}
