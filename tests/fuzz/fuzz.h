/*
 * fuzz.h: what the libFuzzer harnesses of tests/fuzz/ share (doc/fuzzing.md).
 *
 * The harnesses drive the compiler through its public entry points
 * (input_open, the cmd_* commands, mpb_open), which read files: an input
 * is handed over as a memfd named by its /proc/self/fd path, rewritten
 * for each run, so nothing touches the disk.  Standard output goes to
 * /dev/null (run with -close_fd_mask=2 to silence the diagnostics too).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct mpb;

/* libFuzzer's entry points, which each harness defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd that holds one input file, and its path. */
struct fuzz_file {
	int fd;
	char path[32];
};

/* Create f (named name) on the first call; exits on failure. */
void fuzz_file_init(struct fuzz_file *f, const char *name);

/* Make f hold exactly size bytes of data; returns f->path. */
const char *fuzz_file_set(struct fuzz_file *f, const void *data, size_t size);

/* Standard output to /dev/null from now on (the commands print). */
void fuzz_quiet_stdout(void);

/* Split data at the first sep (not found: *a_len = size, *b = NULL). */
void fuzz_split(const uint8_t *data, size_t size, const char *sep,
		size_t *a_len, const uint8_t **b, size_t *b_len);

/* Use every part of a plan the decoder accepted: each op and source
 * position decoded, the plan dumped (to /dev/null) and simulated. */
void fuzz_use_plan(const struct mpb *mpb);

/* A stream to /dev/null, opened once. */
FILE *fuzz_devnull(void);

/* Run a mountplan command (argv NULL-terminated) as the CLI would;
 * its exit status. */
int fuzz_command(int (*cmd)(int, char **), const char *const *argv);

/* Print "fuzz property failed: what" where libFuzzer reports (standard
 * error as the harness started: -close_fd_mask=2 silences the one the
 * commands see) and abort, a finding. */
__attribute__((noreturn)) void fuzz_property_failed(const char *what);

/* Stop the run with a finding: a property that must hold did not. */
#define FUZZ_ASSERT(cond, what) \
	do { if (!(cond)) fuzz_property_failed(what); } while (0)

#endif
