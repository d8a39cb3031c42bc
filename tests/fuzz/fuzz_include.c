/*
 * fuzz_include.c: libFuzzer harness of the compose pass (include:,
 * compiler/include.c), which the other harnesses cannot reach: their
 * plans are memfds, and an include item beneath /proc/self/fd is a magic
 * link, which the include root refuses.
 *
 * The input is a plan, then any number of files, each after "\n#8<\n" and
 * a line holding its name ([A-Za-z0-9._-] and at most one '/': a file
 * of the include root or of one directory in it; another name is
 * skipped).  They are written to a private directory of /dev/shm (a
 * tmpfs; $TMPDIR without it) made once (removed at exit, or by the next
 * run after a finding), the plan as root/plan.yaml, and
 * the plan compiled as every command does (input_open).  Beside the root
 * lie outside.yaml, a plan holding a random marker, and root/link.yaml,
 * a symlink to it.  Properties:
 *   - no diagnostic prints the marker unless the input holds it: a file
 *     outside the include root (../outside.yaml, its absolute path, the
 *     link) is refused before a byte of it is read;
 *   - the executor's decoder accepts what compiles (MP-INTERNAL otherwise);
 *   - dump and simulate run on every plan that compiles.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"
#include "mpb.h"
#include "passes.h"
#include "util.h"

static char dir[128], root[144], marker[40];

/* nftw: remove one entry. */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* nftw: remove one entry beneath the root but the link (and the root). */
static int clear_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0 || (ftw->level == 1 && strcmp(path + ftw->base, "link.yaml") == 0))
		return 0;
	return remove(path);
}

/* At exit: the private directory, removed. */
static void remove_dir(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write size bytes of data to path (made, or replaced); false when it
 * cannot be (a directory of that name, a file where the directory is). */
static bool write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && (!size || write(fd, data, size) == (ssize_t)size);

	if (fd >= 0 && close(fd) < 0)
		ok = false;
	return ok;
}

/* Is the name (len bytes) one the harness writes: [A-Za-z0-9._-] and at
 * most one '/', between two components, neither "." nor "..", and not
 * the plan's nor the link's? */
static bool name_ok(const char *name, size_t len)
{
	size_t slashes = 0, start = 0;

	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '/') {
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]) ||
			    !name[i])
				return false;
			continue;
		}
		if (i == start || (i - start == 1 && name[start] == '.') ||
		    (i - start == 2 && name[start] == '.' && name[start + 1] == '.'))
			return false; /* an empty, "." or ".." component */
		if (i < len && ++slashes > 1)
			return false;
		start = i + 1;
	}
	return !(len == 9 && memcmp(name, "plan.yaml", 9) == 0) &&
	       !(len == 9 && memcmp(name, "link.yaml", 9) == 0);
}

/* Write the part of size bytes at data: a name line, then the file. */
static void write_part(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - data) : size;
	char *path, *slash;

	if (!name_ok((const char *)data, len))
		return;
	path = xasprintf("%s/%.*s", root, (int)len, (const char *)data);
	slash = strrchr(path, '/');
	if (slash > path + strlen(root)) { /* in a directory of the root */
		*slash = 0;
		mkdir(path, 0700); /* there already, or a file: the write fails */
		*slash = '/';
	}
	write_file(path, nl ? nl + 1 : data + size, nl ? size - len - 1 : 0);
	free(path);
}

/* Remove the private directories in base that earlier runs left (a
 * finding aborts, which skips remove_dir): each is named with its
 * process's id, removed when that process is gone. */
static void remove_stale(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *e;
	int pid;

	while (d && (e = readdir(d))) {
		if (sscanf(e->d_name, "fuzz-include-%d-", &pid) == 1 && pid > 0 &&
		    kill(pid, 0) < 0 && errno == ESRCH) {
			snprintf(dir, sizeof dir, "%s/%s", base, e->d_name);
			remove_dir();
		}
	}
	if (d)
		closedir(d);
}

/* libFuzzer: once, before the first input: the private directory, the
 * file outside the root and the link to it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	unsigned char r[16];
	char path[160], *text;

	(void)argc;
	(void)argv;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp ? tmp : "/tmp";

	remove_stale(base);
	snprintf(dir, sizeof dir, "%s/fuzz-include-%d-XXXXXX", base, (int)getpid());
	if (!mkdtemp(dir) || getrandom(r, sizeof r, 0) != sizeof r) {
		perror("fuzz_include: private directory");
		exit(1);
	}
	atexit(remove_dir);
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(marker + 2 * i, 3, "%02x", r[i]);
	snprintf(root, sizeof root, "%s/root", dir);
	snprintf(path, sizeof path, "%s/outside.yaml", dir);
	/* a plan a diagnostic would quote: the marker is an unknown key */
	text = xasprintf("mountplan: 2\nname: outside\n%s: %s\n", marker, marker);
	if (mkdir(root, 0700) < 0) {
		perror(root);
		exit(1);
	}
	if (!write_file(path, text, strlen(text))) {
		perror(path);
		exit(1);
	}
	free(text);
	snprintf(path, sizeof path, "%s/link.yaml", root);
	if (symlink("../outside.yaml", path) < 0) {
		perror(path);
		exit(1);
	}
	fuzz_quiet_stdout();
	return 0;
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n#8<\n";
	const uint8_t *part, *next;
	size_t plan_len, part_len;
	char *plan_path = xasprintf("%s/plan.yaml", root), *out = NULL;
	size_t out_len = 0;
	struct diag_sink sink;
	struct mpb mpb;
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *diags;

	nftw(root, clear_one, 16, FTW_DEPTH | FTW_PHYS); /* the last input's files */
	fuzz_split(data, size, sep, &plan_len, &part, &part_len);
	if (!write_file(plan_path, data, plan_len))
		abort();
	while (part) {
		size_t this_len;

		fuzz_split(part, part_len, sep, &this_len, &next, &part_len);
		write_part(part, this_len);
		part = next;
	}
	diag_init(&sink);
	if (input_open(plan_path, NULL, &sink, &buf, &len, &mpb) == 0)
		fuzz_use_plan(&mpb);
	for (size_t i = 0; i < sink.n; i++)
		FUZZ_ASSERT(strcmp(sink.items[i].id, "MP-INTERNAL") != 0,
			    "the executor's decoder refuses what the compiler emitted");
	diags = open_memstream(&out, &out_len);
	if (!diags)
		abort();
	diag_print(&sink, diags, size & 1 ? DIAG_JSON : DIAG_TEXT);
	fclose(diags);
	FUZZ_ASSERT(!memmem(out, out_len, marker, strlen(marker)) ||
		    memmem(data, size, marker, strlen(marker)),
		    "a diagnostic quotes a file outside the include root");
	free(out);
	free(buf);
	diag_free(&sink);
	free(plan_path);
	return 0;
}
