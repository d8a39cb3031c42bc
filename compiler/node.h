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

/* 32 bytes (a plan of 200,000 entries has about 2.9 million nodes):
 * the counts are 32-bit, as a plan file is at most 64 MiB. */
struct node {
	enum node_kind kind : 8;
	bool plain;        /* scalar written unquoted (so may be null, a boolean, a number) */
	bool aliased;      /* the root only: the document holds an alias (a node may have two parents) */
	uint32_t line, col; /* where the node starts, 1-based */
	uint32_t end_line; /* where it ends (a scalar: on line == end_line when on one line) */
	uint32_t weight;   /* nodes after alias expansion, itself included */
	union {
		uint32_t len;      /* NODE_SCALAR: bytes in text */
		uint32_t n_items;  /* NODE_SEQUENCE */
		uint32_t n_pairs;  /* NODE_MAPPING */
	};
	union {
		char *text;               /* NODE_SCALAR: NUL-terminated (may also hold NULs: see len) */
		struct node **items;      /* NODE_SEQUENCE */
		struct node_pair *pairs;  /* NODE_MAPPING, in written order */
	};
};

#endif
