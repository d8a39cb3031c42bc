/*
 * verify.c: `mountplan verify PLAN MOUNTINFO|-`, the predicted table
 * (simulate.c) against a real /proc/PID/mountinfo, read with libmount.
 *
 * Mounts are paired per mount point in mount order: the k-th predicted
 * mount at a path with the k-th found there.  A predicted mount that may
 * be absent (a mask or read-only path over a path the rootfs lacks, an
 * optional bind, a device bound only where mknod is refused) and is not
 * there is a skip; any other difference (missing, extra, different type,
 * options or propagation) is printed and makes the exit status 1.  Mounts
 * beneath a recursive bind or a cgroup mount may come from the host and
 * are not extra.  Only what the plan decides is compared: a bind's type
 * and the options it inherits from the host are not.
 *
 * A mount guarded by a (v2) when: is tested on this host, as
 * mountplan-exec tested it: a mount or bind whose condition holds here
 * and is not there is missing, and one whose condition fails here and is
 * there was made when it should not have been (verify runs where the
 * container ran; the mountinfo is this host's).
 */
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "hostnode.h"
#include "json_write.h"
#include "paths.h"
#include "simulate.h"
#include "util.h"

/* One mount read from the mountinfo. */
struct found_mount {
	const char *target;
	const char *fstype;
	uint32_t attrs;       /* MP_ATTR_* from the VFS options */
	uint32_t propagation; /* MP_PROP_* from the optional fields */
	bool matched;
};

/* What a comparison found. */
struct verify_state {
	size_t differences, skips, matches;
	size_t nodes;   /* device nodes as predicted (--nodes) */
	FILE *out;      /* text: every line as found */
	bool json;      /* JSON: items collected, printed at the end */
	FILE *items;    /* JSON objects of differences, comma-separated */
	FILE *skipped;  /* JSON objects of skips, comma-separated */
	char *items_buf, *skipped_buf;
	size_t items_len, skipped_len;
};

/* Report one difference (what: "missing", "extra", "type", "options",
 * "propagation", "node", "condition": a guarded mount or node made, or
 * not, against its when: on this host (found: "mounted", "made", "not
 * mounted", "no node"), "refused": a like-host node the executor
 * refuses on this host (predicted: the host path, found: why)) at path,
 * with the predicted and found values (either may be NULL). */
static void report(struct verify_state *st, const char *path, const char *what,
		   const char *predicted, const char *found)
{
	st->differences++;
	if (st->json) {
		fprintf(st->items, "%s\n  {\"path\": ", st->differences > 1 ? "," : "");
		json_string(st->items, path);
		fprintf(st->items, ", \"what\": \"%s\", \"predicted\": ", what);
		json_string(st->items, predicted);
		fputs(", \"found\": ", st->items);
		json_string(st->items, found);
		fputc('}', st->items);
	} else {
		/* paths and values come from the mount table: escaped text */
		text_string(st->out, path);
		if (strcmp(what, "missing") == 0) {
			fputs(": missing: predicted ", st->out);
			text_string(st->out, predicted);
		} else if (strcmp(what, "condition") == 0) {
			fprintf(st->out, ": %s, although its condition %s on this host (",
				found, strncmp(found, "no", 2) == 0 ? "holds" : "fails");
			text_string(st->out, predicted);
			fputc(')', st->out);
		} else if (strcmp(what, "refused") == 0) {
			fputs(": refused: host node ", st->out);
			text_string(st->out, predicted);
			fputs(": ", st->out);
			text_string(st->out, found);
		} else if (strcmp(what, "extra") == 0) {
			fputs(": extra: found ", st->out);
			text_string(st->out, found);
			fputs(", not predicted", st->out);
		} else {
			fprintf(st->out, ": different %s: predicted ", what);
			text_string(st->out, predicted);
			fputs(", found ", st->out);
			text_string(st->out, found);
		}
		fputc('\n', st->out);
	}
}

/* Report a predicted mount of kind that is absent for reason (a skip). */
static void report_skip(struct verify_state *st, const char *path, const char *kind,
			const char *state, const char *reason)
{
	st->skips++;
	if (st->json) {
		fprintf(st->skipped, "%s\n  {\"path\": ", st->skips > 1 ? "," : "");
		json_string(st->skipped, path);
		fprintf(st->skipped, ", \"kind\": \"%s\", \"reason\": ", kind);
		json_string(st->skipped, reason);
		fputc('}', st->skipped);
	} else {
		fputs("skip: ", st->out);
		text_string(st->out, path);
		fprintf(st->out, " (%s): %s, ", kind, state);
		text_string(st->out, reason);
		fputc('\n', st->out);
	}
}

/* MP_ATTR_* bits of a mountinfo VFS option string ("rw,nosuid,relatime"):
 * no atime word means strictatime. */
static uint32_t parse_vfs_options(const char *opts)
{
	uint32_t attrs = MP_ATTR_STRICTATIME;
	char *copy = xstrdup(opts ? opts : ""), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "ro") == 0)
			attrs |= MP_ATTR_RDONLY;
		else if (strcmp(w, "nosuid") == 0)
			attrs |= MP_ATTR_NOSUID;
		else if (strcmp(w, "nodev") == 0)
			attrs |= MP_ATTR_NODEV;
		else if (strcmp(w, "noexec") == 0)
			attrs |= MP_ATTR_NOEXEC;
		else if (strcmp(w, "relatime") == 0)
			attrs = (attrs & ~MP_ATTR__ATIME) | MP_ATTR_RELATIME;
		else if (strcmp(w, "noatime") == 0)
			attrs = (attrs & ~MP_ATTR__ATIME) | MP_ATTR_NOATIME;
		else if (strcmp(w, "nodiratime") == 0)
			attrs |= MP_ATTR_NODIRATIME;
		else if (strcmp(w, "nosymfollow") == 0)
			attrs |= MP_ATTR_NOSYMFOLLOW;
		else if (strcmp(w, "idmapped") == 0)
			attrs |= MP_ATTR_IDMAP;
	}
	free(copy);
	return attrs;
}

/* MP_PROP_* of mountinfo optional fields ("shared:1 master:2"). */
static uint32_t parse_propagation(const char *fields)
{
	if (!fields)
		return MP_PROP_PRIVATE;
	if (strstr(fields, "shared:"))
		return MP_PROP_SHARED;
	if (strstr(fields, "master:"))
		return MP_PROP_SLAVE;
	if (strstr(fields, "unbindable"))
		return MP_PROP_UNBINDABLE;
	return MP_PROP_PRIVATE;
}

/* The largest mountinfo verify reads (a host's with 100,000 mounts is
 * about 15 MiB). */
#define MOUNTINFO_MAX ((size_t)64 << 20)

/* s (NULL: none) kept in names. */
static const char *name_kept(struct arena *names, const char *s)
{
	return s ? arena_strdup(names, s) : NULL;
}

/* Read a mountinfo (path, or "-": stdin) with libmount into *found, its
 * targets and types kept in names: libmount's table (about 350 bytes a
 * mount) is freed here, before the simulation, whose memory then
 * reuses it (doc/performance.md, ninth round).  Returns 0, or -1 after
 * printing why. */
static int read_mountinfo(const char *path, struct arena *names,
			  struct found_mount **found, size_t *n)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	const char *why = NULL;
	char *text = NULL;
	size_t cap = 0, len = 0;
	FILE *stream;
	int rc;

	*found = NULL;
	*n = 0;
	if (!tb)
		return -1;
	/* read here, bounded and without blocking on a FIFO or device, then
	 * parsed from memory: libmount would read /dev/zero for ever */
	if (input_file_read(path, INPUT_PIPES | INPUT_PROC, MOUNTINFO_MAX, &text, &len, &why) < 0 ||
	    (len > MOUNTINFO_MAX && (why = "larger than 64 MiB")) ||
	    !(stream = fmemopen(text, len ? len : 1, "r"))) {
		fprintf(stderr, "mountplan verify: %s: %s\n", path, why ? why : strerror(errno));
		free(text);
		mnt_unref_table(tb);
		return -1;
	}
	rc = mnt_table_parse_stream(tb, stream, strcmp(path, "-") ? path : "standard input");
	fclose(stream);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "mountplan verify: %s: cannot read a mountinfo table: %s\n",
			path, strerror(rc < 0 ? -rc : rc));
		mnt_unref_table(tb);
		return -1;
	}
	it = mnt_new_iter(MNT_ITER_FORWARD);
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *target = mnt_fs_get_target(fs);

		if (!target || target[0] != '/')
			continue;
		*found = xgrow(*found, *n, &cap, sizeof(**found));
		(*found)[*n] = (struct found_mount){
			.target = name_kept(names, target),
			.fstype = name_kept(names, mnt_fs_get_fstype(fs)),
			.attrs = parse_vfs_options(mnt_fs_get_vfs_options(fs)),
			.propagation = parse_propagation(mnt_fs_get_optional_fields(fs)),
		};
		(*n)++;
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (*n == 0) {
		fprintf(stderr, "mountplan verify: %s: no mounts in it (not a mountinfo?)\n", path);
		return -1;
	}
	return 0;
}

/* Does found type f fit predicted type p (NULL: the host decides)?  A
 * cgroup mount is cgroup2 or cgroup. */
static bool type_fits(const char *p, const char *f)
{
	if (!p)
		return true;
	if (!f)
		return false;
	if (strcmp(p, "cgroup") == 0 || strcmp(p, "cgroup2") == 0)
		return strcmp(f, "cgroup") == 0 || strcmp(f, "cgroup2") == 0;
	return strcmp(p, f) == 0;
}

/* Do the known bits agree? */
static bool attrs_fit(uint32_t attrs, uint32_t known, uint32_t found)
{
	uint32_t mask = known & ~MP_ATTR__ATIME & ~MP_ATTR_IDMAP;

	if ((attrs & mask) != (found & mask))
		return false;
	return !(known & MP_ATTR__ATIME) ||
	       (attrs & MP_ATTR__ATIME) == (found & MP_ATTR__ATIME);
}

/* Does found propagation f fit predicted p?  A slave of a host mount
 * that is not shared has no master and shows as private. */
static bool propagation_fits(uint32_t p, uint32_t f)
{
	return p == f || (p == MP_PROP_SLAVE && f == MP_PROP_PRIVATE);
}

/* Report the options of m (attrs, known) against f's, for the known bits. */
static void options_difference(struct verify_state *st, const struct sim_mount *m,
			       uint32_t attrs, uint32_t known, const struct found_mount *f)
{
	char want[256], got[256];

	sim_attr_words(attrs, known, want, sizeof want);
	sim_attr_words(f->attrs, known & ~MP_ATTR_IDMAP, got, sizeof got);
	report(st, m->target, "options", want, got);
}

/* Compare predicted m with found f (same mount point), printing each
 * difference. */
static void compare_pair(struct verify_state *st, const struct sim_mount *m,
			 const struct found_mount *f)
{
	bool primary = type_fits(m->fstype, f->fstype);
	bool alt = m->has_alt && type_fits(m->alt_fstype, f->fstype);
	size_t before = st->differences;

	if (!primary && !alt) {
		char *want = xasprintf("%s%s%s", m->fstype, m->has_alt ? " or " : "",
				       m->has_alt ? (m->alt_fstype ? m->alt_fstype : "a bind") : "");

		report(st, m->target, "type", want, f->fstype);
		free(want);
	} else if (!(primary && attrs_fit(m->attrs, m->known, f->attrs)) &&
		   !(alt && attrs_fit(m->alt_attrs, m->alt_known, f->attrs))) {
		if (primary)
			options_difference(st, m, m->attrs, m->known, f);
		else
			options_difference(st, m, m->alt_attrs, m->alt_known, f);
	}
	if (!propagation_fits(m->propagation, f->propagation))
		report(st, m->target, "propagation", sim_propagation_name(m->propagation),
		       sim_propagation_name(f->propagation));
	if (st->differences == before)
		st->matches++;
}

/* Does found f agree with predicted m in everything compared? */
static bool fits(const struct sim_mount *m, const struct found_mount *f)
{
	bool primary = type_fits(m->fstype, f->fstype) && attrs_fit(m->attrs, m->known, f->attrs);
	bool alt = m->has_alt && type_fits(m->alt_fstype, f->fstype) &&
		   attrs_fit(m->alt_attrs, m->alt_known, f->attrs);

	return (primary || alt) && propagation_fits(m->propagation, f->propagation);
}

/* The found mounts by mount point, sorted by target and, for one
 * target, in mountinfo order (so a lookup sees them in the order a scan
 * of found would).  Each reference holds its target's first 16 bytes as
 * a sort key (util.h): the sort and the searches compare numbers in one
 * array instead of reading a found mount and its string elsewhere for
 * every compare. */
struct found_index {
	struct found_ref {
		uint64_t head[2];
		const char *target;
		size_t at; /* in found */
	} *by_target;
	size_t n;
};

/* key_sort: found references by target, then by position. */
static int cmp_found(const void *a, const void *b)
{
	const struct found_ref *x = a, *y = b;
	int c = sort_key_cmp(x->head, y->head);

	if (!c)
		c = strcmp(x->target, y->target);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Index found (n mounts) by target. */
static void found_index_build(struct found_index *ix, const struct found_mount *found,
			      size_t n)
{
	ix->n = n;
	ix->by_target = xcalloc(n ? n : 1, sizeof(*ix->by_target));
	for (size_t j = 0; j < n; j++) {
		ix->by_target[j].target = found[j].target;
		ix->by_target[j].at = j;
		sort_key(found[j].target, NULL, ix->by_target[j].head);
	}
	key_sort(ix->by_target, n, sizeof(*ix->by_target), cmp_found);
}

/* The first position in ix->by_target whose target is target (or where
 * it would be). */
static size_t found_first(const struct found_index *ix, const char *target)
{
	uint64_t head[2];
	size_t lo = 0, hi = ix->n;

	sort_key(target, NULL, head);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct found_ref *r = &ix->by_target[mid];
		int c = sort_key_cmp(r->head, head);

		if (!c)
			c = strcmp(r->target, target);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The unmatched found mount at m's mount point to pair m with: the first
 * that agrees in everything, else the first of a fitting type, else the
 * first (a host mount a recursive bind brought along may sit there too).
 * Only the found mounts at that mount point are looked at (ix). */
static struct found_mount *best_candidate(const struct sim_mount *m,
					  struct found_mount *found,
					  const struct found_index *ix)
{
	struct found_mount *first = NULL, *typed = NULL;

	for (size_t k = found_first(ix, m->target); k < ix->n; k++) {
		struct found_mount *f = &found[ix->by_target[k].at];

		if (strcmp(ix->by_target[k].target, m->target) != 0)
			break;
		if (f->matched)
			continue;
		if (fits(m, f))
			return f;
		if (!typed && (type_fits(m->fstype, f->fstype) ||
			       (m->has_alt && type_fits(m->alt_fstype, f->fstype))))
			typed = f;
		if (!first)
			first = f;
	}
	return typed ? typed : first;
}

/* qsort/bsearch: strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is path beneath (not at) one of the sorted mount points open (n of
 * them), the predicted mounts that may have host mounts beneath them?
 * Each of path's ancestors is looked up. */
static bool under_open_mount(const char **open, size_t n, const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (!n || len >= sizeof buf)
		return false;
	memcpy(buf, path, len + 1);
	while (len > 1) {
		const char *key = buf;

		while (len > 0 && buf[--len] != '/')
			;
		buf[len ? len : 1] = 0;
		if (bsearch(&key, open, n, sizeof(*open), cmp_str))
			return true;
		if (!len)
			break;
	}
	return false;
}

/* For each op of mpb, the COND that guards it (the innermost), or -1;
 * malloc'd. */
static long *cond_guards(const struct mpb *mpb)
{
	long *guard = xcalloc(mpb->op_count + 1, sizeof(*guard));
	struct mp_op op;

	for (uint32_t i = 0; i < mpb->op_count; i++)
		guard[i] = -1;
	for (uint32_t i = 0; i < mpb->op_count; i++) {
		mpb_op(mpb, i, &op);
		for (uint32_t g = 1; op.opcode == MP_OP_COND && g <= op.aux &&
				     i + g < mpb->op_count; g++)
			guard[i + g] = i;
	}
	return guard;
}

/* Does the COND guarding op k (guard: cond_guards) hold on this host, as
 * the executor tests it (stat, or lstat for a symlink test; MP_F_NOT
 * inverts)?  -1 when no COND guards op k. */
static int host_condition(const struct mpb *mpb, const long *guard, uint32_t k)
{
	struct mp_op op;
	struct stat st;
	bool holds;

	if (guard[k] < 0)
		return -1;
	mpb_op(mpb, (uint32_t)guard[k], &op);
	holds = (op.mode == MP_IFLNK ? lstat(mpb_str(mpb, op.source), &st) :
				       stat(mpb_str(mpb, op.source), &st)) == 0 &&
		(!op.mode || (st.st_mode & S_IFMT) == op.mode);
	return (op.flags & MP_F_NOT) ? !holds : holds;
}

/* Is m a filesystem, bind or cgroup mount that the plan makes whenever
 * its condition holds (not an optional bind, a mask or read-only path,
 * which the rootfs or host may leave out)? */
static bool made_when_holds(const struct mpb *mpb, const struct sim_mount *m)
{
	struct mp_op op;

	if (m->kind != SIM_FS && m->kind != SIM_BIND && m->kind != SIM_CGROUP)
		return false;
	mpb_op(mpb, m->op, &op);
	return !(op.flags & MP_F_OPTIONAL && op.opcode == MP_OP_BIND);
}

/* Pair and compare every predicted mount with the found ones. */
static void compare_tables(struct verify_state *st, const struct sim_table *t,
			   const struct mpb *mpb, struct found_mount *found, size_t n_found)
{
	struct found_index ix;
	const char **open = xcalloc(t->n ? t->n : 1, sizeof(*open));
	size_t n_open = 0;

	long *guard = cond_guards(mpb);

	found_index_build(&ix, found, n_found);
	for (size_t i = 0; i < t->n; i++) {
		const struct sim_mount *m = &t->mounts[i];
		struct found_mount *f = NULL;
		char opts[256], *desc;

		if (m->open_below)
			open[n_open++] = m->target;
		if (m->kind == SIM_DEVICE && strpbrk(m->target, "*?[")) {
			/* (v2) a like-host glob's binds: each found one it names */
			for (size_t j = 0; j < n_found; j++)
				if (!found[j].matched && host_glob_names(m->target, found[j].target)) {
					found[j].matched = true;
					st->matches++;
				}
			continue;
		}
		f = best_candidate(m, found, &ix);
		if (f && m->cond != SIM_ALWAYS && !type_fits(m->fstype, f->fstype) &&
		    !(m->has_alt && type_fits(m->alt_fstype, f->fstype)))
			f = NULL; /* that one is something else: this one is absent */
		if (f && m->cond == SIM_IF_HOST && host_condition(mpb, guard, m->op) == 0) {
			f->matched = true; /* the executor should have skipped it */
			report(st, m->target, "condition", m->when, "mounted");
			continue;
		}
		if (f) {
			f->matched = true;
			compare_pair(st, m, f);
			continue;
		}
		if (m->cond == SIM_IF_NO_MKNOD)
			continue; /* mknod worked: the expected case, not a skip */
		if (m->cond == SIM_IF_HOST && made_when_holds(mpb, m) &&
		    host_condition(mpb, guard, m->op) == 1) {
			report(st, m->target, "condition", m->when, "not mounted");
			continue;
		}
		if (m->cond != SIM_ALWAYS) {
			report_skip(st, m->target, sim_kind_name(m->kind), "not mounted",
				    m->cond == SIM_IF_PATH ? "the rootfs lacks the path" :
				    m->cond == SIM_IF_SOURCE ? "the host lacks the source" :
				    m->cond == SIM_IF_HOST ? m->when :
							       "mknod was allowed");
			continue;
		}
		sim_option_words(m, opts, sizeof opts);
		desc = xasprintf("%s %s%s%s", m->fstype ? m->fstype : sim_kind_name(m->kind),
				 m->source ? m->source : "-", *opts ? " " : "", opts);
		report(st, m->target, "missing", desc, NULL);
		free(desc);
	}
	qsort(open, n_open, sizeof(*open), cmp_str);
	for (size_t j = 0; j < n_found; j++) {
		if (found[j].matched || under_open_mount(open, n_open, found[j].target))
			continue;
		report(st, found[j].target, "extra", NULL, found[j].fstype ? found[j].fstype : "?");
	}
	free(open);
	free(ix.by_target);
	free(guard);
}

/* A device node in words: "c 1:3 0666 0:0" (mode and owner only when
 * given: owner_too). */
static char *node_words(uint32_t mode, dev_t rdev, bool owner_too, uint32_t uid, uint32_t gid)
{
	uint32_t t = mode & MP_IFMT;
	char type = t == MP_IFBLK ? 'b' : t == MP_IFCHR ? 'c' : t == MP_IFIFO ? 'p' : '?';

	if (!owner_too)
		return xasprintf("%c %u:%u", type, major(rdev), minor(rdev));
	return xasprintf("%c %u:%u %04o %u:%u", type, major(rdev), minor(rdev), mode & 07777,
			 uid, gid);
}

/* Is path a mount point in the found table (a node bound there)? */
static bool mounted_at(const struct found_mount *found, size_t n_found, const char *path)
{
	for (size_t j = 0; j < n_found; j++)
		if (strcmp(found[j].target, path) == 0)
			return true;
	return false;
}

/* What a device node of the plan must be (--nodes). */
struct node_want {
	const char *path;   /* in the container */
	uint32_t mode;      /* type and permission bits */
	dev_t rdev;
	uint32_t uid, gid;
	const char *may_lack; /* why it may be absent, or NULL */
};

/* An O_PATH descriptor of path (absolute, in the container) under the
 * rootfs directory fd dir as mountplan-exec resolves it: the container's
 * symlinks followed inside it, never out of it (an absolute link from
 * the root; RESOLVE_IN_ROOT), the last component not followed.  fd, or -1
 * with errno (ENOSYS before Linux 5.6, which has no openat2: the caller
 * then uses the host path). */
static int open_in_root(int dir, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, dir, path + strspn(path, "/"), &how, sizeof how);
}

/* lstat path (absolute, in the container) under root (the container's
 * root as the host sees it) as mountplan-exec resolved it (open_in_root).
 * The container is not trusted: a plain lstat of ROOT/dev/x would follow
 * its /dev -> /tmp/x into the host's /tmp/x.  0, or -1 with errno. */
static int stat_in_root(const char *root, const char *path, struct stat *st)
{
	int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1, r = -1;

	if (dir >= 0)
		fd = open_in_root(dir, path);
	if (fd >= 0) {
		r = fstat(fd, st);
		close(fd);
	} else if (dir >= 0 && errno == ENOSYS) { /* before Linux 5.6 */
		char *at = xasprintf("%s%s", root, path);

		r = lstat(at, st);
		free(at);
	}
	if (dir >= 0)
		close(dir);
	return r;
}

/* Compare the node w->path under root (the container's root as the host
 * sees it) with w; a node bound from the host (a mount there) has the
 * host's mode and owner, so only its type and numbers are compared. */
static void compare_node(struct verify_state *st, const char *root, const struct node_want *w,
			 bool bound)
{
	char *want, *got;
	struct stat sb;

	want = node_words(w->mode, w->rdev, !bound, w->uid, w->gid);
	if (stat_in_root(root, w->path, &sb) < 0) {
		if (w->may_lack)
			report_skip(st, w->path, "device", "no node", w->may_lack);
		else
			report(st, w->path, "missing", want, NULL);
	} else {
		got = node_words((uint32_t)sb.st_mode, (w->mode & MP_IFMT) == MP_IFIFO ? 0 : sb.st_rdev,
				 !bound, sb.st_uid, sb.st_gid);
		if (strcmp(want, got) != 0)
			report(st, w->path, "node", want, got);
		else
			st->nodes++;
		free(got);
	}
	free(want);
}

/* Is there anything at path under root (stat_in_root)? */
static bool node_present(const char *root, const char *path)
{
	struct stat sb;

	return stat_in_root(root, path, &sb) == 0;
}

/* A node at path that the executor did not make on this host (its
 * condition fails: when, the condition in words): none there is a skip,
 * one there a difference. */
static void compare_not_made(struct verify_state *st, const char *root, const char *path,
			     const char *when)
{
	if (node_present(root, path))
		report(st, path, "condition", when, "made");
	else
		report_skip(st, path, "device", "no node", when);
}

/* A like-host node the executor refuses on this host (host: its host
 * path, why: the reason): without best-effort the executor fails (exit
 * 125), so the container cannot be this plan's on this host as it is
 * now: a difference; with best-effort it is skipped, and a node there
 * is a difference too. */
static void compare_refused(struct verify_state *st, const char *root, const char *path,
			    const char *host, const char *why, bool best_effort)
{
	char *found;

	if (!best_effort) {
		found = xasprintf("%s: the executor fails here (exit 125)", why);
		report(st, path, "refused", host, found);
	} else if (node_present(root, path)) {
		found = xasprintf("%s: skipped (best-effort), yet the container has a node there", why);
		report(st, path, "refused", host, found);
	} else {
		found = xasprintf("best-effort, the host's node is refused: %s", why);
		report_skip(st, path, "device", "no node", found);
	}
	free(found);
}

/* (v2) The host nodes a HOSTDEV op copies, as this host has them now
 * (hostnode.c: the executor's rules), each compared with the container's
 * node; when: the op's condition in words when it fails on this host
 * (then each node must be absent), else NULL. */
static void compare_host_nodes(struct verify_state *st, const struct mpb *mpb,
			       const struct mp_op *op, const char *root, const char *when,
			       const struct found_mount *found, size_t n_found)
{
	const char *source = mpb_str(mpb, op->source), *target = mpb_str(mpb, op->target);
	bool best_effort = op->flags & MP_F_BEST_EFFORT, glob = op->flags & MP_F_GLOB;
	const char *why;
	size_t n;
	struct host_node *h = host_nodes_read(source, glob, &n, &why);

	if (why) { /* the whole op fails: it makes no node */
		char *pattern = xasprintf("%s/%s", strcmp(target, "/") ? target : "",
					  strrchr(source, '/') + 1);

		if (when)
			report_skip(st, pattern, "device", "no node", when);
		else
			compare_refused(st, root, pattern, source, why, best_effort);
		free(pattern);
	}
	for (size_t k = 0; k < n; k++) {
		struct node_want w = { .may_lack = best_effort ? "best-effort" : NULL,
				       .uid = op->uid, .gid = op->gid };
		char *path = glob ? xasprintf("%s/%s", strcmp(target, "/") ? target : "", h[k].name) :
				    xstrdup(target);

		w.path = path;
		if (when) {
			compare_not_made(st, root, path, when);
		} else if (h[k].refused) {
			compare_refused(st, root, path, h[k].path, h[k].refused, best_effort);
		} else {
			w.mode = h[k].type | (op->mode ? op->mode : h[k].perm);
			w.rdev = h[k].rdev;
			compare_node(st, root, &w, mounted_at(found, n_found, path));
		}
		free(path);
	}
	host_nodes_free(h, n);
}

/* --nodes ROOT: every device node the plan makes, at ROOT (the container's
 * root as the host sees it, /proc/PID/root): MKNOD's as planned, (v2)
 * HOSTDEV's as the host's node is now (a node the executor refuses is a
 * difference, or with best-effort a skip); one best-effort may leave out
 * is a skip when absent.  A (v2) when: is tested on this host as the
 * executor tested it: holds, the node must be there; fails, it must not. */
static void compare_nodes(struct verify_state *st, const struct mpb *mpb, const char *root,
			  const struct found_mount *found, size_t n_found)
{
	long *guard = cond_guards(mpb);

	for (uint32_t k = 0; k < mpb->op_count; k++) {
		char *when = NULL;
		struct mp_op op;

		mpb_op(mpb, k, &op);
		if (op.opcode != MP_OP_MKNOD && op.opcode != MP_OP_HOSTDEV)
			continue;
		if (host_condition(mpb, guard, k) == 0) {
			struct mp_op cond;

			mpb_op(mpb, (uint32_t)guard[k], &cond);
			when = sim_when_text(mpb, &cond);
		}
		if (op.opcode == MP_OP_MKNOD && when) {
			compare_not_made(st, root, mpb_str(mpb, op.target), when);
		} else if (op.opcode == MP_OP_MKNOD) {
			struct node_want w = { mpb_str(mpb, op.target), op.mode,
					       makedev(op.major, op.minor), op.uid, op.gid,
					       op.flags & MP_F_BEST_EFFORT ? "best-effort" : NULL };

			compare_node(st, root, &w, mounted_at(found, n_found, w.path));
		} else {
			compare_host_nodes(st, mpb, &op, root, when, found, n_found);
		}
		free(when);
	}
	free(guard);
}

/* The contents of the symlink at path (absolute, in the container, clean)
 * under the rootfs directory fd dir, into link (size n); its length, or
 * -1 when it is not a link.  Looked up by open_in_root, never by the host
 * path ROOTFS/path: the rootfs is not trusted, and a component swapped
 * for a link to / after it was read as a directory would make
 * readlink(2) read (and verify print) the host's links.  (Before Linux
 * 5.6, or when the rootfs could not be opened, the host path.) */
static ssize_t link_in_root(int dir, const char *rootfs, const char *path, char *link, size_t n)
{
	int fd = dir < 0 ? -1 : open_in_root(dir, path);
	ssize_t r;

	if (fd < 0 && (dir >= 0 && errno != ENOSYS))
		return -1;
	if (fd < 0) {
		char *host = xasprintf("%s%s", rootfs, path);

		r = readlink(host, link, n);
		free(host);
		return r;
	}
	r = readlinkat(fd, "", link, n);
	close(fd);
	return r;
}

/* Where target lands when the rootfs dir's own symlinks are followed
 * inside it (new): what the executor does (openat2 RESOLVE_IN_ROOT);
 * "/jump/x" when /jump is a link to /tmp/foo gives "/tmp/foo/x".  Missing
 * components are kept as written (the executor creates them along the
 * link, as runc does); with nofollow_last the last one is not followed.
 * At most 40 links. */
static char *in_rootfs(const char *rootfs, const char *target, bool nofollow_last)
{
	char *path = path_clean(target);
	int dir = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (int hops = 0; hops < 40;) {
		size_t done = 0;
		bool followed = false;

		while (path[done] && !followed) {
			size_t end = done + 1 + strcspn(path + done + 1, "/");

			if (nofollow_last && !path[end])
				break; /* dest-nofollow: the link itself is the mount point */
			char *prefix = xasprintf("%.*s", (int)end, path);
			char link[4096];
			ssize_t n = link_in_root(dir, rootfs, prefix, link, sizeof link - 1);

			free(prefix);
			if (n > 0) {
				char *next;

				link[n] = 0;
				next = xasprintf("%.*s/%s%s", link[0] == '/' ? 0 : (int)done, path,
						 link, path + end);
				free(path);
				path = path_clean(next);
				free(next);
				followed = true;
				hops++;
			}
			done = end;
		}
		if (!followed)
			break;
	}
	if (dir >= 0)
		close(dir);
	return path;
}

/* Re-target each predicted mount through the rootfs's symlinks: a mount
 * whose target lies under another planned mount (not the root) keeps
 * that mount's redirection and the rest as written (the rootfs's links
 * are not there). */
static void follow_rootfs_links(struct sim_table *t, const struct mpb *mpb, const char *rootfs)
{
	char **orig = xcalloc(t->n + 1, sizeof(*orig));

	for (size_t i = 0; i < t->n; i++)
		orig[i] = xstrdup(t->mounts[i].target);
	for (size_t i = 0; i < t->n; i++) {
		struct sim_mount *m = &t->mounts[i];
		long best = -1;
		char *moved;

		if (strcmp(orig[i], "/") == 0)
			continue;
		for (size_t k = 0; k < i; k++) /* the nearest planned mount above */
			if (strcmp(orig[k], "/") && path_beneath(orig[i], orig[k]) &&
			    (best < 0 || strlen(orig[k]) > strlen(orig[best])))
				best = (long)k;
		if (best >= 0)
			moved = xasprintf("%s%s", t->mounts[best].target,
					  orig[i] + strlen(orig[best]));
		else {
			struct mp_op op;

			mpb_op(mpb, m->op, &op);
			moved = in_rootfs(rootfs, orig[i], op.opcode == MP_OP_BIND &&
							   (op.flags & MP_F_DEST_NOFOLLOW));
		}
		m->target = sim_keep(t, moved);
	}
	for (size_t i = 0; i < t->n; i++)
		free(orig[i]);
	free(orig);
}

/* Print verify's usage to out. */
static void usage(FILE *out)
{
	fputs("Usage: mountplan verify PLAN MOUNTINFO|- [--rootfs DIR] [--nodes ROOT] [--format=text|json]\n"
	      "Compare the mount table PLAN (.yaml or .mpb) predicts with a real\n"
	      "/proc/PID/mountinfo (- reads standard input), e.g.\n"
	      "  mountplan-exec plan.mpb -- /bin/cat /proc/self/mountinfo | mountplan verify plan.yaml -\n"
	      "Prints each difference (missing, extra, different type, options or\n"
	      "propagation) and each skip (a mask or read-only path the rootfs lacks);\n"
	      "--format=json prints one object {result, matches, differences, skipped}.\n"
	      "--rootfs DIR: follow DIR's own symlinks as the executor did (a mount on\n"
	      "/conf/x where /conf links to /real/conf is expected on /real/conf/x).\n"
	      "--nodes ROOT: also compare every device node the plan makes with the one\n"
	      "under ROOT (the container's root as the host sees it: /proc/PID/root);\n"
	      "a like-host node with the host's node as it is now, read with the\n"
	      "executor's rules (a node it would refuse is a difference).\n"
	      "Exit status: 0 as predicted, 1 a difference (or plan errors), 2 usage or I/O error.\n",
	      out);
}

/* `mountplan verify`; see commands.h. */
int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rootfs", required_argument, NULL, 'r' },
		{ "nodes", required_argument, NULL, 'n' },
		CLI_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct cli cli = { .name = "mountplan verify", .usage = usage };
	const char *rootfs = NULL, *nodes = NULL;
	struct verify_state st = { .out = stdout };
	struct arena names = { 0 }; /* the found mounts' targets and types */
	struct found_mount *found = NULL;
	size_t n_found = 0;
	struct sim_table t;
	struct mpb mpb;
	uint8_t *buf;
	int rc, c;

	while ((c = cli_next_option(&cli, argc, argv, longopts)) != -1) {
		if (c == 'n')
			nodes = optarg;
		else if (c == 'r')
			rootfs = optarg;
		else
			return cli.status; /* CLI_STOP: the only other value */
	}
	if (!cli_operands(&cli, argc, 2))
		return cli.status;
	if (strcmp(argv[optind], "-") == 0) {
		fprintf(stderr, "mountplan verify: the plan cannot be standard input (the mountinfo may be)\n");
		values_free(&cli.values);
		return 2;
	}
	rc = cli_open_mpb(&cli, argv[optind], &buf, &mpb);
	values_free(&cli.values); /* the plan is compiled: no longer needed */
	if (rc)
		return rc;
	if (read_mountinfo(argv[optind + 1], &names, &found, &n_found) < 0) {
		free(found);
		arena_free(&names);
		free(buf);
		return 2;
	}
	simulate_mpb(&mpb, &t);
	if (rootfs)
		follow_rootfs_links(&t, &mpb, rootfs);
	st.json = cli.format == DIAG_JSON;
	if (st.json) {
		st.items = open_memstream(&st.items_buf, &st.items_len);
		st.skipped = open_memstream(&st.skipped_buf, &st.skipped_len);
		if (!st.items || !st.skipped) {
			fprintf(stderr, "mountplan: out of memory\n");
			exit(2);
		}
	}
	compare_tables(&st, &t, &mpb, found, n_found);
	if (nodes)
		compare_nodes(&st, &mpb, nodes, found, n_found);
	if (st.json) {
		fclose(st.items);
		fclose(st.skipped);
		fprintf(st.out, "{\"result\": \"%s\", \"matches\": %zu,", st.differences ?
			"different" : "as predicted", st.matches);
		if (nodes)
			fprintf(st.out, " \"nodes\": %zu,", st.nodes);
		fprintf(st.out, "\n \"differences\": [%s%s],\n \"skipped\": [%s%s]}\n",
			st.items_buf, st.differences ? "\n " : "", st.skipped_buf,
			st.skips ? "\n " : "");
		free(st.items_buf);
		free(st.skipped_buf);
	} else {
		char *n = nodes ? xasprintf(", %zu device nodes", st.nodes) : xstrdup("");

		if (st.differences)
			fprintf(st.out, "verify: %zu difference%s (%zu mounts as predicted, %zu skipped%s)\n",
				st.differences, st.differences == 1 ? "" : "s", st.matches, st.skips, n);
		else
			fprintf(st.out, "verify: as predicted (%zu mounts, %zu skipped%s)\n",
				st.matches, st.skips, n);
		free(n);
	}
	sim_table_free(&t);
	free(found);
	arena_free(&names);
	free(buf);
	return cli_flush(st.differences ? 1 : 0);
}
