/*
 * oci.c: the /dev nodes and links runc makes by itself (oci.h), which
 * import-oci writes into a plan and export-oci leaves out of a config.
 */
#include "oci.h"

const struct oci_runc_device oci_runc_devices[] = {
	{ "/dev/null", 1, 3 },    { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
	{ "/dev/random", 1, 8 },  { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};
const size_t oci_n_runc_devices = sizeof oci_runc_devices / sizeof oci_runc_devices[0];

const struct oci_runc_link oci_runc_links[] = {
	{ "/dev/fd", "/proc/self/fd", false },
	{ "/dev/stdin", "/proc/self/fd/0", false },
	{ "/dev/stdout", "/proc/self/fd/1", false },
	{ "/dev/stderr", "/proc/self/fd/2", false },
	{ "/dev/ptmx", "pts/ptmx", false },
	{ "/dev/core", "/proc/kcore", true },
};
const size_t oci_n_runc_links = sizeof oci_runc_links / sizeof oci_runc_links[0];
