/*
 * sarif.h: plan-check's findings as a SARIF 2.1.0 log, for code-scanning
 * tools (GitHub code scanning, review bots).
 */
#ifndef SARIF_H
#define SARIF_H

#include <stdio.h>
#include "diag.h"

/* Print sink's diagnostics to out as one SARIF 2.1.0 run: tool.driver
 * holds every rule of the catalogue (and each compiler ID that occurs)
 * with its help text and doc page; each result names its rule, level,
 * message and location (file, line, column). */
void sarif_print(const struct diag_sink *sink, FILE *out);

#endif
