/*
 * oci.h: what OCI import and export share: reading a config's node tree
 * (config.json loaded with the plan loader: JSON is YAML).
 */
#ifndef OCI_H
#define OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "node.h"

/* A device node runc makes in /dev by itself (unless /dev is a bind). */
struct oci_runc_device {
	const char *path;
	unsigned major, minor; /* char device, mode 0666, root:root */
};

/* A /dev symlink runc makes by itself. */
struct oci_runc_link {
	const char *path, *target;
	bool host_dependent; /* only where the host has the target (/dev/core) */
};

/* runc's defaults (libcontainer: specconv's default devices, rootfs's
 * setupDevSymlinks and setupPtmx); oci.c. */
extern const struct oci_runc_device oci_runc_devices[];
extern const size_t oci_n_runc_devices;
extern const struct oci_runc_link oci_runc_links[];
extern const size_t oci_n_runc_links;

/* The value of key in mapping n, or NULL (n may be NULL or no mapping). */
static inline const struct node *oci_get(const struct node *n, const char *key)
{
	if (!n || n->kind != NODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < n->n_pairs; i++)
		if (strcmp(node_text(node_pairs(n)[i].key), key) == 0)
			return node_pairs(n)[i].value;
	return NULL;
}

#endif
