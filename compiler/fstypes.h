/*
 * fstypes.h: which filesystem types exist, for MP-FSTYPE-UNKNOWN
 * (validate.c): a built-in list of the kernel's and FUSE's types, the
 * compiling host's /proc/filesystems, and libmount's pseudo and network
 * filesystems.
 */
#ifndef FSTYPES_H
#define FSTYPES_H

#include <stdbool.h>

/* Is type (a name the .mpb can carry) a filesystem type known to the
 * built-in list, this host's kernel or libmount ("fuse.NAME" is)? */
bool fstype_known(const char *type);

/* Is type a filesystem kept on a block device (or an image file), whose
 * source is therefore a path: ext4, xfs, squashfs ...?  A fixed list, so
 * that a plan compiles alike on every host. */
bool fstype_on_device(const char *type);

/* The known type closest to type, for "did you mean", or NULL. */
const char *fstype_closest(const char *type);

#endif
