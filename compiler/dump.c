/*
 * dump.c: `mountplan dump PLAN.yaml|PLAN.mpb`, the op list as text.
 *
 * A .yaml is compiled in memory and a .mpb read as is (input_open); either
 * way the bytes are checked and decoded by executor/mpb.c, the decoder the
 * executor uses, so the dump shows exactly what would be replayed.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"
#include "dump.h"
#include "json_write.h"
#include "options.h"
#include "passes.h"

/* Print s as a double-quoted string: quotes escaped, the rest as
 * text_string escapes it (backslashes, control characters, bytes that are
 * not UTF-8). */
static void put_quoted(FILE *out, const char *s)
{
	size_t left = strlen(s), used;

	fputc('"', out);
	for (; left; s += used, left -= used) {
		if (*s == '"') {
			fputs("\\\"", out);
			used = 1;
		} else {
			text_char(out, s, left, &used);
		}
	}
	fputc('"', out);
}

/* Print " name=" and the string at off, when off is not 0. */
static void put_str(FILE *out, const struct mpb *mpb, const char *name,
		    uint32_t off)
{
	if (!off)
		return;
	fprintf(out, " %s=", name);
	put_quoted(out, mpb_str(mpb, off));
}

/* The words of the flags of an op of opcode, comma-separated, into buf
 * (the v2 bits mean different things to different ops). */
static void flag_words(uint16_t opcode, uint16_t flags, char *buf, size_t n)
{
	static const struct {
		uint16_t bit;
		const char *word;
		uint16_t opcode; /* 0: any */
	} words[] = {
		{ MP_F_MKDIR, "mkdir", 0 },
		{ MP_F_RECURSIVE, "recursive", 0 },
		{ MP_F_ATTR_RECURSIVE, "attr-recursive", 0 },
		{ MP_F_OPTIONAL, "optional", 0 },
		{ MP_F_TMPCOPYUP, "tmpcopyup", 0 },
		{ MP_F_IDMAP, "idmap", 0 },
		{ MP_F_BIND_FALLBACK, "bind-fallback", 0 },
		{ MP_F_BIND_ONLY, "bind-only", 0 },
		{ MP_F_PIVOT_ROOT, "pivot-root", 0 },
		{ MP_F_PIVOT_MOVE, "move", 0 },
		{ MP_F_PIVOT_CHROOT, "chroot", 0 },
		{ MP_F_NOT, "not", MP_OP_COND },
		{ MP_F_USERNS, "userns", MP_OP_NAMESPACES },
		{ MP_F_CGROUPNS, "cgroupns", MP_OP_NAMESPACES },
		{ MP_F_LABEL, "label", MP_OP_MOUNT },
		{ MP_F_SRC_NOFOLLOW, "src-nofollow", MP_OP_BIND },
		{ MP_F_DEST_NOFOLLOW, "dest-nofollow", MP_OP_BIND },
		{ MP_F_COPY_SYMLINK, "copy-symlink", MP_OP_BIND },
		{ MP_F_FOLLOW, "follow-symlinks", MP_OP_BIND },
		{ MP_F_GLOB, "glob", MP_OP_HOSTDEV },
		{ MP_F_BEST_EFFORT, "best-effort", 0 },
	};
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if ((flags & words[i].bit) && (!words[i].opcode || words[i].opcode == opcode) &&
		    len + strlen(words[i].word) + 2 < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "",
						words[i].word);
}

/* Print op i; see dump.h. */
void dump_op(FILE *out, const struct mpb *mpb, uint32_t i)
{
	struct mp_op op;
	struct mp_srcpos pos;
	char words[160];
	const char *name;

	mpb_op(mpb, i, &op);
	mpb_srcpos(mpb, i, &pos);
	name = mp_opcode_name(op.opcode);
	fprintf(out, "%4u  %-12s", i, name ? name : "?");
	put_str(out, mpb, "target", op.target);
	put_str(out, mpb, "source", op.source);
	put_str(out, mpb, "fstype", op.fstype);
	put_str(out, mpb, "data", op.data);
	if (op.attr_set) {
		options_attr_names(op.attr_set, 0, words, sizeof words);
		fprintf(out, " attr_set=%s", words);
	}
	if (op.attr_clr) {
		options_attr_names(op.attr_clr & ~MP_ATTR__ATIME, 0, words, sizeof words);
		fprintf(out, " attr_clr=%s%s%s", words,
			*words && (op.attr_clr & MP_ATTR__ATIME) ? "," : "",
			op.attr_clr & MP_ATTR__ATIME ? "atime" : "");
	}
	if (op.propagation) {
		const char *p = options_propagation_name(op.propagation);
		if (p)
			fprintf(out, " propagation=%s", p);
		else
			fprintf(out, " propagation=%#x", op.propagation);
	}
	if (op.mode || op.opcode == MP_OP_UMASK)
		fprintf(out, " mode=%#o", op.mode);
	if (op.major || op.minor)
		fprintf(out, " major=%u minor=%u", op.major, op.minor);
	if (op.uid)
		fprintf(out, " uid=%u", op.uid);
	if (op.gid)
		fprintf(out, " gid=%u", op.gid);
	if (op.opcode == MP_OP_HOLE_SAVE || op.opcode == MP_OP_HOLE_RESTORE)
		fprintf(out, " slot=%u", op.aux);
	if (op.opcode == MP_OP_COND)
		fprintf(out, " count=%u", op.aux);
	if (op.opcode == MP_OP_ROOTFS && op.aux)
		fprintf(out, " namespaces=%s%s%s%s%s", op.aux & MP_NS_PID ? "pid" : "",
			(op.aux & MP_NS_PID) && (op.aux & MP_NS_IPC) ? "," : "",
			op.aux & MP_NS_IPC ? "ipc" : "",
			op.aux & MP_NS_INIT ? "," : "", op.aux & MP_NS_INIT ? "init" : "");
	if (op.flags) {
		flag_words(op.opcode, op.flags, words, sizeof words);
		fprintf(out, " flags=%s", words);
	}
	fputs("  ", out);
	text_string(out, mpb_str(mpb, pos.file));
	fprintf(out, ":%u:%u\n", pos.line, pos.col);
}

/* The read-only paths of plan folded into a bind (lower_folds), in the
 * order of their binds' ops (the plan's order), in a new array of *n. */
static const struct plan_entry **folded_paths(const struct plan *plan, size_t *n)
{
	size_t *fold = lower_folds(plan);
	const struct plan_entry **v = xcalloc(plan->n_entries + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < plan->n_entries; i++)
		if (fold[i] && plan->entries[i].kind == PLAN_MOUNT)
			v[(*n)++] = &plan->entries[fold[i] - 1];
	free(fold);
	return v;
}

/* Print the header line and every op; see dump.h. */
void dump_mpb(FILE *out, const struct mpb *mpb, const struct plan *plan)
{
	const struct plan_entry **folded = NULL;
	size_t n_folded = 0, k = 0;

	if (plan)
		folded = folded_paths(plan, &n_folded);
	fputs("plan ", out);
	put_quoted(out, mpb_str(mpb, mpb->name));
	fprintf(out, ", .mpb version %u, %u ops\n", mpb->version, mpb->op_count);
	for (uint32_t i = 0; i < mpb->op_count; i++) {
		struct mp_op op;
		const struct plan_entry *r = k < n_folded ? folded[k] : NULL;

		dump_op(out, mpb, i);
		mpb_op(mpb, i, &op);
		if (!r || op.opcode != MP_OP_BIND ||
		    strcmp(mpb_str(mpb, op.target), r->target.text) != 0)
			continue;
		/* the fold: where the read-only attribute came from */
		fputs("      folded in: readonly ", out);
		put_quoted(out, r->target.text);
		fputs("  ", out);
		text_string(out, r->cold->pos.file ? r->cold->pos.file : plan->file);
		fprintf(out, ":%u:%u\n", r->cold->pos.line, r->cold->pos.col);
		k++;
	}
	free(folded);
}

/* Print dump's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan dump PLAN.yaml|PLAN.mpb [--format=text|json]\n"
	      "Print the ops of a plan, one line each: index, opcode, operands,\n"
	      "source position.  A .yaml is compiled in memory (nothing is written);\n"
	      "a read-only path folded into the bind at its target is named on a\n"
	      "line after the bind's.  A .mpb is checked and decoded as the executor\n"
	      "would.\n"
	      "--format selects how errors are printed.\n"
	      "Exit status: 0 ok, 1 the plan has errors, 2 usage or I/O error.\n",
	      out);
}

/* Print the dump (format is for diagnostics only). */
static void show_dump(FILE *out, const struct mpb *mpb, const struct plan *plan,
		      enum diag_format format)
{
	(void)format;
	dump_mpb(out, mpb, plan);
}

/* `mountplan dump`; see commands.h. */
int cmd_dump(int argc, char **argv)
{
	struct cli cli = { .name = "mountplan dump", .usage = usage, .shows_plan = true };

	return cli_show_plan(&cli, argc, argv, show_dump);
}
