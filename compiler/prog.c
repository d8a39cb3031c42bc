/*
 * prog.c: build an op program and serialize it as an .mpb.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "mpb.h"
#include "prog.h"
#include "util.h"

struct prog_str_slot {
	uint32_t offset; /* into strtab; 0 = empty slot */
	uint32_t hash;
};

/* The hash of s the table indexes by (its low bits). */
static uint32_t str_hash(const char *s)
{
	return (uint32_t)hash_bytes(0, s, strlen(s));
}

/* Initialize an empty program. */
void prog_init(struct prog *prog)
{
	memset(prog, 0, sizeof(*prog));
	prog->strtab_cap = 4096;
	prog->strtab = xmalloc(prog->strtab_cap);
	prog->strtab[0] = 0;
	prog->strtab_size = 1;
	prog->n_slots = 1024;
	prog->slots = xcalloc(prog->n_slots, sizeof(*prog->slots));
}

/* Free everything the program owns. */
void prog_free(struct prog *prog)
{
	free(prog->ops);
	free(prog->srcmap);
	free(prog->strtab);
	free(prog->slots);
	memset(prog, 0, sizeof(*prog));
}

/* Insert offset into the hash table (open addressing, linear probing). */
static void slot_insert(struct prog_str_slot *slots, size_t n, uint32_t hash,
			uint32_t offset)
{
	size_t i = hash & (n - 1);

	while (slots[i].offset)
		i = (i + 1) & (n - 1);
	slots[i].offset = offset;
	slots[i].hash = hash;
}

/* Double the hash table when it is half full. */
static void grow_slots(struct prog *prog)
{
	size_t n = prog->n_slots * 2;
	struct prog_str_slot *slots = xzalloc(n, sizeof(*slots)); /* probed before filled */

	for (size_t i = 0; i < prog->n_slots; i++)
		if (prog->slots[i].offset)
			slot_insert(slots, n, prog->slots[i].hash, prog->slots[i].offset);
	free(prog->slots);
	prog->slots = slots;
	prog->n_slots = n;
}

/* Start reading the slot s would be found at; see prog.h. */
void prog_str_prefetch(const struct prog *prog, const char *s)
{
	if (s && *s)
		__builtin_prefetch(&prog->slots[str_hash(s) & (prog->n_slots - 1)]);
}

/* Intern s; returns its offset (0 for NULL or ""). */
uint32_t prog_str(struct prog *prog, const char *s)
{
	uint32_t hash, offset;
	size_t len, i;

	if (!s || !*s)
		return 0;
	hash = str_hash(s);
	for (i = hash & (prog->n_slots - 1); prog->slots[i].offset;
	     i = (i + 1) & (prog->n_slots - 1))
		if (prog->slots[i].hash == hash &&
		    strcmp(prog->strtab + prog->slots[i].offset, s) == 0)
			return prog->slots[i].offset;
	len = strlen(s) + 1;
	while (prog->strtab_size + len > prog->strtab_cap) {
		prog->strtab_cap *= 2;
		prog->strtab = xreallocarray(prog->strtab, prog->strtab_cap, 1);
	}
	offset = (uint32_t)prog->strtab_size;
	memcpy(prog->strtab + offset, s, len);
	prog->strtab_size += len;
	if (++prog->n_strings * 2 > prog->n_slots)
		grow_slots(prog);
	slot_insert(prog->slots, prog->n_slots, hash, offset);
	return offset;
}

/* Append a copy of op at file:line:col. */
size_t prog_add(struct prog *prog, const struct mp_op *op, const char *file,
		uint32_t line, uint32_t col)
{
	if (prog->n_ops == prog->cap_ops) {
		prog->cap_ops = prog->cap_ops ? 2 * prog->cap_ops : 64;
		prog->ops = xreallocarray(prog->ops, prog->cap_ops, sizeof(*prog->ops));
		prog->srcmap = xreallocarray(prog->srcmap, prog->cap_ops,
					     sizeof(*prog->srcmap));
	}
	prog->ops[prog->n_ops] = *op;
	prog->srcmap[prog->n_ops].file = prog_str(prog, file);
	prog->srcmap[prog->n_ops].line = line ? line : 1;
	prog->srcmap[prog->n_ops].col = col ? col : 1;
	return prog->n_ops++;
}

/* prog_serialize, with the CRC-32 trailer when sum, else a zero one. */
static int serialize(const struct prog *prog, bool sum, uint8_t **buf, size_t *len)
{
	size_t ops_size = prog->n_ops * MP_OP_SIZE;
	size_t src_size = prog->n_ops * MP_SRCPOS_SIZE;
	size_t size = MP_HEADER_SIZE + ops_size + src_size + prog->strtab_size +
		      MP_TRAILER_SIZE;
	uint32_t src_off = MP_HEADER_SIZE + (uint32_t)ops_size;
	uint32_t str_off = src_off + (uint32_t)src_size;
	unsigned version = 1;
	uint8_t *p;

	for (size_t i = 0; i < prog->n_ops; i++)
		if (mp_op_version(&prog->ops[i]) > version)
			version = mp_op_version(&prog->ops[i]);
	if (prog->n_ops > MP_MAX_OPS || size > MP_MAX_FILE_SIZE)
		return -1;
	p = xcalloc(size, 1);
	memcpy(p, MP_MAGIC, MP_MAGIC_LEN);
	mp_put16(p + 8, (uint16_t)version); /* 1 unless an op needs more */
	mp_put16(p + 10, MP_HEADER_SIZE);
	mp_put32(p + 12, (uint32_t)size);
	mp_put32(p + 16, (uint32_t)prog->n_ops);
	mp_put32(p + 20, MP_OP_SIZE);
	mp_put32(p + 24, MP_HEADER_SIZE);
	mp_put32(p + 28, src_off);
	mp_put32(p + 32, (uint32_t)src_size);
	mp_put32(p + 36, str_off);
	mp_put32(p + 40, (uint32_t)prog->strtab_size);
	mp_put32(p + 44, prog->name);
	/* 48: flags, 52..63: reserved, all zero */
	for (size_t i = 0; i < prog->n_ops; i++) {
		uint8_t *s = p + src_off + i * MP_SRCPOS_SIZE;
		mpb_put_op(p + MP_HEADER_SIZE + i * MP_OP_SIZE, &prog->ops[i]);
		mp_put32(s, prog->srcmap[i].file);
		mp_put32(s + 4, prog->srcmap[i].line);
		mp_put32(s + 8, prog->srcmap[i].col);
	}
	memcpy(p + str_off, prog->strtab, prog->strtab_size);
	if (sum)
		mp_put32(p + size - MP_TRAILER_SIZE, mp_crc32(0, p, size - MP_TRAILER_SIZE));
	*buf = p;
	*len = size;
	return 0;
}

/* Serialize the program; see prog.h. */
int prog_serialize(const struct prog *prog, uint8_t **buf, size_t *len)
{
	return serialize(prog, true, buf, len);
}

/* Serialize the program without its checksum; see prog.h. */
int prog_serialize_unsummed(const struct prog *prog, uint8_t **buf, size_t *len)
{
	return serialize(prog, false, buf, len);
}
