/*
 * simulate.h: the predicted mount table of a compiled plan.
 *
 * simulate_mpb replays a checked plan's ops (struct mp_op, as the executor
 * decodes them) against a model of the container's mount tree instead of
 * the kernel: which mounts exist, in the order they were made, with their
 * type, source, VFS attributes and propagation.  `mountplan table` prints
 * the result, `verify` compares it with a real mountinfo, `diff` compares
 * two of them.
 *
 * What the model cannot know from the plan alone is marked as such rather
 * than guessed: a bind's filesystem type and the attributes it inherits
 * from the host mount (known is then a subset of the bits); a path that
 * may be missing from the rootfs (a mask or read-only path: the mount is
 * conditional); mounts a recursive bind or a v1 cgroup tree brings along
 * (open_below).
 */
#ifndef SIMULATE_H
#define SIMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mpb.h"

/* What made a mount. */
enum sim_kind {
	SIM_ROOT,     /* ROOTFS: the rootfs bound onto itself, later "/" */
	SIM_FS,       /* MOUNT: a new filesystem instance */
	SIM_BIND,     /* BIND: a host path */
	SIM_CGROUP,   /* CGROUP: cgroup2, or a tmpfs of v1 binds */
	SIM_DEVICE,   /* MKNOD, HOSTDEV (v2): a bind of the host's node */
	SIM_MASK,     /* MASK: /dev/null (file) or a read-only tmpfs (dir) */
	SIM_READONLY, /* READONLY: a clone of a mount made read-only */
	SIM_HOLE,     /* HOLE_RESTORE: a clone saved before READONLY */
	SIM_KIND_MAX
};

/* Why a predicted mount may be absent. */
enum sim_cond {
	SIM_ALWAYS,         /* always there */
	SIM_IF_PATH,        /* if the target exists in the rootfs */
	SIM_IF_SOURCE,      /* if the host source exists (optional bind) */
	SIM_IF_NO_MKNOD,    /* if mknod is refused (bind fallback) */
	SIM_IF_HOST,        /* (v2) if a COND on the host holds: see when */
	SIM_COND_MAX
};

struct sim_mount {
	enum sim_kind kind;
	enum sim_cond cond;
	/* strings: the plan's (its .mpb's), static, or the table's own
	   (made): the .mpb outlives the table */
	const char *when;  /* SIM_IF_HOST: the condition in words; (v2) a
			      like-host node's bind: its whole condition */
	const char *target; /* mount point as seen inside the container */
	const char *fstype; /* NULL: the host's (a bind) */
	const char *source; /* fs source or host path; NULL: unknown */
	uint32_t attrs;    /* MP_ATTR_* bits in effect (for the known bits) */
	uint32_t known;    /* which MP_ATTR_* bits the plan decides */
	uint32_t propagation; /* MP_PROP_SHARED/SLAVE/PRIVATE/UNBINDABLE */
	bool open_below;   /* more mounts beneath may come from the host */
	bool stacked;      /* simulate.c's own: a mount sits on it at its own
			      mount point (in the child index) */
	bool has_alt;      /* a mask: the file case, a cgroup: the v1 case */
	const char *alt_fstype; /* type in that case (NULL: the host's) */
	const char *alt_source;
	uint32_t alt_attrs, alt_known;
	uint32_t op;       /* index of the op that made it */
	long parent;       /* index of the mount it sits on, -1: none */
	size_t *children;  /* indexes of the mounts that sit on it, ascending */
	size_t n_children, cap_children;
};

/* A predicted table: mounts in the order they were made (mount order). */
struct sim_table {
	struct sim_mount *mounts;
	size_t n, cap;
	/* simulate.c's own: (parent, target) -> the latest such child + 1,
	 * 0 for an empty slot (open addressing, a power of two), beside
	 * the high half of each slot's hash (a probe reads no mount of
	 * another hash; 8 bytes a slot: the index is read at random) */
	struct sim_child {
		uint32_t hash;
		uint32_t at;
	} *child;
	size_t child_cap, child_n;
	/* one bit per (hash bits of a) key in the child index: most lookups
	   are for a place where nothing is mounted, answered from these
	   few cache lines instead of a probe of the index */
	uint64_t *child_bits;
	size_t child_bits_mask;
	char **made;       /* strings the simulation made (freed with it) */
	size_t n_made, cap_made;
};

/* Simulate every op of a checked plan into t (initialized here; free with
 * sim_table_free, before mpb: t points into its strings).  Never fails:
 * ops that act on nothing change nothing. */
void simulate_mpb(const struct mpb *mpb, struct sim_table *t);

/* Keep s (malloc'd, taken) as a string of t, freed with it (a mount's
 * string made after simulate_mpb); returns s. */
const char *sim_keep(struct sim_table *t, char *s);

/* Free everything t owns. */
void sim_table_free(struct sim_table *t);

/* Write the option words of a mount's known attributes ("ro,nosuid,
 * relatime") into buf (size n); unknown bits are left out. */
void sim_option_words(const struct sim_mount *m, char *buf, size_t n);

/* The same for any attrs/known pair (a mount's alternative). */
void sim_attr_words(uint32_t attrs, uint32_t known, char *buf, size_t n);

/* The word for a propagation value ("shared", "slave", "private",
 * "unbindable"). */
const char *sim_propagation_name(uint32_t prop);

/* "fs", "bind" ... for a kind; "" for a condition that always holds and
 * "if the path exists" ... otherwise. */
const char *sim_kind_name(enum sim_kind kind);
const char *sim_cond_text(enum sim_cond cond);

/* Why m may be absent, in words ("" when it is always there): its host
 * condition's words, or sim_cond_text. */
const char *sim_mount_cond(const struct sim_mount *m);

/* A COND op's test in words ("if the host has /proc/kcore", "unless host
 * /x is a directory"); caller frees. */
char *sim_when_text(const struct mpb *mpb, const struct mp_op *op);

/* The same words for host path, file type (MP_IF*, 0: any) and negate,
 * as a plan's when: says them; caller frees. */
char *sim_when_words(const char *path, uint32_t type, bool negate);

#endif
