/*
 * mpbasm.c: assemble a text op list into a .mpb, so tests can craft any op
 * sequence without the compiler (and sequences the compiler never emits).
 *
 * Usage: mpbasm [--check] IN.txt|- OUT.mpb
 *   --check  also run mpb_open on the result; exit 1 (with its message)
 *            when the executor would refuse it.
 *
 * Syntax, one statement per line; '#' starts a comment:
 *
 *   name "plan name"        the plan's name (default "mpbasm")
 *   file NAME               source file named in the source map from here
 *                           on (default: the input's name)
 *   OPCODE [key=value]...   one op record
 *
 * OPCODE is a name of mp_ops.h (ROOTFS, MOUNT, BIND, CGROUP, MKNOD,
 * SYMLINK, PIVOT, MASK, HOLE_SAVE, READONLY, HOLE_RESTORE, SETATTR, UMASK,
 * CHDIR, COND; any case) or a number (to write unknown opcodes).  Keys:
 *
 *   target source fstype data   strings; a value in double quotes may hold
 *                               spaces and \" \\ \n \t \xHH escapes;
 *                               @N writes the raw string offset N
 *   attr_set attr_clr           a number, or names joined by ',': rdonly
 *                               nosuid nodev noexec noatime strictatime
 *                               nodiratime idmap nosymfollow atime
 *   propagation                 a number or shared slave private unbindable,
 *                               with an 'r' prefix for recursive (rslave)
 *   flags                       a number or names joined by ',': mkdir
 *                               recursive attr_recursive optional tmpcopyup
 *                               idmap bind_fallback bind_only pivot_root
 *                               pivot_move pivot_chroot not glob
 *                               best_effort (and the other v2 flags)
 *   mode                        a number (C syntax: 0666 is octal), with an
 *                               optional type letter first: c0666 b0660 p0600
 *   major minor uid gid aux     numbers; slot is a synonym of aux
 *   line col                    the op's source position (default: the
 *                               statement's own line, column 1)
 *
 * Example:
 *   ROOTFS propagation=rslave
 *   MOUNT target=/proc fstype=proc source=proc flags=mkdir attr_set=nosuid,nodev,noexec
 *   PIVOT flags=pivot_root
 *   CHDIR target=/
 *
 * Exit status: 0 written, 1 refused by --check, 2 usage or syntax error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mp_ops.h"
#include "mpb.h"
#include "prog.h"

struct name_value {
	const char *name;
	uint32_t value;
};

static const struct name_value attr_names[] = {
	{ "rdonly", MP_ATTR_RDONLY },         { "nosuid", MP_ATTR_NOSUID },
	{ "nodev", MP_ATTR_NODEV },           { "noexec", MP_ATTR_NOEXEC },
	{ "noatime", MP_ATTR_NOATIME },       { "strictatime", MP_ATTR_STRICTATIME },
	{ "nodiratime", MP_ATTR_NODIRATIME }, { "idmap", MP_ATTR_IDMAP },
	{ "nosymfollow", MP_ATTR_NOSYMFOLLOW }, { "atime", MP_ATTR__ATIME },
	{ NULL, 0 },
};

static const struct name_value flag_names[] = {
	{ "mkdir", MP_F_MKDIR },
	{ "recursive", MP_F_RECURSIVE },
	{ "attr_recursive", MP_F_ATTR_RECURSIVE },
	{ "optional", MP_F_OPTIONAL },
	{ "tmpcopyup", MP_F_TMPCOPYUP },
	{ "idmap", MP_F_IDMAP },
	{ "bind_fallback", MP_F_BIND_FALLBACK },
	{ "bind_only", MP_F_BIND_ONLY },
	{ "pivot_root", MP_F_PIVOT_ROOT },
	{ "pivot_move", MP_F_PIVOT_MOVE },
	{ "pivot_chroot", MP_F_PIVOT_CHROOT },
	{ "follow", MP_F_FOLLOW },
	{ "not", MP_F_NOT },
	{ "userns", MP_F_USERNS },
	{ "cgroupns", MP_F_CGROUPNS },
	{ "label", MP_F_LABEL },
	{ "src_nofollow", MP_F_SRC_NOFOLLOW },
	{ "dest_nofollow", MP_F_DEST_NOFOLLOW },
	{ "copy_symlink", MP_F_COPY_SYMLINK },
	{ "glob", MP_F_GLOB },
	{ "best_effort", MP_F_BEST_EFFORT },
	{ NULL, 0 },
};

static const struct name_value prop_names[] = {
	{ "shared", MP_PROP_SHARED },
	{ "slave", MP_PROP_SLAVE },
	{ "private", MP_PROP_PRIVATE },
	{ "unbindable", MP_PROP_UNBINDABLE },
	{ NULL, 0 },
};

static const char *in_name;
static unsigned in_line;

/* Report a syntax error at the current line and exit 2. */
static void syntax(const char *what, const char *near)
{
	fprintf(stderr, "%s:%u: %s%s%s\n", in_name, in_line, what,
		near ? ": " : "", near ? near : "");
	exit(2);
}

/* Parse a C-syntax unsigned number (all of s). */
static uint32_t number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (!*s || *end || errno || v > 0xffffffffUL)
		syntax("bad number", s);
	return (uint32_t)v;
}

/* Parse a number or a ','-joined list of names from table. */
static uint32_t names(const char *s, const struct name_value *table)
{
	char buf[512], *tok, *save;
	uint32_t v = 0;

	if (isdigit((unsigned char)*s))
		return number(s);
	if (strlen(s) >= sizeof buf)
		syntax("value too long", NULL);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct name_value *nv = table;
		while (nv->name && strcmp(nv->name, tok) != 0)
			nv++;
		if (!nv->name)
			syntax("unknown name", tok);
		v |= nv->value;
	}
	return v;
}

/* Parse a propagation: a number, or [r]shared|slave|private|unbindable. */
static uint32_t propagation(const char *s)
{
	uint32_t rec = 0;

	if (isdigit((unsigned char)*s))
		return number(s);
	if (s[0] == 'r' && strcmp(s, "rdonly") != 0) {
		rec = MP_PROP_REC;
		s++;
	}
	return names(s, prop_names) | rec;
}

/* Parse a mode: [cbp]NUMBER. */
static uint32_t mode(const char *s)
{
	uint32_t type = 0;

	if (*s == 'c')
		type = MP_IFCHR;
	else if (*s == 'b')
		type = MP_IFBLK;
	else if (*s == 'p')
		type = MP_IFIFO;
	return type | number(type ? s + 1 : s);
}

/* Read one value starting at *p (quoted or bare) into out; advance *p. */
static void value(char **p, char *out, size_t size)
{
	char *s = *p;
	size_t n = 0;

	if (*s != '"') {
		while (*s && !isspace((unsigned char)*s)) {
			if (n + 1 >= size)
				syntax("value too long", NULL);
			out[n++] = *s++;
		}
		out[n] = 0;
		*p = s;
		return;
	}
	for (s++; *s != '"'; s++) {
		char c = *s;
		if (!c)
			syntax("unterminated string", NULL);
		if (c == '\\') {
			c = *++s;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'x' && isxdigit((unsigned char)s[1]) &&
				 isxdigit((unsigned char)s[2])) {
				char hex[3] = { s[1], s[2], 0 };
				c = (char)strtoul(hex, NULL, 16);
				s += 2;
			} else if (c != '\\' && c != '"')
				syntax("bad escape", NULL);
		}
		if (n + 1 >= size)
			syntax("value too long", NULL);
		out[n++] = c;
	}
	out[n] = 0;
	*p = s + 1;
}

/* A string field: @N is a raw offset, anything else is interned. */
static uint32_t string(struct prog *prog, const char *v)
{
	if (v[0] == '@' && v[1])
		return number(v + 1);
	return prog_str(prog, v);
}

/* Parse an opcode name or number. */
static uint16_t opcode(const char *s)
{
	if (isdigit((unsigned char)*s)) {
		uint32_t v = number(s);
		if (v > 0xffff)
			syntax("opcode out of range", s);
		return (uint16_t)v;
	}
	for (unsigned k = 1; k < MP_OP_MAX; k++)
		if (strcasecmp(s, mp_opcode_name(k)) == 0)
			return (uint16_t)k;
	syntax("unknown opcode", s);
	return 0;
}

/* Assemble one op statement (line starts at its opcode). */
static void statement(struct prog *prog, char *line, const char *file)
{
	struct mp_op op = { 0 };
	char word[MP_MAX_PATH * 2 + 2], val[MP_MAX_PATH * 2 + 2];
	uint32_t src_line = in_line, col = 1;
	char *p = line;

	value(&p, word, sizeof word);
	op.opcode = opcode(word);
	for (;;) {
		char *eq;
		size_t klen;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		eq = strchr(p, '=');
		if (!eq)
			syntax("expected key=value", p);
		klen = (size_t)(eq - p);
		if (klen >= sizeof word)
			syntax("key too long", NULL);
		memcpy(word, p, klen);
		word[klen] = 0;
		p = eq + 1;
		value(&p, val, sizeof val);
		if (strcmp(word, "target") == 0)
			op.target = string(prog, val);
		else if (strcmp(word, "source") == 0)
			op.source = string(prog, val);
		else if (strcmp(word, "fstype") == 0)
			op.fstype = string(prog, val);
		else if (strcmp(word, "data") == 0)
			op.data = string(prog, val);
		else if (strcmp(word, "attr_set") == 0)
			op.attr_set = names(val, attr_names);
		else if (strcmp(word, "attr_clr") == 0)
			op.attr_clr = names(val, attr_names);
		else if (strcmp(word, "propagation") == 0)
			op.propagation = propagation(val);
		else if (strcmp(word, "flags") == 0) {
			uint32_t f = names(val, flag_names);
			if (f > 0xffff)
				syntax("flags out of range", val);
			op.flags = (uint16_t)f;
		} else if (strcmp(word, "mode") == 0)
			op.mode = mode(val);
		else if (strcmp(word, "major") == 0)
			op.major = number(val);
		else if (strcmp(word, "minor") == 0)
			op.minor = number(val);
		else if (strcmp(word, "uid") == 0)
			op.uid = number(val);
		else if (strcmp(word, "gid") == 0)
			op.gid = number(val);
		else if (strcmp(word, "aux") == 0 || strcmp(word, "slot") == 0)
			op.aux = number(val);
		else if (strcmp(word, "line") == 0)
			src_line = number(val);
		else if (strcmp(word, "col") == 0)
			col = number(val);
		else
			syntax("unknown key", word);
	}
	prog_add(prog, &op, file, src_line, col);
}

/* Write len bytes of buf to path ("-": stdout).  0 or -1. */
static int write_out(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int r;

	if (!f)
		return -1;
	r = fwrite(buf, 1, len, f) == len ? 0 : -1;
	if (f != stdout)
		r |= fclose(f) == 0 ? 0 : -1;
	else
		r |= fflush(f) == 0 ? 0 : -1;
	return r;
}

int main(int argc, char **argv)
{
	struct prog prog;
	char line[3 * MP_MAX_PATH], file[256] = "", name[256] = "mpbasm";
	int check = 0, a = 1;
	FILE *in;
	uint8_t *buf;
	size_t len;

	if (a < argc && strcmp(argv[a], "--check") == 0) {
		check = 1;
		a++;
	}
	if (argc - a != 2) {
		fputs("usage: mpbasm [--check] IN.txt|- OUT.mpb\n", stderr);
		return 2;
	}
	in_name = argv[a];
	in = strcmp(in_name, "-") == 0 ? stdin : fopen(in_name, "r");
	if (!in) {
		perror(in_name);
		return 2;
	}
	snprintf(file, sizeof file, "%s", strcmp(in_name, "-") ? in_name : "stdin");
	prog_init(&prog);
	while (fgets(line, sizeof line, in)) {
		char *p = line;

		in_line++;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (strncmp(p, "name", 4) == 0 && isspace((unsigned char)p[4])) {
			p += 5;
			while (isspace((unsigned char)*p))
				p++;
			value(&p, name, sizeof name);
		} else if (strncmp(p, "file", 4) == 0 && isspace((unsigned char)p[4])) {
			p += 5;
			while (isspace((unsigned char)*p))
				p++;
			value(&p, file, sizeof file);
		} else {
			statement(&prog, p, file);
		}
	}
	if (in != stdin)
		fclose(in);
	prog.name = prog_str(&prog, name);
	if (prog_serialize(&prog, &buf, &len) < 0) {
		fputs("mpbasm: program too large for the format\n", stderr);
		return 2;
	}
	if (write_out(argv[a + 1], buf, len) < 0) {
		perror(argv[a + 1]);
		return 2;
	}
	if (check) {
		struct mpb plan;
		struct mpb_error err;
		if (mpb_open(&plan, buf, len, &err) < 0) {
			fprintf(stderr, "mpbasm: refused: %s (op %ld)\n", err.what, err.op);
			return 1;
		}
	}
	free(buf);
	prog_free(&prog);
	return 0;
}
