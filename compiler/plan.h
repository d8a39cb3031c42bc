/*
 * plan.h: the compiler's model of a plan (doc/plan-format.md).
 *
 * The loader and shape check fill it from YAML (raw strings, every value
 * with its source position); normalize fills the parsed fields; validate
 * and order read it; lower turns it into ops.  Everything a struct plan
 * points to is owned by it and freed by plan_free().
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

/* A position in a plan file: 1-based line and column (libyaml mark + 1). */
struct plan_pos {
	const char *file; /* as given on the command line; owned by the sink */
	uint32_t line;
	uint32_t col;
};

enum plan_kind {
	PLAN_MOUNT,    /* mounts: */
	PLAN_DEVICE,   /* devices: */
	PLAN_SYMLINK,  /* symlinks: */
	PLAN_MASK,     /* masks: */
	PLAN_READONLY, /* readonly: */
	PLAN_KIND_MAX
};

enum plan_pivot { PLAN_PIVOT_ROOT, PLAN_PIVOT_MOVE, PLAN_PIVOT_CHROOT, PLAN_PIVOT_MAX };

/* What to do where mknod is not allowed. */
enum plan_device_policy {
	PLAN_DEVPOL_AUTO,  /* "mknod-or-bind": mknod, bind the host's node on EPERM */
	PLAN_DEVPOL_MKNOD, /* "mknod": mknod or fail */
	PLAN_DEVPOL_BIND,  /* "bind": always bind the host's node */
	PLAN_DEVPOL_MAX
};

/* A string value with where it was written. */
struct plan_str {
	char *text;          /* NUL-terminated, UTF-8; NULL when absent */
	struct plan_pos pos; /* of the value (the key's when absent) */
};

/* A condition on the host (v2 `when:`), evaluated by the executor at run
 * time (COND in executor/mp_ops.h).  No condition: path.text is NULL. */
struct plan_when {
	struct plan_str path; /* host path tested */
	uint32_t type;        /* MP_IF* file type it must have, 0: any */
	bool negate;          /* `not: true`: the entry runs when the test fails */
	struct plan_pos pos;  /* the `when` key's value */
};

/* A writable hole inside a read-only path. */
struct plan_hole {
	struct plan_str path;
};

/* What an entry says beyond what the passes' walks over every entry
 * read (struct plan_entry): positions, the fields of one kind, options
 * as written.  Owned by the entry through its cold pointer (in the
 * plan's cold arena). */
struct plan_entry_cold {
	struct plan_pos pos;   /* the entry's first key (or the scalar) */
	bool standard_word;    /* (v2) one of masks/readonly: standard's paths; pos is the word's */
	bool override;         /* override: true (v2): replaces an included plan's entry */

	/* PLAN_MOUNT, as written (and type, source in the entry) */
	bool optional;               /* skip when a bind source is missing */
	bool follow_symlinks;        /* v2: a bind source may hold symlinks */
	bool allow_unknown_type;     /* allow_unknown_type: true (MP-FSTYPE-UNKNOWN) */
	/* PLAN_MOUNT, filled by normalize (and is_bind ... fs_data in the entry) */
	bool tmpcopyup;
	bool copy_symlink, src_nofollow, dest_nofollow; /* (v2) crun's bind options */
	uint32_t n_options;
	struct plan_str *options;    /* each option as written (plan_add_options) */
	struct plan_str propagation; /* "rslave" ...; NULL: none */
	uint32_t attr_clr;      /* MP_ATTR_* */
	uint32_t rattr_clr;     /* the part of attr_clr given recursively (rrw ...) */
	uint32_t prop;          /* MP_PROP_* or 0 */
	char *idmap;            /* "uid=C:H:N;gid=C:H:N" or NULL */

	/* the fields of devices, symlinks and read-only paths: every kind
	 * but a mount has its own (plan_add_entry); a mount's (and the
	 * root's) is plan_no_node, all zero, read-only */
	struct plan_node_part *node;
	/* what few entries write (a condition, id maps, where some keys
	 * were): plan_no_rare, all zero, read-only, until plan_rare makes
	 * the entry its own */
	struct plan_entry_rare *rare;
};

/* What few entries say (160 bytes): an entry's is made when one of
 * these keys or words is written (plan_rare), so the cold part of each
 * of 200,000 mounts is 104 bytes, not 272 (doc/performance.md, ninth
 * round). */
struct plan_entry_rare {
	struct plan_when when;        /* (v2) the entry runs only if this holds */
	struct plan_pos override_pos; /* the override key */
	/* PLAN_MOUNT */
	struct plan_str uidmap;       /* "C:H:N[ C:H:N...]" with idmap; NULL: none */
	struct plan_str gidmap;
	struct plan_pos optional_pos;
	struct plan_pos follow_pos;   /* the follow-symlinks key */
	struct plan_pos nofollow_pos; /* the first of copy-symlink, src-nofollow, dest-nofollow */
};

/* The rare part of every entry that has none of its own: all zero
 * (read-only memory). */
extern const struct plan_entry_rare plan_no_rare;

/* What a device, a symlink or a read-only path says beyond what every
 * entry says (224 bytes): a mount's cold part has none of its own, so
 * the cold part of each of 200,000 mounts is 272 bytes, not 488 (45 MB
 * less memory written, doc/performance.md). */
struct plan_node_part {
	/* PLAN_DEVICE */
	struct plan_str dev_type;      /* "c", "b", "p" */
	uint32_t major, minor, mode, uid, gid;
	struct plan_pos major_pos, minor_pos, mode_pos, uid_pos, gid_pos;
	bool has_mode, has_uid, has_gid;
	enum plan_device_policy policy;
	bool has_policy;
	struct plan_str like_host;     /* (v2) like-host: the host node (or glob) it copies */
	bool glob;                     /* like_host's last component is a pattern */
	bool best_effort;              /* (v2) best-effort: a failure is reported and skipped */
	struct plan_pos best_effort_pos;

	/* PLAN_SYMLINK: target is the link's path, link is its contents */
	struct plan_str link;

	/* PLAN_READONLY */
	struct plan_hole *holes;
};

/* The node part of every mount: all zero (read-only memory). */
extern const struct plan_node_part plan_no_node;

/* One entry of mounts/devices/symlinks/masks/readonly, or one entry the
 * dev: standard shorthand expanded to (synthetic = true): what the
 * passes and plan-check rules that walk every entry read (128 bytes, the
 * entries one dense array: 26 MB at 200,000 entries where the whole
 * 600-byte entry made 120 MB), the rest in its cold part. */
struct plan_entry {
	struct plan_str target; /* mounts: target; others: path */
	struct plan_str type;   /* PLAN_MOUNT as written: "proc", "bind", "tmpfs", any fs name */
	struct plan_str source; /* PLAN_MOUNT as written: fs source or host path; NULL: none */
	char *fs_data;          /* PLAN_MOUNT (normalize): comma-joined filesystem parameters, or NULL */
	struct plan_entry_cold *cold; /* the rest (NULL only in a dropped slot) */
	size_t index;           /* position in written order, 0-based, over all kinds */
	uint32_t attr_set;      /* PLAN_MOUNT (normalize): MP_ATTR_* */
	uint32_t rattr_set;     /* the part of attr_set given recursively (rro ...) */
	size_t n_holes;         /* PLAN_READONLY: holes in cold->holes */
	enum plan_kind kind;
	bool bad;               /* a pass reported an error on it: later passes skip it */
	bool is_bind;           /* PLAN_MOUNT (normalize): type bind, or a "bind"/"rbind" option */
	bool recursive;         /* PLAN_MOUNT (normalize): rbind */
	bool attr_recursive;    /* PLAN_MOUNT (normalize): rro, rnosuid ... */
	bool synthetic;        /* made by a shorthand; cold->pos is the shorthand's */
	bool stack;            /* stack: true (v2, mounts): on top of the earlier entries for its target */
};

/* The type of a parameter (doc/plan-format.md, "parameters"). */
enum plan_param_type {
	PLAN_PARAM_STRING,  /* any text without control characters */
	PLAN_PARAM_PATH,    /* an absolute clean path */
	PLAN_PARAM_INTEGER, /* a decimal integer 0..2^64-1 */
	PLAN_PARAM_LABEL,   /* an SELinux context user:role:type[:level] */
	PLAN_PARAM_TYPE_MAX
};

/* One declared parameter (version 2), with the value in force. */
struct plan_param {
	struct plan_str name;        /* pos: its key under parameters: */
	enum plan_param_type type;
	struct plan_str fallback;    /* default:; NULL text when none */
	struct plan_str description; /* NULL text when none */
	struct plan_str value;       /* given, else the default; NULL text: unset.
				      * pos: where the value was written */
	bool given;                  /* from --set or a values file */
	bool bad;                    /* declaration or value refused */
	size_t uses;                 /* ${name} references */
};

/* How substitution made the string at pos, for messages about it. */
struct plan_subst {
	struct plan_pos pos;
	char *note; /* "${dir} is '/x' (from --set:1:5)" */
};

/* A whole plan. */
struct plan {
	const char *file;      /* plan file name */
	uint32_t version;      /* "mountplan:" */
	struct plan_pos version_pos;
	struct plan_str name;
	struct plan_str description;

	/* rootfs: */
	struct plan_str rootfs_path;      /* NULL: --rootfs required (or rootfs_fs) */
	struct plan_entry rootfs_fs;      /* (v2) the root as a new filesystem:
					     type (NULL: none), source, options
					     as for a mount; target "/" */
	struct plan_entry_cold rootfs_fs_cold; /* rootfs_fs's cold part */
	bool rootfs_readonly;
	struct plan_pos rootfs_pos;       /* the rootfs key, or the first top key */
	uint32_t rootfs_last_line;        /* last line of the rootfs: mapping (in
					   * rootfs_pos.file); 0 without rootfs: */
	struct plan_str root_propagation; /* as written; NULL: default rslave */
	uint32_t root_prop;               /* normalized MP_PROP_* */
	enum plan_pivot pivot;
	struct plan_pos pivot_pos;

	/* namespaces: (v2) MP_NS_PID | MP_NS_IPC; process.init adds MP_NS_INIT */
	uint32_t namespaces;
	bool init;                 /* process.init (v2): the executor stays pid 1 */
	struct plan_pos init_pos;

	/* process: */
	uint32_t umask;        /* default 022 */
	struct plan_pos umask_pos;
	bool has_umask;
	struct plan_str cwd;   /* NULL: "/" */
	/* namespaces: (v2), besides pid and ipc above */
	bool cgroupns;          /* namespaces.cgroup: a cgroup namespace */
	struct plan_str userns_uidmap, userns_gidmap; /* namespaces.user */
	char *userns_map;       /* "uid=C:H:N,...;gid=..." when user is valid */
	struct plan_pos namespaces_pos;
	struct plan_str mount_label; /* mount-label: (v2) SELinux context of mounts */
	bool bad_label;              /* mount-label was refused */

	/* dev: standard | none */
	bool dev_standard;
	struct plan_pos dev_pos;

	/* device-policy: the default for devices without their own */
	enum plan_device_policy device_policy;

	struct plan_entry *entries; /* in written order until order runs */
	size_t n_entries;
	size_t cap_entries;         /* allocated (plan_add_entry) */
	/* The texts of every entry's target (one arena) and type and source
	 * (the other), rootfs_fs's included, side by side in the order they
	 * were read.  Every pass reads the targets of all entries (index
	 * builds, sorts, ancestor lookups) and the rules their types and
	 * sources: 200,000 targets fill 3 MB that the caches hold, where as
	 * single mallocs each took its own cache line among the entries'
	 * other strings.  These texts are never freed or replaced on their
	 * own (a new value is a new copy); plan_free frees the arenas. */
	struct arena targets, words;
	/* Every entry's cold part (struct plan_entry_cold), in the order
	 * the entries were added */
	struct arena colds;

	/* parameters: (version 2) */
	struct plan_param *params;
	size_t n_params;
	struct plan_subst *substs;  /* every string that held a reference */
	size_t n_substs, cap_substs;
};

/* Free what one entry owns (its strings but target, type, source and
 * options, which are its plan's: struct plan's targets, words and
 * colds; holes; its rare part). */
void plan_entry_clear(struct plan_entry *e);

/* Make c an empty cold part: all zero, with plan_no_node and
 * plan_no_rare. */
void plan_cold_init(struct plan_entry_cold *c);

/* e's rare part, to write into: made (zeroed; freed by
 * plan_entry_clear) when e has none of its own yet.  Aborts on
 * ENOMEM. */
struct plan_entry_rare *plan_rare(struct plan_entry *e);

/* Append the n options at more (their texts are copied) to e's: the
 * options of an entry are kept in its plan's arenas, the array among
 * the cold parts (exactly sized: a new array when options are added)
 * and the texts among the words; never freed on their own. */
void plan_add_options(struct plan *plan, struct plan_entry *e,
		      const struct plan_str *more, size_t n);

/* text (NULL: none) at pos, its copy kept in a, one of the plan's
 * arenas: plan->targets for an entry's target, plan->words for its type
 * or source. */
struct plan_str plan_kept(struct arena *a, const char *text, struct plan_pos pos);

/* Which entries compete for one target: a mount, device or symlink puts
 * something at the path (0); masks (1) and read-only paths (2) act on
 * what is there.  Two entries of one class at one target are duplicates. */
int plan_target_class(enum plan_kind kind);

/* "L:C" for a position in the same file as from, else "FILE:L:C"
 * (malloc'd), for messages that point at another entry. */
char *plan_pos_ref(struct plan_pos at, struct plan_pos from);

/* A new empty plan (rootfs_fs's cold part set up); aborts on ENOMEM. */
struct plan *plan_new(void);

/* Free a plan and everything it owns; NULL is fine. */
void plan_free(struct plan *plan);

/* Append a zeroed entry of kind at pos; returns it (aborts on ENOMEM). */
struct plan_entry *plan_add_entry(struct plan *plan, enum plan_kind kind,
				  struct plan_pos pos);

/* Is name a valid plan name: [A-Za-z0-9._-]{1,64}? */
bool plan_name_ok(const char *name);

/* (v2) The settings a plan may take over from a plan it includes with
 * override: [NAME...] at its top (doc/plan-format.md, "include"): a
 * top-level setting, a whole rootfs or process, or one of their keys;
 * NULL-terminated. */
extern const char *const plan_setting_names[];

/* The setting a key of the top level (section NULL) or of rootfs or
 * process (section) is, for include's conflicts: "section.key", the
 * key itself at the top, and "rootfs.root" for every key that says what
 * the root is (path, type, source, options, allow_unknown_type), which
 * replace each other as one. */
char *plan_setting_id(const char *section, const char *key);

/* The words of rootfs.pivot and of device-policy / a device's policy,
 * indexed by enum plan_pivot and enum plan_device_policy (shape.c). */
extern const char *const plan_pivot_words[];
extern const char *const plan_policy_words[];

/* Does override name (one of plan_setting_names) cover setting id? */
bool plan_setting_covers(const char *name, const char *id);

/* Name of an entry kind as written in YAML ("mounts" ...). */
const char *plan_kind_section(enum plan_kind kind);

#endif
