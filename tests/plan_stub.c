/*
 * plan_stub.c: TEMPORARY stand-ins for the front end's plan.c, load.c and
 * shape.c until branch front is merged (then this file goes away).
 */
#include <stdlib.h>
#include "passes.h"
#include "util.h"

/* Free a plan_str's text. */
static void str_free(struct plan_str *s)
{
	free(s->text);
}

/* Free a plan and what it owns. */
void plan_free(struct plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n_entries; i++) {
		struct plan_entry *e = &plan->entries[i];
		str_free(&e->target);
		str_free(&e->type);
		str_free(&e->source);
		for (size_t k = 0; k < e->n_options; k++)
			str_free(&e->options[k]);
		free(e->options);
		str_free(&e->propagation);
		str_free(&e->uidmap);
		str_free(&e->gidmap);
		free(e->fs_data);
		free(e->idmap);
		str_free(&e->dev_type);
		str_free(&e->link);
		for (size_t k = 0; k < e->n_holes; k++)
			str_free(&e->holes[k].path);
		free(e->holes);
	}
	free(plan->entries);
	str_free(&plan->name);
	str_free(&plan->description);
	str_free(&plan->rootfs_path);
	str_free(&plan->root_propagation);
	str_free(&plan->cwd);
	free(plan);
}

/* Append a zeroed entry. */
struct plan_entry *plan_add_entry(struct plan *plan, enum plan_kind kind,
				  struct plan_pos pos)
{
	struct plan_entry *e;

	plan->entries = xreallocarray(plan->entries, plan->n_entries + 1,
				      sizeof(*plan->entries));
	e = &plan->entries[plan->n_entries];
	*e = (struct plan_entry){ 0 };
	e->kind = kind;
	e->pos = pos;
	e->index = plan->n_entries++;
	return e;
}

struct node *load_file(const char *path, struct diag_sink *sink, int *io_error)
{
	(void)path;
	(void)sink;
	*io_error = 1;
	return NULL;
}

void node_free(struct node *root)
{
	(void)root;
}

struct plan *check_shape(const struct node *root, const char *file,
			 struct diag_sink *sink)
{
	(void)root;
	(void)file;
	(void)sink;
	return NULL;
}
