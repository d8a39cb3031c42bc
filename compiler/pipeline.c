/*
 * pipeline.c: the passes of passes.h strung together, for every command
 * that starts from a plan file: plan_from_file (load .. order) and
 * input_open (a .yaml compiled in memory, or a .mpb as is).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "mpb.h"
#include "passes.h"
#include "prog.h"
#include "util.h"

/* The sink's copy of the file name load_file registered last (it names
 * standard input its own way), or path. */
static const char *sink_name(const struct diag_sink *sink, const char *path)
{
	return sink->n_sources ? sink->sources[sink->n_sources - 1].file : path;
}

/* Load, shape, normalize, validate, order; see passes.h. */
struct plan *plan_from_file(const char *path, struct diag_sink *sink,
			    int *io_error)
{
	int io = 0;
	struct node *root = load_file(path, sink, &io);
	struct plan *plan;

	if (io_error)
		*io_error = io ? 1 : 0;
	if (!root)
		return NULL;
	plan = check_shape(root, sink_name(sink, path), sink);
	node_free(root);
	if (!plan)
		return NULL;
	normalize_plan(plan, sink);
	validate_plan(plan, sink);
	order_plan(plan);
	return plan;
}

/* Read all of fd into a new buffer (at most limit + 1 bytes, so a caller
 * can tell "too large"); 0 or -1 with errno. */
static int read_fd(int fd, size_t limit, uint8_t **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	uint8_t *p = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > limit) {
				break;
			}
			cap *= 2;
			p = xreallocarray(p, cap, 1);
		}
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(p);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = p;
	*len = n;
	return 0;
}

/* Make standard input read buf again from its start (it has been read
 * whole to look for the .mpb magic), through a memfd. */
static int replay_stdin(const uint8_t *buf, size_t len)
{
	int fd = memfd_create("mountplan-stdin", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, STDIN_FILENO) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	clearerr(stdin);
	return 0;
}

/* Compile path in memory into *buf and *len and open it; 0, 1 or 2 as for
 * input_open. */
static int compile_in_memory(const char *path, struct diag_sink *sink,
			     uint8_t **buf, size_t *len, struct mpb *mpb)
{
	int io = 0, rc = 0;
	struct plan *plan = plan_from_file(path, sink, &io);
	struct mpb_error err;
	struct prog *prog;

	if (io) {
		diag_print(sink, stderr, DIAG_TEXT);
		plan_free(plan);
		return 2;
	}
	if (!plan || diag_count_at_least(sink, DIAG_ERROR)) {
		plan_free(plan);
		return 1;
	}
	prog = lower_plan(plan);
	if (prog_serialize(prog, buf, len) < 0) {
		struct plan_pos pos = { plan->file, 0, 0 };
		diag_error(sink, pos, "MP-LIMIT",
			   "the compiled plan would exceed the .mpb limits (%u ops, 64 MiB)",
			   MP_MAX_OPS);
		rc = 1;
	} else if (mpb_open(mpb, *buf, *len, &err) < 0) {
		struct plan_pos pos = { plan->file, 0, 0 };
		diag_error(sink, pos, "MP-INTERNAL",
			   "the compiler made a plan its own decoder refuses: %s (op %ld)",
			   err.what, err.op);
		free(*buf);
		*buf = NULL;
		rc = 1;
	}
	prog_free(prog);
	free(prog);
	plan_free(plan);
	return rc;
}

/* Open path as a compiled plan; see passes.h. */
int input_open(const char *path, struct diag_sink *sink, uint8_t **buf,
	       size_t *len, struct mpb *mpb)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *data;
	size_t size;
	struct mpb_error err;

	*buf = NULL;
	*len = 0;
	if (fd < 0 || read_fd(fd, MP_MAX_FILE_SIZE, &data, &size) < 0) {
		fprintf(stderr, "mountplan: %s: %s\n", path, strerror(errno));
		if (fd >= 0 && !is_stdin)
			close(fd);
		return 2;
	}
	if (!is_stdin)
		close(fd);
	if (size < MP_MAGIC_LEN || memcmp(data, MP_MAGIC, MP_MAGIC_LEN) != 0) {
		if (is_stdin && replay_stdin(data, size) < 0) {
			fprintf(stderr, "mountplan: cannot re-read standard input: %s\n",
				strerror(errno));
			free(data);
			return 2;
		}
		free(data);
		return compile_in_memory(path, sink, buf, len, mpb);
	}
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
