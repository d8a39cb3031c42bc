/*
 * tests/exec/runc_nodes.h: the device nodes and symbolic links of
 * plans/runc-default.yaml's /dev, in the plan's order, for the two bench
 * references (naive.c, handwritten.c) that make them by hand.
 */
#ifndef RUNC_NODES_H
#define RUNC_NODES_H

static const struct { const char *path; unsigned major, minor; } runc_devices[] = {
	{ "/dev/null", 1, 3 },   { "/dev/random", 1, 8 }, { "/dev/full", 1, 7 },
	{ "/dev/tty", 5, 0 },    { "/dev/zero", 1, 5 },   { "/dev/urandom", 1, 9 },
};

static const struct { const char *path, *contents; } runc_links[] = {
	{ "/dev/ptmx", "pts/ptmx" },
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
	{ "/dev/core", "/proc/kcore" },
};

#endif
