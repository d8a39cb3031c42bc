/*
 * node.h: the YAML node tree the loader builds and the shape check reads.
 *
 * One node per scalar, sequence and mapping, each with the 1-based line
 * and column where it starts (libyaml's mark + 1).  An alias is not a node
 * of its own: the alias's place points at the anchored node, which is then
 * shared, so a tree is really a DAG and is never expanded in memory.
 * Mapping keys are always plain or quoted scalars, and no mapping holds
 * two equal keys (the loader reports and drops the later one).
 *
 * A whole tree lives in one arena (a few large blocks), so building it
 * costs no malloc per node and node_free() of the root that load_file()
 * returned frees it at once.
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
	bool plain;        /* scalar written unquoted (so may be null, a boolean, a number) */
	bool aliased;      /* the root only: the document holds an alias (a node may have two parents) */
	uint32_t line, col; /* where the node starts, 1-based */
	uint32_t end_line; /* where it ends (a scalar: on line == end_line when on one line) */
	uint32_t weight;   /* nodes after alias expansion, itself included */
	union {
		struct {              /* NODE_SCALAR */
			char *text;   /* NUL-terminated (may also hold NULs: see len) */
			size_t len;   /* bytes in text */
		};
		struct {              /* NODE_SEQUENCE */
			struct node **items;
			size_t n_items;
		};
		struct {              /* NODE_MAPPING, in written order */
			struct node_pair *pairs;
			size_t n_pairs;
		};
	};
};

#endif
