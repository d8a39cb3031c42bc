/*
 * benchrun.c: time whole processes, interleaved (make bench-exec).
 *
 *   benchrun ROUNDS :: LABEL [NAME=VALUE...] CMD [ARG...] [:: ...]...
 *
 * Runs every command once per round, ROUNDS rounds, the order rotated
 * each round so no command always runs after the same neighbour; each run
 * is timed from fork to the reaped exit (CLOCK_MONOTONIC), stdout to
 * /dev/null.  A few warm-up runs come first and are not counted.  Prints,
 * per command: minimum, median, 10th and 90th percentile in microseconds,
 * and the median's and the minimum's ratio to the first command's (the
 * reference); on a loaded machine the minimum is the steadier figure.
 * Then the same for CPU time (user + system of the process and what it
 * execs, from wait4): on a loaded machine, where other processes stretch
 * the wall time of some runs, the steadiest figure; it leaves out what
 * the process waits for (RCU grace periods at unmount, the same for
 * every candidate here).
 * NAME=VALUE words before CMD are set in the child's environment (as
 * env(1) would, without timing env's own exec: a dynamically linked
 * program costs more than the whole executor).
 * Then the ratio of medians for every pair (row over column), so a
 * second reference or a peer is read off the same run.  A command that
 * exits non-zero stops the run (exit 1): a failing candidate is not fast.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 5

struct candidate {
	const char *label;
	char **argv;    /* NULL-terminated, inside the program's argv */
	double *us;     /* one sample per round */
	double *cpu;    /* its CPU time, us */
};

/* Now, in microseconds on the monotonic clock. */
static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Run c once; its wall time in microseconds (its CPU time in *cpu), or
 * exit 1 if it fails. */
static double run_once(const struct candidate *c, double *cpu)
{
	double t0 = now_us(), t1;
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("benchrun: fork");
		exit(1);
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		char **argv = c->argv;

		if (fd >= 0)
			dup2(fd, 1);
		for (; argv[0] && strchr(argv[0], '='); argv++)
			putenv(argv[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "benchrun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("benchrun: waitpid");
			exit(1);
		}
	t1 = now_us();
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "benchrun: %s failed (status 0x%x)\n", c->label, status);
		exit(1);
	}
	return t1 - t0;
}

/* qsort comparator for doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of n sorted samples. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/* Print, for each candidate, the minimum, median, 10th and 90th
 * percentile of its wall times (cpu: CPU times), its ratios to the first
 * candidate's median and minimum, then every pair's ratio of medians. */
static void print_table(struct candidate *c, int n, int rounds, int cpu)
{
	double ref = 0, ref_min = 0;

	printf("%-28s %9s %9s %9s %9s %7s %7s\n", "command", "min_us", "median_us",
	       "p10_us", "p90_us", "ratio", "min_r");
	for (int k = 0; k < n; k++) {
		double *v = cpu ? c[k].cpu : c[k].us;

		qsort(v, (size_t)rounds, sizeof(double), cmp_double);
		if (k == 0) {
			ref = quantile(v, rounds, 0.5);
			ref_min = v[0];
		}
	}
	for (int k = 0; k < n; k++) {
		double *v = cpu ? c[k].cpu : c[k].us, med = quantile(v, rounds, 0.5);

		printf("%-28s %9.0f %9.0f %9.0f %9.0f %7.2f %7.2f\n", c[k].label,
		       v[0], med, quantile(v, rounds, 0.1), quantile(v, rounds, 0.9),
		       med / ref, v[0] / ref_min);
	}
	/* every pair: row's median over column's (column numbers as above) */
	printf("median ratios, row / column:\n%-28s", "");
	for (int k = 0; k < n; k++)
		printf(" %6d", k + 1);
	printf("\n");
	for (int k = 0; k < n; k++) {
		printf("%d %-26.26s", k + 1, c[k].label);
		for (int j = 0; j < n; j++)
			printf(" %6.2f", quantile(cpu ? c[k].cpu : c[k].us, rounds, 0.5) /
					 quantile(cpu ? c[j].cpu : c[j].us, rounds, 0.5));
		printf("\n");
	}
}

/* Parse the candidate list, warm up, run the rounds, print the tables. */
int main(int argc, char **argv)
{
	struct candidate c[16];
	int n = 0, rounds;
	double warm;

	if (argc < 5 || strcmp(argv[2], "::") != 0) {
		fprintf(stderr, "usage: benchrun ROUNDS :: LABEL [NAME=VALUE...] CMD [ARG...] [:: ...]\n");
		return 2;
	}
	rounds = atoi(argv[1]);
	if (rounds < 1)
		return 2;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL; /* ends the previous candidate's argv */
		if (n == 16 || i + 2 >= argc) {
			fprintf(stderr, "benchrun: bad candidate list\n");
			return 2;
		}
		c[n].label = argv[i + 1];
		c[n].argv = &argv[i + 2];
		c[n].us = calloc((size_t)rounds, sizeof(double));
		c[n].cpu = calloc((size_t)rounds, sizeof(double));
		if (!c[n].us || !c[n].cpu)
			return 1;
		n++;
	}
	for (int w = 0; w < WARMUP; w++)
		for (int k = 0; k < n; k++)
			run_once(&c[k], &warm);
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < n; k++) {
			int j = (k + r) % n;
			c[j].us[r] = run_once(&c[j], &c[j].cpu[r]);
		}
	print_table(c, n, rounds, 0);
	printf("CPU time (user + system):\n");
	print_table(c, n, rounds, 1);
	return 0;
}
