/*
 * check_run.c: run a Check suite with TAP output.
 */
#include <stdlib.h>
#include "check_run.h"

/* Run suite s, TAP on stdout; 0 when all passed. */
int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
