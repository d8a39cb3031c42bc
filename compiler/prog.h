/*
 * prog.h: an op program being built, and its .mpb serialization.
 *
 * The lowering pass appends ops (struct mp_op from executor/mp_ops.h) with
 * their source positions; strings are interned into one table (offset 0 is
 * ""), in order of first use, so the same plan always gives the same bytes.
 */
#ifndef PROG_H
#define PROG_H

#include <stddef.h>
#include <stdint.h>
#include "mp_ops.h"

struct prog_str_slot; /* hash table slot (prog.c) */

struct prog {
	struct mp_op *ops;         /* the program */
	struct mp_srcpos *srcmap;  /* srcmap[i]: where ops[i] came from */
	size_t n_ops, cap_ops;
	char *strtab;              /* NUL-separated strings, strtab[0] == 0 */
	size_t strtab_size, strtab_cap;
	struct prog_str_slot *slots; /* interning hash table */
	size_t n_slots, n_strings;
	uint32_t name;             /* str: the plan's name */
};

/* Initialize an empty program (strtab holds ""). */
void prog_init(struct prog *prog);

/* Free everything the program owns. */
void prog_free(struct prog *prog);

/* Intern s (NULL or "" give 0); returns its offset. */
uint32_t prog_str(struct prog *prog, const char *s);

/* Start reading the slot of the string index where s is found or goes
 * (a hint: prog_str(prog, s) a little later then finds it in the cache;
 * at 200,000 strings the index is read from memory, a miss a string). */
void prog_str_prefetch(const struct prog *prog, const char *s);

/* Append a copy of op, placed at file:line:col; returns its index. */
size_t prog_add(struct prog *prog, const struct mp_op *op, const char *file,
		uint32_t line, uint32_t col);

/* Serialize to a new malloc'd buffer (*buf, *len): header, ops, source
 * map, string table, CRC-32 trailer (doc/mpb-format.md); the header's
 * version is the highest any op needs (mp_op_version).  Returns 0, or -1
 * when the program is too large for the format. */
int prog_serialize(const struct prog *prog, uint8_t **buf, size_t *len);

/* prog_serialize for a buffer kept in memory and opened with
 * mpb_open_made (mpb.h), which does not read the checksum: the trailer
 * is left zero instead of a CRC-32 of the whole buffer (about 2% of a
 * compile), so the bytes must never be written as an .mpb file. */
int prog_serialize_unsummed(const struct prog *prog, uint8_t **buf, size_t *len);

#endif
