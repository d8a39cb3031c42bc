/*
 * yaml_write.h: a generated plan written through libyaml's emitter, each
 * node remembering where in the input it came from.
 *
 * Writers of plans (import-oci) build the document as events: maps,
 * sequences and scalars.  libyaml quotes and escapes every scalar, so no
 * input string (newlines, quotes, '#', ': ', control characters, NUL) can
 * change the document's structure.  Each event carries an origin (an input
 * node and a field name such as "mounts[3].options[1]"); after
 * yaml_write_finish() the written text is parsed back with libyaml, so the
 * origin of any line:column of the text (where the plan compiler reports
 * an error) is found from the real parser's marks, never from counting
 * lines by hand.
 */
#ifndef YAML_WRITE_H
#define YAML_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>
#include "node.h"

/* Where one event came from: an input node's position (0: none) and the
 * input field's name (NULL: none). */
struct yaml_origin {
	uint32_t line, col;
	char *field;
};

struct yaml_write {
	yaml_emitter_t emitter;
	FILE *f;
	char *text;                 /* the document, after yaml_write_finish */
	size_t len;
	struct yaml_origin *origin; /* [i]: origin of the i-th event */
	uint32_t (*at)[2];          /* [i]: 1-based line, col of the i-th event */
	size_t n, cap;
	char *error;                /* the first emitter error, or NULL */
};

/* Start a document in w; header (may be NULL) is written first as a
 * comment line.  Exits on out of memory. */
void yaml_write_begin(struct yaml_write *w, const char *header);

/* Open a mapping (flow: on one line, {a: b}) or sequence, from node from
 * (may be NULL) at input field (may be NULL). */
void yaml_write_map(struct yaml_write *w, const struct node *from,
		    const char *field, bool flow);
void yaml_write_seq(struct yaml_write *w, const struct node *from,
		    const char *field);

/* Close the innermost mapping or sequence. */
void yaml_write_end_map(struct yaml_write *w);
void yaml_write_end_seq(struct yaml_write *w);

/* A scalar of len bytes (may hold NUL).  quoted: a double-quoted string
 * (an input string); else plain where libyaml can (a key, a number, a
 * keyword the writer chose). */
void yaml_write_scalar(struct yaml_write *w, const struct node *from,
		       const char *field, const char *text, size_t len,
		       bool quoted);

/* Shorthands: a plain key followed by a plain (word) or double-quoted
 * (string) value, both from from/field. */
void yaml_write_word(struct yaml_write *w, const struct node *from,
		     const char *field, const char *key, const char *word);
void yaml_write_string(struct yaml_write *w, const struct node *from,
		       const char *field, const char *key, const char *s);

/* End the document and parse it back for positions.  true when it was
 * written and reads back event for event; else w->error says why. */
bool yaml_write_finish(struct yaml_write *w);

/* The origin of the written text's 1-based line:col: the event starting
 * nearest before it (the outermost one of several starting there). */
const struct yaml_origin *yaml_write_origin(const struct yaml_write *w,
					    uint32_t line, uint32_t col);

/* Free w's memory. */
void yaml_write_free(struct yaml_write *w);

#endif
