/*
 * plan_fixture.h: plans built in C for the back-end Check tests, as
 * check_shape would build them from YAML.  Entry k (0-based, written
 * order) sits at line k + 10, column 5; its option j at column 20 + 10*j.
 */
#ifndef PLAN_FIXTURE_H
#define PLAN_FIXTURE_H

#include <stdbool.h>
#include <check.h>
#include "diag.h"
#include "plan.h"

#define FX_FILE "test.yaml"
#define FX_LINE(k) ((uint32_t)(k) + 10) /* line of entry k */

/* A new plan "test" (format 1) in FX_FILE with no entries. */
struct plan *fx_plan(void);

/* Append a mount; source and options (comma-separated, one option each)
 * may be NULL. */
struct plan_entry *fx_mount(struct plan *plan, const char *target,
			    const char *type, const char *source,
			    const char *options);

/* Append a device of type ("c", "b", "p"); major or minor < 0: absent. */
struct plan_entry *fx_device(struct plan *plan, const char *path,
			     const char *type, int major, int minor);

/* Append a symlink path -> link. */
struct plan_entry *fx_symlink(struct plan *plan, const char *path,
			      const char *link);

/* Append a mask. */
struct plan_entry *fx_mask(struct plan *plan, const char *path);

/* Append a read-only path with writable holes (NULL-terminated list). */
struct plan_entry *fx_readonly(struct plan *plan, const char *path, ...);

/* A test case name added to suite s whose every test starts with *plan a
 * fresh fx_plan() and *sink empty, and frees both when it ends. */
TCase *fx_tcase(Suite *s, const char *name, struct plan **plan,
		struct diag_sink *sink);

/* In a test of fx_tcase's: free its plan and sink and start again with
 * a fresh plan and an empty sink. */
void fx_restart(void);

/* A string value owned by the plan, at line:col of FX_FILE. */
struct plan_str fx_str(const char *text, uint32_t line, uint32_t col);

/* normalize_plan then validate_plan into sink (initialized here). */
void fx_check(struct plan *plan, struct diag_sink *sink);

/* How many diagnostics with id the sink holds (at line, or anywhere for
 * line 0). */
size_t fx_count(const struct diag_sink *sink, const char *id, uint32_t line);

/* The index in plan->entries of the entry with target path and kind. */
size_t fx_find(const struct plan *plan, enum plan_kind kind, const char *path);

#endif
