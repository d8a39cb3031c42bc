/*
 * sarif.c: SARIF 2.1.0 output (OASIS SARIF v2.1.0, the subset code
 * scanning reads: tool.driver.rules, results with physical locations).
 */
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "rules.h"
#include "sarif.h"
#include "util.h"

/* Print a file name as a URI reference: unreserved bytes and "/" as
 * they are, everything else percent-encoded. */
static void uri_string(FILE *out, const char *path)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)path; p && *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	fputc('"', out);
}

/* qsort: strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The compiler's IDs that occur in sink, sorted, distinct; *n set. */
static const char **compiler_ids(const struct diag_sink *sink, size_t *n)
{
	const char **ids = xcalloc(sink->n + 1, sizeof(*ids));
	size_t k = 0, m = 0;

	for (size_t i = 0; i < sink->n; i++)
		if (!rule_find(sink->items[i].id))
			ids[k++] = sink->items[i].id;
	qsort(ids, k, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < k; i++)
		if (!m || strcmp(ids[m - 1], ids[i]) != 0)
			ids[m++] = ids[i];
	*n = m;
	return ids;
}

/* Print one reportingDescriptor. */
static void print_rule(FILE *out, const char *id, const char *summary,
		       const char *help, enum diag_severity severity, bool enabled)
{
	char *page = rule_doc_page(id);

	fputs("        {\"id\": ", out);
	diag_json_string(out, id);
	fputs(", \"shortDescription\": {\"text\": ", out);
	diag_json_string(out, summary);
	fputs("}, \"fullDescription\": {\"text\": ", out);
	diag_json_string(out, help);
	fputs("},\n         \"help\": {\"text\": ", out);
	diag_json_string(out, help);
	if (page) {
		fputs(", \"markdown\": ", out);
		diag_json_string(out, page);
	}
	fprintf(out, "},\n         \"defaultConfiguration\": {\"level\": \"%s\", \"enabled\": %s}}",
		diag_severity_name(severity), enabled ? "true" : "false");
	free(page);
}

/* The index in tool.driver.rules of id (catalogue first, then ids). */
static size_t rule_index(const char *id, const char **ids, size_t n_ids)
{
	const struct rule *r = rule_find(id);

	if (r)
		return (size_t)(r - rules);
	for (size_t k = 0; k < n_ids; k++)
		if (strcmp(ids[k], id) == 0)
			return n_rules + k;
	return 0; /* not reached: every compiler ID is in ids */
}

/* Print the SARIF log; see sarif.h. */
void sarif_print(const struct diag_sink *sink, FILE *out)
{
	size_t n_ids;
	const char **ids = compiler_ids(sink, &n_ids);

	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
	      "    \"tool\": {\"driver\": {\n      \"name\": \"plan-check\",\n", out);
	fprintf(out, "      \"version\": \"%s\",\n      \"rules\": [\n", PACKAGE_VERSION);
	for (size_t i = 0; i < n_rules; i++) {
		print_rule(out, rules[i].id, rules[i].summary, rules[i].help,
			   rules[i].severity, rules[i].enabled);
		fputs(i + 1 < n_rules || n_ids ? ",\n" : "\n", out);
	}
	for (size_t k = 0; k < n_ids; k++) {
		print_rule(out, ids[k], "an error the compiler reports",
			   "The plan does not compile; see doc/diagnostics.md.",
			   DIAG_ERROR, true);
		fputs(k + 1 < n_ids ? ",\n" : "\n", out);
	}
	fputs("      ]}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", out);
	for (size_t i = 0; i < sink->n; i++) {
		const struct diag *d = &sink->items[i];

		fputs(i ? ",\n      {\"ruleId\": " : "\n      {\"ruleId\": ", out);
		diag_json_string(out, d->id);
		fprintf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ",
			rule_index(d->id, ids, n_ids), diag_severity_name(d->severity));
		diag_json_string(out, d->message);
		fputs("},\n       \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
		uri_string(out, d->pos.file);
		fputs("}", out);
		if (d->pos.line)
			fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}",
				d->pos.line, d->pos.col ? d->pos.col : 1);
		fputs("}}]}", out);
	}
	fputs(sink->n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n", out);
	free(ids);
}
