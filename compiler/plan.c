/*
 * plan.c: the plan model's lifetime (plan.h): free, append entries, and
 * the names of entry kinds.
 */
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "util.h"

/* Free the text of a string value. */
static void str_free(struct plan_str *s)
{
	free(s->text);
	s->text = NULL;
}

/* A text kept in one of the plan's arenas; see plan.h. */
struct plan_str plan_kept(struct arena *a, const char *text, struct plan_pos pos)
{
	return (struct plan_str){ text ? arena_strdup(a, text) : NULL, pos };
}

const struct plan_node_part plan_no_node;
const struct plan_entry_rare plan_no_rare;

/* An empty cold part; see plan.h. */
void plan_cold_init(struct plan_entry_cold *c)
{
	memset(c, 0, sizeof(*c));
	c->node = (struct plan_node_part *)&plan_no_node;
	c->rare = (struct plan_entry_rare *)&plan_no_rare;
}

/* e's rare part, made on first use; see plan.h. */
struct plan_entry_rare *plan_rare(struct plan_entry *e)
{
	if (e->cold->rare == &plan_no_rare)
		e->cold->rare = xcalloc(1, sizeof(*e->cold->rare));
	return e->cold->rare;
}

/* Free what one entry owns; see plan.h. */
void plan_entry_clear(struct plan_entry *e)
{
	struct plan_entry_cold *c = e->cold;

	/* target, type, source: the plan's arenas'; the cold part: its
	 * cold arena's */
	e->target.text = e->type.text = e->source.text = NULL;
	free(e->fs_data);
	e->fs_data = NULL;
	if (!c)
		return;
	str_free(&c->propagation);
	free(c->idmap);
	c->idmap = NULL;
	if (c->rare != &plan_no_rare) {
		str_free(&c->rare->uidmap);
		str_free(&c->rare->gidmap);
		str_free(&c->rare->when.path);
		free(c->rare);
		c->rare = (struct plan_entry_rare *)&plan_no_rare;
	}
	if (c->node == &plan_no_node)
		return;
	str_free(&c->node->dev_type);
	str_free(&c->node->like_host);
	str_free(&c->node->link);
	for (size_t i = 0; i < e->n_holes; i++)
		str_free(&c->node->holes[i].path);
	free(c->node->holes);
}

/* Append options to an entry's; see plan.h. */
void plan_add_options(struct plan *plan, struct plan_entry *e,
		      const struct plan_str *more, size_t n)
{
	struct plan_entry_cold *c = e->cold;
	struct plan_str *all;

	if (!n)
		return;
	all = arena_alloc(&plan->colds, (c->n_options + n) * sizeof(*all));
	for (size_t i = 0; i < c->n_options; i++)
		all[i] = c->options[i];
	for (size_t i = 0; i < n; i++)
		all[c->n_options + i] = plan_kept(&plan->words, more[i].text, more[i].pos);
	c->options = all;
	c->n_options += (uint32_t)n;
}

/* A new empty plan; see plan.h. */
struct plan *plan_new(void)
{
	struct plan *plan = xcalloc(1, sizeof(*plan));

	plan->rootfs_fs.cold = &plan->rootfs_fs_cold;
	plan_cold_init(&plan->rootfs_fs_cold);
	return plan;
}

/* Free a plan and everything it owns; NULL is fine. */
void plan_free(struct plan *plan)
{
	if (!plan)
		return;
	/* the arenas first: freeing their large blocks after the plan's
	 * many small strings would make malloc consolidate all of those */
	arena_free(&plan->targets);
	arena_free(&plan->words);
	str_free(&plan->name);
	str_free(&plan->description);
	str_free(&plan->rootfs_path);
	plan_entry_clear(&plan->rootfs_fs);
	str_free(&plan->root_propagation);
	str_free(&plan->cwd);
	str_free(&plan->userns_uidmap);
	str_free(&plan->userns_gidmap);
	free(plan->userns_map);
	str_free(&plan->mount_label);
	for (size_t i = 0; i < plan->n_entries; i++)
		plan_entry_clear(&plan->entries[i]);
	free(plan->entries);
	arena_free(&plan->colds);
	for (size_t i = 0; i < plan->n_params; i++) {
		str_free(&plan->params[i].name);
		str_free(&plan->params[i].fallback);
		str_free(&plan->params[i].description);
		str_free(&plan->params[i].value);
	}
	free(plan->params);
	for (size_t i = 0; i < plan->n_substs; i++)
		free(plan->substs[i].note);
	free(plan->substs);
	free(plan);
}

/* Append a zeroed entry of kind at pos, numbered in written order. */
struct plan_entry *plan_add_entry(struct plan *plan, enum plan_kind kind,
				  struct plan_pos pos)
{
	struct plan_entry *e;

	plan->entries = xgrow(plan->entries, plan->n_entries, &plan->cap_entries,
			      sizeof(*plan->entries));
	e = &plan->entries[plan->n_entries];
	memset(e, 0, sizeof(*e));
	e->cold = arena_alloc(&plan->colds, sizeof(*e->cold));
	plan_cold_init(e->cold);
	if (kind != PLAN_MOUNT) {
		e->cold->node = arena_alloc(&plan->colds, sizeof(*e->cold->node));
		memset(e->cold->node, 0, sizeof(*e->cold->node));
	}
	e->kind = kind;
	e->cold->pos = pos;
	e->index = plan->n_entries++;
	e->target.pos = pos;
	return e;
}

/* Which entries compete for one target; see plan.h. */
int plan_target_class(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_MOUNT:
	case PLAN_DEVICE:
	case PLAN_SYMLINK:
		return 0;
	case PLAN_MASK:
		return 1;
	case PLAN_READONLY:
		return 2;
	case PLAN_KIND_MAX:
	default:
		break;
	}
	return 3;
}

/* A reference to at, seen from from; see plan.h. */
char *plan_pos_ref(struct plan_pos at, struct plan_pos from)
{
	if (at.file == from.file || (at.file && from.file && strcmp(at.file, from.file) == 0))
		return xasprintf("%u:%u", at.line, at.col);
	return xasprintf("%s:%u:%u", at.file ? at.file : "?", at.line, at.col);
}

/* Name of an entry kind as written in YAML. */
const char *plan_kind_section(enum plan_kind kind)
{
	switch (kind) {
	case PLAN_MOUNT:
		return "mounts";
	case PLAN_DEVICE:
		return "devices";
	case PLAN_SYMLINK:
		return "symlinks";
	case PLAN_MASK:
		return "masks";
	case PLAN_READONLY:
		return "readonly";
	case PLAN_KIND_MAX:
	default:
		break;
	}
	return "?";
}

/* Is name a valid plan name (plan.h)? */
bool plan_name_ok(const char *name)
{
	size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				"0123456789._-");
	return n >= 1 && n <= 64 && !name[n];
}

/* The settings override: [...] names; see plan.h. */
const char *const plan_setting_names[] = {
	"rootfs", "rootfs.path", "rootfs.type", "rootfs.source", "rootfs.options",
	"rootfs.allow_unknown_type", "rootfs.readonly", "rootfs.propagation",
	"rootfs.pivot", "process", "process.umask", "process.cwd", "process.init",
	"namespaces", "dev", "device-policy", "mount-label", NULL
};

/* Is key one of the rootfs keys that say what the root is? */
static bool root_key(const char *key)
{
	static const char *const keys[] = { "path", "type", "source", "options",
					     "allow_unknown_type", NULL };

	for (size_t i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* The setting id of a key; see plan.h. */
char *plan_setting_id(const char *section, const char *key)
{
	if (!section)
		return xstrdup(key);
	if (strcmp(section, "rootfs") == 0 && root_key(key))
		return xstrdup("rootfs.root");
	return xasprintf("%s.%s", section, key);
}

/* Does name cover id?  See plan.h. */
bool plan_setting_covers(const char *name, const char *id)
{
	size_t n = strlen(name);

	if (strcmp(name, id) == 0)
		return true;
	if (strncmp(id, name, n) == 0 && id[n] == '.') /* rootfs, process */
		return true;
	return strcmp(id, "rootfs.root") == 0 && strncmp(name, "rootfs.", 7) == 0 &&
	       root_key(name + 7);
}
