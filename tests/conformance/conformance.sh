#!/bin/sh
# tests/conformance/conformance.sh: the OCI conformance suite as a TAP test
# (make check, make conformance): every case under runc and crun (bwrap
# for bubblewrap's), then under mountplan (tests/conformance/run.py --tap).
exec "${PYTHON3:-python3}" "${top_srcdir:-$(dirname "$0")/../..}/tests/conformance/run.py" --tap "$@"
