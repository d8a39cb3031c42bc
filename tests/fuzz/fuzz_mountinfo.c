/*
 * fuzz_mountinfo.c: libFuzzer harness of `mountplan verify`'s mountinfo
 * reader and comparison.
 *
 * The input is a mountinfo table, verified against a fixed plan (every
 * kind of entry: rootfs, proc, tmpfs, bind, mask, read-only path, device,
 * cgroup) compiled once.  Output as text and JSON.
 */
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "fuzz.h"
#include "mpb.h"
#include "passes.h"

static struct fuzz_file plan, mountinfo;

static const char plan_text[] =
	"mountplan: 1\n"
	"name: fuzz-verify\n"
	"rootfs: {path: /tmp/rootfs, readonly: true, propagation: rslave}\n"
	"dev: standard\n"
	"mounts:\n"
	"  - {target: /proc, type: proc, options: [nosuid, noexec, nodev]}\n"
	"  - {target: /sys, type: sysfs, options: [ro, nosuid]}\n"
	"  - {target: /sys/fs/cgroup, type: cgroup2, options: [ro]}\n"
	"  - {target: /tmp, type: tmpfs, options: [nosuid, nodev, size=1m, mode=1777]}\n"
	"  - {target: /data, type: bind, source: /srv, options: [rbind, ro], propagation: rslave}\n"
	"masks: [/proc/kcore, /sys/firmware]\n"
	"readonly: [/proc/sys, /proc/bus]\n";

/* libFuzzer: once, before the first input: the plan compiled to .mpb. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_sink sink;
	struct fuzz_file yaml = { 0 };
	struct mpb mpb;
	uint8_t *buf;
	size_t len;

	(void)argc;
	(void)argv;
	fuzz_file_init(&yaml, "plan.yaml");
	fuzz_file_init(&plan, "plan.mpb");
	fuzz_file_init(&mountinfo, "mountinfo");
	diag_init(&sink);
	if (input_open(fuzz_file_set(&yaml, plan_text, strlen(plan_text)), NULL, &sink,
		       &buf, &len, &mpb) != 0) {
		diag_print(&sink, stderr, DIAG_TEXT);
		abort();
	}
	fuzz_file_set(&plan, buf, len);
	free(buf);
	diag_free(&sink);
	fuzz_quiet_stdout();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[] = { "verify", plan.path, fuzz_file_set(&mountinfo, data, size),
			       size & 1 ? "--format=json" : "--format=text", NULL };
	int rc = fuzz_command(cmd_verify, argv);

	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2, "verify: an exit status it does not document");
	return 0;
}
