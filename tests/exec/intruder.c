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
 *   intruder plant CMD...   (on the host) join a new session keyring, add
 *                      a "user" key "mountplan-canary" holding "host
 *                      secret" to it, print "planted: ID" and exec CMD.
 *                      (MP_CANARY_KEY=ID in CMD's environment)
 *   intruder keyring [ID]   look for that key in the session keyring
 *                      (possession) and read key ID (default
 *                      $MP_CANARY_KEY) directly: prints
 *                      "search: FOUND 'CONTENTS'" or "search: STRERROR",
 *                      then "read: 'CONTENTS'" or "read: STRERROR".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

#define KEY_SPEC_SESSION_KEYRING (-3)
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11

/* Print "WHAT: 'CONTENTS'" of key id, or "WHAT: STRERROR". */
static void key_show(const char *what, long id)
{
	char buf[256];
	long n = id < 0 ? -1 : syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof buf - 1);

	if (n < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: '%.*s'\n", what, (int)(n < (long)sizeof buf ? n : 0), buf);
}

/* The keyring modes (see the top); exit status. */
static int keyring(int argc, char **argv)
{
	const char *env = getenv("MP_CANARY_KEY");
	char num[24];
	long id;

	if (strcmp(argv[1], "plant") == 0 && argc > 2) {
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 ||
		    (id = syscall(SYS_add_key, "user", "mountplan-canary", "host secret", 11,
				  KEY_SPEC_SESSION_KEYRING)) < 0) {
			perror("intruder plant");
			return 2;
		}
		printf("planted: %ld\n", id);
		fflush(stdout);
		snprintf(num, sizeof num, "%ld", id);
		setenv("MP_CANARY_KEY", num, 1);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user",
		     "mountplan-canary", 0);
	if (id < 0)
		printf("search: %s\n", strerror(errno));
	else
		key_show("search: FOUND", id);
	errno = EINVAL;
	key_show("read", argc > 2 ? strtol(argv[2], NULL, 10) : env ? strtol(env, NULL, 10) : -1);
	return 0;
}

int main(int argc, char **argv)
{
	const char *push = "id\n";
	int fd;

	if (argc >= 2 && (strcmp(argv[1], "plant") == 0 || strcmp(argv[1], "keyring") == 0))
		return keyring(argc, argv);
	if (argc < 2 || strcmp(argv[1], "tiocsti") != 0) {
		fprintf(stderr, "usage: intruder tiocsti | plant CMD... | keyring [ID]\n");
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
