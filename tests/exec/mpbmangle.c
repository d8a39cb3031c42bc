/*
 * mpbmangle.c: write a corpus of malformed compiled plans.
 *
 *   mpbmangle OUTDIR
 *
 * Builds a valid plan (base.mpb: every op kind the executor replays on a
 * busybox rootfs) with the compiler's own program builder (prog.h), then
 * writes one file per defect next to it: truncations at every section
 * boundary and inside sections, flipped bytes in every section, bad string
 * offsets, unterminated strings, unknown opcodes, undefined flags, non-zero
 * unused fields, unclean paths, huge counts, wrong versions, an oversized
 * file.  Where the point is to reach a check behind the checksum, the CRC
 * is recomputed.  Every file but base.mpb must be refused by mpb_open();
 * the generator checks that itself (exit 1 otherwise), and the test
 * (malformed.sh) checks that mountplan-exec refuses it, with no syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpb.h"
#include "prog.h"

/* Indexes of the base plan's ops (see build_base). */
enum {
	B_ROOTFS, B_PROC, B_DEV, B_NULL, B_FD, B_TMP, B_BIND, B_PIVOT, B_MASK,
	B_SAVE, B_RO, B_RESTORE, B_ROOT_RO, B_UMASK, B_CHDIR, B_COUNT
};

/* Header field offsets, as doc/mpb-format.md lays them out. */
enum {
	H_VERSION = 8, H_HEADER_SIZE = 10, H_FILE_SIZE = 12, H_OP_COUNT = 16,
	H_OP_SIZE = 20, H_OPS_OFFSET = 24, H_SRCMAP_OFFSET = 28,
	H_SRCMAP_SIZE = 32, H_STRTAB_OFFSET = 36, H_STRTAB_SIZE = 40,
	H_NAME = 44, H_FLAGS = 48, H_RESERVED = 52
};

/* One serialized plan being mangled. */
struct image {
	uint8_t *buf;
	size_t size;
};

static const char *outdir;
static int n_written, n_bad;

/* Append op at base.yaml:line:1 with the given fields. */
static void add(struct prog *p, uint16_t opcode, uint16_t flags,
		const char *target, const char *source, const char *fstype,
		const char *data, uint32_t line)
{
	struct mp_op op;

	memset(&op, 0, sizeof(op));
	op.opcode = opcode;
	op.flags = flags;
	op.target = prog_str(p, target);
	op.source = prog_str(p, source);
	op.fstype = prog_str(p, fstype);
	op.data = prog_str(p, data);
	prog_add(p, &op, "base.yaml", line, 3);
}

/* Build the valid base plan into an initialized *p. */
static void build_base(struct prog *p)
{
	p->name = prog_str(p, "mangle-base");
	add(p, MP_OP_ROOTFS, 0, NULL, NULL, NULL, NULL, 2);
	p->ops[B_ROOTFS].propagation = MP_PROP_SLAVE | MP_PROP_REC;
	add(p, MP_OP_MOUNT, MP_F_MKDIR, "/proc", "proc", "proc", NULL, 4);
	p->ops[B_PROC].attr_set = MP_ATTR_NOSUID | MP_ATTR_NODEV | MP_ATTR_NOEXEC;
	add(p, MP_OP_MOUNT, MP_F_MKDIR, "/dev", "tmpfs", "tmpfs",
	    "mode=755,size=65536k", 5);
	p->ops[B_DEV].attr_set = MP_ATTR_NOSUID | MP_ATTR_STRICTATIME;
	add(p, MP_OP_MKNOD, MP_F_BIND_FALLBACK, "/dev/null", NULL, NULL, NULL, 7);
	p->ops[B_NULL].mode = MP_IFCHR | 0666;
	p->ops[B_NULL].major = 1;
	p->ops[B_NULL].minor = 3;
	add(p, MP_OP_SYMLINK, 0, "/dev/fd", "/proc/self/fd", NULL, NULL, 9);
	add(p, MP_OP_MOUNT, MP_F_MKDIR, "/tmp", "tmpfs", "tmpfs", NULL, 11);
	add(p, MP_OP_BIND, MP_F_MKDIR | MP_F_RECURSIVE, "/mnt/etc", "/etc", NULL,
	    NULL, 12);
	p->ops[B_BIND].attr_set = MP_ATTR_RDONLY | MP_ATTR_NOSUID;
	add(p, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, NULL, 14);
	add(p, MP_OP_MASK, 0, "/proc/kcore", NULL, NULL, NULL, 16);
	add(p, MP_OP_HOLE_SAVE, 0, "/proc/sys/kernel", NULL, NULL, NULL, 18);
	add(p, MP_OP_READONLY, 0, "/proc/sys", NULL, NULL, NULL, 18);
	add(p, MP_OP_HOLE_RESTORE, 0, "/proc/sys/kernel", NULL, NULL, NULL, 18);
	add(p, MP_OP_SETATTR, 0, "/", NULL, NULL, NULL, 20);
	p->ops[B_ROOT_RO].attr_set = MP_ATTR_RDONLY;
	add(p, MP_OP_UMASK, 0, NULL, NULL, NULL, NULL, 22);
	p->ops[B_UMASK].mode = 022;
	add(p, MP_OP_CHDIR, 0, "/tmp", NULL, NULL, NULL, 23);
}

/* Serialize p into *im (exits on failure: a generator bug). */
static void serialize(const struct prog *p, struct image *im)
{
	if (prog_serialize(p, &im->buf, &im->size) < 0) {
		fprintf(stderr, "mpbmangle: cannot serialize\n");
		exit(1);
	}
}

/* Recompute the CRC-32 trailer of im, so a later check is reached. */
static void fix_crc(struct image *im)
{
	mp_put32(im->buf + im->size - MP_TRAILER_SIZE,
		 mp_crc32(0, im->buf, im->size - MP_TRAILER_SIZE));
}

/* Offset of the string table, and its size, in a base-shaped image. */
static uint32_t strtab_off(const struct image *im)
{
	return mp_get32(im->buf + H_STRTAB_OFFSET);
}

/* Write im as OUTDIR/NAME.mpb (first len bytes); unless it is the base,
 * check that mpb_open refuses it. */
static void emit_len(const char *name, const struct image *im, size_t len)
{
	char path[4096];
	struct mpb plan;
	struct mpb_error err = {0};
	int fd;

	snprintf(path, sizeof(path), "%s/%s.mpb", outdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (len && write(fd, im->buf, len) != (ssize_t)len) ||
	    close(fd) < 0) {
		fprintf(stderr, "mpbmangle: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n_written++;
	if (mpb_open(&plan, im->buf, len, &err) == 0) {
		if (strcmp(name, "base") != 0) {
			fprintf(stderr, "mpbmangle: %s: accepted by mpb_open\n", name);
			n_bad++;
		}
	} else if (strcmp(name, "base") == 0) {
		fprintf(stderr, "mpbmangle: base refused: %s\n", err.what);
		n_bad++;
	}
	printf("%s\t%s\n", name, strcmp(name, "base") ? err.what : "valid");
}

/* Write the whole image. */
static void emit(const char *name, const struct image *im)
{
	emit_len(name, im, im->size);
}

/* A fresh base program in *p; the caller mangles and frees it. */
static void fresh(struct prog *p)
{
	prog_init(p);
	build_base(p);
}

/* Serialize p, write it as name, free both. */
static void emit_prog(const char *name, struct prog *p)
{
	struct image im;

	serialize(p, &im);
	emit(name, &im);
	free(im.buf);
	prog_free(p);
}

/* One defect per line below: a fresh base program p, stmt applied to
 * it, written as name. */
#define OPCASE(name, stmt)                                                     \
	do {                                                                   \
		struct prog p_;                                                \
		struct prog *p = &p_;                                          \
		fresh(p);                                                      \
		stmt;                                                          \
		emit_prog(name, p);                                            \
	} while (0)

/* Truncations: at every section boundary and inside each section. */
static void truncations(const struct image *base)
{
	uint32_t srcmap = mp_get32(base->buf + H_SRCMAP_OFFSET);
	uint32_t strtab = strtab_off(base);
	size_t end = base->size - MP_TRAILER_SIZE;
	struct {
		const char *name;
		size_t len;
	} cut[] = {
		{"trunc-empty", 0},
		{"trunc-in-magic", 3},
		{"trunc-after-magic", MP_MAGIC_LEN},
		{"trunc-in-header", 40},
		{"trunc-after-header", MP_HEADER_SIZE},
		{"trunc-in-op0", MP_HEADER_SIZE + 20},
		{"trunc-after-op0", MP_HEADER_SIZE + MP_OP_SIZE},
		{"trunc-in-ops", MP_HEADER_SIZE + 7 * MP_OP_SIZE + 30},
		{"trunc-before-srcmap", srcmap},
		{"trunc-in-srcmap", srcmap + 5 * MP_SRCPOS_SIZE + 4},
		{"trunc-before-strtab", strtab},
		{"trunc-in-strtab", strtab + 9},
		{"trunc-before-trailer", end},
		{"trunc-in-trailer", end + 2},
		{"trunc-last-byte", base->size - 1},
	};

	for (size_t k = 0; k < sizeof(cut) / sizeof(cut[0]); k++)
		emit_len(cut[k].name, base, cut[k].len);

	/* Truncated, with file_size and CRC made to agree: the section
	 * checks, not the size check, must catch it. */
	size_t lens[] = {MP_HEADER_SIZE + MP_TRAILER_SIZE, srcmap + 4, strtab + 4};
	const char *names[] = {"trunc-consistent-no-ops", "trunc-consistent-no-srcmap",
			       "trunc-consistent-no-strtab"};
	for (size_t k = 0; k < 3; k++) {
		struct image im = {malloc(lens[k]), lens[k]};
		memcpy(im.buf, base->buf, lens[k]);
		mp_put32(im.buf + H_FILE_SIZE, (uint32_t)lens[k]);
		fix_crc(&im);
		emit(names[k], &im);
		free(im.buf);
	}
}

/* Change the 32-bit (or 16-bit) header field at off to v, with the CRC
 * fixed, and write it as name. */
static void header_case(const struct image *base, const char *name, int off,
			int width, uint32_t v)
{
	struct image im = {malloc(base->size), base->size};

	memcpy(im.buf, base->buf, base->size);
	if (width == 2)
		mp_put16(im.buf + off, (uint16_t)v);
	else if (width == 1)
		im.buf[off] = (uint8_t)v;
	else
		mp_put32(im.buf + off, v);
	fix_crc(&im);
	emit(name, &im);
	free(im.buf);
}

/* Every header field wrong, each behind a correct CRC. */
static void header_cases(const struct image *base)
{
	uint32_t n = mp_get32(base->buf + H_OP_COUNT);
	uint32_t sz = mp_get32(base->buf + H_STRTAB_SIZE);

	header_case(base, "hdr-magic-0", 0, 1, 'm');
	header_case(base, "hdr-magic-nul", 3, 1, 'X');
	header_case(base, "hdr-magic-crlf", 4, 1, '\n');
	header_case(base, "hdr-version-0", H_VERSION, 2, 0);
	header_case(base, "hdr-version-3", H_VERSION, 2, MP_VERSION + 1);
	header_case(base, "hdr-version-ffff", H_VERSION, 2, 0xffff);
	header_case(base, "hdr-header-size-56", H_HEADER_SIZE, 2, 56);
	header_case(base, "hdr-file-size-plus1", H_FILE_SIZE, 4, (uint32_t)base->size + 1);
	header_case(base, "hdr-file-size-huge", H_FILE_SIZE, 4, 0xffffffffu);
	header_case(base, "hdr-op-count-0", H_OP_COUNT, 4, 0);
	header_case(base, "hdr-op-count-minus1", H_OP_COUNT, 4, n - 1);
	header_case(base, "hdr-op-count-plus1", H_OP_COUNT, 4, n + 1);
	header_case(base, "hdr-op-count-over-max", H_OP_COUNT, 4, MP_MAX_OPS + 1);
	header_case(base, "hdr-op-count-huge", H_OP_COUNT, 4, 0xffffffffu);
	header_case(base, "hdr-op-count-wraps", H_OP_COUNT, 4, 0x04924925u); /* *56 wraps 32 bits */
	header_case(base, "hdr-op-size-0", H_OP_SIZE, 4, 0);
	header_case(base, "hdr-op-size-64", H_OP_SIZE, 4, 64);
	header_case(base, "hdr-ops-offset-0", H_OPS_OFFSET, 4, 0);
	header_case(base, "hdr-ops-offset-68", H_OPS_OFFSET, 4, 68);
	header_case(base, "hdr-srcmap-offset-low", H_SRCMAP_OFFSET, 4,
		    mp_get32(base->buf + H_SRCMAP_OFFSET) - MP_OP_SIZE);
	header_case(base, "hdr-srcmap-offset-huge", H_SRCMAP_OFFSET, 4, 0xfffffff0u);
	header_case(base, "hdr-srcmap-size-0", H_SRCMAP_SIZE, 4, 0);
	header_case(base, "hdr-srcmap-size-huge", H_SRCMAP_SIZE, 4, 0xffffffffu);
	header_case(base, "hdr-strtab-offset-low", H_STRTAB_OFFSET, 4, strtab_off(base) - 1);
	header_case(base, "hdr-strtab-offset-huge", H_STRTAB_OFFSET, 4, 0xffffff00u);
	header_case(base, "hdr-strtab-size-0", H_STRTAB_SIZE, 4, 0);
	header_case(base, "hdr-strtab-size-plus1", H_STRTAB_SIZE, 4, sz + 1);
	header_case(base, "hdr-strtab-size-minus1", H_STRTAB_SIZE, 4, sz - 1);
	header_case(base, "hdr-strtab-size-huge", H_STRTAB_SIZE, 4, 0xfffffff0u);
	header_case(base, "hdr-name-outside", H_NAME, 4, sz);
	header_case(base, "hdr-name-huge", H_NAME, 4, 0xffffffffu);
	header_case(base, "hdr-flags-1", H_FLAGS, 4, 1);
	header_case(base, "hdr-flags-high", H_FLAGS, 4, 0x80000000u);
	header_case(base, "hdr-reserved-first", H_RESERVED, 1, 1);
	header_case(base, "hdr-reserved-last", H_RESERVED + 11, 1, 0x80);
}

/* Single flipped bits and bytes without a CRC fix: the checksum (or an
 * earlier check) must catch each. */
static void flips(const struct image *base)
{
	uint32_t srcmap = mp_get32(base->buf + H_SRCMAP_OFFSET);
	uint32_t strtab = strtab_off(base);
	struct {
		const char *name;
		size_t off;
		uint8_t mask;
	} f[] = {
		{"flip-header-version", H_VERSION, 0x01},
		{"flip-header-name", H_NAME, 0x01},
		{"flip-header-reserved", H_RESERVED + 5, 0x40},
		{"flip-op0-propagation", MP_HEADER_SIZE + 30, 0x08},
		{"flip-op2-opcode", MP_HEADER_SIZE + 2 * MP_OP_SIZE, 0x01},
		{"flip-op3-mode", MP_HEADER_SIZE + 3 * MP_OP_SIZE + 32, 0x04},
		{"flip-op3-minor", MP_HEADER_SIZE + 3 * MP_OP_SIZE + 40, 0x02},
		{"flip-op6-attr", MP_HEADER_SIZE + 6 * MP_OP_SIZE + 20, 0x01},
		{"flip-last-op-byte", srcmap - 1, 0x80},
		{"flip-srcmap-line", srcmap + 4 * MP_SRCPOS_SIZE + 4, 0x10},
		{"flip-srcmap-file", srcmap + 2 * MP_SRCPOS_SIZE, 0x01},
		{"flip-strtab-path", strtab + 2, 0x20},
		{"flip-strtab-nul", strtab + 6, 0xff},
		{"flip-strtab-last", base->size - MP_TRAILER_SIZE - 1, 0x41},
		{"flip-trailer-0", base->size - 4, 0x01},
		{"flip-trailer-3", base->size - 1, 0x80},
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		struct image im = {malloc(base->size), base->size};
		memcpy(im.buf, base->buf, base->size);
		im.buf[f[k].off] ^= f[k].mask;
		emit(f[k].name, &im);
		free(im.buf);
	}
}

/* The string table's framing broken behind a correct CRC. */
static void strtab_cases(const struct image *base)
{
	uint32_t strtab = strtab_off(base);
	struct image im = {malloc(base->size), base->size};

	memcpy(im.buf, base->buf, base->size);
	im.buf[base->size - MP_TRAILER_SIZE - 1] = 'x'; /* last string unterminated */
	fix_crc(&im);
	emit("str-last-without-nul", &im);

	memcpy(im.buf, base->buf, base->size);
	im.buf[strtab] = '/'; /* offset 0 is no longer "" */
	fix_crc(&im);
	emit("str-first-not-nul", &im);

	/* Every NUL replaced: one string that runs off the table. */
	memcpy(im.buf, base->buf, base->size);
	for (size_t k = strtab; k < base->size - MP_TRAILER_SIZE; k++)
		if (!im.buf[k])
			im.buf[k] = 'a';
	fix_crc(&im);
	emit("str-no-nul-at-all", &im);
	free(im.buf);
}

/* Bad paths, one op's target or source each (NULL: one longer than
 * MP_MAX_PATH), in op_cases' order. */
static const struct path_case {
	const char *name;
	int op;
	bool in_source;
	const char *path;
} path_cases[] = {
	{ "path-relative", B_TMP, false, "tmp" },
	{ "path-dotdot", B_TMP, false, "/tmp/../etc" },
	{ "path-leading-dotdot", B_TMP, false, "/../../../etc" },
	{ "path-dot", B_TMP, false, "/./tmp" },
	{ "path-double-slash", B_TMP, false, "//tmp" },
	{ "path-trailing-slash", B_TMP, false, "/tmp/" },
	{ "path-trailing-dotdot", B_MASK, false, "/proc/.." },
	{ "path-too-long", B_TMP, false, NULL },
	{ "path-bind-source-relative", B_BIND, true, "etc" },
	{ "path-bind-source-dotdot", B_BIND, true, "/etc/.." },
	{ "path-rootfs-relative", B_ROOTFS, true, "rootfs" },
	{ "path-chdir-dotdot", B_CHDIR, false, "/tmp/.." },
	{ "path-symlink-target-relative", B_FD, false, "dev/fd" },
};

/* Make op at a valid COND (v2) on "/etc" guarding count ops. */
static void set_cond(struct prog *p, size_t at, uint32_t count)
{
	memset(&p->ops[at], 0, sizeof(p->ops[at]));
	p->ops[at].opcode = MP_OP_COND;
	p->ops[at].source = prog_str(p, "/etc");
	p->ops[at].aux = count;
}

/* Make op at a valid HOSTDEV (v2) of the host's /dev/null at /dev/null. */
static void set_hostdev(struct prog *p, size_t at)
{
	memset(&p->ops[at], 0, sizeof(p->ops[at]));
	p->ops[at].opcode = MP_OP_HOSTDEV;
	p->ops[at].target = prog_str(p, "/dev/null");
	p->ops[at].source = prog_str(p, "/dev/null");
}

/* Ops wrong one field at a time (CRC always right: serialized anew). */
static void op_cases(void)
{
	char longpath[MP_MAX_PATH + 2];

	longpath[0] = '/';
	memset(longpath + 1, 'a', MP_MAX_PATH);
	longpath[MP_MAX_PATH + 1] = 0;

	/* opcodes */
	OPCASE("op-opcode-0", p->ops[B_TMP].opcode = 0);
	OPCASE("op-opcode-max", p->ops[B_TMP].opcode = MP_OP_MAX);
	OPCASE("op-opcode-ffff", p->ops[B_TMP].opcode = 0xffff);
	OPCASE("op-opcode-0x102", p->ops[B_TMP].opcode = 0x100 | MP_OP_MOUNT);
	/* flags */
	OPCASE("flag-rootfs-mkdir", p->ops[B_ROOTFS].flags = MP_F_MKDIR);
	OPCASE("flag-mount-undefined-0x800", p->ops[B_PROC].flags |= 0x800);
	OPCASE("flag-mount-high", p->ops[B_PROC].flags |= 0x8000);
	OPCASE("flag-mount-recursive", p->ops[B_TMP].flags |= MP_F_RECURSIVE);
	OPCASE("flag-bind-pivot", p->ops[B_BIND].flags |= MP_F_PIVOT_ROOT);
	OPCASE("flag-mknod-both-policies",
	       p->ops[B_NULL].flags = MP_F_BIND_FALLBACK | MP_F_BIND_ONLY);
	OPCASE("flag-pivot-none", p->ops[B_PIVOT].flags = 0);
	OPCASE("flag-pivot-two", p->ops[B_PIVOT].flags = MP_F_PIVOT_ROOT | MP_F_PIVOT_MOVE);
	OPCASE("flag-mask-optional", p->ops[B_MASK].flags = MP_F_OPTIONAL);
	OPCASE("flag-tmpcopyup-on-proc", p->ops[B_PROC].flags |= MP_F_TMPCOPYUP);
	OPCASE("flag-idmap-without-attr", p->ops[B_BIND].flags |= MP_F_IDMAP;
	       p->ops[B_BIND].data = prog_str(p, "uid=0:1000:1;gid=0:1000:1"));
	OPCASE("flag-idmap-attr-on-mount", p->ops[B_TMP].attr_set = MP_ATTR_IDMAP);
	/* non-zero unused fields */
	OPCASE("unused-rootfs-target", p->ops[B_ROOTFS].target = prog_str(p, "/x"));
	OPCASE("unused-rootfs-mode", p->ops[B_ROOTFS].mode = 0755);
	OPCASE("unused-mount-major", p->ops[B_PROC].major = 1);
	OPCASE("unused-mount-uid", p->ops[B_PROC].uid = 1000);
	OPCASE("unused-mount-aux", p->ops[B_TMP].aux = 1);
	OPCASE("unused-pivot-target", p->ops[B_PIVOT].target = prog_str(p, "/"));
	OPCASE("unused-pivot-attr", p->ops[B_PIVOT].attr_set = MP_ATTR_RDONLY);
	OPCASE("unused-symlink-fstype", p->ops[B_FD].fstype = prog_str(p, "proc"));
	OPCASE("unused-mknod-data", p->ops[B_NULL].data = prog_str(p, "mode=1"));
	OPCASE("unused-mask-propagation", p->ops[B_MASK].propagation = MP_PROP_PRIVATE);
	OPCASE("unused-umask-gid", p->ops[B_UMASK].gid = 5);
	OPCASE("unused-chdir-source", p->ops[B_CHDIR].source = prog_str(p, "/x"));
	/* required fields */
	OPCASE("req-mount-no-target", p->ops[B_TMP].target = 0);
	OPCASE("req-mount-no-fstype", p->ops[B_TMP].fstype = 0);
	OPCASE("req-bind-no-source", p->ops[B_BIND].source = 0);
	OPCASE("req-rootfs-no-propagation", p->ops[B_ROOTFS].propagation = 0);
	OPCASE("req-mknod-no-mode", p->ops[B_NULL].mode = 0);
	OPCASE("req-symlink-no-contents", p->ops[B_FD].source = 0);
	/* string offsets */
	OPCASE("stroff-target-at-size", p->ops[B_TMP].target = (uint32_t)p->strtab_size);
	OPCASE("stroff-target-huge", p->ops[B_TMP].target = 0xffffffffu);
	OPCASE("stroff-source-past-end", p->ops[B_BIND].source = (uint32_t)p->strtab_size + 100);
	OPCASE("stroff-fstype-wraps", p->ops[B_TMP].fstype = 0x80000000u);
	OPCASE("stroff-data-huge", p->ops[B_DEV].data = 0xfffffffcu);
	OPCASE("stroff-srcmap-file", p->srcmap[3].file = (uint32_t)p->strtab_size);
	/* source map */
	OPCASE("srcmap-line-0", p->srcmap[B_BIND].line = 0);
	OPCASE("srcmap-col-0", p->srcmap[B_PIVOT].col = 0);
	/* paths */
	for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
		const struct path_case *c = &path_cases[i];
		uint32_t path;

		OPCASE(c->name, path = prog_str(p, c->path ? c->path : longpath);
		       if (c->in_source)
			       p->ops[c->op].source = path;
		       else
			       p->ops[c->op].target = path);
	}
	/* values */
	OPCASE("fstype-upper", p->ops[B_TMP].fstype = prog_str(p, "TMPFS"));
	OPCASE("fstype-slash", p->ops[B_TMP].fstype = prog_str(p, "../tmpfs"));
	OPCASE("fstype-64-chars", p->ops[B_TMP].fstype = prog_str(p,
	       "tmpfsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	OPCASE("attr-unknown-bit", p->ops[B_TMP].attr_set = 0x100);
	OPCASE("attr-set-and-clear", p->ops[B_TMP].attr_set = MP_ATTR_RDONLY;
	       p->ops[B_TMP].attr_clr = MP_ATTR_RDONLY);
	OPCASE("attr-atime-0x30", p->ops[B_TMP].attr_set = 0x30);
	OPCASE("attr-high-bits", p->ops[B_ROOT_RO].attr_clr = 0x80000000u);
	OPCASE("prop-two-types", p->ops[B_ROOTFS].propagation = MP_PROP_SHARED | MP_PROP_SLAVE);
	OPCASE("prop-rec-only", p->ops[B_ROOTFS].propagation = MP_PROP_REC);
	OPCASE("prop-ms-bind", p->ops[B_TMP].propagation = 0x1000);
	OPCASE("mknod-type-dir", p->ops[B_NULL].mode = 0040000 | 0666);
	OPCASE("mknod-type-reg", p->ops[B_NULL].mode = 0100000 | 0666);
	OPCASE("mknod-mode-high", p->ops[B_NULL].mode = MP_IFCHR | 0200666);
	OPCASE("mknod-major-4096", p->ops[B_NULL].major = 4096);
	OPCASE("mknod-minor-huge", p->ops[B_NULL].minor = 0x100000);
	OPCASE("umask-01000", p->ops[B_UMASK].mode = 01000);
	OPCASE("hole-slot-64", p->ops[B_SAVE].aux = 64; p->ops[B_RESTORE].aux = 64);
	OPCASE("hole-restore-unsaved", p->ops[B_RESTORE].aux = 3);
	OPCASE("cgroup-type-tmpfs", p->ops[B_TMP].opcode = MP_OP_CGROUP;
	       p->ops[B_TMP].source = 0);
	/* sequence */
	OPCASE("seq-rootfs-second", p->ops[B_ROOTFS] = p->ops[B_PROC];
	       p->ops[B_PROC].opcode = MP_OP_ROOTFS; p->ops[B_PROC].flags = 0;
	       p->ops[B_PROC].target = p->ops[B_PROC].source = p->ops[B_PROC].fstype = 0;
	       p->ops[B_PROC].attr_set = 0; p->ops[B_PROC].propagation = MP_PROP_SLAVE);
	OPCASE("seq-two-rootfs", p->ops[B_TMP] = p->ops[B_ROOTFS]);
	OPCASE("seq-no-pivot", p->ops[B_PIVOT] = p->ops[B_TMP]);
	OPCASE("seq-two-pivots", p->ops[B_ROOT_RO] = p->ops[B_PIVOT]);
	OPCASE("seq-pivot-too-early", p->ops[B_TMP] = p->ops[B_PIVOT]);
	OPCASE("seq-no-pivot-at-all", p->n_ops = B_PIVOT);
	OPCASE("seq-mount-after-pivot", p->ops[B_MASK] = p->ops[B_TMP]);
	OPCASE("seq-mask-before-pivot", p->ops[B_TMP] = p->ops[B_MASK]);
	OPCASE("seq-restore-before-save", p->ops[B_SAVE].opcode = MP_OP_HOLE_RESTORE;
	       p->ops[B_RESTORE].opcode = MP_OP_HOLE_SAVE);
	/* a hole not strictly beneath the READONLY next to it */
	OPCASE("seq-hole-not-beneath", p->ops[B_SAVE].target = prog_str(p, "/proc/kcore"));
	OPCASE("seq-hole-is-readonly", p->ops[B_RESTORE].target = prog_str(p, "/proc/sys"));
	OPCASE("seq-hole-sibling-prefix", p->ops[B_SAVE].target = prog_str(p, "/proc/sysrq"));
	OPCASE("seq-hole-save-no-readonly", p->ops[B_RO] = p->ops[B_MASK]);
	/* COND (v2): B_FD becomes a valid COND guarding B_TMP, then one
	 * field goes wrong */
	OPCASE("cond-count-0", set_cond(p, B_FD, 1); p->ops[B_FD].aux = 0);
	OPCASE("cond-past-end", set_cond(p, B_UMASK, 2));
	OPCASE("cond-over-pivot", set_cond(p, B_FD, 1); p->ops[B_FD].aux = B_PIVOT - B_FD);
	OPCASE("cond-over-cond", set_cond(p, B_FD, 1); p->ops[B_FD].aux = 2; p->ops[B_TMP] = p->ops[B_FD];
	       p->ops[B_TMP].aux = 1);
	OPCASE("cond-relative-path", set_cond(p, B_FD, 1); p->ops[B_FD].source = prog_str(p, "etc"));
	OPCASE("cond-no-path", set_cond(p, B_FD, 1); p->ops[B_FD].source = 0);
	OPCASE("cond-type-perm-bits", set_cond(p, B_FD, 1); p->ops[B_FD].mode = MP_IFDIR | 0755);
	OPCASE("cond-flag-mkdir", set_cond(p, B_FD, 1); p->ops[B_FD].flags = MP_F_MKDIR);
	OPCASE("cond-target-set", set_cond(p, B_FD, 1); p->ops[B_FD].target = prog_str(p, "/x"));
	OPCASE("flag-not-on-mount", p->ops[B_TMP].flags |= MP_F_NOT);
	/* HOSTDEV (v2): B_NULL becomes a valid HOSTDEV, then one field wrong */
	OPCASE("hostdev-no-source", set_hostdev(p, B_NULL); p->ops[B_NULL].source = 0);
	OPCASE("hostdev-no-target", set_hostdev(p, B_NULL); p->ops[B_NULL].target = 0);
	OPCASE("hostdev-source-root", set_hostdev(p, B_NULL); p->ops[B_NULL].source = prog_str(p, "/"));
	OPCASE("hostdev-source-relative", set_hostdev(p, B_NULL);
	       p->ops[B_NULL].source = prog_str(p, "dev/null"));
	OPCASE("hostdev-source-dotdot", set_hostdev(p, B_NULL);
	       p->ops[B_NULL].source = prog_str(p, "/dev/../null"));
	OPCASE("hostdev-mode-setuid", set_hostdev(p, B_NULL); p->ops[B_NULL].mode = 04666);
	OPCASE("hostdev-mode-type", set_hostdev(p, B_NULL); p->ops[B_NULL].mode = MP_IFCHR | 0666);
	OPCASE("hostdev-major-set", set_hostdev(p, B_NULL); p->ops[B_NULL].major = 1);
	OPCASE("hostdev-data-set", set_hostdev(p, B_NULL); p->ops[B_NULL].data = prog_str(p, "x"));
	OPCASE("hostdev-both-policies", set_hostdev(p, B_NULL);
	       p->ops[B_NULL].flags = MP_F_BIND_FALLBACK | MP_F_BIND_ONLY);
	OPCASE("hostdev-flag-not", set_hostdev(p, B_NULL); p->ops[B_NULL].flags = MP_F_NOT);
	OPCASE("hostdev-after-pivot", set_hostdev(p, B_MASK));
	OPCASE("best-effort-on-bind", p->ops[B_BIND].flags |= MP_F_BEST_EFFORT);
	OPCASE("glob-on-mknod", p->ops[B_NULL].flags |= MP_F_GLOB);
	/* ROOTFS as a new filesystem (v2) */
	OPCASE("rootfs-data-without-type", p->ops[B_ROOTFS].data = prog_str(p, "mode=0755"));
	OPCASE("rootfs-attr-without-type", p->ops[B_ROOTFS].attr_set = MP_ATTR_NOSUID);
	OPCASE("rootfs-type-bad-name", p->ops[B_ROOTFS].fstype = prog_str(p, "Tmp FS"));
	OPCASE("rootfs-ns-unknown-bit", p->ops[B_ROOTFS].aux = 0x8);
	OPCASE("rootfs-ns-init-without-pid", p->ops[B_ROOTFS].aux = MP_NS_INIT | MP_NS_IPC);
	OPCASE("rootfs-type-with-target", p->ops[B_ROOTFS].fstype = prog_str(p, "tmpfs");
	       p->ops[B_ROOTFS].target = prog_str(p, "/"));
}

/* Write p (fresh, then changed by the caller) as name with a header
 * that says version 1, and start p afresh. */
static void emit_v1(struct prog *p, const char *name)
{
	struct image im;

	serialize(p, &im);
	mp_put16(im.buf + H_VERSION, 1);
	fix_crc(&im);
	emit(name, &im);
	free(im.buf);
	prog_free(p);
	fresh(p);
}

/* Valid version-2 programs (a COND; a fresh root; a pid namespace; a
 * HOSTDEV; a best-effort MKNOD) whose header says version 1: the reader
 * must refuse the op a version-1 file cannot hold. */
static void version_cases(void)
{
	struct prog p_, *p = &p_;

	fresh(p);
	set_cond(p, B_FD, 1);
	emit_v1(p, "v1-header-with-cond");
	p->ops[B_ROOTFS].fstype = prog_str(p, "tmpfs");
	emit_v1(p, "v1-header-with-fresh-root");
	p->ops[B_ROOTFS].aux = MP_NS_PID;
	emit_v1(p, "v1-header-with-pid-namespace");
	set_hostdev(p, B_NULL);
	emit_v1(p, "v1-header-with-hostdev");
	p->ops[B_NULL].flags |= MP_F_BEST_EFFORT;
	emit_v1(p, "v1-header-with-best-effort-mknod");
	prog_free(p);
}

/* A file larger than the executor accepts: sparse, header claiming it. */
static void oversized(const struct image *base)
{
	char path[4096];
	int fd;
	size_t big = (size_t)MP_MAX_FILE_SIZE + 4096;

	snprintf(path, sizeof(path), "%s/size-over-64mib.mpb", outdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, base->buf, MP_HEADER_SIZE) != MP_HEADER_SIZE ||
	    pwrite(fd, "\0\0\0", 4, (off_t)big - 4) != 4 || close(fd) < 0) {
		fprintf(stderr, "mpbmangle: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	/* header's file_size cannot name it: a 32-bit field, patch it to
	 * the closest it can say */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	uint8_t v[4];
	mp_put32(v, (uint32_t)big);
	if (fd < 0 || pwrite(fd, v, 4, H_FILE_SIZE) != 4 || close(fd) < 0) {
		fprintf(stderr, "mpbmangle: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n_written++;
	printf("size-over-64mib\tfile too large\n");
}

/* A valid plan followed by trailing garbage, and non-plan inputs. */
static void misc(const struct image *base)
{
	struct image im = {malloc(base->size + 16), base->size + 16};

	memcpy(im.buf, base->buf, base->size);
	memset(im.buf + base->size, 0, 16);
	emit("extra-trailing-bytes", &im);
	memset(im.buf, 'A', im.size);
	emit("text-file", &im);
	free(im.buf);
}

/* Write the corpus into argv[1]; 0, 1 when a file came out other than
 * intended, 2 on usage. */
int main(int argc, char **argv)
{
	struct prog p;
	struct image base;

	if (argc != 2) {
		fprintf(stderr, "usage: mpbmangle OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	fresh(&p);
	if (p.n_ops != B_COUNT) {
		fprintf(stderr, "mpbmangle: base has %zu ops\n", p.n_ops);
		return 1;
	}
	serialize(&p, &base);
	prog_free(&p);
	emit("base", &base);
	truncations(&base);
	header_cases(&base);
	flips(&base);
	strtab_cases(&base);
	op_cases();
	version_cases();
	misc(&base);
	oversized(&base);
	free(base.buf);
	fprintf(stderr, "mpbmangle: %d files, %d not as intended\n", n_written, n_bad);
	return n_bad ? 1 : 0;
}
