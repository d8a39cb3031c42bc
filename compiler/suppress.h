/*
 * suppress.h: which plan-check findings an operator has decided to
 * accept (doc/plan-check.1, "Suppressions").
 *
 *   - the catalogue's defaults (rules.h), then the config file
 *     (.plan-check.yaml, or --config FILE), then --disable/--enable ID;
 *   - inline, per finding: `# plan-check: disable=ID[,ID] reason` on the
 *     finding's line, or alone on the line above it.
 *
 * A suppression without a reason is itself a finding (PC-SUPPRESS-NO-REASON),
 * one naming an ID that is not a plan-check rule does nothing and says
 * so (PC-SUPPRESS-UNKNOWN), and so does one that matches no finding
 * (PC-SUPPRESS-UNUSED).  Compiler errors cannot be suppressed.
 */
#ifndef SUPPRESS_H
#define SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

/* Run-wide settings: the rules on, and a threshold from the config. */
struct suppress {
	bool *enabled;  /* one flag per rules[] entry */
	int threshold;  /* enum diag_severity from the config, or -1 */
};

/* Start from the catalogue's defaults. */
void suppress_init(struct suppress *s);

/* Free what s owns. */
void suppress_free(struct suppress *s);

/* --enable/--disable ID: returns 0, or -1 when id is not a plan-check
 * rule. */
int suppress_set(struct suppress *s, const char *id, bool on);

/* The severity named name ("note", "warning", "error": a threshold, in
 * the config or on the command line), or -1. */
int suppress_severity(const char *name);

/* Read the config file path into s; problems in it are findings in sink
 * at their position (registered as a source).  found: path was not named
 * by the user but found in the working directory, so a symbolic link
 * there is not followed (an untrusted checkout's link would show another
 * file's lines in the messages).  Returns 0, or -1 on an I/O error
 * (printed to stderr). */
int suppress_load_config(struct suppress *s, const char *path, bool found,
			 struct diag_sink *sink);

/* The inline suppressions of one plan file. */
struct suppress_file;

/* Scan text (a plan file registered as file) for inline suppressions,
 * reporting the ones without a reason or with an unknown ID into sink. */
struct suppress_file *suppress_scan(const char *file, const char *text,
				    size_t len, struct diag_sink *sink);

/* Make lines first..last of f's file one block (the rootfs: mapping): a
 * suppression on any of its lines, or alone on the line above it, covers
 * a finding on any of its lines (a rootfs setting is reported at the
 * rootfs key or at the setting).  f may be NULL. */
void suppress_file_block(struct suppress_file *f, uint32_t first, uint32_t last);

/* Free a scan; NULL is fine. */
void suppress_file_free(struct suppress_file *f);

/* Should finding d be dropped: an inline suppression in f (may be NULL)
 * covers it (which marks that suppression used), or its rule is off?
 * Compiler diagnostics are never dropped. */
bool suppress_drops(const struct suppress *s, struct suppress_file *f,
		    const struct diag *d);

/* Report each inline suppression ID of f that dropped no finding
 * (PC-SUPPRESS-UNUSED) into sink, positioned in file. */
void suppress_report_unused(const struct suppress_file *f, const char *file,
			    struct diag_sink *sink);

#endif
