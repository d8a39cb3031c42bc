/*
 * oci.h: what OCI import and export share: reading a config's node tree
 * (config.json loaded with the plan loader: JSON is YAML).
 */
#ifndef OCI_H
#define OCI_H

#include <string.h>
#include "node.h"

/* The value of key in mapping n, or NULL (n may be NULL or no mapping). */
static inline const struct node *oci_get(const struct node *n, const char *key)
{
	if (!n || n->kind != NODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < n->n_pairs; i++)
		if (strcmp(n->pairs[i].key->text, key) == 0)
			return n->pairs[i].value;
	return NULL;
}

#endif
