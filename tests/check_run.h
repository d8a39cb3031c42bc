/*
 * check_run.h: run a Check suite and report each test case as TAP, so the
 * automake summary counts test cases.
 */
#ifndef CHECK_RUN_H
#define CHECK_RUN_H

#include <check.h>

/* Run suite s with TAP output on stdout; returns the process exit status
 * (0 when every test passed). */
int check_run(Suite *s);

#endif
