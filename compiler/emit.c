/*
 * emit.c: the emit pass.  Serializes the program and writes it so that an
 * existing output is replaced whole or not at all: a temporary file in the
 * output's directory, fsync, rename, fsync of the directory.  Every
 * command that writes a file (import-oci, export-oci) writes it here too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "passes.h"
#include "prog.h"
#include "util.h"

/* Write all of buf to fd; 0 or -1 with errno. */
static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *buf = data;

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory part of path ("." when it has none); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Write buf into out, an existing file that is not a regular one (a FIFO,
 * a device such as /dev/null; a directory fails): renaming a temporary
 * file over it would replace the node itself.  0 or -1 after reporting. */
static int write_special(const char *out, const void *buf, size_t len)
{
	int fd = open(out, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 || write_all(fd, buf, len) < 0) {
		fprintf(stderr, "mountplan: cannot write %s: %s\n", out, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		fprintf(stderr, "mountplan: cannot write %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 0;
}

/* Write buf to out through a temporary file and rename; 0 or -1 after
 * printing why (the temporary is removed). */
static int replace_file(const char *out, const void *buf, size_t len)
{
	char *dir = dir_of(out);
	const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	mode_t mask = umask(0);
	int fd, dfd, saved;

	umask(mask);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "mountplan: cannot create a file in %s: %s\n", dir,
			strerror(errno));
		free(tmp);
		free(dir);
		return -1;
	}
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, buf, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		saved = errno;
		goto fail;
	}
	if (rename(tmp, out) < 0) {
		saved = errno;
		goto fail;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* the rename itself; failure changes nothing */
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
fail:
	unlink(tmp);
	fprintf(stderr, "mountplan: cannot write %s: %s\n", out, strerror(saved));
	free(tmp);
	free(dir);
	return -1;
}

/* Write buf to out or standard output; see passes.h. */
int emit_file(const char *out, const void *buf, size_t len)
{
	struct stat st;

	if (strcmp(out, "-") != 0 && stat(out, &st) == 0 && !S_ISREG(st.st_mode))
		return write_special(out, buf, len);
	if (strcmp(out, "-") != 0)
		return replace_file(out, buf, len);
	if (write_all(STDOUT_FILENO, buf, len) == 0)
		return 0;
	fprintf(stderr, "mountplan: cannot write to standard output: %s\n", strerror(errno));
	return -1;
}

/* Write prog as an .mpb to out; see passes.h. */
int emit_mpb(const struct prog *prog, const char *out)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (prog_serialize(prog, &buf, &len) < 0) {
		fprintf(stderr, "mountplan: %s: the plan is too large for the .mpb format (%zu ops)\n",
			out, prog->n_ops);
		return -1;
	}
	rc = emit_file(out, buf, len);
	free(buf);
	return rc;
}
