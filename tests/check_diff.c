/*
 * check_diff.c: the property of `mountplan diff` (diff.h), over random
 * plans and random mutations of them (seeded, so every run checks the
 * same cases; DIFF_SEED and DIFF_CASES change them):
 *
 *   diff reports no change  <=>  the two compiled op lists (and names)
 *                                are equal apart from source positions.
 *
 * The right side is computed here, independently of diff.c: every op
 * decoded, strings compared by content.  Each case writes the plan and
 * its mutation as YAML (the two files have different names, so every
 * source position's file differs), compiles both in memory as `diff`
 * does, and compares.  Mutations change one thing (an option, a
 * filesystem parameter, propagation, a target, a source, a device's
 * numbers or mode, a link, a mask, a read-only path or hole, a setting,
 * the name, an entry added or removed) or nothing at all (the same plan
 * written another way: list vs string options, flow vs block, comments,
 * key order), so both sides of the property are exercised.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_run.h"
#include "diff.h"
#include "passes.h"

#define MAX_MOUNTS 8
#define MAX_OTHER 4

/* Option words a mount may carry (bit i of opts is words[i]). */
static const char *const opt_words[] = { "ro", "nosuid", "nodev", "noexec", "rro",
					 "rnosuid", "noatime", "nosymfollow", "rw", "exec" };
#define N_OPTS (sizeof opt_words / sizeof opt_words[0])
static const char *const targets[] = { "/a", "/a/b", "/c", "/tmp", "/data", "/data/x",
				       "/srv", "/mnt/m1" };
static const char *const sources[] = { "/srv/one", "/srv/two", "/var/lib/x", "/opt" };
static const char *const props[] = { "", "private", "slave", "shared", "rprivate",
				     "rslave", "unbindable" };
static const char *const types[] = { "tmpfs", "bind", "rbind", "mqueue", "proc" };

struct g_mount {
	int target, type, source, prop, mode, size;
	unsigned opts;
};

struct g_device {
	int major, minor, mode, uid;
	bool used;
};

/* A generated plan. */
struct g_plan {
	struct g_mount m[MAX_MOUNTS];
	int n_mounts;
	struct g_device dev[MAX_OTHER];
	int link[MAX_OTHER];           /* 0: no link; else a contents choice */
	bool mask[MAX_OTHER];
	int ro[MAX_OTHER];             /* 0: none; 1: read-only; 2: with a hole */
	bool root_ro;
	int root_prop, pivot, umask, cwd, name;
	int style;                     /* how it is written (no effect) */
};

/* Changes diff reported as op order alone, over the run. */
static unsigned order_changes;

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* A target no other mount of p has (p->n_mounts of them so far, but
 * self); -1 when all are taken. */
static int free_target(const struct g_plan *p, const struct g_mount *self)
{
	int n = (int)(sizeof targets / sizeof targets[0]);

	for (int t = (int)rnd((unsigned)n), k = 0; k < n; k++, t = (t + 1) % n) {
		bool taken = false;

		for (int i = 0; i < p->n_mounts; i++)
			taken |= &p->m[i] != self && p->m[i].target == t;
		if (!taken)
			return t;
	}
	return -1;
}

/* A random mount (its target free in p). */
static void random_mount(const struct g_plan *p, struct g_mount *m)
{
	m->target = free_target(p, m);
	m->type = (int)rnd(sizeof types / sizeof types[0]);
	m->source = (int)rnd(sizeof sources / sizeof sources[0]);
	m->prop = (int)rnd(sizeof props / sizeof props[0]);
	m->opts = rnd(1u << N_OPTS) & rnd(1u << N_OPTS);
	m->mode = (int)rnd(4);
	m->size = (int)rnd(3);
}

/* A random plan. */
static void random_plan(struct g_plan *p)
{
	memset(p, 0, sizeof(*p));
	for (int n = (int)rnd(MAX_MOUNTS + 1); p->n_mounts < n; p->n_mounts++)
		random_mount(p, &p->m[p->n_mounts]);
	for (int i = 0; i < MAX_OTHER; i++) {
		p->dev[i] = (struct g_device){ 1 + (int)rnd(10), (int)rnd(4), (int)rnd(3),
					       (int)rnd(2), rnd(2) == 0 };
		p->link[i] = (int)rnd(3);
		p->mask[i] = rnd(2);
		p->ro[i] = (int)rnd(3);
	}
	p->root_ro = rnd(2);
	p->root_prop = (int)rnd(3);
	p->pivot = (int)rnd(3);
	p->umask = (int)rnd(3);
	p->cwd = (int)rnd(2);
	p->name = (int)rnd(2);
	p->style = (int)rnd(4);
}

/* Write one mount of p as YAML (style decides list vs string, flow vs
 * block: no effect on the ops). */
static void write_mount(FILE *f, const struct g_mount *m, int style)
{
	const char *type = types[m->type];
	bool bind = m->type == 1 || m->type == 2;
	char opts[256] = "";

	unsigned set = m->opts;

	if (set & 0x11) /* ro, rro: rw would conflict */
		set &= ~0x100u;
	if (set & 0x8) /* noexec: exec would conflict */
		set &= ~0x200u;
	if (m->type == 2)
		strcat(opts, "rbind,");
	for (size_t k = 0; k < N_OPTS; k++)
		if (set & (1u << k)) {
			strcat(opts, opt_words[k]);
			strcat(opts, ",");
		}
	if (m->type == 0 && m->mode)
		strcat(opts, m->mode == 1 ? "mode=1777," : m->mode == 2 ? "mode=0777," : "mode=755,");
	if (m->type == 0 && m->size)
		strcat(opts, m->size == 1 ? "size=64m," : "size=128m,");
	if (*opts)
		opts[strlen(opts) - 1] = 0;
	if (style & 1) {
		fprintf(f, "  - target: %s  # a comment\n    type: %s\n", targets[m->target],
			bind ? "bind" : type);
		if (bind)
			fprintf(f, "    source: %s\n", sources[m->source]);
		if (*opts)
			fprintf(f, "    options: \"%s\"\n", opts);
		if (*props[m->prop])
			fprintf(f, "    propagation: %s\n", props[m->prop]);
	} else {
		fprintf(f, "  - {type: %s, target: %s", bind ? "bind" : type, targets[m->target]);
		if (bind)
			fprintf(f, ", source: %s", sources[m->source]);
		if (*opts) {
			fputs(", options: [", f);
			for (char *p = opts; *p; p++)
				fputs(*p == ',' ? ", " : (char[]){ *p, 0 }, f);
			fputs("]", f);
		}
		if (*props[m->prop])
			fprintf(f, ", propagation: %s", props[m->prop]);
		fputs("}\n", f);
	}
}

/* Write p as a plan file at path. */
static void write_plan(const char *path, const struct g_plan *p)
{
	static const char *const rprops[] = { "rslave", "rprivate", "slave" };
	static const char *const pivots[] = { "pivot_root", "move", "chroot" };
	static const char *const masks[] = { "/a/secret", "/c/k", "/proc/kcore", "/data/m" };
	static const char *const ro[] = { "/srv", "/c", "/opt/r", "/data" };
	static const char *const links[] = { "", "/proc/self/mounts", "../target" };
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "mountplan: 1\nname: %s\n", p->name ? "gen-b" : "gen-a");
	if (p->style & 2)
		fprintf(f, "rootfs:\n  pivot: %s\n  readonly: %s\n  propagation: %s\n",
			pivots[p->pivot], p->root_ro ? "true" : "false", rprops[p->root_prop]);
	else
		fprintf(f, "rootfs: {readonly: %s, propagation: %s, pivot: %s}\n",
			p->root_ro ? "true" : "false", rprops[p->root_prop], pivots[p->pivot]);
	fprintf(f, "process: {umask: \"%s\", cwd: %s}\n",
		p->umask == 0 ? "0022" : p->umask == 1 ? "0077" : "0002", p->cwd ? "/srv" : "/");
	fputs("mounts:\n", f);
	if (!p->n_mounts)
		fputs("  []\n", f);
	for (int i = 0; i < p->n_mounts; i++)
		write_mount(f, &p->m[i], p->style);
	fputs("devices:\n", f);
	for (int i = 0; i < MAX_OTHER; i++)
		if (p->dev[i].used)
			fprintf(f, "  - {path: /dev/d%d, type: c, major: %d, minor: %d, mode: %s, uid: %d}\n",
				i, p->dev[i].major, p->dev[i].minor,
				p->dev[i].mode == 0 ? "0666" : p->dev[i].mode == 1 ? "0600" : "0620",
				p->dev[i].uid);
	fputs("  - {path: /dev/null0, type: c, major: 1, minor: 3}\nsymlinks:\n", f);
	for (int i = 0; i < MAX_OTHER; i++)
		if (p->link[i])
			fprintf(f, "  - {path: /l%d, target: %s}\n", i, links[p->link[i]]);
	fputs("  - {path: /etc/mtab, target: /proc/self/mounts}\nmasks:\n", f);
	for (int i = 0; i < MAX_OTHER; i++)
		if (p->mask[i])
			fprintf(f, "  - %s\n", masks[i]);
	fputs("  - /sys/firmware\nreadonly:\n", f);
	for (int i = 0; i < MAX_OTHER; i++) {
		if (p->ro[i] == 1)
			fprintf(f, "  - %s\n", ro[i]);
		else if (p->ro[i] == 2)
			fprintf(f, "  - {path: %s, writable: [%s/w]}\n", ro[i], ro[i]);
	}
	fputs("  - /proc/sys\n", f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Change one thing of p (or only how it is written). */
static void mutate(struct g_plan *p)
{
	int i = p->n_mounts ? (int)rnd((unsigned)p->n_mounts) : -1;
	int j = (int)rnd(MAX_OTHER);

	switch (rnd(20)) {
	case 0:
		if (i >= 0)
			p->m[i].opts ^= 1u << rnd(N_OPTS);
		break;
	case 1:
		if (i >= 0)
			p->m[i].mode = (int)rnd(4);
		break;
	case 2:
		if (i >= 0)
			p->m[i].size = (int)rnd(3);
		break;
	case 3:
		if (i >= 0)
			p->m[i].prop = (int)rnd(sizeof props / sizeof props[0]);
		break;
	case 4:
		if (i >= 0)
			p->m[i].target = free_target(p, &p->m[i]);
		break;
	case 5:
		if (i >= 0)
			p->m[i].source = (int)rnd(sizeof sources / sizeof sources[0]);
		break;
	case 6:
		if (i >= 0)
			p->m[i].type = (int)rnd(sizeof types / sizeof types[0]);
		break;
	case 7:
		if (p->n_mounts < MAX_MOUNTS) {
			random_mount(p, &p->m[p->n_mounts]);
			p->n_mounts++;
		}
		break;
	case 8:
		if (i >= 0)
			p->m[i] = p->m[--p->n_mounts];
		break;
	case 9:
		p->dev[j].mode = (int)rnd(3);
		p->dev[j].minor = rnd(4) ? p->dev[j].minor : (int)rnd(4);
		break;
	case 10:
		p->dev[j].used = !p->dev[j].used;
		break;
	case 11:
		p->link[j] = (int)rnd(3);
		break;
	case 12:
		p->mask[j] = !p->mask[j];
		break;
	case 13:
		p->ro[j] = (int)rnd(3);
		break;
	case 14:
		p->root_ro = !p->root_ro;
		break;
	case 15:
		p->root_prop = (int)rnd(3);
		p->pivot = rnd(3) ? p->pivot : (int)rnd(3);
		break;
	case 16:
		p->umask = (int)rnd(3);
		p->cwd = rnd(2) ? p->cwd : !p->cwd;
		break;
	case 17:
		p->name = !p->name;
		break;
	case 18:
	default:
		p->style = (int)rnd(4); /* the same plan, written another way */
		break;
	}
}

/* Are the op lists and names of a and b equal apart from source
 * positions?  Computed field by field, independently of diff.c. */
static bool ops_equal(const struct mpb *a, const struct mpb *b)
{
	if (a->op_count != b->op_count || strcmp(mpb_str(a, a->name), mpb_str(b, b->name)))
		return false;
	for (uint32_t k = 0; k < a->op_count; k++) {
		struct mp_op x, y;

		mpb_op(a, k, &x);
		mpb_op(b, k, &y);
		if (x.opcode != y.opcode || x.flags != y.flags || x.attr_set != y.attr_set ||
		    x.attr_clr != y.attr_clr || x.propagation != y.propagation ||
		    x.mode != y.mode || x.major != y.major || x.minor != y.minor ||
		    x.uid != y.uid || x.gid != y.gid || x.aux != y.aux ||
		    strcmp(mpb_str(a, x.target), mpb_str(b, y.target)) ||
		    strcmp(mpb_str(a, x.source), mpb_str(b, y.source)) ||
		    strcmp(mpb_str(a, x.fstype), mpb_str(b, y.fstype)) ||
		    strcmp(mpb_str(a, x.data), mpb_str(b, y.data)))
			return false;
	}
	return true;
}

/* Compile path in memory; false when the plan has errors. */
static bool compile(const char *path, uint8_t **buf, struct mpb *mpb)
{
	struct diag_sink sink;
	size_t len;
	int rc;

	diag_init(&sink);
	rc = input_open(path, NULL, &sink, buf, &len, mpb);
	if (rc && getenv("DIFF_DEBUG")) /* why generated plans fail */
		for (size_t i = 0; i < sink.n; i++)
			fprintf(stderr, "invalid: %s %s\n", sink.items[i].id, sink.items[i].message);
	diag_free(&sink);
	return rc == 0;
}

/* Compile the plans at pa and pb and diff them: false when either has
 * errors; else *changes is diff's count (r printed to stderr when print)
 * and *same the independent verdict of ops_equal. */
static bool diff_files(const char *pa, const char *pb, size_t *changes, bool *same,
		       bool print)
{
	uint8_t *ba = NULL, *bb = NULL;
	struct mpb ma, mb;
	struct diff_list la, lb;
	struct diff_result r;
	bool ok = compile(pa, &ba, &ma) && compile(pb, &bb, &mb);

	if (ok) {
		diff_plan_items(&la, &ma);
		diff_plan_items(&lb, &mb);
		diff_compare(&la, &lb, &ma, &mb, &r);
		*changes = r.n;
		*same = ops_equal(&ma, &mb);
		for (size_t k = 0; k < r.n; k++)
			order_changes += r.changes[k].sign == DIFF_ORDER;
		if (print)
			diff_print_text(stderr, &r);
		diff_result_free(&r);
		diff_list_free(&la);
		diff_list_free(&lb);
	}
	free(ba);
	free(bb);
	return ok;
}

START_TEST(test_property)
{
	const char *seed = getenv("DIFF_SEED"), *cases = getenv("DIFF_CASES");
	unsigned n = cases ? (unsigned)atoi(cases) : 4000;
	unsigned equal = 0, different = 0, invalid = 0;
	char dir[] = "/tmp/check_diff.XXXXXX", pa[64], pb[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pa, sizeof pa, "%s/old.yaml", dir);
	snprintf(pb, sizeof pb, "%s/new-plan.yaml", dir);
	rng_state = seed ? strtoull(seed, NULL, 0) : 0x5eed2026u;
	for (unsigned c = 0; c < n; c++) {
		struct g_plan p, q;
		size_t changes;
		bool same;

		random_plan(&p);
		q = p;
		for (unsigned k = rnd(3); k-- > 0;)
			mutate(&q);
		write_plan(pa, &p);
		write_plan(pb, &q);
		if (!diff_files(pa, pb, &changes, &same, false)) {
			invalid++;
			continue;
		}
		if ((changes == 0) != same) {
			fprintf(stderr, "case %u: diff says %zu changes, op lists %s\n", c, changes,
				same ? "equal" : "differ");
			diff_files(pa, pb, &changes, &same, true);
			ck_abort_msg("property broken at case %u (seed %s; the plans: %s, %s)", c,
				     seed ? seed : "default", pa, pb);
		}
		if (same)
			equal++;
		else
			different++;
	}
	unlink(pa);
	unlink(pb);
	rmdir(dir);
	fprintf(stderr, "# %u cases: %u equal, %u different (%u by op order alone), %u invalid plans\n",
	       n, equal, different, order_changes, invalid);
	/* both sides of the property are exercised, and most plans compile */
	ck_assert_uint_ge(equal, n / 10);
	ck_assert_uint_ge(different, n / 4);
	ck_assert_uint_le(invalid, n / 2);
}
END_TEST

/* A .yaml against its own copy under another name: equal (positions
 * differ in the file only). */
START_TEST(test_positions_only)
{
	char dir[] = "/tmp/check_diff.XXXXXX", pa[64], pb[64];
	struct g_plan p;
	size_t changes;
	bool same;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pa, sizeof pa, "%s/a.yaml", dir);
	snprintf(pb, sizeof pb, "%s/b.yaml", dir);
	rng_state = 7;
	random_plan(&p);
	p.n_mounts = 0;
	write_plan(pa, &p);
	p.style ^= 1; /* another layout: other lines and columns */
	write_plan(pb, &p);
	ck_assert(diff_files(pa, pb, &changes, &same, false));
	ck_assert(same);
	ck_assert_uint_eq(changes, 0);
	unlink(pa);
	unlink(pb);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("property");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_property);
	tcase_add_test(tc, test_positions_only);
	suite_add_tcase(s, tc);
	return check_run(s);
}
