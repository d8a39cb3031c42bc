/*
 * passes.h: the compiler pipeline, one entry point per pass, in order.
 *
 *   load      YAML file -> node tree (libyaml; positions, limits, UTF-8,
 *             duplicate keys, one document)                     load.c
 *   compose   the plan's include: files loaded, every file
 *             shaped into one plan, overrides applied           include.c
 *   shape     node tree -> struct plan (known keys, types,
 *             required fields, ranges, "did you mean";
 *             parameters substituted, params.c)                 shape.c
 *   normalize paths, dev shorthand, options via libmount        normalize.c
 *   validate  rules over the whole plan (duplicates, hidden
 *             entries, symlink parents, /proc allow list ...)   validate.c
 *   order     parents first, written order otherwise, phases   order.c
 *   lower     plan -> op program (struct prog)                  lower.c
 *   emit      program -> .mpb bytes -> temp file + rename       emit.c
 *
 * Every pass reports into the sink and keeps going, so one run shows every
 * error in a file; an entry with an error is marked bad and later passes
 * skip it.  The driver (main.c) stops before lower when any error exists.
 */
#ifndef PASSES_H
#define PASSES_H

#include "diag.h"
#include "plan.h"
#include <stddef.h>
#include <stdint.h>

struct node;
struct prog;
struct plan_values;

/* Limits on input (doc/plan-format.md, "Limits"). */
#define PLAN_MAX_FILE_SIZE (64u << 20) /* bytes of YAML */
#define PLAN_MAX_DEPTH 64              /* nesting of collections */
#define PLAN_MAX_NODES 4000000u        /* nodes after alias expansion */
#define PLAN_MAX_ALIASES 1000u         /* alias uses per document */
#define PLAN_MAX_INCLUDE_DEPTH 8       /* include: nesting */
#define PLAN_MAX_INCLUDES 64           /* files in one plan */

/* Read path ("-": stdin) and parse it into a node tree; registers the text
 * with the sink.  Read with input_file_read (util.h): a regular file, or unless
 * only_regular (an included file) also standard input, a pipe or FIFO;
 * a directory, a device, a file of /proc or /sys is refused (I/O error)
 * before a byte is read.  Returns NULL after reporting when there is no
 * usable tree (I/O error: *io_error set, the reason on stderr; syntax
 * error, empty file, several documents, limits). */
struct node *load_file(const char *path, bool only_regular, struct diag_sink *sink,
		       int *io_error);

/* Parse text (len bytes and a NUL, malloc'd, read from path; "-": stdin)
 * into a node tree as load_file does, the size limit included; takes
 * text (the sink keeps it, or it is freed). */
struct node *load_buffer(const char *path, char *text, size_t len,
		       struct diag_sink *sink);

/* Free a node tree. */
void node_free(struct node *root);

/* Free (some of) the nodes of root's tree that the loader made after
 * node `after` and before node `before`: the whole blocks of its arena
 * that hold nothing else.  Nothing when the document holds an alias (a
 * node made there may be the value of one made later).  The loader makes
 * nodes in document order, a collection before what it holds (and its
 * list of children after), so between a sequence and its item i lie
 * only items 0 .. i-1 and what they hold: shape_body frees those of a
 * section's items once it has read them, so that the plan it builds
 * reuses their memory (the tree of a 200,000-entry plan is about
 * 75 MB).  node_free(root) frees the rest.  Returns the bytes freed. */
size_t node_free_between(const struct node *root, const struct node *after,
			 const struct node *before);

/* A new plan with every default, for the top file whose tree is root
 * (the ops a plan implies sit at root's first key); NULL after reporting
 * when root is not a mapping. */
struct plan *shape_new_plan(const struct node *root, const char *file,
			    struct diag_sink *sink);

/* The head of one file of plan: its mountplan: (returned; 0 when missing
 * or bad), its parameters: (appended to plan->params, values settled from
 * values) and, in a version-2 file, the value of include: (*include; NULL
 * when none).  The top file first. */
uint32_t shape_head(struct plan *plan, const struct node *root, const char *file,
		    const struct plan_values *values, struct diag_sink *sink,
		    const struct node **include);

/* The rest of one file of plan (after every file's head), read as format
 * version: settings (a later file's replace an earlier one's, key by key)
 * and entries, appended in written order.  The items of root's sections
 * are freed as they are read (node_free_between): afterwards only root's
 * top level may be read (its keys, and what they hold but the sections'
 * items) before node_free(root). */
void shape_body(struct plan *plan, const struct node *root, const char *file,
		uint32_t version, const struct plan_values *values,
		struct diag_sink *sink);

/* After every body: each --set names a parameter, devices without a
 * policy take the plan's device-policy. */
void shape_finish(struct plan *plan, const struct plan_values *values,
		  struct diag_sink *sink);

/* Load the files root (read from path, named file in the sink) includes,
 * shape all of them into one plan and apply the overrides (include.c;
 * doc/plan-format.md, "include").  Returns the plan (with errors in sink),
 * or NULL when root is not a plan. */
struct plan *compose_plan(const struct node *root, const char *path,
			  const char *file, const struct plan_values *values,
			  struct diag_sink *sink);

/* Build the plan from the tree, reporting every shape error; a version-2
 * plan's ${name} references are expanded with values (params.h; NULL:
 * none given).  Returns a plan (entries with errors marked bad), or NULL
 * when the top level is not a mapping. */
struct plan *check_shape(const struct node *root, const char *file,
			 const struct plan_values *values, struct diag_sink *sink);

/* Clean paths, expand dev: standard, parse options with libmount. */
void normalize_plan(struct plan *plan, struct diag_sink *sink);

/* Run the validation rules over the whole plan. */
void validate_plan(struct plan *plan, struct diag_sink *sink);

/* Reorder plan->entries: parents before children, written order kept
 * among unrelated entries, phases (mounts, devices and links, masks and
 * read-only paths) respected. */
void order_plan(struct plan *plan);

/* Lower a valid, ordered plan to an op program (never fails). */
struct prog *lower_plan(const struct plan *plan);

/* The read-only paths lower_plan folds into the bind at their target
 * (doc/plan-format.md, "Read-only paths"): fold[i] is, for entry i of an
 * ordered plan, 1 + the index of the entry it is one op with (the bind
 * for a read-only path, the read-only path for a bind), or 0.  Free it. */
size_t *lower_folds(const struct plan *plan);

/* Write prog as an .mpb to out ("-": stdout) through a temporary file in
 * the same directory and rename (as emit_file); returns 0, or -1 after printing an I/O
 * error (no output file created or changed). */
int emit_mpb(const struct prog *prog, const char *out);

/* Write the len bytes of buf to out ("-": stdout) the same way: replaced
 * whole or not at all; an existing out that is no regular file (a FIFO,
 * /dev/null) is written into instead, never replaced.  0, or -1 after
 * printing an I/O error. */
int emit_file(const char *out, const void *buf, size_t len);

/* The front half of the pipeline on one file: load, shape (with values:
 * --set and values files, or NULL), normalize, validate, order
 * (pipeline.c).  Returns the plan, or NULL when there is none (errors in
 * sink; *io_error set to 1 on an I/O error).  The plan may hold errors:
 * check diag_count_at_least(sink, DIAG_ERROR). */
struct plan *plan_from_file(const char *path, const struct plan_values *values,
			    struct diag_sink *sink, int *io_error);

struct mpb;

/* Open path as a compiled plan (pipeline.c): a file whose first bytes are
 * the .mpb magic is read and checked as is; anything else is compiled in
 * memory (plan_from_file with values, lower, serialize).  On success returns 0 with
 * *buf (malloc'd, caller frees) holding the bytes and *mpb opened over
 * them.  Returns 1 when the plan has errors (in sink, not yet printed) or
 * the .mpb is malformed (reported in sink at line 0), 2 on I/O error
 * (printed to stderr).  Read with input_file_read (util.h): a regular file,
 * "-", a pipe or FIFO; a directory or device is refused. */
int input_open(const char *path, const struct plan_values *values,
	       struct diag_sink *sink, uint8_t **buf, size_t *len, struct mpb *mpb);

/* input_open, also handing over in *plan (caller frees with plan_free)
 * the plan a .yaml was compiled from, errors or not; NULL for an .mpb
 * or when no plan was made.  For reading it again without a second
 * parse (diff's plan-check). */
int input_open_plan(const char *path, const struct plan_values *values,
		    struct diag_sink *sink, uint8_t **buf, size_t *len, struct mpb *mpb,
		    struct plan **plan);

/* The whole of path ("-": standard input) in *text (malloc'd, caller
 * frees; *size bytes), read with input_file_read (util.h: a regular
 * file, "-", a pipe or FIFO; a directory or device refused): NULL, or
 * why it could not be read (nothing printed: see input_read_error). */
const char *input_read(const char *path, char **text, size_t *size);

/* Print to stderr that path could not be read (why), as input_open
 * does. */
void input_read_error(const char *path, const char *why);

/* input_open_plan on text (size bytes read from path by input_read;
 * taken), a plan compiled as if it were the file name (diagnostics name
 * it; its include: paths are relative to name's directory): git's
 * external diff gets a plan's old version as a temporary file, whose
 * includes are the repository's, beside name.  Returns 0 or 1 as
 * input_open.  Touches no state but its arguments' (diff compiles two
 * plans at once, on two threads). */
int input_open_text(const char *path, const char *name, char *text, size_t size,
		    const struct plan_values *values, struct diag_sink *sink,
		    uint8_t **buf, size_t *len, struct mpb *mpb, struct plan **plan);

/* Is path a regular file that starts with the .mpb magic?  Opened
 * without blocking; a pipe or FIFO is never sniffed (that would eat what
 * the real read needs): false. */
bool input_is_mpb(const char *path);

#endif
