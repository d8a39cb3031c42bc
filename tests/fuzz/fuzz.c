/*
 * fuzz.c: helpers of the libFuzzer harnesses (fuzz.h).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "dump.h"
#include "fuzz.h"
#include "mpb.h"
#include "simulate.h"

/* Standard error as the process started, before libFuzzer's
 * -close_fd_mask=2 points fd 2 at /dev/null (after the constructors). */
static int fuzz_stderr = STDERR_FILENO;

/* Keep a copy of standard error for fuzz_property_failed. */
__attribute__((constructor)) static void fuzz_keep_stderr(void)
{
	int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

	if (fd >= 0)
		fuzz_stderr = fd;
}

/* Report a broken property and abort; see fuzz.h. */
void fuzz_property_failed(const char *what)
{
	dprintf(fuzz_stderr, "fuzz property failed: %s\n", what);
	abort();
}

/* Create f; see fuzz.h. */
void fuzz_file_init(struct fuzz_file *f, const char *name)
{
	if (f->path[0])
		return;
	f->fd = memfd_create(name, MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

/* Rewrite f; see fuzz.h. */
const char *fuzz_file_set(struct fuzz_file *f, const void *data, size_t size)
{
	if (ftruncate(f->fd, 0) < 0 ||
	    (size && pwrite(f->fd, data, size, 0) != (ssize_t)size)) {
		perror("memfd write");
		exit(1);
	}
	return f->path;
}

/* Standard output to /dev/null; see fuzz.h. */
void fuzz_quiet_stdout(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		perror("/dev/null");
		exit(1);
	}
	close(fd);
}

/* Split data at sep; see fuzz.h. */
void fuzz_split(const uint8_t *data, size_t size, const char *sep,
		size_t *a_len, const uint8_t **b, size_t *b_len)
{
	const uint8_t *at = size ? memmem(data, size, sep, strlen(sep)) : NULL;

	if (!at) {
		*a_len = size;
		*b = NULL;
		*b_len = 0;
		return;
	}
	*a_len = (size_t)(at - data);
	*b = at + strlen(sep);
	*b_len = size - *a_len - strlen(sep);
}

/* Run a command; see fuzz.h. */
int fuzz_command(int (*cmd)(int, char **), const char *const *argv)
{
	char *copy[16];
	int argc = 0, rc;

	while (argv[argc] && argc < 15) {
		copy[argc] = strdup(argv[argc]);
		argc++;
	}
	copy[argc] = NULL;
	optind = 0; /* getopt: a full restart, as in a new process */
	rc = cmd(argc, copy);
	fflush(stdout);
	for (int i = 0; i < argc; i++)
		free(copy[i]);
	return rc;
}

/* A stream to /dev/null; see fuzz.h. */
FILE *fuzz_devnull(void)
{
	static FILE *devnull;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return devnull;
}

/* Use an accepted plan; see fuzz.h. */
void fuzz_use_plan(const struct mpb *mpb)
{
	struct sim_table t;

	for (uint32_t i = 0; i < mpb->op_count; i++) {
		struct mp_op op;
		struct mp_srcpos pos;

		mpb_op(mpb, i, &op);
		mpb_srcpos(mpb, i, &pos);
		(void)mpb_str(mpb, pos.file);
	}
	dump_mpb(fuzz_devnull(), mpb, NULL);
	simulate_mpb(mpb, &t);
	sim_table_free(&t);
}
