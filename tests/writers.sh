#!/bin/bash
# tests/writers.sh: every writer of the compiler against hostile strings
# (tests/writers.py: import-oci's YAML read back with PyYAML, every JSON
# output with python3's json, every text output line by line).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
export MOUNTPLAN
exec "${PYTHON3:-python3}" "$top_srcdir/tests/writers.py"
