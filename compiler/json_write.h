/*
 * json_write.h: the few pieces of JSON output the commands share
 * (diagnostics, SARIF, table, diff, verify, export-oci).
 */
#ifndef JSON_WRITE_H
#define JSON_WRITE_H

#include <stdio.h>

/* Write s as a JSON string (NULL: null), escaping what JSON requires. */
void json_string(FILE *out, const char *s);

#endif
