/*
 * mpb.h: decode and check a compiled plan (.mpb).
 *
 * Shared by the executor (which checks the whole file before its first
 * syscall that changes anything) and the compiler (which dumps and diffs
 * .mpb files with the very same checks).  No allocation, no stdio: the
 * caller owns the buffer; errors are a static message and an op index.
 */
#ifndef MPB_H
#define MPB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mp_ops.h"

/* A checked plan: a view over the caller's buffer. */
struct mpb {
	const uint8_t *buf;     /* the whole file */
	size_t size;            /* its length in bytes */
	uint16_t version;       /* 1 .. MP_VERSION, as the file declares */
	uint32_t op_count;      /* number of op records */
	uint32_t ops_offset;    /* byte offset of op 0 */
	uint32_t srcmap_offset; /* byte offset of source map record 0 */
	uint32_t strtab_offset; /* byte offset of the string table */
	uint32_t strtab_size;   /* its length in bytes */
	uint32_t name;          /* str: the plan's name */
};

/* Why a file was refused: a static message, and the op (or -1). */
struct mpb_error {
	const char *what; /* e.g. "bad checksum"; static storage */
	long op;          /* index of the offending op, -1 for the file */
};

/* Check all of buf (header, sizes, checksum, every op and string) and fill
 * *plan.  Returns 0, or -1 with *err set; nothing is trusted before 0. */
int mpb_open(struct mpb *plan, const uint8_t *buf, size_t size,
	     struct mpb_error *err);

/* mpb_open of a buffer this process has just made (in memory, never
 * read from or written to a file): every check but the checksum, which
 * the compiler's commands that compile in memory do not compute
 * (prog_serialize_unsummed leaves the trailer zero; at 200,000 entries a
 * CRC of 22 MB is about 2% of the compile). */
int mpb_open_made(struct mpb *plan, const uint8_t *buf, size_t size,
		  struct mpb_error *err);

/* The .mpb version op needs (1, or 2 when it uses a v2 addition): the
 * writer declares the highest over its ops, the reader refuses an op that
 * needs more than its file declares. */
unsigned mp_op_version(const struct mp_op *op);

/* Is the plan path path strictly beneath the directory dir, n bytes
 * long ("/a/b" beneath "/a", not "/ab" nor "/a" itself)? */
static inline int path_below(const char *path, const char *dir, size_t n)
{
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* Decode op i (< op_count) of a checked plan. */
void mpb_op(const struct mpb *plan, uint32_t i, struct mp_op *op);

/* The READONLY op a hole op (HOLE_SAVE, HOLE_RESTORE) at i belongs to:
 * the nearest READONLY past the hole's own kind, when the hole lies
 * strictly beneath its target; else UINT32_MAX (mpb_open refuses such a
 * plan). */
uint32_t mpb_hole_readonly(const struct mpb *plan, uint32_t i);

/* Decode the source position of op i of a checked plan. */
void mpb_srcpos(const struct mpb *plan, uint32_t i, struct mp_srcpos *pos);

/* The string at offset off of a checked plan ("" for 0). */
const char *mpb_str(const struct mpb *plan, uint32_t off);

/* Encode op into the MP_OP_SIZE bytes at p (the compiler's emitter); the
 * one place besides mpb_op that knows the record layout. */
void mpb_put_op(uint8_t *p, const struct mp_op *op);

/* CRC-32 (ISO-HDLC, as zlib's crc32) of len bytes, continuing from crc
 * (start with 0). */
uint32_t mp_crc32(uint32_t crc, const void *data, size_t len);

/* Is s an absolute, clean path: starts with '/', no "//", no "." or ".."
 * component, no trailing '/' (except "/" itself), at most MP_MAX_PATH
 * bytes?  Shared by the compiler's validation and the decoder. */
int mp_path_is_clean(const char *s);

/* path made a clean absolute path, lexically, into out (at least
 * strlen(path) + 2 bytes): "/" first (a relative path is taken from "/"),
 * no empty or "." component, ".." taking off the component before it
 * (never above "/"), no trailing "/" but for "/" itself. */
void mp_path_clean(char *out, const char *path);

/* Where data's last parameter starts when it is an SELinux context="..."
 * (MOUNT's MP_F_LABEL, v2), or NULL. */
const char *mp_label_param(const char *data);

/* Little-endian readers and writers (unaligned).  The readers are always
 * inlined: each compiles to one load, which -Os would otherwise call out
 * of line at every use (the executor decodes ~240 ops a run; inline its
 * code is 288 bytes smaller). */
static inline __attribute__((always_inline)) uint16_t mp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline __attribute__((always_inline)) uint32_t mp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline void mp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void mp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
