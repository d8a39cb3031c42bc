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
 *
 * A node is a 16-byte header followed in the arena by what only its kind
 * needs: a scalar's text (NUL-terminated, right after the header), a
 * collection's pointer to its items or pairs (struct node_collection).
 * Read them with node_text(), node_items() and node_pairs().  A plan of
 * 200,000 entries has about 2.2 million nodes, four in five of them
 * scalars: 16 bytes and the text each (doc/performance.md, tenth round).
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

/* 16 bytes: the counts and lines are 32-bit, as a plan file is at most
 * 64 MiB, and so is a column (28 bits: up to 268 million). */
struct node {
	union {
		uint32_t len;      /* NODE_SCALAR: bytes in its text */
		uint32_t n_items;  /* NODE_SEQUENCE */
		uint32_t n_pairs;  /* NODE_MAPPING */
	};
	uint32_t line;     /* where the node starts, 1-based */
	uint32_t end_line; /* where it ends (a scalar: on line == end_line when on one line) */
	uint32_t col : 28; /* where the node starts, 1-based */
	enum node_kind kind : 2;
	bool plain : 1;    /* scalar written unquoted (so may be null, a boolean, a number) */
	bool aliased : 1;  /* the root only: the document holds an alias (a node may have two parents) */
};

/* A sequence or mapping: the header and where its children are (the
 * loader makes them in the arena when the collection ends). */
struct node_collection {
	struct node node;
	union {
		struct node **items;      /* NODE_SEQUENCE */
		struct node_pair *pairs;  /* NODE_MAPPING, in written order */
	};
};

/* A scalar's text: len bytes and a NUL (it may also hold NULs: see len),
 * stored right after its header.  n must be a NODE_SCALAR. */
static inline char *node_text(const struct node *n)
{
	return (char *)(n + 1);
}

/* A sequence's n_items items, in written order (NULL when it has none).
 * n must be a NODE_SEQUENCE. */
static inline struct node **node_items(const struct node *n)
{
	return ((const struct node_collection *)n)->items;
}

/* A mapping's n_pairs pairs, in written order (NULL when it has none).
 * n must be a NODE_MAPPING. */
static inline struct node_pair *node_pairs(const struct node *n)
{
	return ((const struct node_collection *)n)->pairs;
}

#endif
