/*
 * dump.h: print a compiled plan as text, one line per op, like SQLite's
 * EXPLAIN (`mountplan dump`; also used by whoever shows ops to a user).
 */
#ifndef DUMP_H
#define DUMP_H

#include <stdint.h>
#include <stdio.h>
#include "mpb.h"

/* Print op i of a checked plan: index, opcode, its non-zero operands by
 * name (strings quoted, attributes, propagation and flags as words), then
 * its source position file:line:col; one line. */
void dump_op(FILE *out, const struct mpb *mpb, uint32_t i);

struct plan;

/* Print the header line (plan name, format version, op count) and every
 * op; with the plan the ops were compiled from (NULL: none, a .mpb), a
 * line "      folded in: readonly PATH  FILE:L:C" after each bind a
 * read-only path was folded into (lower_folds). */
void dump_mpb(FILE *out, const struct mpb *mpb, const struct plan *plan);

#endif
