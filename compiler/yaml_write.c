/*
 * yaml_write.c: a generated plan written through libyaml's emitter, with
 * each node's origin (yaml_write.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "yaml_write.h"

/* Fail w with message (the first failure is kept). */
static void fail(struct yaml_write *w, const char *message)
{
	if (!w->error)
		w->error = xstrdup(message);
}

/* Record the origin of the next event (the n-th). */
static void add_origin(struct yaml_write *w, const struct node *from,
		       const char *field)
{
	w->origin = xgrow(w->origin, w->n, &w->cap, sizeof(*w->origin));
	w->origin[w->n++] = (struct yaml_origin){
		from ? from->line : 0, from ? from->col : 0,
		field ? xstrdup(field) : NULL };
}

/* Emit ev (initialized when ok) with the given origin; libyaml owns and
 * frees ev from here on. */
static void emit(struct yaml_write *w, yaml_event_t *ev, int ok,
		 const struct node *from, const char *field)
{
	if (w->error)
		return;
	if (!ok) {
		fail(w, "cannot make a YAML event (invalid UTF-8?)");
		return;
	}
	add_origin(w, from, field);
	if (!yaml_emitter_emit(&w->emitter, ev))
		fail(w, w->emitter.problem ? w->emitter.problem : "YAML emitter error");
}

/* Start a document; see yaml_write.h. */
void yaml_write_begin(struct yaml_write *w, const char *header)
{
	yaml_event_t ev;

	memset(w, 0, sizeof(*w));
	w->f = open_memstream(&w->text, &w->len);
	if (!w->f || !yaml_emitter_initialize(&w->emitter)) {
		fprintf(stderr, "mountplan: out of memory\n");
		exit(2);
	}
	if (header)
		fprintf(w->f, "# %s\n", header);
	yaml_emitter_set_output_file(&w->emitter, w->f);
	yaml_emitter_set_unicode(&w->emitter, 1);
	yaml_emitter_set_width(&w->emitter, -1); /* never fold a scalar */
	yaml_emitter_set_indent(&w->emitter, 2);
	yaml_emitter_set_break(&w->emitter, YAML_LN_BREAK);
	emit(w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING), NULL, NULL);
	emit(w, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1), NULL, NULL);
}

/* Open a mapping; see yaml_write.h. */
void yaml_write_map(struct yaml_write *w, const struct node *from,
		    const char *field, bool flow)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE),
	     from, field);
}

/* Open a sequence; see yaml_write.h. */
void yaml_write_seq(struct yaml_write *w, const struct node *from,
		    const char *field)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			YAML_BLOCK_SEQUENCE_STYLE),
	     from, field);
}

/* Close a mapping; see yaml_write.h. */
void yaml_write_end_map(struct yaml_write *w)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_mapping_end_event_initialize(&ev), NULL, NULL);
}

/* Close a sequence; see yaml_write.h. */
void yaml_write_end_seq(struct yaml_write *w)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_sequence_end_event_initialize(&ev), NULL, NULL);
}

/* A scalar; see yaml_write.h. */
void yaml_write_scalar(struct yaml_write *w, const struct node *from,
		       const char *field, const char *text, size_t len,
		       bool quoted)
{
	yaml_event_t ev;

	if (len > INT_MAX) {
		fail(w, "a string is too long");
		return;
	}
	emit(w, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
			(yaml_char_t *)text, (int)len, 1, 1,
			quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE),
	     from, field);
}

/* key: word; see yaml_write.h. */
void yaml_write_word(struct yaml_write *w, const struct node *from,
		     const char *field, const char *key, const char *word)
{
	yaml_write_scalar(w, from, field, key, strlen(key), false);
	yaml_write_scalar(w, from, field, word, strlen(word), false);
}

/* key: "string"; see yaml_write.h. */
void yaml_write_string(struct yaml_write *w, const struct node *from,
		       const char *field, const char *key, const char *s)
{
	yaml_write_scalar(w, from, field, key, strlen(key), false);
	yaml_write_scalar(w, from, field, s, strlen(s), true);
}

/* Parse the written text back, recording where each event starts; false
 * when it does not read back as the events written. */
static bool read_back(struct yaml_write *w)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t i = 0;
	bool ok = true, done = false;

	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "mountplan: out of memory\n");
		exit(2);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)w->text, w->len);
	w->at = xcalloc(w->n ? w->n : 1, sizeof(*w->at));
	while (ok && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = false;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (i < w->n && ev.type != YAML_MAPPING_END_EVENT &&
		    ev.type != YAML_SEQUENCE_END_EVENT && ev.type != YAML_DOCUMENT_END_EVENT &&
		    ev.type != YAML_STREAM_END_EVENT) { /* an end is no node: at 0:0 */
			w->at[i][0] = (uint32_t)ev.start_mark.line + 1;
			w->at[i][1] = (uint32_t)ev.start_mark.column + 1;
		}
		i++;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ok && i == w->n;
}

/* End the document; see yaml_write.h. */
bool yaml_write_finish(struct yaml_write *w)
{
	yaml_event_t ev;

	emit(w, &ev, yaml_document_end_event_initialize(&ev, 1), NULL, NULL);
	emit(w, &ev, yaml_stream_end_event_initialize(&ev), NULL, NULL);
	if (!w->error && !yaml_emitter_flush(&w->emitter))
		fail(w, "cannot write the plan");
	yaml_emitter_delete(&w->emitter);
	if (fclose(w->f) != 0)
		fail(w, "cannot write the plan");
	w->f = NULL;
	if (!w->error && !read_back(w))
		fail(w, "the written plan does not read back as written");
	return !w->error;
}

/* The origin of line:col; see yaml_write.h. */
const struct yaml_origin *yaml_write_origin(const struct yaml_write *w,
					    uint32_t line, uint32_t col)
{
	size_t best = w->n;

	for (size_t i = 0; w->at && i < w->n; i++) {
		uint32_t l = w->at[i][0], c = w->at[i][1];

		if (l == 0)
			continue; /* the end of a collection */
		if (l > line || (l == line && c > col))
			break; /* events are in text order */
		if (best == w->n || l > w->at[best][0] ||
		    (l == w->at[best][0] && c > w->at[best][1]))
			best = i;
	}
	return best < w->n ? &w->origin[best] : NULL;
}

/* Free w; see yaml_write.h. */
void yaml_write_free(struct yaml_write *w)
{
	if (w->f) {
		yaml_emitter_delete(&w->emitter);
		fclose(w->f);
	}
	for (size_t i = 0; i < w->n; i++)
		free(w->origin[i].field);
	free(w->origin);
	free(w->at);
	free(w->text);
	free(w->error);
}
