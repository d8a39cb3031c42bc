/*
 * json_write.h: strings in the commands' output.  JSON strings (for
 * diagnostics, SARIF, table, diff, verify, export-oci) always make valid
 * JSON; text strings never break a line or reach the terminal as a control
 * character, whatever a plan, config or mount table held.
 */
#ifndef JSON_WRITE_H
#define JSON_WRITE_H

#include <stdio.h>
#include <stdlib.h>

/* Write s as a JSON string (NULL: null), escaping what JSON requires;
 * each byte that is not part of valid UTF-8 becomes U+FFFD. */
void json_string(FILE *out, const char *s);

/* Write s (NULL: nothing) for a one-line text report: backslash, C0 and
 * C1 control characters, DEL and U+2028/U+2029 escaped (\\, \n, \t, \xHH,
 * \uHHHH), as is each byte that is not valid UTF-8 (\xHH); other text as
 * it is. */
void text_string(FILE *out, const char *s);

/* Write the character at s (left >= 1 bytes) as text_string does; its
 * bytes in *used; returns the columns written (1 for a character shown as
 * it is). */
size_t text_char(FILE *out, const char *s, size_t left, size_t *used);

/* s escaped as by text_string, as a new string (caller frees). */
char *text_escaped(const char *s);

#endif
