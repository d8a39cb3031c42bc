/*
 * commands.h: the mountplan subcommands, one entry point each.
 *
 * main.c dispatches `mountplan CMD ARGS...` to cmd_CMD(argc, argv) with
 * argv[0] the command's name; `plan-check ARGS...` is cmd_check.  Each
 * returns the process exit status: 0 ok, 1 the plan has errors (check:
 * findings at or above the threshold; diff/verify: a difference), 2 usage
 * or I/O error.  Each prints its own --help.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

int cmd_compile(int argc, char **argv);    /* compile_cmd.c */
int cmd_dump(int argc, char **argv);       /* dump.c */
int cmd_check(int argc, char **argv);      /* check_cmd.c (plan-check) */
int cmd_explain(int argc, char **argv);    /* check_cmd.c */
int cmd_table(int argc, char **argv);      /* table_cmd.c */
int cmd_verify(int argc, char **argv);     /* verify.c */
int cmd_diff(int argc, char **argv);       /* diff.c */
int cmd_import_oci(int argc, char **argv); /* oci_import.c */
int cmd_export_oci(int argc, char **argv); /* oci_export.c */

#endif
