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
 * numbers, mode, owner or policy, a link, a mask, a read-only path or
 * hole, a setting, the name, an entry added or removed; and of format 2:
 * a when: condition on any entry (its path, kind, negation), a
 * parameter's default that a bind source or a tmpfs size uses,
 * follow-symlinks and crun's bind options, an id-mapped bind, a fresh
 * filesystem as the root (its type, source, options), a device like the
 * host's (one node or a best-effort glob), the pid, ipc,
 * cgroup and user namespaces and the init, the mount label, dev:
 * standard, device-policy, masks: standard and readonly: standard) or
 * nothing at all (the same plan written another way: list vs string
 * options, flow vs block, comments, key order, format 1 vs 2 where both
 * say it, a parameter's description, part of the entries moved to an
 * included file), so both sides of the property are exercised.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_run.h"
#include "diff.h"
#include "passes.h"
#include "util.h"

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
static const char *const types[] = { "tmpfs", "bind", "rbind", "mqueue", "proc",
				     "cgroup2" };
/* (v2) when: conditions (0: none) */
static const char *const whens[] = { "", "{path: /proc/kcore}", "{path: /dev/kvm, is: char-device}",
				     "{path: /dev/kvm, is: char-device, not: true}",
				     "{path: /etc, is: directory}" };
#define N_WHENS (int)(sizeof whens / sizeof whens[0])
/* (v2) crun's bind options and follow-symlinks (bit i of bindopts) */
static const char *const bind_words[] = { "copy-symlink", "src-nofollow", "dest-nofollow" };
/* (v2) id mappings of an idmap bind and of a user namespace (0: none) */
static const char *const idmaps[] = { "", "0:100000:65536", "0:200000:1000" };

struct g_mount {
	int target, type, source, prop, mode, size;
	unsigned opts;
	int when;        /* (v2) whens[] */
	unsigned bindopts; /* (v2) bind_words[] bits, bit 3: follow-symlinks */
	int idmap;       /* (v2) idmaps[] on a bind */
	bool copyup;     /* tmpcopyup on a tmpfs */
	bool optional;   /* optional on a bind */
	bool in_base;    /* (v2) written in the included file (no effect) */
	bool stack;      /* (v2) a tmpfs stacked on it (stack: true) */
};

struct g_device {
	int major, minor, mode, uid, gid, policy, when;
	bool used;
	int like; /* (v2) 0: numbers; 1: like-host /dev/null; 2: a best-effort glob */
};

/* A generated plan. */
struct g_plan {
	struct g_mount m[MAX_MOUNTS];
	int n_mounts;
	struct g_device dev[MAX_OTHER];
	int link[MAX_OTHER];           /* 0: no link; else a contents choice */
	bool mask[MAX_OTHER];
	int ro[MAX_OTHER];             /* 0: none; 1: read-only; 2: with a hole */
	int link_when[MAX_OTHER], mask_when[MAX_OTHER], ro_when[MAX_OTHER]; /* (v2) */
	bool root_ro;
	int root_prop, pivot, umask, cwd, name;
	/* format 2 (any of these set needs it) */
	int src_default;   /* the default of parameter src, a bind source */
	int size_default;  /* the default of parameter size, a tmpfs size */
	int fresh_root;    /* 0: rootfs path; 1, 2: tmpfs root; 3: with its source */
	int root_path;     /* without a fresh root: 0 none, else a rootfs path */
	int root_opts;     /* options of a fresh root */
	int ns;            /* bits: 1 pid, 2 ipc, 4 cgroup, 8 init (with pid) */
	int userns;        /* idmaps[] of a user namespace */
	int label;         /* 0: none; else a mount label */
	bool dev_std, masks_std, ro_std;
	int dev_policy;    /* 0: unwritten; 1..3 the words */
	/* no effect on the ops */
	bool v2;           /* mountplan: 2 although nothing needs it */
	int param_desc;    /* a parameter's description */
	bool split;        /* mounts with in_base in an included file */
	int style;         /* how it is written */
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
	m->size = (int)rnd(4);
	m->when = rnd(3) ? 0 : (int)rnd(N_WHENS);
	m->bindopts = rnd(3) ? 0 : rnd(16);
	m->idmap = rnd(4) ? 0 : (int)rnd(3);
	m->copyup = rnd(6) == 0;
	m->optional = rnd(5) == 0;
	m->in_base = rnd(2);
	m->stack = rnd(8) == 0;
	if (rnd(5) == 0)
		m->source = 4; /* ${src} */
}

/* A random plan. */
static void random_plan(struct g_plan *p)
{
	memset(p, 0, sizeof(*p));
	for (int n = (int)rnd(MAX_MOUNTS + 1); p->n_mounts < n; p->n_mounts++)
		random_mount(p, &p->m[p->n_mounts]);
	for (int i = 0; i < MAX_OTHER; i++) {
		p->dev[i] = (struct g_device){ 1 + (int)rnd(10), (int)rnd(4), (int)rnd(3),
					       (int)rnd(2), (int)rnd(2), (int)rnd(4),
					       rnd(3) ? 0 : (int)rnd(N_WHENS), rnd(2) == 0,
					       rnd(4) ? 0 : 1 + (int)rnd(2) };
		p->link[i] = (int)rnd(3);
		p->mask[i] = rnd(2);
		p->ro[i] = (int)rnd(3);
		p->link_when[i] = rnd(3) ? 0 : (int)rnd(N_WHENS);
		p->mask_when[i] = rnd(3) ? 0 : (int)rnd(N_WHENS);
		p->ro_when[i] = rnd(3) ? 0 : (int)rnd(N_WHENS);
	}
	p->src_default = (int)rnd(2);
	p->size_default = (int)rnd(2);
	p->fresh_root = rnd(3) ? 0 : 1 + (int)rnd(3);
	p->root_opts = (int)rnd(4);
	p->root_path = (int)rnd(3);
	p->ns = rnd(2) ? 0 : (int)rnd(16);
	p->userns = rnd(3) ? 0 : (int)rnd(3);
	p->label = rnd(4) ? 0 : 1 + (int)rnd(2);
	p->dev_std = rnd(4) == 0;
	p->masks_std = rnd(4) == 0;
	p->ro_std = rnd(4) == 0;
	p->dev_policy = (int)rnd(4);
	p->v2 = rnd(2);
	p->param_desc = (int)rnd(2);
	p->split = rnd(2);
	p->root_ro = rnd(2);
	p->root_prop = (int)rnd(3);
	p->pivot = (int)rnd(3);
	p->umask = (int)rnd(3);
	p->cwd = (int)rnd(2);
	p->name = (int)rnd(2);
	p->style = (int)rnd(4);
}

/* Does p use anything of format 2? */
static bool needs_v2(const struct g_plan *p)
{
	bool any = p->fresh_root || p->ns || p->userns || p->label || p->masks_std ||
		   p->ro_std || p->split;

	for (int i = 0; i < p->n_mounts; i++)
		any |= p->m[i].when || p->m[i].source == 4 || p->m[i].size == 3 || p->m[i].stack ||
		       (p->m[i].type == 1 && p->m[i].idmap) ||
		       ((p->m[i].type == 1 || p->m[i].type == 2) && p->m[i].bindopts);
	for (int i = 0; i < MAX_OTHER; i++)
		any |= (p->dev[i].used && (p->dev[i].when || p->dev[i].like)) ||
		       (p->link[i] && p->link_when[i]) ||
		       (p->mask[i] && p->mask_when[i]) || (p->ro[i] && p->ro_when[i]);
	return any;
}

/* Write the comma list opts (when not empty) as a flow sequence between
 * head and tail. */
static void write_options(FILE *f, const char *head, const char *opts, const char *tail)
{
	if (!*opts)
		return;
	fputs(head, f);
	for (const char *p = opts; *p; p++)
		fputs(*p == ',' ? ", " : (char[]){ *p, 0 }, f);
	fputs(tail, f);
}

/* Write one mount of p as YAML (style decides list vs string, flow vs
 * block: no effect on the ops). */
static void write_mount(FILE *f, const struct g_mount *m, int style)
{
	const char *type = types[m->type];
	bool bind = m->type == 1 || m->type == 2;
	char opts[256] = "";
	char keys[4][96];   /* more keys, "NAME: VALUE" each */
	int n_keys = 0;
	const char *src = m->source == 4 ? "\"${src}\"" : sources[m->source];

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
		strcat(opts, m->size == 1 ? "size=64m," : m->size == 2 ? "size=128m," :
		       "\"size=${size}\",");
	if (m->type == 0 && m->copyup)
		strcat(opts, "tmpcopyup,");
	if (bind) {
		for (size_t k = 0; k < 3; k++)
			if (m->bindopts & (1u << k)) {
				strcat(opts, bind_words[k]);
				strcat(opts, ",");
			}
		if (m->idmap && m->type == 1) { /* (ridmap needs every attribute recursive) */
			strcat(opts, "idmap,");
			snprintf(keys[n_keys++], sizeof keys[0], "uidmap: \"%s\"", idmaps[m->idmap]);
			snprintf(keys[n_keys++], sizeof keys[0], "gidmap: \"%s\"", idmaps[m->idmap]);
		}
		if (m->bindopts & 8)
			snprintf(keys[n_keys++], sizeof keys[0], "follow-symlinks: true");
		if (m->optional && n_keys < 4)
			snprintf(keys[n_keys++], sizeof keys[0], "optional: true");
	}
	if (m->when && n_keys < 4)
		snprintf(keys[n_keys++], sizeof keys[0], "when: %s", whens[m->when]);
	if (*opts)
		opts[strlen(opts) - 1] = 0;
	if (style & 1) {
		fprintf(f, "  - target: %s  # a comment\n    type: %s\n", targets[m->target],
			bind ? "bind" : type);
		if (bind)
			fprintf(f, "    source: %s\n", src);
		write_options(f, "    options: [", opts, "]\n");
		if (*props[m->prop])
			fprintf(f, "    propagation: %s\n", props[m->prop]);
		for (int k = 0; k < n_keys; k++)
			fprintf(f, "    %s\n", keys[k]);
	} else {
		fprintf(f, "  - {type: %s, target: %s", bind ? "bind" : type, targets[m->target]);
		if (bind)
			fprintf(f, ", source: %s", src);
		write_options(f, ", options: [", opts, "]");
		if (*props[m->prop])
			fprintf(f, ", propagation: %s", props[m->prop]);
		for (int k = 0; k < n_keys; k++)
			fprintf(f, ", %s", keys[k]);
		fputs("}\n", f);
	}
	if (m->stack)
		fprintf(f, "  - {target: %s, type: tmpfs, options: [size=1m], stack: true}\n",
			targets[m->target]);
}

/* ", when: W" for the entry condition w (0: none). */
static const char *when_key(int w, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", w ? ", when: " : "", w ? whens[w] : "");
	return buf;
}

/* Write the head of a plan file (its version, name, parameters). */
static void write_head(FILE *f, const struct g_plan *p, const char *name, bool v2)
{
	fprintf(f, "mountplan: %d\nname: %s\n", v2 ? 2 : 1, name);
	if (!v2)
		return;
	fprintf(f, "parameters:\n  src: {type: path, default: %s%s}\n"
		   "  size: {type: string, default: %s}\n",
		p->src_default ? "/srv/p2" : "/srv/p1",
		p->param_desc ? ", description: \"a bind source\"" : "",
		p->size_default ? "2m" : "1m");
}

/* Write p as a plan file at path (and, when p->split, the mounts marked
 * in_base in PATH-base.yaml, which it includes). */
static void write_plan(const char *path, const struct g_plan *p)
{
	static const char *const rprops[] = { "rslave", "rprivate", "slave" };
	static const char *const pivots[] = { "pivot_root", "move", "chroot" };
	static const char *const masks[] = { "/a/secret", "/c/k", "/proc/kcore", "/data/m" };
	static const char *const ro[] = { "/srv", "/c", "/opt/r", "/data" };
	static const char *const links[] = { "", "/proc/self/mounts", "../target" };
	static const char *const policies[] = { "", "mknod-or-bind", "mknod", "bind" };
	static const char *const root_opts[] = { "[]", "[nosuid]", "[nosuid, nodev, mode=0755]",
						 "[size=1m]" };
	static const char *const labels[] = { "", "system_u:object_r:container_file_t:s0",
					      "system_u:object_r:container_file_t:s0:c1" };
	bool v2 = p->v2 || needs_v2(p);
	char *base = xasprintf("%.*s-base.yaml", (int)(strlen(path) - 5), path);
	char w[96];
	FILE *f;

	if (p->split) {
		int n = 0;

		f = fopen(base, "w");
		ck_assert_ptr_nonnull(f);
		fputs("mountplan: 2\nname: base\nmounts:\n", f);
		for (int i = 0; i < p->n_mounts; i++)
			if (p->m[i].in_base && ++n)
				write_mount(f, &p->m[i], p->style);
		if (!n)
			fputs("  []\n", f);
		ck_assert_int_eq(fclose(f), 0);
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	write_head(f, p, p->name ? "gen-b" : "gen-a", v2);
	if (p->split)
		fprintf(f, "include: [%s]\n", strrchr(base, '/') + 1);
	if (p->style & 2) {
		fprintf(f, "rootfs:\n  pivot: %s\n  readonly: %s\n  propagation: %s\n",
			pivots[p->pivot], p->root_ro ? "true" : "false", rprops[p->root_prop]);
		if (p->fresh_root)
			fprintf(f, "  type: tmpfs\n  options: %s\n", root_opts[p->root_opts]);
		if (p->fresh_root == 3)
			fputs("  source: fresh-root\n", f);
		else if (!p->fresh_root && p->root_path)
			fprintf(f, "  path: /srv/root%d\n", p->root_path);
	} else {
		fprintf(f, "rootfs: {readonly: %s, propagation: %s, pivot: %s",
			p->root_ro ? "true" : "false", rprops[p->root_prop], pivots[p->pivot]);
		if (p->fresh_root)
			fprintf(f, ", type: tmpfs, options: %s", root_opts[p->root_opts]);
		else if (p->root_path)
			fprintf(f, ", path: /srv/root%d", p->root_path);
		fputs(p->fresh_root == 3 ? ", source: fresh-root}\n" : "}\n", f);
	}
	fprintf(f, "process: {umask: \"%s\", cwd: %s%s}\n",
		p->umask == 0 ? "0022" : p->umask == 1 ? "0077" : "0002", p->cwd ? "/srv" : "/",
		(p->ns & 9) == 9 ? ", init: true" : "");
	if (p->userns || ((p->ns & 7) && (p->style & 1)))
		fprintf(f, "namespaces: {pid: %s, ipc: %s, cgroup: %s%s%s%s%s}\n",
			p->ns & 1 ? "true" : "false", p->ns & 2 ? "true" : "false",
			p->ns & 4 ? "true" : "false", p->userns ? ", user: {uidmap: \"" : "",
			p->userns ? idmaps[p->userns] : "", p->userns ? "\", gidmap: \"" : "",
			p->userns ? "0:100000:65536\"}" : "");
	else if (p->ns & 7)
		fprintf(f, "namespaces: [%s%s%s]\n", p->ns & 1 ? "pid, " : "",
			p->ns & 2 ? "ipc, " : "", p->ns & 4 ? "cgroup" : "");
	if (p->label)
		fprintf(f, "mount-label: \"%s\"\n", labels[p->label]);
	if (p->dev_std)
		fputs("dev: standard\n", f);
	if (p->dev_policy)
		fprintf(f, "device-policy: %s\n", policies[p->dev_policy]);
	fputs("mounts:\n", f);
	for (int i = 0, n = 0; i <= p->n_mounts; i++)
		if (i == p->n_mounts && !n)
			fputs("  []\n", f);
		else if (i < p->n_mounts && (!p->split || !p->m[i].in_base) && ++n)
			write_mount(f, &p->m[i], p->style);
	fputs("devices:\n", f);
	for (int i = 0; i < MAX_OTHER; i++) {
		const struct g_device *d = &p->dev[i];
		const char *mode = d->mode == 0 ? "0666" : d->mode == 1 ? "0600" : "0620";

		if (!d->used)
			continue;
		if (d->like == 0)
			fprintf(f, "  - {path: /dev/d%d, type: c, major: %d, minor: %d, mode: %s", i,
				d->major, d->minor, mode);
		else if (d->like == 1) /* the host's mode unless mode is not 0 */
			fprintf(f, "  - {path: /dev/d%d, like-host: /dev/null%s%s", i,
				d->mode ? ", mode: " : "", d->mode ? mode : "");
		else
			fprintf(f, "  - {like-host: \"/dev/d%d[0-9]*\", best-effort: true%s%s", i,
				d->mode ? ", mode: " : "", d->mode ? mode : "");
		fprintf(f, ", uid: %d, gid: %d%s%s%s}\n", d->uid, d->gid,
			d->policy ? ", policy: " : "", policies[d->policy],
			when_key(d->when, w, sizeof w));
	}
	fputs("  - {path: /dev/null0, type: c, major: 1, minor: 3}\nsymlinks:\n", f);
	for (int i = 0; i < MAX_OTHER; i++)
		if (p->link[i])
			fprintf(f, "  - {path: /l%d, target: %s%s}\n", i, links[p->link[i]],
				when_key(p->link_when[i], w, sizeof w));
	fputs("  - {path: /etc/mtab, target: /proc/self/mounts}\nmasks:\n", f);
	if (p->masks_std)
		fputs("  - standard\n", f);
	for (int i = 0; i < MAX_OTHER; i++)
		if (p->mask[i] && p->mask_when[i])
			fprintf(f, "  - {path: %s%s}\n", masks[i], when_key(p->mask_when[i], w, sizeof w));
		else if (p->mask[i])
			fprintf(f, "  - %s\n", masks[i]);
	fputs("  - /sys/firmware\nreadonly:\n", f);
	if (p->ro_std)
		fputs("  - standard\n", f);
	for (int i = 0; i < MAX_OTHER; i++) {
		if (p->ro[i] == 1 && !p->ro_when[i])
			fprintf(f, "  - %s\n", ro[i]);
		else if (p->ro[i] == 1)
			fprintf(f, "  - {path: %s%s}\n", ro[i], when_key(p->ro_when[i], w, sizeof w));
		else if (p->ro[i] == 2)
			fprintf(f, "  - {path: %s, writable: [%s/w]%s}\n", ro[i], ro[i],
				when_key(p->ro_when[i], w, sizeof w));
	}
	fputs("  - /proc/sys\n", f);
	ck_assert_int_eq(fclose(f), 0);
	free(base);
}

/* Change one thing of p (or only how it is written). */
static void mutate(struct g_plan *p)
{
	int i = p->n_mounts ? (int)rnd((unsigned)p->n_mounts) : -1;
	int j = (int)rnd(MAX_OTHER);

	switch (rnd(26)) {
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
		p->dev[j].like = rnd(3) ? p->dev[j].like : (int)rnd(3); /* (v2) like-host */
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
	case 18: /* (v2) a condition on any entry */
		switch (rnd(5)) {
		case 0:
			if (i >= 0)
				p->m[i].when = (int)rnd(N_WHENS);
			break;
		case 1:
			p->dev[j].when = (int)rnd(N_WHENS);
			break;
		case 2:
			p->link_when[j] = (int)rnd(N_WHENS);
			break;
		case 3:
			p->mask_when[j] = (int)rnd(N_WHENS);
			break;
		default:
			p->ro_when[j] = (int)rnd(N_WHENS);
			break;
		}
		break;
	case 19: /* (v2) a parameter's default, or a use of it */
		if (rnd(2))
			p->src_default = !p->src_default;
		else if (rnd(2))
			p->size_default = !p->size_default;
		else if (i >= 0)
			p->m[i].source = rnd(2) ? 4 : (int)rnd(4);
		break;
	case 20: /* (v2) bind options, id mapping; tmpcopyup, optional */
		if (i >= 0) {
			p->m[i].bindopts ^= 1u << rnd(4);
			p->m[i].idmap = rnd(3) ? p->m[i].idmap : (int)rnd(3);
			p->m[i].copyup ^= rnd(4) == 0;
			p->m[i].optional ^= rnd(4) == 0;
		}
		break;
	case 21: /* (v2) a fresh root, or a rootfs path; a stacked mount */
		if (rnd(3) == 0)
			p->fresh_root = (int)rnd(4);
		else if (rnd(2))
			p->root_opts = (int)rnd(4);
		else if (rnd(2))
			p->root_path = (int)rnd(3);
		else if (i >= 0)
			p->m[i].stack = !p->m[i].stack;
		break;
	case 22: /* (v2) namespaces, the init */
		if (rnd(3))
			p->ns ^= 1 << rnd(4);
		else
			p->userns = (int)rnd(3);
		break;
	case 23: /* (v2) mount label, standard lists; dev: standard, policies */
		switch (rnd(6)) {
		case 0:
			p->label = (int)rnd(3);
			break;
		case 1:
			p->masks_std = !p->masks_std;
			break;
		case 2:
			p->ro_std = !p->ro_std;
			break;
		case 3:
			p->dev_std = !p->dev_std;
			break;
		case 4:
			p->dev_policy = (int)rnd(4);
			break;
		default:
			p->dev[j].policy = (int)rnd(4);
			p->dev[j].gid = rnd(2) ? p->dev[j].gid : !p->dev[j].gid;
			break;
		}
		break;
	case 24: /* written another way: format 2, a description, an include */
		if (rnd(3) == 0)
			p->v2 = !p->v2;
		else if (rnd(2))
			p->param_desc = !p->param_desc;
		else if (rnd(2))
			p->split = !p->split;
		else if (i >= 0)
			p->m[i].in_base = !p->m[i].in_base;
		break;
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

/* One op of mpb as text, every field with strings by content (no
 * position). */
static char *op_text(const struct mpb *mpb, uint32_t k)
{
	struct mp_op x;

	mpb_op(mpb, k, &x);
	return xasprintf("%u %u %u %u %u %u %u %u %u %u %u %s|%s|%s|%s", x.opcode, x.flags,
			 x.attr_set, x.attr_clr, x.propagation, x.mode, x.major, x.minor,
			 x.uid, x.gid, x.aux, mpb_str(mpb, x.target), mpb_str(mpb, x.source),
			 mpb_str(mpb, x.fstype), mpb_str(mpb, x.data));
}

/* qsort: strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Are a's and b's ops the same ones in another order (so a change diff
 * reports as op order alone is one)? */
static bool ops_permuted(const struct mpb *a, const struct mpb *b)
{
	char **x, **y;
	bool same = a->op_count == b->op_count;

	if (!same)
		return false;
	x = xcalloc(a->op_count + 1, sizeof(*x));
	y = xcalloc(a->op_count + 1, sizeof(*y));
	for (uint32_t k = 0; k < a->op_count; k++) {
		x[k] = op_text(a, k);
		y[k] = op_text(b, k);
	}
	qsort(x, a->op_count, sizeof(*x), cmp_str);
	qsort(y, a->op_count, sizeof(*y), cmp_str);
	for (uint32_t k = 0; k < a->op_count; k++) {
		same &= strcmp(x[k], y[k]) == 0;
		free(x[k]);
		free(y[k]);
	}
	free(x);
	free(y);
	return same;
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
 * and *same the independent verdict of ops_equal.  A change diff calls
 * op order alone where the ops differ in more than their order is a
 * difference diff did not name: *changes is then 0 (the property fails);
 * so is a verdict of diff_same_plans (diff's shortcut) other than
 * ops_equal's. */
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
		/* diff's own shortcut (no items made) agrees with both */
		if (diff_same_plans(&ma, &mb) != *same) {
			fprintf(stderr, "diff_same_plans says %s, the op lists %s\n",
				*same ? "different" : "same", *same ? "equal" : "differ");
			*changes = *same;
		}
		for (size_t k = 0; k < r.n; k++)
			order_changes += r.changes[k].sign == DIFF_ORDER;
		if (r.n == 1 && r.changes[0].sign == DIFF_ORDER && !ops_permuted(&ma, &mb)) {
			fprintf(stderr, "diff names no change but op order, and the ops differ\n");
			*changes = 0;
		}
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
		if (getenv("DIFF_SHOW") && c == (unsigned)atoi(getenv("DIFF_SHOW")))
			ck_abort_msg("case %u written: %s, %s", c, pa, pb);
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
	snprintf(pa, sizeof pa, "%s/old-base.yaml", dir);
	snprintf(pb, sizeof pb, "%s/new-plan-base.yaml", dir);
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
	snprintf(pa, sizeof pa, "%s/a-base.yaml", dir);
	snprintf(pb, sizeof pb, "%s/b-base.yaml", dir);
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
