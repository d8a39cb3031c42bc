/*
 * cli.h: what every mountplan subcommand does the same way.
 *
 * The options all of them share (--help/-h, --format=text|json, the
 * parameter values --set NAME=VALUE and --values FILE, the tree
 * include: may read, --include-root DIR, and for the
 * commands that write a file -o/--output), the count of operands,
 * opening a plan argument with its diagnostics printed, the exit status
 * of a run (0 ok, 1 the plan has errors, 2 usage or I/O error; see
 * commands.h) and the final flush of standard output.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "params.h"

struct plan;

struct mpb;

/* One command's run.  Set name, usage, has_output and shows_plan; the
 * rest starts zero and is filled in by the option parsing. */
struct cli {
	const char *name;         /* "mountplan dump": prefixes messages */
	void (*usage)(FILE *out); /* the command's --help text */
	bool has_output;          /* accepts -o/--output FILE */
	bool shows_plan;          /* cli_show_plan's show reads the plan, not only its .mpb */
	enum diag_format format;  /* --format; DIAG_TEXT unless given */
	const char *output;       /* -o's value; NULL when not given */
	int status;               /* exit status, when parsing said stop */
	bool started;             /* getopt restarted for this run */
	struct plan_values values; /* --set and --values, in order */
};

/* The long options every command has; end a command's table with them
 * (CLI_OUTPUT_OPTION too when has_output) and { NULL, 0, NULL, 0 }. */
#define CLI_OPTIONS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "format", required_argument, NULL, 'f' }, \
	{ "set", required_argument, NULL, CLI_OPT_SET }, \
	{ "values", required_argument, NULL, CLI_OPT_VALUES }, \
	{ "include-root", required_argument, NULL, CLI_OPT_INCLUDE_ROOT }
#define CLI_OPT_SET 0x100    /* getopt values of the long-only options */
#define CLI_OPT_VALUES 0x101
#define CLI_OPT_INCLUDE_ROOT 0x102
#define CLI_OUTPUT_OPTION { "output", required_argument, NULL, 'o' }

/* Returned by cli_next_option when the command must return cli->status. */
#define CLI_STOP (-2)

/* The next option of argv that is the command's own (getopt_long's
 * value), after handling the shared ones itself: --help prints the usage
 * to stdout (status 0), --format sets cli->format, -o sets cli->output,
 * --set and --values add to cli->values (a malformed one: status 2),
 * and an unknown format, unknown option or missing argument prints why
 * and the usage to stderr (status 2); those that end the run free
 * cli->values and return CLI_STOP.  Returns -1 after the last option.  The first call of a
 * command restarts getopt (cli->status is 0 until a stop). */
int cli_next_option(struct cli *cli, int argc, char **argv,
		    const struct option *longopts);

/* Parse all options of a command that has only the shared ones, then
 * check there are exactly operands arguments left (from optind).  Returns
 * true to go on, false with cli->status the exit status. */
bool cli_parse(struct cli *cli, int argc, char **argv,
	       const struct option *longopts, int operands);

/* True when exactly n arguments follow the options; otherwise prints the
 * usage to stderr, frees cli->values, sets cli->status to 2 and returns
 * false. */
bool cli_operands(struct cli *cli, int argc, int n);

/* Open a plan argument (.yaml compiled in memory with cli->values, or
 * .mpb) with input_open and print its diagnostics (errors, or warnings) to stderr in
 * cli->format.  Returns 0 with *buf (free it) and *mpb set, or 1 (plan
 * errors) or 2 (I/O error, already printed) with *buf NULL. */
int cli_open_mpb(const struct cli *cli, const char *path, uint8_t **buf,
		 struct mpb *mpb);

/* A whole command of the form `CMD PLAN [--format=text|json]`: parse,
 * open PLAN (cli_open_mpb), show(stdout, mpb, plan, format) (plan: the
 * .yaml's when cli->shows_plan, else NULL, and NULL for a .mpb), flush.
 * Returns the exit status. */
int cli_show_plan(struct cli *cli, int argc, char **argv,
		  void (*show)(FILE *out, const struct mpb *mpb,
			       const struct plan *plan, enum diag_format format));

/* The exit status of a run that read its input into sink: 2 on an I/O
 * error, 1 when nothing was loaded (loaded false) or sink holds an error,
 * else 0. */
int cli_status(const struct diag_sink *sink, bool loaded, int io_error);

/* rc, or 2 when standard output cannot be flushed (a full disk or a
 * closed pipe must not pass for success). */
int cli_flush(int rc);

/* Parse one --set (opt CLI_OPT_SET), --values (CLI_OPT_VALUES) or
 * --include-root (CLI_OPT_INCLUDE_ROOT) argument arg into values for the
 * command name; false after printing why it is malformed.  For commands
 * with their own option loop (plan-check). */
bool cli_value_option(struct plan_values *values, int opt, const char *arg,
		      const char *name, enum diag_format format);

#endif
