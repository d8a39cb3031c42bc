/*
 * main.c: the mountplan driver.  `mountplan CMD ARGS...` runs one
 * subcommand (commands.h); installed as `plan-check` it is `mountplan check`.
 */
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "config.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{ "compile", cmd_compile, "PLAN.yaml [-o OUT.mpb]   validate and write the compiled plan" },
	{ "dump", cmd_dump, "PLAN.yaml|PLAN.mpb       the op list, one line per op" },
	{ "check", cmd_check, "PLAN.yaml...             lint (also installed as plan-check)" },
	{ "explain", cmd_explain, "ID                       the documentation of a rule or diagnostic" },
	{ "table", cmd_table, "PLAN                     the mount table the plan will produce" },
	{ "verify", cmd_verify, "PLAN MOUNTINFO           compare the prediction with a real mountinfo" },
	{ "diff", cmd_diff, "OLD NEW                  what a change does to the container" },
	{ "import-oci", cmd_import_oci, "config.json              write a plan from an OCI runtime config" },
	{ "export-oci", cmd_export_oci, "PLAN [--base config.json] write the plan as OCI config fields" },
};

/* Print the usage summary to out. */
static void usage(FILE *out)
{
	fprintf(out, "Usage: mountplan COMMAND [ARGS...]\n"
		     "       mountplan --help | --version\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].synopsis);
	fprintf(out, "\nExit status: 0 ok, 1 the plan has errors (or differs), 2 usage or I/O error.\n"
		     "See mountplan(1).\n");
}

/* Basename of a path (no allocation). */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Set up malloc for a short run that builds a large plan: glibc's
 * defaults return memory to the kernel and take it back a page at a time
 * (a brk or, in a second thread's arena, an mprotect for every few KiB:
 * 10,500 mprotect and 340 brk calls in a diff of two 100,000-entry
 * plans), and move every block above a threshold that starts at 128 KiB
 * to its own mapping (each unmapping flushes the TLB of the CPU running
 * diff's other thread).  Here the heap grows 64 MiB at a time and blocks
 * up to 32 MiB stay in it; nothing is given back before the exit.
 *
 * And the heap's first GiB is reserved at once (address space only: a
 * page costs nothing until it is written) and asked to be backed by
 * transparent huge pages: a 200,000-entry plan writes about 300 MB, and
 * on this project's VM each 4 KiB page's first write was a fault that
 * cost more than the work on the page (compile at 200k: 76,700 faults,
 * 1,200 with huge pages).  Where the kernel refuses the reservation, the
 * heap grows as before, without the advice.
 *
 * Two arenas: the main thread's (this heap) and one for diff's second
 * thread (the only other thread that compiles), grown 64 MiB at a time
 * in 4 KiB pages (glibc advises none of its own).  With one arena for
 * both, the two sides' compiles (each 4.3 million malloc and 5.6 million
 * free calls at 100,000 entries) took turns at its lock: 4,000-24,000
 * futex calls a diff of two 100,000-entry plans (doc/performance.md has
 * the figures). */
static void malloc_setup(void)
{
#if defined(M_TOP_PAD) && defined(M_MMAP_THRESHOLD) && defined(M_ARENA_MAX)
	const size_t huge = 2u << 20, reserve = 1u << 30;
	char *first, *end;

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_TOP_PAD, (int)reserve);
	first = malloc(4 * huge); /* more than the heap has: it grows by reserve */
	end = sbrk(0);
	if (first && end != (char *)-1 && first < end && (size_t)(end - first) > reserve) {
#ifdef MADV_HUGEPAGE
		uintptr_t from = ((uintptr_t)first + huge - 1) & ~(uintptr_t)(huge - 1);

		madvise((void *)from, (uintptr_t)end - from, MADV_HUGEPAGE);
#endif
	}
	free(first);
	mallopt(M_TOP_PAD, 64 << 20);
#endif
}

/* Run the subcommand argv[1] (or check, as plan-check); its exit status. */
int main(int argc, char **argv)
{
	malloc_setup();
	if (argc > 0 && strcmp(base_name(argv[0]), "plan-check") == 0)
		return cmd_check(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mountplan %s (plan format 1, .mpb version 1)\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "mountplan: unknown command '%s' (see mountplan --help)\n", argv[1]);
	return 2;
}
