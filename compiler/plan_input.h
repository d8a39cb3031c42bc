/*
 * plan_input.h: open a plan argument (.yaml compiled in memory, or .mpb)
 * for the commands that read compiled plans (table, verify, diff),
 * printing its diagnostics.
 */
#ifndef PLAN_INPUT_H
#define PLAN_INPUT_H

#include <stdint.h>
#include "diag.h"
#include "mpb.h"

/* Open path with input_open; print any diagnostics to stderr in format.
 * Returns 0 with *buf (free it) and *mpb set, or 1 (plan errors) or 2 (I/O
 * error), as input_open. */
int plan_input_open(const char *path, enum diag_format format, uint8_t **buf,
		    struct mpb *mpb);

#endif
