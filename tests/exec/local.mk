# tests/exec/: the executor's own tests (assembler, malformed corpus,
# hostile rootfs, fault injection) and its benchmark.
