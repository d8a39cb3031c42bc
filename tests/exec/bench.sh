#!/bin/bash
# tests/exec/bench.sh (make bench-exec): whole-process time to exec
# /bin/true in a busybox rootfs with runc-default's mounts, interleaved:
#   naive           tests/exec/naive.c, the floor: the same mounts with
#                   plain mount(2) on string paths, no openat2, no checks
#   handwritten     tests/exec/handwritten.c, the executor's safe syscalls
#                   by hand, no plan
#   mountplan-exec  plans/runc-default.yaml compiled
#   (fallback)      the same, test build with MP_FORCE_FALLBACK=1: mount(2)
#                   on /proc/self/fd/N instead of the new mount API
#   bwrap           bubblewrap with the same mounts (as near as its
#                   options allow: /sys and the read-only paths are binds)
#   crun            crun run, config.json from `crun spec` (runc's defaults,
#                   the same mounts), only a mount namespace
# then the same with 1,000 more bind mounts.  The references (naive,
# handwritten, mountplan-exec, fallback) are timed in a rotation of their
# own, the peers (mountplan-exec, bwrap, crun) in a second one: a bwrap
# or crun run (4-6x longer, its namespace's teardown and freed memory
# left behind) adds about the same time to whatever runs next, so mixed
# into the references' rotation it pulled every ratio to naive toward 1
# (1.04-1.08x where the references alone give 1.14-1.17x in the same
# minute: doc/performance.md, thirteenth round).  bwrap or crun rows are
# left out (with a note) where they are not installed.  Everything runs in one
# private mount namespace holding a pure cgroup2 at /sys/fs/cgroup (crun
# needs one; this host is hybrid).  Prints medians, percentiles, ratios to
# the first row (naive; mountplan-exec among the peers), every pair's
# ratio (so the ratios to handwritten are in the same rotation as naive's,
# those to bwrap and crun in theirs), each program's syscall count
# (strace -f, the exec'd /bin/true included) and the binaries' sizes.
# Prints figures; not a test.
#   BENCH_ROUNDS (default 200) runs of each; RUNC_DEFAULT another plan.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PY=${PYTHON3:-/usr/bin/python3}
ROUNDS=${BENCH_ROUNDS:-200}
NBINDS=${BENCH_BINDS:-1000}
PLAN=${RUNC_DEFAULT:-$top_srcdir/plans/runc-default.yaml}
EXEC=${MOUNTPLAN_EXEC:-$top_builddir/mountplan-exec}
MP=${MOUNTPLAN:-$top_builddir/mountplan}
EXEC_TEST=${MOUNTPLAN_EXEC_TEST:-$top_builddir/mountplan-exec-test}
HW=$top_builddir/tests/exec/handwritten
NAIVE=$top_builddir/tests/exec/naive
RUN=$top_builddir/tests/exec/benchrun

[ "$(id -u)" = 0 ] || { echo "bench-exec: needs root" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$top_srcdir/tests/mkrootfs.sh" "$work/rootfs" >/dev/null
mkdir "$work/bsrc"

# The plans: runc-default, and runc-default plus NBINDS binds.
"$MP" compile -o "$work/runc-default.mpb" "$PLAN"
# (text, not a YAML round trip, so octal modes stay octal): the binds go
# right under the plan's "mounts:" key.
"$PY" - "$PLAN" "$work/binds.yaml" "$work/bsrc" "$NBINDS" <<'EOF'
import re, sys
plan, out, src, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = open(plan).read()
binds = "".join("  - {target: /mnt/b%04d, type: bind, source: %s}\n" % (i, src)
                for i in range(n))
text, k = re.subn(r"(?m)^mounts:\n", lambda m: m.group(0) + binds, text, count=1)
assert k == 1, "no mounts: key in " + plan
text = re.sub(r"(?m)^name: .*$", "name: runc-default-binds", text, count=1)
open(out, "w").write(text)
EOF
"$MP" compile -o "$work/binds.mpb" "$work/binds.yaml"

# crun bundles: runc's default spec, the rootfs, /bin/true, mount ns only.
have_crun=$(command -v crun || true)
have_bwrap=$(command -v bwrap || true)
[ -n "$have_crun" ] || echo "bench-exec: crun not installed: no crun rows" >&2
[ -n "$have_bwrap" ] || echo "bench-exec: bwrap not installed: no bwrap rows" >&2
for b in runc-default binds; do
	[ -n "$have_crun" ] || continue
	mkdir "$work/crun-$b"
	(cd "$work/crun-$b" && crun spec)
	"$PY" - "$work/crun-$b/config.json" "$work/rootfs" "$b" "$work/bsrc" "$NBINDS" <<'EOF'
import json, sys
path, rootfs, kind, src, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
c = json.load(open(path))
c["root"]["path"] = rootfs
c["process"].update(terminal=False, args=["/bin/true"], cwd="/")
c["linux"]["namespaces"] = [{"type": "mount"}]
c["linux"].pop("resources", None)
c.pop("hostname", None)
if kind == "binds":
    c["mounts"] += [{"destination": "/mnt/b%04d" % i, "type": "bind",
                     "source": src, "options": ["bind"]} for i in range(n)]
json.dump(c, open(path, "w"))
EOF
done

# bwrap: the same mounts in its own terms.
bw="--bind $work/rootfs / --proc /proc --dev /dev --mqueue /dev/mqueue --ro-bind /sys /sys"
for m in /proc/acpi /proc/asound /proc/kcore /proc/keys /proc/latency_stats \
	 /proc/timer_list /proc/timer_stats /proc/sched_debug /sys/firmware /proc/scsi; do
	if [ -d "$m" ]; then bw="$bw --tmpfs $m --remount-ro $m"
	elif [ -e "$m" ]; then bw="$bw --ro-bind /dev/null $m"; fi
done
for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
	[ -e "$p" ] && bw="$bw --ro-bind $p $p"
done
bw_binds=$(for i in $(seq 0 $((NBINDS - 1))); do printf -- ' --bind %s /mnt/b%04d' "$work/bsrc" "$i"; done)

echo "== binaries (stripped bytes)"
for b in "$EXEC" "$HW" "$NAIVE"; do
	strip -o "$work/stripped" "$b" 2>/dev/null || cp "$b" "$work/stripped"
	printf '%-40s %8d  (%s)\n' "$(basename "$b")" "$(stat -c %s "$work/stripped")" \
		"$(file -b "$b" | cut -d, -f1-2)"
done
echo "== kernel $(uname -r), $(nproc) cpus, $ROUNDS rounds each, interleaved; load $(cut -d' ' -f1-3 /proc/loadavg)"

# peers ROWS...: the bwrap and crun rows that exist here.
rd_peers=() binds_peers=()
if [ -n "$have_bwrap" ]; then
	rd_peers+=(:: bwrap bwrap $bw --remount-ro / --chdir / /bin/true)
	binds_peers+=(:: bwrap bwrap $bw $bw_binds --remount-ro / --chdir / /bin/true)
fi
if [ -n "$have_crun" ]; then
	rd_peers+=(:: crun crun run --bundle "$work/crun-runc-default" mpbench-rd)
	binds_peers+=(:: crun crun run --bundle "$work/crun-binds" mpbench-binds)
fi
cat >"$work/run.sh" <<EOF
set -e
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# syscalls LABEL CMD...: CMD's syscall count: the lines of strace -f (its
# -c summary, in strace 6.1, leaves out the calls it has no name for:
# listmount, statmount, open_tree_attr)
syscalls() {
	label=\$1; shift
	if command -v strace >/dev/null; then
		strace -f -qq -o "$work/strace.out" "\$@" >/dev/null 2>&1 || { echo "\$label: failed under strace"; return; }
		printf '%-28s %6s\\n' "\$label" "\$(grep -cE '^[0-9]+ +[a-z_0-9]+\\(' "$work/strace.out")"
	fi
}
echo "== syscalls (strace -f), runc-default"
syscalls naive "$NAIVE" "$work/rootfs" /bin/true
syscalls handwritten "$HW" "$work/rootfs" /bin/true
syscalls mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/runc-default.mpb" -- /bin/true
MP_FORCE_FALLBACK=1 syscalls "mountplan-exec (fallback)" "$EXEC_TEST" --rootfs "$work/rootfs" "$work/runc-default.mpb" -- /bin/true
${have_bwrap:+syscalls bwrap bwrap $bw --remount-ro / --chdir / /bin/true}
${have_crun:+syscalls crun crun run --bundle "$work/crun-runc-default" mpbench-rd}
echo "== syscalls (strace -f), runc-default + $NBINDS binds"
syscalls naive "$NAIVE" --binds $NBINDS "$work/bsrc" "$work/rootfs" /bin/true
syscalls handwritten "$HW" --binds $NBINDS "$work/bsrc" "$work/rootfs" /bin/true
syscalls mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/binds.mpb" -- /bin/true
MP_FORCE_FALLBACK=1 syscalls "mountplan-exec (fallback)" "$EXEC_TEST" --rootfs "$work/rootfs" "$work/binds.mpb" -- /bin/true
${have_bwrap:+syscalls bwrap bwrap $bw $bw_binds --remount-ro / --chdir / /bin/true}
${have_crun:+syscalls crun crun run --bundle "$work/crun-binds" mpbench-binds}
echo "== runc-default: exec /bin/true (the references)"
"$RUN" $ROUNDS \
	:: naive "$NAIVE" "$work/rootfs" /bin/true \
	:: handwritten "$HW" "$work/rootfs" /bin/true \
	:: mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/runc-default.mpb" -- /bin/true \
	:: "mountplan-exec (fallback)" MP_FORCE_FALLBACK=1 "$EXEC_TEST" --rootfs "$work/rootfs" "$work/runc-default.mpb" -- /bin/true
if [ ${#rd_peers[@]} -gt 0 ]; then
echo "== runc-default: exec /bin/true (the peers)"
"$RUN" $ROUNDS \
	:: mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/runc-default.mpb" -- /bin/true \
	${rd_peers[*]}
fi
echo "== runc-default + $NBINDS bind mounts: exec /bin/true (the references)"
"$RUN" $((ROUNDS / 4 > 10 ? ROUNDS / 4 : 10)) \
	:: naive "$NAIVE" --binds $NBINDS "$work/bsrc" "$work/rootfs" /bin/true \
	:: handwritten "$HW" --binds $NBINDS "$work/bsrc" "$work/rootfs" /bin/true \
	:: mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/binds.mpb" -- /bin/true \
	:: "mountplan-exec (fallback)" MP_FORCE_FALLBACK=1 "$EXEC_TEST" --rootfs "$work/rootfs" "$work/binds.mpb" -- /bin/true
if [ ${#binds_peers[@]} -gt 0 ]; then
echo "== runc-default + $NBINDS bind mounts: exec /bin/true (the peers)"
"$RUN" $((ROUNDS / 4 > 10 ? ROUNDS / 4 : 10)) \
	:: mountplan-exec "$EXEC" --rootfs "$work/rootfs" "$work/binds.mpb" -- /bin/true \
	${binds_peers[*]}
fi
EOF
unshare -m --propagation private bash "$work/run.sh"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
