/*
 * fuzz_json.c: libFuzzer harness of the JSON reader (compiler/json_read.c)
 * against libyaml, whose events it stands in for.
 *
 * The input is any text; properties:
 *   - json_read returns false without calling its handler, or true after
 *     handing over a well-formed stream (stream, document, balanced
 *     collections, a key before each value of a mapping), nested at most
 *     max_depth deep;
 *   - when libyaml reads the same text to its end without an error, both
 *     give the same events: type, scalar bytes and style, and the marks
 *     the loader uses (start line and column, end line: compiler/load.c);
 *   - the text is then loaded (load_buffer) and its diagnostics printed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "fuzz.h"
#include "diag.h"
#include "json_read.h"
#include "passes.h"
#include "util.h"

#define MAX_DEPTH 8

/* One event, copied. */
struct ev {
	yaml_event_type_t type;
	size_t line, col, end_line;
	char *value;
	size_t len;
	int style;
};

/* The events json_read handed over, and what it must not break. */
struct seen {
	struct ev *e;
	size_t n, cap;
	size_t depth, max;
};

/* Copy one event of either reader into s. */
static void keep(struct seen *s, const yaml_event_t *ev)
{
	struct ev *e;

	s->e = xgrow(s->e, s->n, &s->cap, sizeof(*s->e));
	e = &s->e[s->n++];
	memset(e, 0, sizeof(*e));
	e->type = ev->type;
	e->line = ev->start_mark.line;
	e->col = ev->start_mark.column;
	e->end_line = ev->end_mark.line;
	if (ev->type == YAML_SCALAR_EVENT) {
		e->len = ev->data.scalar.length;
		e->value = xmalloc(e->len + 1);
		memcpy(e->value, ev->data.scalar.value, e->len);
		e->style = ev->data.scalar.style;
	}
}

/* json_read's handler: keep the event and check the nesting. */
static bool on_json(void *ctx, const yaml_event_t *ev)
{
	struct seen *s = ctx;

	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		s->depth++;
		FUZZ_ASSERT(s->depth <= MAX_DEPTH, "json_read nests deeper than max_depth");
	} else if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT) {
		FUZZ_ASSERT(s->depth > 0, "json_read ends a collection it did not start");
		s->depth--;
	}
	keep(s, ev);
	return true;
}

/* Free the copies. */
static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].value);
	free(s->e);
}

/* libyaml's events for text, into s; false when it reports an error. */
static bool libyaml_events(const uint8_t *text, size_t size, struct seen *s)
{
	yaml_parser_t p;
	yaml_event_t ev;
	bool ok = true, more = true;

	if (!yaml_parser_initialize(&p))
		abort();
	yaml_parser_set_input_string(&p, text, size);
	while (more) {
		if (!yaml_parser_parse(&p, &ev)) {
			ok = false;
			break;
		}
		keep(s, &ev);
		more = ev.type != YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok;
}

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_stdout();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1); /* the loader's texts end in a NUL */
	struct seen js = { 0 }, ly = { 0 };
	struct diag_sink sink;
	struct node *root;
	bool is_json;

	memcpy(text, data, size);
	text[size] = 0;
	is_json = json_read(text, size, MAX_DEPTH, on_json, &js);
	FUZZ_ASSERT(is_json || js.n == 0, "json_read handed events over and said not JSON");
	if (is_json) {
		FUZZ_ASSERT(js.n >= 4 && js.e[0].type == YAML_STREAM_START_EVENT &&
			    js.e[js.n - 1].type == YAML_STREAM_END_EVENT && js.depth == 0,
			    "json_read's stream is not whole");
		if (libyaml_events(data, size, &ly)) {
			FUZZ_ASSERT(ly.n == js.n, "json_read and libyaml: a different number of events");
			for (size_t i = 0; i < js.n; i++) {
				const struct ev *a = &js.e[i], *b = &ly.e[i];

				FUZZ_ASSERT(a->type == b->type, "json_read and libyaml: an event's type");
				if (a->type == YAML_STREAM_START_EVENT || a->type == YAML_STREAM_END_EVENT ||
				    a->type == YAML_DOCUMENT_START_EVENT ||
				    a->type == YAML_DOCUMENT_END_EVENT)
					continue;
				FUZZ_ASSERT(a->line == b->line && a->col == b->col,
					    "json_read and libyaml: an event's start mark");
				FUZZ_ASSERT(a->end_line == b->end_line,
					    "json_read and libyaml: an event's end line");
				FUZZ_ASSERT(a->len == b->len && a->style == b->style &&
					    (!a->len || memcmp(a->value, b->value, a->len) == 0),
					    "json_read and libyaml: a scalar's bytes or style");
			}
		}
	}
	seen_free(&js);
	seen_free(&ly);
	diag_init(&sink);
	root = load_buffer("plan.json", text, size, &sink); /* takes text */
	diag_print(&sink, fuzz_devnull(), DIAG_TEXT);
	node_free(root);
	diag_free(&sink);
	return 0;
}
