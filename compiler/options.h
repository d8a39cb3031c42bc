/*
 * options.h: mount options as users write them for mount(8) and the OCI
 * spec, parsed into the op set's terms (doc/plan-format.md, "mounts").
 *
 * Words libmount knows (its MNT_LINUX_MAP: VFS flags, propagation, bind)
 * are looked up in libmount's own table; the OCI recursive variants are
 * "r" + one of those VFS flags; tmpcopyup and idmap/ridmap are ours; the
 * rest are filesystem parameters, checked against the parameters of the
 * filesystems whose parameters are known.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "plan.h"

/* Parse a mount entry's options, propagation key and uidmap/gidmap into
 * its normalized fields (is_bind, recursive, attr_set, attr_clr,
 * rattr_set, rattr_clr, attr_recursive, prop, fs_data, tmpcopyup, idmap;
 * none of them is read before), reporting each
 * problem at the option's position (MP-OPTION, MP-OPTION-CONFLICT,
 * MP-IDMAP) and marking the entry bad. */
void options_parse_mount(struct plan_entry *e, struct diag_sink *sink);

/* The length of the first option word of s: up to its first comma outside
 * double quotes, or its end (a quoted value holds commas: an SELinux
 * context="u:r:t:s0:c1,c2" is one word, as libmount, the kernel's SELinux
 * option parser and mountplan-exec read it).  *open_quote (may be NULL)
 * tells whether the word ends inside an unclosed double quote. */
size_t options_word_len(const char *s, bool *open_quote);

/* Is word one option that is filesystem data: not a mount flag (or its
 * recursive "r" form), propagation, bind word, nor one of ours
 * (tmpcopyup, idmap, ridmap, defaults)?  What a bind cannot take. */
bool options_is_fs_data(const char *word);

/* An id mapping as the plan writes it ("C:H:N C:H:N", up to 340 ranges)
 * in the op set's form ("C:H:N,C:H:N"), new; NULL with *why set when it
 * is not one. */
char *options_id_map(const char *text, const char **why);

/* The MP_PROP_* value of a propagation word ("rslave" ...) as libmount
 * knows it, or 0 when word is not one. */
uint32_t options_propagation(const char *word);

/* The propagation word of an MP_PROP_* value ("rslave"), or NULL. */
const char *options_propagation_name(uint32_t prop);

/* Write the names of the MP_ATTR_* bits in attrs ("ro,nosuid,noatime")
 * into buf (size n), comma-separated; an atime value of 0 is written as
 * "relatime" only when with_relatime is set. */
void options_attr_names(uint32_t attrs, int with_relatime, char *buf,
			size_t n);

#endif
