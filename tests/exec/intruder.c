/*
 * tests/exec/intruder.c: what a process in a hostile container tries with
 * what the executor left it (copied into the rootfs by tests/exec/
 * inherit.sh; static, built like the executor).
 *
 *   intruder tiocsti   drop CAP_SYS_ADMIN from the effective set (as a
 *                      container whose command gave it up, or root of a
 *                      user namespace: TIOCSTI on a terminal that is not
 *                      the caller's controlling one needs it), then push
 *                      "id\n" into fd 0's terminal input (bwrap's
 *                      CVE-2017-5226).  Prints "tiocsti: pushed" or
 *                      "tiocsti: STRERROR"; then "ctty: yes|no" (whether
 *                      /dev/tty opens: the process has a controlling
 *                      terminal).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_SYS_ADMIN 21

/* Clear CAP_SYS_ADMIN from the effective set; 0 or -1. */
static int drop_sys_admin(void)
{
	struct { uint32_t version; int pid; } head = { 0x20080522, 0 };
	struct { uint32_t effective, permitted, inheritable; } data[2];

	if (syscall(SYS_capget, &head, data) < 0)
		return -1;
	data[0].effective &= ~(1u << CAP_SYS_ADMIN);
	return (int)syscall(SYS_capset, &head, data);
}

int main(int argc, char **argv)
{
	const char *push = "id\n";
	int fd;

	if (argc < 2 || strcmp(argv[1], "tiocsti") != 0) {
		fprintf(stderr, "usage: intruder tiocsti\n");
		return 2;
	}
	if (drop_sys_admin() < 0)
		perror("capset");
	for (const char *p = push; *p; p++)
		if (ioctl(0, TIOCSTI, p) < 0) {
			printf("tiocsti: %s\n", strerror(errno));
			break;
		} else if (!p[1]) {
			printf("tiocsti: pushed\n");
		}
	fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK);
	printf("ctty: %s\n", fd >= 0 ? "yes" : "no");
	return 0;
}
