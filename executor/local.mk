# executor/: mountplan-exec, a static binary built with $(EXEC_CC) (musl
# when present); it links nothing but libc.
EXEC_SRCS = executor/mpb.c
EXEC_HDRS = executor/mp_ops.h executor/mpb.h
EXTRA_DIST += $(EXEC_SRCS) $(EXEC_HDRS)
