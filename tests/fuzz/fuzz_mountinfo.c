/*
 * fuzz_mountinfo.c: libFuzzer harness of `mountplan verify`'s mountinfo
 * reader and comparison.
 *
 * The input is a mountinfo table, optionally followed by "\n#8<\n" and a
 * plan to verify it against (the seeds: each plan of the tree after its
 * own predicted table, so verify pairs matching mounts and compares
 * them).  Without a plan, the table is verified against a fixed plan
 * (every kind of entry: rootfs, proc, tmpfs, bind, mask, read-only path,
 * device, cgroup) compiled once.  Output as text or JSON, with or without
 * --nodes / and --rootfs / (both only read this host's files).
 */
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "fuzz.h"
#include "mpb.h"
#include "passes.h"

static struct fuzz_file fixed_plan, plan, mountinfo;

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

/* verify plan_path against a mountinfo of size bytes, with the options
 * that opts's bits choose; its exit status. */
static int verify(const char *plan_path, const uint8_t *data, size_t size, size_t opts)
{
	const char *argv[8];
	int argc = 0;

	argv[argc++] = "verify";
	argv[argc++] = plan_path;
	argv[argc++] = fuzz_file_set(&mountinfo, data, size);
	argv[argc++] = opts & 1 ? "--format=json" : "--format=text";
	if (opts & 2)
		argv[argc++] = "--nodes=/";
	if (opts & 4)
		argv[argc++] = "--rootfs=/";
	argv[argc] = NULL;
	return fuzz_command(cmd_verify, argv);
}

/* libFuzzer: once, before the first input: the fixed plan compiled to
 * .mpb, with the checksum compile writes (in memory the trailer is left
 * zero: prog_serialize_unsummed), and verify must take it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char one[] = "22 1 0:20 / / ro,relatime - tmpfs tmpfs rw\n";
	struct diag_sink sink;
	struct fuzz_file yaml = { 0 };
	struct mpb mpb;
	uint8_t *buf;
	size_t len;

	(void)argc;
	(void)argv;
	fuzz_file_init(&yaml, "plan.yaml");
	fuzz_file_init(&fixed_plan, "plan.mpb");
	fuzz_file_init(&plan, "input-plan.yaml");
	fuzz_file_init(&mountinfo, "mountinfo");
	diag_init(&sink);
	if (input_open(fuzz_file_set(&yaml, plan_text, strlen(plan_text)), NULL, &sink,
		       &buf, &len, &mpb) != 0) {
		diag_print(&sink, stderr, DIAG_TEXT);
		abort();
	}
	mp_put32(buf + len - MP_TRAILER_SIZE, mp_crc32(0, buf, len - MP_TRAILER_SIZE));
	fuzz_file_set(&fixed_plan, buf, len);
	free(buf);
	diag_free(&sink);
	fuzz_quiet_stdout();
	/* the door: against a table of one mount the others are missing
	 * (exit 1); a refusal of the plan (exit 2) would end every input
	 * before the mountinfo is read, as a zero checksum did */
	FUZZ_ASSERT(verify(fixed_plan.path, (const uint8_t *)one, strlen(one), 0) == 1,
		    "verify refuses the harness's fixed plan");
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p;
	size_t table_len, p_len;
	int rc;

	fuzz_split(data, size, "\n#8<\n", &table_len, &p, &p_len);
	rc = verify(p ? fuzz_file_set(&plan, p, p_len) : fixed_plan.path, data, table_len, size);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2, "verify: an exit status it does not document");
	return 0;
}
