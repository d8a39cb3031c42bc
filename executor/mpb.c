/*
 * mpb.c: the .mpb decoder and checker (doc/mpb-format.md).
 *
 * mpb_open() checks everything the executor will later trust: header,
 * section layout, checksum, string table, and every op's opcode, flags,
 * fields, strings, paths and phase.  It reads only from the buffer and
 * allocates nothing.
 */
#include <string.h>
#include "mpb.h"

/* Header field offsets (doc/mpb-format.md, "Header"). */
enum {
	H_MAGIC = 0,
	H_VERSION = 8,
	H_HEADER_SIZE = 10,
	H_FILE_SIZE = 12,
	H_OP_COUNT = 16,
	H_OP_SIZE = 20,
	H_OPS_OFFSET = 24,
	H_SRCMAP_OFFSET = 28,
	H_SRCMAP_SIZE = 32,
	H_STRTAB_OFFSET = 36,
	H_STRTAB_SIZE = 40,
	H_NAME = 44,
	H_FLAGS = 48,
	H_RESERVED = 52, /* 12 bytes, zero */
};

/* Which fields an op uses (U_*) and which of those it requires. */
enum {
	U_TARGET = 1 << 0,
	U_SOURCE = 1 << 1,
	U_FSTYPE = 1 << 2,
	U_DATA = 1 << 3,
	U_ATTR = 1 << 4, /* attr_set and attr_clr */
	U_PROP = 1 << 5,
	U_MODE = 1 << 6,
	U_DEV = 1 << 7,   /* major and minor */
	U_OWNER = 1 << 8, /* uid and gid */
	U_AUX = 1 << 9,
};

/* Where an op may stand relative to the one PIVOT. */
enum phase { PH_FIRST, PH_BEFORE, PH_PIVOT, PH_AFTER, PH_EITHER };

struct op_shape {
	const char *name;
	uint16_t used;     /* U_* fields the op reads */
	uint16_t required; /* U_* fields that must be non-zero */
	uint16_t flags;    /* MP_F_* bits allowed */
	enum phase phase;
};

static const struct op_shape shapes[MP_OP_MAX] = {
	[MP_OP_INVALID] = {"INVALID", 0, 0, 0, PH_EITHER},
	[MP_OP_ROOTFS] = {"ROOTFS", U_SOURCE | U_PROP | U_FSTYPE | U_DATA | U_ATTR |
				    U_AUX,
			  U_PROP, 0, PH_FIRST},
	[MP_OP_MOUNT] = {"MOUNT",
			 U_TARGET | U_SOURCE | U_FSTYPE | U_DATA | U_ATTR | U_PROP,
			 U_TARGET | U_FSTYPE, MP_F_MKDIR | MP_F_TMPCOPYUP | MP_F_LABEL,
			 PH_BEFORE},
	[MP_OP_BIND] = {"BIND", U_TARGET | U_SOURCE | U_DATA | U_ATTR | U_PROP,
			U_TARGET | U_SOURCE,
			MP_F_MKDIR | MP_F_RECURSIVE | MP_F_ATTR_RECURSIVE |
				MP_F_OPTIONAL | MP_F_IDMAP | MP_F_FOLLOW | MP_F_SRC_NOFOLLOW |
				MP_F_DEST_NOFOLLOW | MP_F_COPY_SYMLINK,
			PH_BEFORE},
	[MP_OP_CGROUP] = {"CGROUP", U_TARGET | U_FSTYPE | U_ATTR | U_PROP,
			  U_TARGET | U_FSTYPE, MP_F_MKDIR | MP_F_ATTR_RECURSIVE,
			  PH_BEFORE},
	[MP_OP_MKNOD] = {"MKNOD", U_TARGET | U_MODE | U_DEV | U_OWNER,
			 U_TARGET | U_MODE,
			 MP_F_BIND_FALLBACK | MP_F_BIND_ONLY | MP_F_BEST_EFFORT, PH_BEFORE},
	[MP_OP_SYMLINK] = {"SYMLINK", U_TARGET | U_SOURCE, U_TARGET | U_SOURCE, 0,
			   PH_BEFORE},
	[MP_OP_PIVOT] = {"PIVOT", 0, 0,
			 MP_F_PIVOT_ROOT | MP_F_PIVOT_MOVE | MP_F_PIVOT_CHROOT,
			 PH_PIVOT},
	[MP_OP_MASK] = {"MASK", U_TARGET, U_TARGET, 0, PH_AFTER},
	[MP_OP_HOLE_SAVE] = {"HOLE_SAVE", U_TARGET | U_AUX, U_TARGET, 0, PH_AFTER},
	[MP_OP_READONLY] = {"READONLY", U_TARGET, U_TARGET, 0, PH_AFTER},
	[MP_OP_HOLE_RESTORE] = {"HOLE_RESTORE", U_TARGET | U_AUX, U_TARGET, 0,
				PH_AFTER},
	[MP_OP_SETATTR] = {"SETATTR", U_TARGET | U_ATTR | U_PROP, U_TARGET,
			   MP_F_ATTR_RECURSIVE, PH_EITHER},
	[MP_OP_UMASK] = {"UMASK", U_MODE, 0, 0, PH_AFTER},
	[MP_OP_CHDIR] = {"CHDIR", U_TARGET, U_TARGET, 0, PH_AFTER},
	[MP_OP_COND] = {"COND", U_SOURCE | U_MODE | U_AUX, U_SOURCE | U_AUX,
			MP_F_NOT, PH_EITHER},
	[MP_OP_NAMESPACES] = {"NAMESPACES", U_DATA, 0, MP_F_USERNS | MP_F_CGROUPNS,
			      PH_AFTER},
	[MP_OP_HOSTDEV] = {"HOSTDEV", U_TARGET | U_SOURCE | U_MODE | U_OWNER,
			   U_TARGET | U_SOURCE,
			   MP_F_BIND_FALLBACK | MP_F_BIND_ONLY | MP_F_GLOB | MP_F_BEST_EFFORT,
			   PH_BEFORE},
};

/* The format version op needs: 2 for a v2 opcode, flag or field use. */
unsigned mp_op_version(const struct mp_op *op)
{
	if (op->opcode >= MP_OP_COND || (op->flags & MP_F_V2))
		return 2;
	if (op->opcode == MP_OP_ROOTFS &&
	    (op->fstype || op->data || op->attr_set || op->attr_clr || op->aux))
		return 2; /* a fresh filesystem as the root; namespaces */
	return 1;
}

/* path cleaned lexically into out; see mpb.h. */
void mp_path_clean(char *out, const char *path)
{
	size_t len = 0;

	for (const char *p = path; *p;) {
		size_t c = strcspn(p, "/");

		if (c == 2 && p[0] == '.' && p[1] == '.') {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
		} else if (c && !(c == 1 && p[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, p, c);
			len += c;
		}
		p += c;
		while (*p == '/')
			p++;
	}
	if (!len)
		out[len++] = '/';
	out[len] = 0;
}

/* Where data's last parameter starts when it is an SELinux context="..."
 * (MOUNT's MP_F_LABEL), or NULL; see mpb.h. */
const char *mp_label_param(const char *data)
{
	size_t n = strlen(data);
	const char *p = data + n - 1;

	if (n < 11 || *p != '"')
		return NULL;
	while (p > data && p[-1] != '"')
		p--;
	if (p - data < 9 || strncmp(p - 9, "context=", 8) != 0)
		return NULL;
	p -= 9;
	return p == data || p[-1] == ',' ? p : NULL;
}

/* Is mode 0 or one file type a COND tests for? */
static int cond_type_ok(uint32_t mode)
{
	return mode == 0 || mode == MP_IFREG || mode == MP_IFDIR ||
	       mode == MP_IFCHR || mode == MP_IFBLK || mode == MP_IFIFO ||
	       mode == MP_IFLNK || mode == MP_IFSOCK;
}

/* Name of an opcode, or NULL when out of range. */
const char *mp_opcode_name(unsigned opcode)
{
	if (opcode == MP_OP_INVALID || opcode >= MP_OP_MAX)
		return NULL;
	return shapes[opcode].name;
}

/* CRC-32/ISO-HDLC, slicing by 4 (the compiler checksums megabytes for
 * large plans), its 4 KiB table built on the stack at each call (~1 us):
 * the executor's stack reaches deeper during the replay anyway, where a
 * static table was a page fault of its own, and threads need no order. */
uint32_t mp_crc32(uint32_t crc, const void *data, size_t len)
{
	/* t[0][b]: b shifted through 8 rounds; t[k][b]: t[k-1][b] through 8
	 * more, so four bytes take one step */
	uint32_t t[4][256];
	const uint8_t *p = data;

	t[0][0] = 0;
	/* t[0] is linear (t[i ^ j] = t[i] ^ t[j]): each power of two once,
	 * the rest by xor (255 steps, not 2048) */
	uint32_t bit = 1;
	for (unsigned i = 128; i; i >>= 1) {
		bit = (bit >> 1) ^ (0xedb88320u & (0u - (bit & 1)));
		for (unsigned j = 0; j < 256; j += 2 * i)
			t[0][i + j] = bit ^ t[0][j];
	}
	for (unsigned k = 1; k < 4; k++)
		for (unsigned b = 0; b < 256; b++)
			t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
	crc = ~crc;
	for (; len >= 4; len -= 4, p += 4) {
		uint32_t c = crc ^ mp_get32(p);

		crc = 0;
		for (unsigned k = 0; k < 4; k++, c >>= 8)
			crc ^= t[3 - k][c & 0xff];
	}
	while (len--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

/* Is s an absolute clean path (see mpb.h)? */
int mp_path_is_clean(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > MP_MAX_PATH || s[0] != '/')
		return 0;
	if (len == 1)
		return 1;
	if (s[len - 1] == '/')
		return 0;
	for (const char *c = s; *c;) {
		/* c points at a '/' that starts a component */
		const char *e = strchr(c + 1, '/');
		size_t n = e ? (size_t)(e - c - 1) : strlen(c + 1);

		if (n == 0)
			return 0; /* "//" */
		if ((n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return 0;
		if (!e)
			break;
		c = e;
	}
	return 1;
}

/* Layout of an op record: offset of each 32-bit field after the 4-byte
 * opcode+flags prefix, in struct order. */
void mpb_op(const struct mpb *plan, uint32_t i, struct mp_op *op)
{
	const uint8_t *p = plan->buf + plan->ops_offset + (size_t)i * MP_OP_SIZE;

	op->opcode = mp_get16(p);
	op->flags = mp_get16(p + 2);
	op->target = mp_get32(p + 4);
	op->source = mp_get32(p + 8);
	op->fstype = mp_get32(p + 12);
	op->data = mp_get32(p + 16);
	op->attr_set = mp_get32(p + 20);
	op->attr_clr = mp_get32(p + 24);
	op->propagation = mp_get32(p + 28);
	op->mode = mp_get32(p + 32);
	op->major = mp_get32(p + 36);
	op->minor = mp_get32(p + 40);
	op->uid = mp_get32(p + 44);
	op->gid = mp_get32(p + 48);
	op->aux = mp_get32(p + 52);
}

/* Encode op into MP_OP_SIZE bytes at p; the inverse of mpb_op. */
void mpb_put_op(uint8_t *p, const struct mp_op *op)
{
	mp_put16(p, op->opcode);
	mp_put16(p + 2, op->flags);
	mp_put32(p + 4, op->target);
	mp_put32(p + 8, op->source);
	mp_put32(p + 12, op->fstype);
	mp_put32(p + 16, op->data);
	mp_put32(p + 20, op->attr_set);
	mp_put32(p + 24, op->attr_clr);
	mp_put32(p + 28, op->propagation);
	mp_put32(p + 32, op->mode);
	mp_put32(p + 36, op->major);
	mp_put32(p + 40, op->minor);
	mp_put32(p + 44, op->uid);
	mp_put32(p + 48, op->gid);
	mp_put32(p + 52, op->aux);
}

/* Decode source map record i of a checked plan. */
void mpb_srcpos(const struct mpb *plan, uint32_t i, struct mp_srcpos *pos)
{
	const uint8_t *p =
		plan->buf + plan->srcmap_offset + (size_t)i * MP_SRCPOS_SIZE;

	pos->file = mp_get32(p);
	pos->line = mp_get32(p + 4);
	pos->col = mp_get32(p + 8);
}

/* The string at off of a checked plan. */
const char *mpb_str(const struct mpb *plan, uint32_t off)
{
	return (const char *)plan->buf + plan->strtab_offset + off;
}

/* Set *err and return -1. */
static int refuse(struct mpb_error *err, long op, const char *what)
{
	err->op = op;
	err->what = what;
	return -1;
}

/* Is propagation 0 or one MP_PROP_* type, optionally with MP_PROP_REC? */
static int propagation_ok(uint32_t v)
{
	uint32_t type = v & ~MP_PROP_REC;

	if (v == 0)
		return 1;
	return type == MP_PROP_SHARED || type == MP_PROP_SLAVE ||
	       type == MP_PROP_PRIVATE || type == MP_PROP_UNBINDABLE;
}

/* Are attr_set/attr_clr known, disjoint bits with a valid atime value? */
static int attrs_ok(const struct mp_op *op)
{
	uint32_t atime = op->attr_set & MP_ATTR__ATIME;

	if ((op->attr_set | op->attr_clr) & ~MP_ATTR_ALL)
		return 0;
	if (op->attr_set & op->attr_clr)
		return 0;
	if (atime != MP_ATTR_RELATIME && atime != MP_ATTR_NOATIME &&
	    atime != MP_ATTR_STRICTATIME)
		return 0;
	if ((op->attr_set & MP_ATTR_IDMAP) &&
	    !(op->opcode == MP_OP_BIND && (op->flags & MP_F_IDMAP)))
		return 0;
	return 1;
}

/* Is fstype a plausible filesystem type name (1..63 of [a-z0-9._-])? */
static int fstype_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return n > 0 && n < 64;
}

/* Check every field of op i against its shape; 0 or -1 with *err. */
static int check_op(const struct mpb *plan, uint32_t i, const struct mp_op *op,
		    struct mpb_error *err)
{
	const struct op_shape *sh;
	uint32_t strs[4] = {op->target, op->source, op->fstype, op->data};
	uint16_t bit[4] = {U_TARGET, U_SOURCE, U_FSTYPE, U_DATA};
	uint16_t present = 0;

	if (op->opcode == MP_OP_INVALID || op->opcode >= MP_OP_MAX)
		return refuse(err, i, "unknown opcode");
	if (mp_op_version(op) > plan->version)
		return refuse(err, i, "op needs a newer .mpb version than the file declares");
	sh = &shapes[op->opcode];
	if (op->flags & ~sh->flags)
		return refuse(err, i, "flag not defined for this opcode");
	for (int k = 0; k < 4; k++) {
		if (strs[k] >= plan->strtab_size)
			return refuse(err, i, "string offset outside the string table");
		if (strs[k])
			present |= bit[k];
	}
	if (op->attr_set || op->attr_clr)
		present |= U_ATTR;
	if (op->propagation)
		present |= U_PROP;
	if (op->mode)
		present |= U_MODE;
	if (op->major || op->minor)
		present |= U_DEV;
	if (op->uid || op->gid)
		present |= U_OWNER;
	if (op->aux)
		present |= U_AUX;
	if (present & ~sh->used)
		return refuse(err, i, "field not used by this opcode is not zero");
	if ((present & sh->required) != sh->required)
		return refuse(err, i, "required field missing");
	if ((present & U_TARGET) && !mp_path_is_clean(mpb_str(plan, op->target)))
		return refuse(err, i, "target is not an absolute clean path");
	if ((present & U_FSTYPE) && !fstype_ok(mpb_str(plan, op->fstype)))
		return refuse(err, i, "bad filesystem type name");
	if ((present & U_ATTR) && !attrs_ok(op))
		return refuse(err, i, "bad mount attributes");
	if (!propagation_ok(op->propagation))
		return refuse(err, i, "bad propagation");
	switch ((enum mp_opcode)op->opcode) {
	case MP_OP_ROOTFS:
		if (!op->fstype && (op->data || op->attr_set || op->attr_clr))
			return refuse(err, i, "rootfs parameters without a filesystem type");
		if ((op->aux & ~MP_NS_ALL) ||
		    ((op->aux & MP_NS_INIT) && !(op->aux & MP_NS_PID)))
			return refuse(err, i, "unknown namespaces, or an init without a pid namespace");
		if (!op->fstype && op->source &&
		    !mp_path_is_clean(mpb_str(plan, op->source)))
			return refuse(err, i, "rootfs path is not absolute and clean");
		break;
	case MP_OP_BIND:
		if (!mp_path_is_clean(mpb_str(plan, op->source)))
			return refuse(err, i, "bind source is not absolute and clean");
		if (!(op->flags & MP_F_IDMAP) != !(op->attr_set & MP_ATTR_IDMAP) ||
		    !(op->flags & MP_F_IDMAP) != !op->data)
			return refuse(err, i, "idmap flag, attribute and mapping disagree");
		break;
	case MP_OP_CGROUP: {
		const char *t = mpb_str(plan, op->fstype);
		if (strcmp(t, "cgroup") != 0 && strcmp(t, "cgroup2") != 0)
			return refuse(err, i, "cgroup op with a type other than cgroup or cgroup2");
		break;
	}
	case MP_OP_MKNOD: {
		uint32_t type = op->mode & MP_IFMT;
		if (type != MP_IFCHR && type != MP_IFBLK && type != MP_IFIFO)
			return refuse(err, i, "device type is not c, b or p");
		if (op->mode & ~(MP_IFMT | 07777u))
			return refuse(err, i, "bad device mode");
		if (op->mode & 06000u)
			return refuse(err, i, "setuid or setgid device mode");
		if (op->major > 0xfffu || op->minor > 0xfffffu)
			return refuse(err, i, "device number out of range");
		goto policy;
	}
	case MP_OP_HOSTDEV:
		if (!mp_path_is_clean(mpb_str(plan, op->source)) ||
		    !mpb_str(plan, op->source)[1])
			return refuse(err, i, "host device path is not absolute and clean");
		if (op->mode & ~01777u)
			return refuse(err, i, "bad device mode");
	policy:
		if ((op->flags & MP_F_BIND_FALLBACK) && (op->flags & MP_F_BIND_ONLY))
			return refuse(err, i, "conflicting device policies");
		break;
	case MP_OP_SYMLINK:
		if (strlen(mpb_str(plan, op->source)) > MP_MAX_PATH)
			return refuse(err, i, "symlink contents too long");
		break;
	case MP_OP_PIVOT: {
		uint16_t m = op->flags;
		if (m != MP_F_PIVOT_ROOT && m != MP_F_PIVOT_MOVE && m != MP_F_PIVOT_CHROOT)
			return refuse(err, i, "pivot needs exactly one method");
		break;
	}
	case MP_OP_HOLE_SAVE:
	case MP_OP_HOLE_RESTORE:
		if (op->aux >= MP_MAX_SLOTS)
			return refuse(err, i, "hole slot out of range");
		break;
	case MP_OP_UMASK:
		if (op->mode > 0777u)
			return refuse(err, i, "umask out of range");
		break;
	case MP_OP_MOUNT:
		if ((op->flags & MP_F_TMPCOPYUP) &&
		    strcmp(mpb_str(plan, op->fstype), "tmpfs") != 0)
			return refuse(err, i, "tmpcopyup on a filesystem other than tmpfs");
		if ((op->flags & MP_F_LABEL) && !mp_label_param(mpb_str(plan, op->data)))
			return refuse(err, i, "label flag without a context= parameter last");
		break;
	case MP_OP_COND:
		if (!mp_path_is_clean(mpb_str(plan, op->source)))
			return refuse(err, i, "condition path is not absolute and clean");
		if (!cond_type_ok(op->mode))
			return refuse(err, i, "condition file type unknown");
		if (op->aux >= plan->op_count - i)
			return refuse(err, i, "condition guards ops past the end");
		break;
	case MP_OP_NAMESPACES:
		if (!op->flags)
			return refuse(err, i, "namespaces op without a namespace");
		if (!(op->flags & MP_F_USERNS) != !op->data)
			return refuse(err, i, "user namespace flag and mapping disagree");
		break;
	case MP_OP_MASK:
	case MP_OP_READONLY:
	case MP_OP_SETATTR:
	case MP_OP_CHDIR:
		break;
	case MP_OP_INVALID:
	case MP_OP_MAX:
		return refuse(err, i, "unknown opcode");
	default:
		return refuse(err, i, "unknown opcode");
	}
	return 0;
}

/* The READONLY op of the hole (HOLE_SAVE or HOLE_RESTORE) at i: the first
 * READONLY after a HOLE_SAVE (past other HOLE_SAVEs), the last before a
 * HOLE_RESTORE (past other HOLE_RESTOREs), as the compiler lowers a
 * read-only path with its writable ones.  Its index, when the hole's
 * target lies strictly beneath that READONLY's target; else UINT32_MAX. */
uint32_t mpb_hole_readonly(const struct mpb *plan, uint32_t i)
{
	struct mp_op hole, op;
	uint32_t k = i, step;

	mpb_op(plan, i, &hole);
	step = hole.opcode == MP_OP_HOLE_SAVE ? 1 : UINT32_MAX; /* +1 or -1 */
	op.opcode = hole.opcode;
	while (op.opcode == hole.opcode && (k += step) < plan->op_count)
		mpb_op(plan, k, &op);
	if (op.opcode == MP_OP_READONLY) {
		const char *h = mpb_str(plan, hole.target), *r = mpb_str(plan, op.target);
		size_t n = strcmp(r, "/") ? strlen(r) : 0;

		if (path_below(h, r, n))
			return k;
	}
	return UINT32_MAX;
}

/* Check the op sequence: ROOTFS first and once, one PIVOT, each op in its
 * phase, every HOLE_RESTORE after a HOLE_SAVE of its slot, every hole
 * next to the READONLY it lies beneath (mpb_hole_readonly). */
static int check_phases(const struct mpb *plan, struct mpb_error *err)
{
	int pivoted = 0;
	uint64_t saved = 0;
	uint32_t guarded = 0; /* ops left under the last COND */

	for (uint32_t i = 0; i < plan->op_count; i++) {
		struct mp_op op;
		mpb_op(plan, i, &op);
		switch (shapes[op.opcode].phase) {
		case PH_FIRST:
			if (i != 0)
				return refuse(err, i, "ROOTFS is not the first op");
			break;
		case PH_BEFORE:
			if (pivoted)
				return refuse(err, i, "op not allowed after PIVOT");
			break;
		case PH_PIVOT:
			if (pivoted)
				return refuse(err, i, "second PIVOT");
			pivoted = 1;
			break;
		case PH_AFTER:
			if (!pivoted)
				return refuse(err, i, "op not allowed before PIVOT");
			break;
		case PH_EITHER:
			break;
		default:
			return refuse(err, i, "unknown opcode");
		}
		if (i == 0 && op.opcode != MP_OP_ROOTFS)
			return refuse(err, 0, "first op is not ROOTFS");
		if (guarded) {
			guarded--;
			if (op.opcode == MP_OP_PIVOT || op.opcode == MP_OP_COND)
				return refuse(err, i, "PIVOT or COND under a condition");
		} else if (op.opcode == MP_OP_COND) {
			guarded = op.aux;
		}
		if (op.opcode == MP_OP_HOLE_SAVE)
			saved |= (uint64_t)1 << op.aux;
		if (op.opcode == MP_OP_HOLE_RESTORE && !(saved & ((uint64_t)1 << op.aux)))
			return refuse(err, i, "HOLE_RESTORE of a slot never saved");
		if ((op.opcode == MP_OP_HOLE_SAVE || op.opcode == MP_OP_HOLE_RESTORE) &&
		    mpb_hole_readonly(plan, i) == UINT32_MAX)
			return refuse(err, i, "hole not beneath the READONLY next to it");
	}
	if (!pivoted)
		return refuse(err, -1, "plan has no PIVOT");
	return 0;
}

/* Check buf and fill *plan: everything (mpb_open), or everything but
 * the checksum when !sum (mpb_open_made). */
static int open_checked(struct mpb *plan, const uint8_t *buf, size_t size,
			struct mpb_error *err, int sum)
{
	uint32_t op_count, srcmap_size, end;

	memset(plan, 0, sizeof(*plan));
	if (size < MP_HEADER_SIZE + MP_TRAILER_SIZE)
		return refuse(err, -1, "file too short for a header");
	if (size > MP_MAX_FILE_SIZE)
		return refuse(err, -1, "file too large");
	if (memcmp(buf + H_MAGIC, MP_MAGIC, MP_MAGIC_LEN) != 0)
		return refuse(err, -1, "not a compiled plan (bad magic)");
	plan->version = mp_get16(buf + H_VERSION);
	if (plan->version < 1 || plan->version > MP_VERSION)
		return refuse(err, -1, "unsupported format version");
	if (mp_get16(buf + H_HEADER_SIZE) != MP_HEADER_SIZE)
		return refuse(err, -1, "bad header size");
	if (mp_get32(buf + H_FILE_SIZE) != size)
		return refuse(err, -1, "file size does not match the header (truncated?)");
	if (sum && mp_crc32(0, buf, size - MP_TRAILER_SIZE) !=
		   mp_get32(buf + size - MP_TRAILER_SIZE))
		return refuse(err, -1, "bad checksum");
	if (mp_get32(buf + H_OP_SIZE) != MP_OP_SIZE)
		return refuse(err, -1, "bad op record size");
	if (mp_get32(buf + H_FLAGS) != 0)
		return refuse(err, -1, "unknown header flags");
	for (int k = 0; k < 12; k++)
		if (buf[H_RESERVED + k])
			return refuse(err, -1, "reserved header bytes not zero");
	op_count = mp_get32(buf + H_OP_COUNT);
	if (op_count == 0 || op_count > MP_MAX_OPS)
		return refuse(err, -1, "op count out of range");
	plan->op_count = op_count;
	plan->ops_offset = mp_get32(buf + H_OPS_OFFSET);
	plan->srcmap_offset = mp_get32(buf + H_SRCMAP_OFFSET);
	srcmap_size = mp_get32(buf + H_SRCMAP_SIZE);
	plan->strtab_offset = mp_get32(buf + H_STRTAB_OFFSET);
	plan->strtab_size = mp_get32(buf + H_STRTAB_SIZE);
	/* Sections follow each other exactly: no gaps, no overlap. */
	if (plan->ops_offset != MP_HEADER_SIZE)
		return refuse(err, -1, "ops do not follow the header");
	if (plan->srcmap_offset != plan->ops_offset + op_count * MP_OP_SIZE ||
	    srcmap_size != op_count * MP_SRCPOS_SIZE)
		return refuse(err, -1, "source map misplaced or mis-sized");
	if (plan->strtab_offset != plan->srcmap_offset + srcmap_size)
		return refuse(err, -1, "string table misplaced");
	end = plan->strtab_offset + plan->strtab_size;
	if (plan->strtab_size == 0 || end < plan->strtab_offset ||
	    (size_t)end + MP_TRAILER_SIZE != size)
		return refuse(err, -1, "string table size does not fit the file");
	if (buf[plan->strtab_offset] != 0 || buf[end - 1] != 0)
		return refuse(err, -1, "string table not NUL-framed");
	plan->buf = buf;
	plan->size = size;
	plan->name = mp_get32(buf + H_NAME);
	if (plan->name >= plan->strtab_size)
		return refuse(err, -1, "plan name outside the string table");
	for (uint32_t i = 0; i < op_count; i++) {
		struct mp_op op;
		struct mp_srcpos pos;

		mpb_op(plan, i, &op);
		if (check_op(plan, i, &op, err) < 0)
			return -1;
		mpb_srcpos(plan, i, &pos);
		if (pos.file >= plan->strtab_size || pos.line == 0 || pos.col == 0)
			return refuse(err, i, "bad source position");
	}
	return check_phases(plan, err);
}

/* Check the whole buffer and fill *plan; see mpb.h. */
int mpb_open(struct mpb *plan, const uint8_t *buf, size_t size,
	     struct mpb_error *err)
{
	return open_checked(plan, buf, size, err, 1);
}

/* mpb_open but for the checksum; see mpb.h. */
int mpb_open_made(struct mpb *plan, const uint8_t *buf, size_t size,
		  struct mpb_error *err)
{
	return open_checked(plan, buf, size, err, 0);
}
