/*
 * node.h: the YAML node tree the loader builds and the shape check reads.
 *
 * One node per scalar, sequence and mapping, each with the 1-based line
 * and column where it starts (libyaml's mark + 1).  An alias is not a node
 * of its own: the alias's place points at the anchored node, which is then
 * shared (refs counts the places), so a tree is really a DAG and is never
 * expanded in memory.  Mapping keys are always plain or quoted scalars,
 * and no mapping holds two equal keys (the loader reports and drops the
 * later one).
 */
#ifndef NODE_H
#define NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum node_kind {
	NODE_SCALAR,
	NODE_SEQUENCE,
	NODE_MAPPING,
	NODE_KIND_MAX
};

struct node;

/* One key: value pair of a mapping. */
struct node_pair {
	struct node *key;   /* always a NODE_SCALAR */
	struct node *value;
};

struct node {
	enum node_kind kind;
	uint32_t line, col;         /* where the node starts, 1-based */
	uint32_t end_line, end_col; /* just past its end, 1-based */
	unsigned refs;              /* places in the tree that hold it */
	uint64_t weight;            /* nodes after alias expansion, itself included */

	/* NODE_SCALAR */
	char *text;   /* NUL-terminated (may also hold NULs: see len) */
	size_t len;   /* bytes in text */
	bool plain;   /* written unquoted (so may be null, a boolean, a number) */

	/* NODE_SEQUENCE */
	struct node **items;
	size_t n_items;

	/* NODE_MAPPING, in written order */
	struct node_pair *pairs;
	size_t n_pairs;
};

#endif
