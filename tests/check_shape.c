#include "check_run.h"
int main(void) { Suite *s = suite_create("load"); return check_run(s); }
