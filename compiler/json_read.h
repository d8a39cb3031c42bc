/*
 * json_read.h: a JSON text as libyaml's events (json_read.c), for the
 * valid JSON that libyaml itself refuses.
 */
#ifndef JSON_READ_H
#define JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

/* Take one event (its strings are the reader's, valid during the call);
 * false to stop reading. */
typedef bool json_emit_fn(void *ctx, const yaml_event_t *ev);

/* When text (len bytes) is a JSON text (RFC 8259) whose top value is an
 * object or array, nested at most max_depth deep, and whose strings are
 * Unicode (no lone surrogate), hand fn the events libyaml gives for a
 * JSON text it reads (stream, document, a flow mapping or sequence, a
 * double-quoted scalar per string, a plain one per number, true, false,
 * null; marks at the same places) and return true, even when fn
 * stopped.  Otherwise call fn never and return false: the text is
 * libyaml's to read (YAML, or JSON with an error libyaml reports at its
 * position). */
bool json_read(const char *text, size_t len, size_t max_depth, json_emit_fn *fn, void *ctx);

#endif
