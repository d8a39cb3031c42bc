#!/bin/bash
# tests/demo.sh: the main job on a fresh Debian 12 machine, as root: install
# what is missing, build, compile plans/runc-default.yaml, show its op list,
# build a busybox rootfs and run the plan on it with mountplan-exec; the
# container prints its own mount table.  Leaves the host unchanged.
set -eu
cd "$(dirname "$0")/.."
bash tests/setup-debian.sh
[ -x build/mountplan ] || {
	autoreconf -fi >/dev/null 2>&1
	mkdir -p build && cd build && ../configure -q && cd ..
}
make -C build -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== mountplan compile plans/runc-default.yaml"
build/mountplan compile plans/runc-default.yaml -o "$work/runc-default.mpb"
ls -l "$work/runc-default.mpb"
echo "== mountplan dump (the op list, like EXPLAIN)"
build/mountplan dump "$work/runc-default.mpb"
echo "== mountplan-exec on a busybox rootfs: the container's /proc/self/mountinfo"
bash tests/mkrootfs.sh "$work/rootfs"
build/mountplan-exec --rootfs "$work/rootfs" "$work/runc-default.mpb" -- \
	/bin/cat /proc/self/mountinfo
