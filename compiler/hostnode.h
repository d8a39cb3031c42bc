/*
 * hostnode.h: the host nodes a like-host device (v2) names, read as
 * mountplan-exec reads them (executor/hostdev.c), for the commands that
 * look at this host: verify --nodes, export-oci.
 */
#ifndef HOSTNODE_H
#define HOSTNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One host node as the executor would see it. */
struct host_node {
	char *path;          /* the host path (malloc'd) */
	const char *name;    /* its last component (in path) */
	uint32_t type;       /* MP_IFCHR or MP_IFBLK (when not refused) */
	uint32_t perm;       /* the host's permission bits */
	dev_t rdev;
	const char *refused; /* why the executor refuses it (it cannot make
				this node), static text; NULL: usable */
};

/* The host nodes like-host source names (*n of them, malloc'd; NULL
 * when none): the node itself, or with glob each entry of the fixed
 * directory whose name matches the last component (mp_glob_match, in
 * name order).  Read as the executor reads them: no symlink followed in
 * any component, only a character or block device without setuid or
 * setgid bits is usable, each other one has its reason in refused.
 * *why: when the executor's whole op fails here whatever the nodes (a
 * glob's directory missing or reached through a symlink, more than
 * MP_MAX_GLOB matches), its reason; else NULL. */
struct host_node *host_nodes_read(const char *source, bool glob, size_t *n,
				  const char **why);

/* Does like-host glob pattern (an absolute path whose last component is
 * a pattern) name path: the same directory and a last component that
 * mp_glob_match takes? */
bool host_glob_names(const char *pattern, const char *path);

/* Can one directory entry name match both patterns a and b (last
 * components of like-host globs, mp_glob_match's language, each `[`
 * closed)?  Decided on the patterns, not on a host. */
bool host_globs_meet(const char *a, const char *b);

/* Free what host_nodes_read returned. */
void host_nodes_free(struct host_node *v, size_t n);

#endif
