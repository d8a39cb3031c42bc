/*
 * pipeline.c: the passes of passes.h strung together, for every command
 * that starts from a plan file: plan_from_file (load .. order) and
 * input_open (a .yaml compiled in memory from the bytes read once, or a
 * .mpb as is).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpb.h"
#include "params.h"
#include "passes.h"
#include "prog.h"
#include "util.h"

/* The sink's copy of the file name load_file registered last (it names
 * standard input its own way), or path. */
static const char *sink_name(const struct diag_sink *sink, const char *path)
{
	return sink->n_sources ? sink->sources[sink->n_sources - 1].file : path;
}

/* Shape (with values), normalize, validate, order the tree load_file or
 * load_buffer made of path; NULL when there is no plan. */
static struct plan *plan_from_tree(struct node *root, const char *path,
				   const struct plan_values *values,
				   struct diag_sink *sink)
{
	struct plan *plan;

	if (!root)
		return NULL;
	plan = compose_plan(root, path, sink_name(sink, path), values, sink);
	node_free(root);
	values_register(values, sink); /* after the plan: lint reads sources[0] */
	if (!plan)
		return NULL;
	normalize_plan(plan, sink);
	validate_plan(plan, sink);
	order_plan(plan);
	return plan;
}

/* Load, shape, normalize, validate, order; see passes.h. */
struct plan *plan_from_file(const char *path, const struct plan_values *values,
			    struct diag_sink *sink, int *io_error)
{
	int io = 0;
	struct node *root = load_file(path, false, sink, &io);

	if (io_error)
		*io_error = io ? 1 : 0;
	return plan_from_tree(root, path, values, sink);
}

/* Compile text (len bytes read from path; taken) in memory into *buf and
 * *len and open it; 0 or 1 as for input_open.  With keep, a plan made
 * is handed over in *keep (NULL when none), else freed. */
static int compile_in_memory(const char *path, char *text, size_t size,
			     const struct plan_values *values,
			     struct diag_sink *sink, uint8_t **buf, size_t *len,
			     struct mpb *mpb, struct plan **keep)
{
	int rc = 0;
	struct plan *plan = plan_from_tree(load_buffer(path, text, size, sink),
					   path, values, sink);
	struct mpb_error err;
	struct prog *prog;
	const char *file;

	if (keep)
		*keep = plan;
	if (!plan || diag_count_at_least(sink, DIAG_ERROR)) {
		if (!keep)
			plan_free(plan);
		return 1;
	}
	prog = lower_plan(plan);
	file = plan->file; /* the sink's */
	if (!keep) /* the .mpb reuses its memory instead of fresh pages */
		plan_free(plan);
	if (prog_serialize_unsummed(prog, buf, len) < 0) { /* for mpb_open_made */
		struct plan_pos pos = { file, 0, 0 };
		diag_error(sink, pos, "MP-LIMIT",
			   "the compiled plan would exceed the .mpb limits (%u ops, 64 MiB)",
			   MP_MAX_OPS);
		rc = 1;
	} else if (mpb_open_made(mpb, *buf, *len, &err) < 0) {
		struct plan_pos pos = { file, 0, 0 };
		diag_error(sink, pos, "MP-INTERNAL",
			   "the compiler made a plan its own decoder refuses: %s (op %ld)",
			   err.what, err.op);
		free(*buf);
		*buf = NULL;
		rc = 1;
	}
	prog_free(prog);
	free(prog);
	return rc;
}

/* Is path a regular file starting with the .mpb magic?  See passes.h. */
bool input_is_mpb(const char *path)
{
	char magic[MP_MAGIC_LEN];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	bool yes;

	if (fd < 0)
		return false;
	yes = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	      read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	      memcmp(magic, MP_MAGIC, MP_MAGIC_LEN) == 0;
	close(fd);
	return yes;
}

/* Open path as a compiled plan; see passes.h. */
int input_open(const char *path, const struct plan_values *values,
	       struct diag_sink *sink, uint8_t **buf, size_t *len, struct mpb *mpb)
{
	return input_open_plan(path, values, sink, buf, len, mpb, NULL);
}

/* Open path as a compiled plan, keeping the plan; see passes.h. */
int input_open_plan(const char *path, const struct plan_values *values,
		    struct diag_sink *sink, uint8_t **buf, size_t *len, struct mpb *mpb,
		    struct plan **plan)
{
	char *text;
	size_t size;
	const char *why = input_read(path, &text, &size);

	*buf = NULL;
	*len = 0;
	if (plan)
		*plan = NULL;
	if (why) {
		input_read_error(path, why);
		return 2;
	}
	return input_open_text(path, path, text, size, values, sink, buf, len, mpb, plan);
}

/* Read the whole of path ("-": standard input); see passes.h. */
const char *input_read(const char *path, char **text, size_t *size)
{
	const char *why;

	return input_file_read(path, INPUT_PIPES, MP_MAX_FILE_SIZE, text, size, &why) < 0 ?
		       why : NULL;
}

/* Say that path could not be read; see passes.h. */
void input_read_error(const char *path, const char *why)
{
	fprintf(stderr, "mountplan: %s: %s\n", path, why);
}

/* Open the bytes read from path as a compiled plan; see passes.h. */
int input_open_text(const char *path, const char *name, char *text, size_t size,
		    const struct plan_values *values, struct diag_sink *sink,
		    uint8_t **buf, size_t *len, struct mpb *mpb, struct plan **plan)
{
	uint8_t *data;
	struct mpb_error err;

	*buf = NULL;
	*len = 0;
	if (plan)
		*plan = NULL;
	if (size < MP_MAGIC_LEN || memcmp(text, MP_MAGIC, MP_MAGIC_LEN) != 0)
		return compile_in_memory(name, text, size, values, sink, buf, len, mpb, plan);
	data = (uint8_t *)text;
	if (mpb_open(mpb, data, size, &err) < 0) {
		struct plan_pos pos = { diag_add_source(sink, path, NULL, 0), 0, 0 };

		if (err.op >= 0)
			diag_error(sink, pos, "MP-MPB", "not a valid compiled plan: op %ld: %s",
				   err.op, err.what);
		else
			diag_error(sink, pos, "MP-MPB", "not a valid compiled plan: %s",
				   err.what);
		free(data);
		return 1;
	}
	*buf = data;
	*len = size;
	return 0;
}
