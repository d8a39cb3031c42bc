/*
 * diff.h: what a change to a plan does to the container (`mountplan
 * diff`).
 *
 * A compiled plan becomes a list of items, one per thing the plan
 * decides: a mount (its op, with every operand as a named field: type,
 * source, options, attribute scope, propagation, each filesystem
 * parameter as data.KEY ...), a device, a symlink, a mask, a read-only
 * path (its writable holes), and the settings (name, rootfs.*,
 * process.*), which both sides always have.  Items are matched by
 * section, key (the path or setting) and occurrence; every op field is
 * in some item field, so "no change" holds exactly when the two op lists
 * and names are equal apart from source positions (an order-only
 * difference is reported as such).
 *
 * Whether a change weakens isolation is decided from the predicted
 * tables (simulate.h) of both sides, not from the words: a read-only,
 * nosuid, nodev or noexec that a path had and no longer has; plus what
 * only the ops say: attributes no longer recursive, a wider mode or a
 * lost sticky bit, a new device or wider device mode, a new or moved
 * host bind, propagation to shared, a mask or read-only path removed, a
 * new writable hole, a wider umask.
 *
 * diff.c builds and compares; diff_out.c prints; diff_cmd.c is the
 * command (inputs, plan-check findings, git).
 */
#ifndef DIFF_H
#define DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "mpb.h"
#include "simulate.h"

/* One named value of an item. */
struct diff_field {
	const char *name;  /* static, or owned when name_owned */
	const char *value; /* owned when value_owned, else static or the
			      plan's (its .mpb's, or the list's own) */
	bool name_owned, value_owned;
};

/* Where an item came from in its plan. */
struct diff_pos {
	const char *file; /* NULL: nowhere (a default setting) */
	uint32_t line, col;
};

/* One thing in a container that a plan decides. */
struct diff_item {
	const char *section;       /* "mount", "device", "symlink", "mask",
				      "readonly", "setattr", "setting" */
	const char *key;           /* path, or a setting's name (owned when
				      key_owned, else as a field's value) */
	bool key_owned;
	unsigned occurrence;       /* k-th item with this section and key */
	struct diff_field *fields; /* in a fixed order per section: the
				      list's (diff.c), or malloc'd when
				      fields_owned */
	size_t n_fields, cap_fields;
	bool fields_owned;
	struct diff_pos pos;
	uint32_t op;               /* index of its (first) op; UINT32_MAX: none */
	struct diff_item *peer;    /* the same item in the other plan */
};

/* The items of one plan, and its predicted table (simulate.h). */
struct diff_index; /* diff.c's: the items by section and key, the
		     table's paths */
struct diff_list {
	struct diff_item *items;
	size_t n, cap;
	bool empty_plan; /* /dev/null: no plan (git's added or deleted file) */
	struct sim_table table; /* empty for the empty plan */
	struct diff_index *index;
};

/* Added, removed, changed; an effect on the container no item shows
 * (a path that loses attributes); op order alone. */
enum diff_sign { DIFF_ADDED = '+', DIFF_REMOVED = '-', DIFF_CHANGED = '~',
		 DIFF_EFFECT = '!', DIFF_ORDER = '=' };

/* One change found. */
struct diff_change {
	enum diff_sign sign;
	const struct diff_item *old, *new; /* NULL on the side without it */
	char *effect_path;                 /* DIFF_EFFECT: the path;
					      DIFF_ORDER: the first op apart */
	char **weakens;                    /* reasons, malloc'd */
	size_t n_weakens;
};

/* Every change between two plans, and the plan-check findings the new
 * side has that the old did not (introduced) and the reverse (resolved). */
struct diff_result {
	struct diff_change *changes;
	size_t n;
	struct diag_sink introduced, resolved;
	bool findings_compared; /* both sides were plans (not .mpb) */
};

/* The items and predicted table of a checked compiled plan (mpb NULL:
 * the empty plan); the items point into mpb's strings, so mpb outlives
 * l.  Touches nothing but l and mpb: the two sides of a diff are built
 * at once, on two threads. */
void diff_plan_items(struct diff_list *l, const struct mpb *mpb);

/* diff_plan_items in three steps: begin (l set up for mpb's items, none
 * made), then the items and the table, in either order or at once on
 * two threads (each writes its own part of l and reads mpb). */
void diff_list_begin(struct diff_list *l, const struct mpb *mpb);
void diff_list_items(struct diff_list *l, const struct mpb *mpb);
void diff_list_table(struct diff_list *l, const struct mpb *mpb);

/* Free the items of l. */
void diff_list_free(struct diff_list *l);

/* Compare old with new (items and tables from diff_plan_items over
 * mpb_old and mpb_new, either NULL for the empty plan) into r
 * (initialized here; free with diff_result_free).  Findings are left
 * empty. */
void diff_compare(struct diff_list *old, struct diff_list *new,
		  const struct mpb *mpb_old, const struct mpb *mpb_new,
		  struct diff_result *r);

/* Are the op lists of two checked compiled plans and their names the
 * same, apart from source positions?  Then diff_compare finds no change
 * (every item and the predicted tables are made from the ops and the
 * name alone), and the items need not be made: linear, no allocation. */
bool diff_same_plans(const struct mpb *a, const struct mpb *b);

/* Initialize r as a result with no change (diff_result_free frees it). */
void diff_result_init(struct diff_result *r);

/* Match the findings of the old and new plans (by rule ID and message,
 * positions aside) into r->introduced (only new has them) and
 * r->resolved (only old); sets r->findings_compared. */
void diff_findings(const struct diag_sink *old, const struct diag_sink *new,
		   struct diff_result *r);

/* Free what r owns. */
void diff_result_free(struct diff_result *r);

/* How many changes of r weaken isolation (introduced findings count). */
size_t diff_weakening_count(const struct diff_result *r);

/* The value of field name of it, or NULL. */
const char *diff_field_value(const struct diff_item *it, const char *name);

/* Printers (diff_out.c): the changes and findings of r, labelled with
 * the two plans' names as given. */
void diff_print_text(FILE *out, const struct diff_result *r);
void diff_print_json(FILE *out, const struct diff_result *r);
void diff_print_markdown(FILE *out, const struct diff_result *r,
			 const char *old_label, const char *new_label);
void diff_print_sarif(FILE *out, const struct diff_result *r);

#endif
