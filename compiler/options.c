/*
 * options.c: mount options -> attributes, propagation, bind and
 * filesystem parameters (see options.h and doc/plan-format.md).
 *
 * libmount owns the vocabulary of mount(8): every word of its
 * MNT_LINUX_MAP is looked up there, never in a table of our own.  What
 * libmount cannot know is kept here: how its MS_* flags map onto the op
 * set's MOUNT_ATTR_* bits, the OCI words (r-prefixed recursive variants,
 * tmpcopyup, idmap, ridmap) and the parameters of the filesystems the
 * compiler knows.
 */
#include <libmount/libmount.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "mp_ops.h"
#include "options.h"
#include "util.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

#define PROP_TYPES (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)
#define MAX_ID_RANGES 340

/* The attributes one mount can carry; each is decided by one word. */
enum attr_slot {
	SLOT_RDONLY,
	SLOT_NOSUID,
	SLOT_NODEV,
	SLOT_NOEXEC,
	SLOT_NODIRATIME,
	SLOT_NOSYMFOLLOW,
	SLOT_ATIME, /* value: MP_ATTR_RELATIME, NOATIME or STRICTATIME */
	SLOT_IDMAP,
	SLOT_MAX
};

/* mount(2) flag -> attribute slot and MOUNT_ATTR_* bit. */
static const struct {
	unsigned long ms;
	enum attr_slot slot;
	uint32_t attr;
} ms_attrs[] = {
	{ MS_RDONLY, SLOT_RDONLY, MP_ATTR_RDONLY },
	{ MS_NOSUID, SLOT_NOSUID, MP_ATTR_NOSUID },
	{ MS_NODEV, SLOT_NODEV, MP_ATTR_NODEV },
	{ MS_NOEXEC, SLOT_NOEXEC, MP_ATTR_NOEXEC },
	{ MS_NODIRATIME, SLOT_NODIRATIME, MP_ATTR_NODIRATIME },
	{ MS_NOSYMFOLLOW, SLOT_NOSYMFOLLOW, MP_ATTR_NOSYMFOLLOW },
	{ MS_NOATIME, SLOT_ATIME, MP_ATTR_NOATIME },
	{ MS_RELATIME, SLOT_ATIME, MP_ATTR_RELATIME },
	{ MS_STRICTATIME, SLOT_ATIME, MP_ATTR_STRICTATIME },
};

/* Superblock flags libmount knows that a new filesystem instance takes as
 * a parameter (fsconfig); "loud" is the default and dropped. */
static const unsigned long ms_superblock =
	MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_SILENT | MS_I_VERSION |
	MS_LAZYTIME;

/* Filesystem parameters of the filesystems the compiler knows; a name
 * ending in '=' takes a value, any other is a flag. */
static const char *const no_params[] = { NULL };
static const char *const proc_params[] = { "hidepid=", "subset=", "gid=", NULL };
static const char *const tmpfs_params[] = {
	"size=", "nr_blocks=", "nr_inodes=", "mode=", "uid=", "gid=", "huge=",
	"mpol=", "inode32", "inode64", "noswap", "quota", "usrquota", "grpquota",
	"usrquota_block_hardlimit=", "usrquota_inode_hardlimit=",
	"grpquota_block_hardlimit=", "grpquota_inode_hardlimit=", NULL
};
static const char *const devpts_params[] = {
	"uid=", "gid=", "mode=", "ptmxmode=", "newinstance", "max=", NULL
};
static const char *const overlay_params[] = {
	"lowerdir=", "lowerdir+=", "datadir+=", "upperdir=", "workdir=",
	"default_permissions", "redirect_dir=", "index=", "uuid=", "nfs_export=",
	"userxattr", "xino=", "metacopy=", "verity=", "volatile", NULL
};
static const struct {
	const char *fstype;
	const char *const *params;
} known_fs[] = {
	{ "proc", proc_params },   { "sysfs", no_params },
	{ "tmpfs", tmpfs_params }, { "devpts", devpts_params },
	{ "mqueue", no_params },   { "cgroup", no_params },
	{ "cgroup2", no_params },  { "bind", no_params },
	{ "overlay", overlay_params },
};

/* Our own words (not mount(8)'s). */
static const char *const oci_words[] = { "tmpcopyup", "idmap", "ridmap", "copy-symlink",
					 "src-nofollow", "dest-nofollow", NULL };

/* How one attribute slot was decided. */
struct slot_state {
	bool decided;
	bool recursive;
	uint32_t value; /* 1/0 for flags (set/clear), the atime value for SLOT_ATIME */
	char word[32];  /* the word that decided it (for messages) */
	struct plan_pos pos;
};

/* Everything learned from one entry's options. */
struct opt_state {
	struct plan_entry *e;
	struct diag_sink *sink;
	const char *fstype;          /* "bind" for binds */
	const char *const *params;   /* known parameters, or NULL */
	struct slot_state slots[SLOT_MAX];
	uint32_t prop;
	char prop_word[32];
	struct plan_pos prop_pos;
	char *data;                  /* comma-joined parameters */
	size_t data_len;
	bool idmap_word;
	struct plan_pos idmap_pos;
};

/* The entry of libmount's map named word (whose key is keylen bytes,
 * has_value when a '=' follows), or NULL.  Map names may end in "=" (a
 * value is required) or "[=]" (optional); MNT_PREFIX names match any word
 * they start. */
static const struct libmnt_optmap *map_find(const struct libmnt_optmap *map,
					    const char *word, size_t keylen,
					    bool has_value)
{
	for (; map && map->name; map++) {
		const char *n = map->name;
		size_t len;

		if (n[0] != word[0])
			continue; /* the common case, cheaply */
		if (map->mask & MNT_PREFIX) {
			if (strncmp(word, n, strlen(n)) == 0)
				return map;
			continue;
		}
		len = strcspn(n, "=[");
		if (len != keylen || strncmp(word, n, len) != 0)
			continue;
		if (n[len] == 0 && has_value)
			continue;
		return map;
	}
	return NULL;
}

/* Is word filesystem data?  See options.h. */
bool options_is_fs_data(const char *word)
{
	const struct libmnt_optmap *linux_map = mnt_get_builtin_optmap(MNT_LINUX_MAP);
	size_t keylen = strcspn(word, "=");
	bool has_value = word[keylen] == '=';

	if (map_find(linux_map, word, keylen, has_value))
		return false;
	if (word[0] == 'r' && !has_value && map_find(linux_map, word + 1, keylen - 1, false))
		return false;
	for (size_t i = 0; oci_words[i]; i++)
		if (strcmp(word, oci_words[i]) == 0)
			return false;
	return strcmp(word, "defaults") != 0;
}

/* The MP_PROP_* value of a propagation word, or 0. */
uint32_t options_propagation(const char *word)
{
	const struct libmnt_optmap *m =
		map_find(mnt_get_builtin_optmap(MNT_LINUX_MAP), word,
			 strlen(word), false);

	if (!m || !((unsigned long)m->id & PROP_TYPES))
		return 0;
	return (uint32_t)m->id;
}

/* The propagation word of an MP_PROP_* value, or NULL. */
const char *options_propagation_name(uint32_t prop)
{
	const struct libmnt_optmap *m = mnt_get_builtin_optmap(MNT_LINUX_MAP);

	for (; prop && m->name; m++)
		if ((uint32_t)m->id == prop && ((unsigned long)m->id & PROP_TYPES))
			return m->name;
	return NULL;
}

/* Append ",name" (or "name") to buf of size n. */
static void append_word(char *buf, size_t n, const char *name)
{
	size_t len = strlen(buf);

	if (len + 1 + strlen(name) + 1 > n)
		return;
	if (len)
		buf[len++] = ',';
	strcpy(buf + len, name);
}

/* Names of the MOUNT_ATTR_* bits in attrs, comma-separated, from
 * libmount's map (the non-inverted word of each flag). */
void options_attr_names(uint32_t attrs, int with_relatime, char *buf, size_t n)
{
	const struct libmnt_optmap *map = mnt_get_builtin_optmap(MNT_LINUX_MAP);

	if (n)
		buf[0] = 0;
	for (size_t i = 0; i < sizeof ms_attrs / sizeof ms_attrs[0]; i++) {
		uint32_t a = ms_attrs[i].attr;
		bool on = ms_attrs[i].slot == SLOT_ATIME ?
				  (attrs & MP_ATTR__ATIME) == a &&
					  (a || with_relatime) :
				  (attrs & a) != 0;
		if (!on)
			continue;
		for (const struct libmnt_optmap *m = map; m->name; m++)
			if ((unsigned long)m->id == ms_attrs[i].ms &&
			    !(m->mask & MNT_INVERT)) {
				append_word(buf, n, m->name);
				break;
			}
	}
	if (attrs & MP_ATTR_IDMAP)
		append_word(buf, n, "idmap");
}

/* The known parameters of fstype, or NULL. */
static const char *const *fs_params(const char *fstype)
{
	for (size_t i = 0; i < sizeof known_fs / sizeof known_fs[0]; i++)
		if (strcmp(known_fs[i].fstype, fstype) == 0)
			return known_fs[i].params;
	return NULL;
}

/* Report an error about e at pos (printf-like) and mark e bad. */
static void opt_error(struct opt_state *st, struct plan_pos pos, const char *id,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void opt_error(struct opt_state *st, struct plan_pos pos, const char *id,
		      const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(st->sink, pos, id, "%s", msg);
	free(msg);
	st->e->bad = true;
}

/* Write into out (size n) the closest word to word among everything an
 * option of this mount could be: libmount's words, their recursive
 * variants, ours, the filesystem's parameters.  Returns whether one was
 * close enough.  The list is built on each call: it is needed only for a
 * word that is already an error. */
static bool suggest(const struct opt_state *st, const char *word, char *out,
		    size_t n)
{
	const struct libmnt_optmap *map = mnt_get_builtin_optmap(MNT_LINUX_MAP);
	const char *list[256];
	char made[96][48];
	size_t n_list = 0, n_made = 0;
	const char *found;

	for (const struct libmnt_optmap *m = map; m->name && n_list < 120; m++) {
		list[n_list++] = m->name;
		for (size_t i = 0; i < sizeof ms_attrs / sizeof ms_attrs[0]; i++)
			if ((unsigned long)m->id == ms_attrs[i].ms && n_made < 96) {
				snprintf(made[n_made], sizeof made[0], "r%s", m->name);
				list[n_list++] = made[n_made++];
			}
	}
	for (size_t i = 0; oci_words[i]; i++)
		list[n_list++] = oci_words[i];
	for (size_t i = 0; st->params && st->params[i] &&
			   n_made < 96 && n_list < 250; i++) {
		size_t len = strcspn(st->params[i], "+=");
		snprintf(made[n_made], sizeof made[0], "%.*s", (int)len, st->params[i]);
		list[n_list++] = made[n_made++];
	}
	list[n_list] = NULL;
	found = closest_word(word, list);
	if (found)
		snprintf(out, n, "%s", found);
	return found != NULL;
}

/* Record that word sets slot to value (recursively or not); a different
 * value already decided is a conflict. */
static void decide_slot(struct opt_state *st, enum attr_slot slot,
			uint32_t value, bool recursive, const char *word,
			struct plan_pos pos)
{
	struct slot_state *s = &st->slots[slot];

	if (s->decided && s->value != value) {
		opt_error(st, pos, "MP-OPTION-CONFLICT",
			  "option '%s' conflicts with '%s' (at %u:%u)", word, s->word,
			  s->pos.line, s->pos.col);
		return;
	}
	if (!s->decided) {
		s->decided = true;
		s->value = value;
		snprintf(s->word, sizeof s->word, "%s", word);
		s->pos = pos;
	}
	s->recursive = s->recursive || recursive;
}

/* Record a propagation word (or the propagation key). */
static void decide_prop(struct opt_state *st, uint32_t prop, const char *word,
			struct plan_pos pos)
{
	if (st->prop && st->prop != prop) {
		opt_error(st, pos, "MP-OPTION-CONFLICT",
			  "propagation '%s' conflicts with '%s' (at %u:%u)", word,
			  st->prop_word, st->prop_pos.line, st->prop_pos.col);
		return;
	}
	st->prop = prop;
	snprintf(st->prop_word, sizeof st->prop_word, "%s", word);
	st->prop_pos = pos;
}

/* Append word to the filesystem data (one buffer per entry, sized for all
 * its options at once: no realloc churn over 100,000 entries). */
static void add_data(struct opt_state *st, const char *word)
{
	size_t len = strlen(word);

	if (!st->data) {
		size_t cap = 1;
		for (size_t i = 0; i < st->e->cold->n_options; i++)
			cap += (st->e->cold->options[i].text ? strlen(st->e->cold->options[i].text) : 0) + 1;
		st->data = xmalloc(cap);
	}
	if (st->data_len)
		st->data[st->data_len++] = ',';
	memcpy(st->data + st->data_len, word, len + 1);
	st->data_len += len;
}

/* Is s a non-empty run of digits below base 8 (octal) or 10? */
static bool all_digits(const char *s, int base)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > (base == 8 ? '7' : '9'))
			return false;
	return true;
}

/* Is s a tmpfs size as the kernel's memparse reads it: digits, then at
 * most one of k m g t p e (any case), or '%' when percent is allowed? */
static bool is_size(const char *s, bool percent)
{
	size_t digits = strspn(s, "0123456789");

	if (digits == 0)
		return false;
	s += digits;
	return *s == 0 || (s[1] == 0 && (strchr("kmgtpeKMGTPE", *s) ||
					 (percent && *s == '%')));
}

/* Is s (overlay's lowerdir=, upperdir=, workdir=, datadir+=) a list of
 * absolute paths, split at ':' ("::" before data-only layers; "\:" is a
 * colon in a path)?  The kernel resolves a relative one from the
 * executor's working directory, which names no directory of the plan. */
static bool absolute_dirs(const char *s)
{
	for (bool start = true; *s; s++) {
		if (start && *s != ':' && *s != '/')
			return false;
		if (*s == '\\' && s[1]) {
			s++;
			start = false;
			continue;
		}
		start = *s == ':';
	}
	return true;
}

/* Check the value of a known parameter key=value; returns a message or
 * NULL. */
static const char *param_value_problem(const char *key, size_t keylen,
				       const char *value)
{
	if ((keylen == 4 && strncmp(key, "mode", 4) == 0) ||
	    (keylen == 8 && strncmp(key, "ptmxmode", 8) == 0))
		return all_digits(value, 8) && strtoul(value, NULL, 8) <= 07777 ?
			       NULL :
			       "an octal mode (0 to 07777)";
	if ((keylen == 3 && (strncmp(key, "uid", 3) == 0 ||
			     strncmp(key, "gid", 3) == 0)) ||
	    (keylen == 3 && strncmp(key, "max", 3) == 0))
		return all_digits(value, 10) ? NULL : "a decimal number";
	if ((keylen == 4 && strncmp(key, "size", 4) == 0) ||
	    (keylen == 9 && strncmp(key, "nr_blocks", 9) == 0) ||
	    (keylen == 9 && strncmp(key, "nr_inodes", 9) == 0))
		return is_size(value, keylen == 4) ?
			       NULL :
			       "a number with an optional k, m, g, t, p or e suffix";
	if (((keylen == 8 && (strncmp(key, "lowerdir", 8) == 0 ||
			      strncmp(key, "upperdir", 8) == 0)) ||
	     (keylen == 7 && (strncmp(key, "workdir", 7) == 0 ||
			      strncmp(key, "datadir", 7) == 0))) &&
	    !absolute_dirs(value))
		return "absolute paths (a relative one would resolve from wherever the executor's working directory is)";
	if (*value == 0)
		return "a value";
	return NULL;
}

/* Is word's key (its first keylen bytes) one of the LSM's mount options
 * every filesystem takes (SELinux's context, fscontext, defcontext,
 * rootcontext), which the tables of known parameters leave out? */
static bool lsm_context_key(const char *word, size_t keylen)
{
	static const char *const keys[] = { "context", "fscontext", "defcontext",
					    "rootcontext" };

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == keylen && strncmp(word, keys[i], keylen) == 0)
			return true;
	return false;
}

/* Is value a context= value: non-empty, either plain or one double-quoted
 * string, with no other quote, no backslash, no control character (a
 * comma only between the quotes; options_word_len split it otherwise)? */
static bool context_value_ok(const char *value)
{
	size_t n = strlen(value);
	bool quoted = n >= 2 && value[0] == '"' && value[n - 1] == '"';
	const char *inner = quoted ? value + 1 : value;
	size_t len = quoted ? n - 2 : n;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)inner[i] < 0x20 || inner[i] == 0x7f ||
		    inner[i] == '"' || inner[i] == '\\')
			return false;
	return true;
}

/* A word that is no flag: a parameter of the filesystem, checked when its
 * parameters are known, passed on as data otherwise. */
static void filesystem_word(struct opt_state *st, const char *word,
			    struct plan_pos pos)
{
	size_t keylen = strcspn(word, "=");
	bool has_value = word[keylen] == '=';
	const char *value = has_value ? word + keylen + 1 : "";
	char key[64], hint[64];

	if (lsm_context_key(word, keylen)) {
		if (!has_value || !context_value_ok(value))
			opt_error(st, pos, "MP-OPTION",
				  "option '%s': %.*s needs an SELinux context, plain or between double quotes (%.*s=\"u:r:t:s0:c1,c2\"), without other quotes, backslashes or control characters",
				  word, (int)keylen, word, (int)keylen, word);
		else
			add_data(st, word);
		return;
	}
	if (!st->params) {
		add_data(st, word);
		return;
	}
	if (keylen && word[keylen - 1] == '+')
		keylen--; /* overlay's "lowerdir+=" */
	for (size_t i = 0; st->params[i]; i++) {
		const char *p = st->params[i];
		const char *problem;

		if (strcspn(p, "+=") != keylen || strncmp(p, word, keylen) != 0)
			continue;
		if (strchr(p, '=') && !has_value)
			opt_error(st, pos, "MP-OPTION", "option '%s' of %s needs a value (%s...)",
				  word, st->fstype, p);
		else if (!strchr(p, '=') && has_value)
			opt_error(st, pos, "MP-OPTION", "option '%.*s' of %s takes no value",
				  (int)keylen, word, st->fstype);
		else if (has_value && (problem = param_value_problem(word, keylen, value)))
			opt_error(st, pos, "MP-OPTION", "option '%s': %.*s needs %s", word,
				  (int)keylen, word, problem);
		else
			add_data(st, word);
		return;
	}
	snprintf(key, sizeof key, "%.*s", (int)(keylen < 63 ? keylen : 63), word);
	if (strchr(word, ' '))
		opt_error(st, pos, "MP-OPTION",
			  "unknown option '%s' for %s; help: options are separated by commas, not spaces: [nosuid, nodev] or \"nosuid,nodev\"",
			  word, st->fstype);
	else if (strcmp(word, "readonly") == 0 || strcmp(word, "read-only") == 0 ||
		 strcmp(word, "read_only") == 0)
		opt_error(st, pos, "MP-OPTION",
			  "unknown option '%s' for %s; help: read-only is ro (rro for the whole tree of an rbind)",
			  word, st->fstype);
	else if (strcmp(word, "z") == 0 || strcmp(word, "Z") == 0)
		opt_error(st, pos, "MP-OPTION",
			  "unknown option '%s' for %s; help: docker's :z/:Z relabels the source for SELinux; a plan gives its mounts a context with mount-label: (format 2) or context=\"...\"",
			  word, st->fstype);
	else if (suggest(st, key, hint, sizeof hint))
		opt_error(st, pos, "MP-OPTION", "unknown option '%s' for %s; did you mean '%s'?",
			  word, st->fstype, hint);
	else if (st->params[0])
		opt_error(st, pos, "MP-OPTION",
			  "unknown option '%s' for %s (neither a mount flag nor a %s parameter)",
			  word, st->fstype, st->fstype);
	else
		opt_error(st, pos, "MP-OPTION",
			  "unknown option '%s' for %s (not a mount flag, and %s takes no parameters)",
			  word, st->fstype, st->fstype);
}

/* Apply one VFS flag word of libmount's map (recursive for "r" + word). */
static bool vfs_flag(struct opt_state *st, const struct libmnt_optmap *m,
		     bool recursive, const char *word, struct plan_pos pos)
{
	for (size_t i = 0; i < sizeof ms_attrs / sizeof ms_attrs[0]; i++) {
		uint32_t value;

		if ((unsigned long)m->id != ms_attrs[i].ms)
			continue;
		if (ms_attrs[i].slot == SLOT_ATIME)
			value = m->mask & MNT_INVERT ? MP_ATTR_RELATIME : ms_attrs[i].attr;
		else
			value = m->mask & MNT_INVERT ? 0 : 1;
		decide_slot(st, ms_attrs[i].slot, value, recursive, word, pos);
		return true;
	}
	return false;
}

/* Interpret one option word at pos. */
static void option_word(struct opt_state *st, const char *word,
			struct plan_pos pos)
{
	const struct libmnt_optmap *linux_map = mnt_get_builtin_optmap(MNT_LINUX_MAP);
	const struct libmnt_optmap *user_map = mnt_get_builtin_optmap(MNT_USERSPACE_MAP);
	size_t keylen = strcspn(word, "=");
	bool has_value = word[keylen] == '=';
	const struct libmnt_optmap *m = map_find(linux_map, word, keylen, has_value);
	unsigned long id;

	if (!*word) {
		opt_error(st, pos, "MP-OPTION", "empty option");
		return;
	}
	if (strchr(word, '"') && !lsm_context_key(word, keylen)) {
		/* mountplan-exec would pass key="v" to fsconfig as v, the
		 * fallback's mount(2) the quotes to the filesystem, and a
		 * quote inside a value would end it there */
		opt_error(st, pos, "MP-OPTION",
			  "option '%s': a double quote is taken only around the value of an SELinux context=, fscontext=, defcontext= or rootcontext=",
			  word);
		return;
	}
	if (m) {
		id = (unsigned long)m->id;
		if (vfs_flag(st, m, false, word, pos))
			return;
		if (id & PROP_TYPES) {
			decide_prop(st, (uint32_t)id, word, pos);
			return;
		}
		if (id & MS_BIND)
			return; /* seen by the first pass */
		if (!(id & ms_superblock))
			opt_error(st, pos, "MP-OPTION",
				  "option '%s' has no meaning in a plan (each entry is a new mount)",
				  word);
		else if (strcmp(st->fstype, "bind") == 0 ||
			 strncmp(st->fstype, "cgroup", 6) == 0)
			opt_error(st, pos, "MP-OPTION",
				  "option '%s' sets a superblock flag, which a %s mount cannot set",
				  word, st->fstype);
		else if (!(m->mask & MNT_INVERT) || id != MS_SILENT)
			add_data(st, word); /* "loud" is the default: dropped */
		return;
	}
	if (word[0] == 'r' && !has_value) {
		m = map_find(linux_map, word + 1, keylen - 1, false);
		if (m && vfs_flag(st, m, true, word, pos))
			return;
	}
	if (strcmp(word, "tmpcopyup") == 0) {
		if (strcmp(st->fstype, "tmpfs") != 0)
			opt_error(st, pos, "MP-OPTION",
				  "option 'tmpcopyup' applies only to tmpfs mounts");
		else if (st->e->target.text && strcmp(st->e->target.text, "/") == 0)
			opt_error(st, pos, "MP-OPTION",
				  "option 'tmpcopyup' on / has nothing to copy: the rootfs "
				  "is what the tmpfs covers (crun refuses it too)");
		else
			st->e->cold->tmpcopyup = true;
		return;
	}
	if (strcmp(word, "idmap") == 0 || strcmp(word, "ridmap") == 0) {
		if (strcmp(st->fstype, "bind") != 0) {
			opt_error(st, pos, "MP-OPTION", "option '%s' applies only to bind mounts",
				  word);
			return;
		}
		decide_slot(st, SLOT_IDMAP, 1, word[0] == 'r', word, pos);
		st->idmap_word = true;
		st->idmap_pos = pos;
		return;
	}
	if (strcmp(word, "copy-symlink") == 0 || strcmp(word, "src-nofollow") == 0 ||
	    strcmp(word, "dest-nofollow") == 0) { /* (v2) crun's */
		if (strcmp(st->fstype, "bind") != 0)
			opt_error(st, pos, "MP-OPTION", "option '%s' applies only to bind mounts",
				  word);
		else if (word[0] == 'c')
			st->e->cold->copy_symlink = true;
		else if (word[0] == 's')
			st->e->cold->src_nofollow = true;
		else
			st->e->cold->dest_nofollow = true;
		if (!st->e->cold->rare->nofollow_pos.line)
			plan_rare(st->e)->nofollow_pos = pos;
		return;
	}
	if (strcmp(word, "defaults") == 0)
		return;
	if (map_find(user_map, word, keylen, has_value)) {
		opt_error(st, pos, "MP-OPTION",
			  "option '%s' is for mount(8) and fstab, not a mount option", word);
		return;
	}
	filesystem_word(st, word, pos);
}

/* The length of s's first option word; see options.h. */
size_t options_word_len(const char *s, bool *open_quote)
{
	bool quoted = false;
	size_t n = 0;

	for (; s[n] && (s[n] != ',' || quoted); n++)
		quoted ^= s[n] == '"';
	if (open_quote)
		*open_quote = quoted;
	return n;
}

/* Call fn for each comma-separated word of every option of e (a comma
 * between double quotes does not separate), with the word's position
 * (columns advance along a one-line scalar). */
static void each_word(struct opt_state *st,
		      void (*fn)(struct opt_state *, const char *, struct plan_pos))
{
	for (size_t i = 0; i < st->e->cold->n_options; i++) {
		const char *text = st->e->cold->options[i].text ? st->e->cold->options[i].text : "";
		size_t off = 0;

		do {
			size_t len = options_word_len(text + off, NULL);
			char small[128];
			char *word = len < sizeof small ? small : xmalloc(len + 1);
			struct plan_pos pos = st->e->cold->options[i].pos;

			memcpy(word, text + off, len);
			word[len] = 0;
			pos.col += (uint32_t)off;
			fn(st, word, pos);
			if (word != small)
				free(word);
			off += len + (text[off + len] == ',');
		} while (text[off]);
	}
}

/* First pass: bind/rbind decide what kind of mount this is. */
static void bind_word(struct opt_state *st, const char *word,
		      struct plan_pos pos)
{
	const struct libmnt_optmap *m =
		map_find(mnt_get_builtin_optmap(MNT_LINUX_MAP), word, strlen(word),
			 false);

	(void)pos;
	if (m && ((unsigned long)m->id & MS_BIND)) {
		st->e->is_bind = true;
		if ((unsigned long)m->id & MS_REC)
			st->e->recursive = true;
	}
}

/* Parse "C:H:N[ C:H:N...]" into "C:H:N,C:H:N"; NULL with *why on error. */
static char *parse_id_map(const char *s, const char **why)
{
	char *out = xcalloc(strlen(s) + 1, 1);
	size_t n = 0, ranges = 0;

	while (*s) {
		unsigned long long v[3];
		char *end;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		for (int k = 0; k < 3; k++) {
			if (*s < '0' || *s > '9')
				goto bad;
			v[k] = strtoull(s, &end, 10);
			if (v[k] > 0xffffffffull)
				goto bad;
			s = end;
			if (k < 2 && *s++ != ':')
				goto bad;
		}
		if (*s && *s != ' ')
			goto bad;
		if (v[2] == 0 || v[0] + v[2] > 0x100000000ull ||
		    v[1] + v[2] > 0x100000000ull) {
			*why = "a range must hold 1 or more ids within 0..4294967295";
			free(out);
			return NULL;
		}
		if (++ranges > MAX_ID_RANGES) {
			*why = "more than 340 ranges";
			free(out);
			return NULL;
		}
		n += (size_t)sprintf(out + n, "%s%llu:%llu:%llu", n ? "," : "", v[0],
				     v[1], v[2]);
	}
	if (ranges)
		return out;
bad:
	*why = "expected ranges CONTAINER:HOST:COUNT separated by spaces";
	free(out);
	return NULL;
}

/* An id mapping in the op set's form; see options.h. */
char *options_id_map(const char *text, const char **why)
{
	return parse_id_map(text, why);
}

/* uidmap/gidmap with idmap/ridmap: build e->idmap. */
static void id_maps(struct opt_state *st)
{
	struct plan_entry *e = st->e;
	const struct plan_str *maps[2] = { &e->cold->rare->uidmap, &e->cold->rare->gidmap };
	char *parsed[2] = { NULL, NULL };
	bool ok = true;

	if (!st->idmap_word) {
		for (int k = 0; k < 2; k++)
			if (maps[k]->text) {
				diag_error(st->sink, maps[k]->pos, "MP-IDMAP",
					   "%s without the idmap or ridmap option",
					   k ? "gidmap" : "uidmap");
				e->bad = true;
			}
		return;
	}
	for (int k = 0; k < 2; k++) {
		const char *why = NULL;

		if (!maps[k]->text) {
			diag_error(st->sink, st->idmap_pos, "MP-IDMAP",
				   "option 'idmap' needs the %s key",
				   k ? "gidmap" : "uidmap");
			ok = false;
			continue;
		}
		parsed[k] = parse_id_map(maps[k]->text, &why);
		if (!parsed[k]) {
			diag_error(st->sink, maps[k]->pos, "MP-IDMAP", "bad %s: %s",
				   k ? "gidmap" : "uidmap", why);
			ok = false;
		}
	}
	if (ok)
		e->cold->idmap = xasprintf("uid=%s;gid=%s", parsed[0], parsed[1]);
	else
		e->bad = true;
	free(parsed[0]);
	free(parsed[1]);
}

/* Fold the decided slots into the entry's attribute fields. */
static void fold_slots(struct opt_state *st)
{
	struct plan_entry *e = st->e;
	static const uint32_t bits[SLOT_MAX] = {
		[SLOT_RDONLY] = MP_ATTR_RDONLY,	    [SLOT_NOSUID] = MP_ATTR_NOSUID,
		[SLOT_NODEV] = MP_ATTR_NODEV,	    [SLOT_NOEXEC] = MP_ATTR_NOEXEC,
		[SLOT_NODIRATIME] = MP_ATTR_NODIRATIME,
		[SLOT_NOSYMFOLLOW] = MP_ATTR_NOSYMFOLLOW,
		[SLOT_ATIME] = MP_ATTR__ATIME,	    [SLOT_IDMAP] = MP_ATTR_IDMAP,
	};
	bool plain = false;

	for (int k = 0; k < SLOT_MAX; k++) {
		const struct slot_state *s = &st->slots[k];
		uint32_t set = 0, clr = 0;

		if (!s->decided)
			continue;
		if (k == SLOT_ATIME) {
			if (s->value == MP_ATTR_RELATIME)
				clr = MP_ATTR__ATIME; /* explicitly back to relatime */
			else
				set = s->value;
		} else if (s->value) {
			set = bits[k];
		} else {
			clr = bits[k];
		}
		e->attr_set |= set;
		e->cold->attr_clr |= clr;
		if (s->recursive) {
			e->rattr_set |= set;
			e->cold->rattr_clr |= clr;
			e->attr_recursive = true;
		} else if (k != SLOT_IDMAP) {
			plain = true;
		}
	}
	if (st->slots[SLOT_IDMAP].recursive && plain && e->recursive) {
		diag_error(st->sink, st->slots[SLOT_IDMAP].pos, "MP-OPTION-CONFLICT",
			   "option 'ridmap' on an rbind needs every attribute recursive (rro, rnosuid ...)");
		e->bad = true;
	}
}

/* Parse a mount entry's options; see options.h. */
void options_parse_mount(struct plan_entry *e, struct diag_sink *sink)
{
	struct opt_state st = { 0 };
	const char *type = e->type.text ? e->type.text : "";

	st.e = e;
	st.sink = sink;
	e->is_bind = strcmp(type, "bind") == 0;
	e->recursive = false;
	e->cold->tmpcopyup = false;
	each_word(&st, bind_word);
	st.fstype = e->is_bind ? "bind" : type;
	st.params = fs_params(st.fstype);
	each_word(&st, option_word);
	if (e->cold->propagation.text) /* one of libmount's words: shape checked it */
		decide_prop(&st, options_propagation(e->cold->propagation.text),
			    e->cold->propagation.text, e->cold->propagation.pos);
	if (e->cold->optional && !e->is_bind) {
		diag_error(sink, e->cold->rare->optional_pos, "MP-OPTION",
			   "'optional' applies only to bind mounts (a missing source is skipped)");
		e->bad = true;
	}
	if (e->cold->follow_symlinks && !e->is_bind) {
		diag_error(sink, e->cold->rare->follow_pos, "MP-OPTION",
			   "'follow-symlinks' applies only to bind mounts (it is about the source path)");
		e->bad = true;
	}
	fold_slots(&st);
	e->cold->prop = st.prop;
	free(e->fs_data);
	e->fs_data = st.data;
	id_maps(&st);
}
