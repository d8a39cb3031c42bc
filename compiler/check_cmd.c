/*
 * check_cmd.c: `mountplan check` (installed also as plan-check) and
 * `mountplan explain ID` (doc/plan-check.1).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "lint.h"
#include "rules.h"
#include "sarif.h"
#include "suppress.h"
#include "util.h"

#define DEFAULT_CONFIG ".plan-check.yaml"

enum check_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };

/* Print plan-check's usage to out. */
static void check_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [OPTIONS] PLAN.yaml...\n"
		"Lint mount plans: the compiler's errors and plan-check's rules.\n\n"
		"  --format=text|json|sarif     output (default text, gcc-style)\n"
		"  --severity-threshold=note|warning|error\n"
		"                               exit 1 when a finding reaches it (default warning)\n"
		"  --disable=ID[,ID]            turn rules off\n"
		"  --enable=ID[,ID]             turn rules on (also opt-in ones)\n"
		"  --config=FILE                read FILE (default ./" DEFAULT_CONFIG " if present)\n"
		"  --set NAME=VALUE             a parameter's value (repeatable)\n"
		"  --values FILE                parameter values from a YAML mapping (repeatable)\n"
		"  --include-root DIR           include: may read files beneath DIR (default:\n"
		"                               beneath each PLAN's directory)\n"
		"  --list-rules                 print the rule catalogue\n"
		"  --help                       this text\n\n"
		"Inline: # plan-check: disable=ID[,ID] reason   (on the line or the line above)\n"
		"Exit status: 0 no finding at the threshold, 1 some, 2 usage or I/O error.\n"
		"`mountplan explain ID` prints a rule's page; see plan-check(1).\n",
		prog);
}

/* One --enable/--disable, kept in command-line order. */
struct switch_arg {
	const char *ids; /* comma-separated */
	bool on;
};

/* Apply the switches to s; -1 after printing an unknown ID. */
static int apply_switches(struct suppress *s, const struct switch_arg *v, size_t n,
			  const char *prog)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = v[i].ids;
		char *id;

		while ((id = next_word(&p))) {
			int rc = suppress_set(s, id, v[i].on);

			if (rc < 0)
				fprintf(stderr, "%s: unknown rule '%s' (see --list-rules)\n", prog, id);
			free(id);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

/* Print the catalogue, one rule a line. */
static void list_rules(void)
{
	for (size_t i = 0; i < n_rules; i++)
		printf("%-24s %-7s %s%s\n", rules[i].id, diag_severity_name(rules[i].severity),
		       rules[i].summary, rules[i].enabled ? "" : " [off by default]");
}

/* mountplan check / plan-check. */
int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "severity-threshold", required_argument, NULL, 't' },
		{ "disable", required_argument, NULL, 'd' },
		{ "enable", required_argument, NULL, 'e' },
		{ "config", required_argument, NULL, 'c' },
		{ "list-rules", no_argument, NULL, 'l' },
		{ "set", required_argument, NULL, CLI_OPT_SET },
		{ "values", required_argument, NULL, CLI_OPT_VALUES },
		{ "include-root", required_argument, NULL, CLI_OPT_INCLUDE_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog = strcmp(argv[0], "check") == 0 ? "mountplan check" : "plan-check";
	enum check_format format = FORMAT_TEXT;
	int threshold = -1, opt, rc = 0;
	const char *config = NULL;
	bool found;
	struct switch_arg *switches = xcalloc((size_t)argc + 1, sizeof(*switches));
	size_t n_switches = 0;
	struct suppress s;
	struct diag_sink out, cfg;
	struct plan_values values = { 0 };

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = FORMAT_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				format = FORMAT_SARIF;
			else
				goto bad_value;
			break;
		case 't':
			if ((threshold = suppress_severity(optarg)) < 0)
				goto bad_value;
			break;
		case 'd':
		case 'e':
			switches[n_switches].ids = optarg;
			switches[n_switches++].on = opt == 'e';
			break;
		case 'c':
			config = optarg;
			break;
		case 'l':
			list_rules();
			free(switches);
			return 0;
		case CLI_OPT_SET:
		case CLI_OPT_VALUES:
		case CLI_OPT_INCLUDE_ROOT:
			if (!cli_value_option(&values, opt, optarg, prog,
					      format == FORMAT_JSON ? DIAG_JSON : DIAG_TEXT)) {
				free(switches);
				values_free(&values);
				return 2;
			}
			break;
		case 'h':
			check_usage(stdout, prog);
			free(switches);
			return 0;
		default:
			fprintf(stderr, "%s: unknown option or missing argument: %s\n",
				prog, argv[optind - 1]);
			goto usage;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no plan to check\n", prog);
		goto usage;
	}

	suppress_init(&s);
	diag_init(&out);
	diag_init(&cfg);
	found = !config && faccessat(AT_FDCWD, DEFAULT_CONFIG, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	if (found)
		config = DEFAULT_CONFIG;
	if ((config && suppress_load_config(&s, config, found, &cfg) < 0) ||
	    apply_switches(&s, switches, n_switches, prog) < 0) {
		rc = 2;
		goto out;
	}
	lint_transfer(&cfg, &out, &s, NULL);
	for (int i = optind; i < argc; i++)
		if (lint_file(argv[i], &values, &s, &out))
			rc = 2;
	if (format == FORMAT_SARIF)
		sarif_print(&out, stdout);
	else
		diag_print(&out, stdout, format == FORMAT_JSON ? DIAG_JSON : DIAG_TEXT);
	if (threshold < 0)
		threshold = s.threshold >= 0 ? s.threshold : DIAG_WARNING;
	if (!rc && diag_count_at_least(&out, (enum diag_severity)threshold))
		rc = 1;
out:
	diag_free(&cfg);
	diag_free(&out);
	suppress_free(&s);
	free(switches);
	values_free(&values);
	return rc;
bad_value:
	fprintf(stderr, "%s: %s: '%s' is not one of the choices\n", prog,
		opt == 'f' ? "--format" : "--severity-threshold", optarg);
usage:
	fprintf(stderr, "Usage: %s [OPTIONS] PLAN.yaml... (see %s --help)\n", prog, prog);
	free(switches);
	values_free(&values);
	return 2;
}

/* Print a documentation page (Markdown) for a terminal: headings as
 * their text underlined, emphasis and code marks dropped outside the
 * indented examples, which stay exactly as written. */
static void print_for_terminal(FILE *out, const char *page)
{
	for (const char *line = page; *line;) {
		size_t len = strcspn(line, "\n");
		size_t level = strspn(line, "#");

		if (level && line[level] == ' ') {
			fprintf(out, "%.*s\n", (int)(len - level - 1), line + level + 1);
			for (size_t k = level + 1; k < len; k++)
				fputc(level <= 2 ? '=' : '-', out);
		} else if (strncmp(line, "    ", 4) == 0) {
			fwrite(line, 1, len, out);
		} else {
			for (size_t k = 0; k < len; k++) {
				char c = line[k];
				bool mark = c == '`' || (c == '*' && (k + 1 == len || line[k + 1] != ' ' ||
								 (k && line[k - 1] != ' ')));
				if (!mark)
					fputc(c, out);
			}
		}
		fputc('\n', out);
		line += len + (line[len] == '\n');
	}
}

/* mountplan explain ID: the rule's page of doc/rules.md (or a compiler
 * error's of doc/diagnostics.md); the ID in any case.  Markdown as is
 * into a pipe, rendered for a terminal (--raw: as is anyway). */
int cmd_explain(int argc, char **argv)
{
	bool raw = argc == 3 && strcmp(argv[1], "--raw") == 0;
	char *page, *id;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: mountplan explain [--raw] ID\n"
		       "Print the documentation of a plan-check rule (PC-...) or compiler error (MP-...);\n"
		       "the ID in any case.  On a terminal the Markdown is rendered; --raw keeps it.\n");
		return 0;
	}
	if (argc != 2 && !raw) {
		fprintf(stderr, "Usage: mountplan explain [--raw] ID\n");
		return 2;
	}
	id = xstrdup(argv[argc - 1]);
	for (char *p = id; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	page = rule_doc_page(id);
	if (!page) {
		fprintf(stderr, "mountplan explain: no rule or diagnostic '%s' (see plan-check --list-rules)\n",
			argv[argc - 1]);
		free(id);
		return 2;
	}
	if (!raw && isatty(STDOUT_FILENO))
		print_for_terminal(stdout, page);
	else
		fputs(page, stdout);
	free(page);
	free(id);
	return cli_flush(0);
}
