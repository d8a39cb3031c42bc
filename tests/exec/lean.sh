#!/bin/bash
# tests/exec/lean.sh: the executor's cheap syscall sequence keeps its
# promises (doc/executor.md, "Speed").  Not timed: counts and effects.
#   - runc-default costs at most 150 syscalls, the issue's goal (strace -f
#     lines, the exec'd /bin/true included; it was 295; 136 after the
#     ninth pass, 131 after the tenth: doc/executor.md's table), its
#     mount points made in /dev's new tmpfs (pts, shm, mqueue) are
#     mounted on by name, never opened again (the tenth pass;
#     tests/exec/named.sh), and a missing mount point costs one
#     failed lookup per missing component, never a second one;
#   - descriptors left to the sweep never pile up: a plan of 400 binds and
#     40 bound device nodes runs under `ulimit -n 100`, and the command
#     inherits only fds 0-2; memory neither: it runs under `ulimit -v 6000`;
#   - every masked directory is a bind of one read-only tmpfs (as runc
#     does), new API and mount(2) fallback alike, and none is writable;
#   - --trace ends with the syscall count and the total time (tracefs
#     mounted in the test's namespace), or says why there is no count.
# Host and parent namespace unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
command -v strace >/dev/null || skip_all "strace not installed"
[ -c /dev/tty40 ] || skip_all "the host has no /dev/tty40 to bind"
plan 12
mkdir -p "$work/bsrc" "$work/rootfs/srv/data"
"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml"

# in_ns CMD...: CMD in a private mount namespace with a cgroup2 at
# /sys/fs/cgroup (as make bench-exec has), output kept.
in_ns() {
	unshare -m --propagation private bash -c \
		'mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null; "$@"' in_ns "$@"
}

# syscall_count OUT CMD...: CMD's syscalls (the lines of strace -f: the
# -c summary of strace 6.1 leaves out calls it has no name for, as
# listmount, statmount, open_tree_attr) into OUT;
# stdin the host's /dev/null (reopened on the container's), stdout and
# stderr files, and every signal at its default disposition, so the count
# does not depend on the caller's stdio or on the signals it ignores (make
# -j runs tests with SIGINT and SIGQUIT ignored, and the executor resets
# each ignored signal with one rt_sigaction before exec: issue 8).
syscall_count() {
	local out=$1
	shift
	in_ns env --default-signal strace -f -qq -o "$work/strace.all" "$@" </dev/null >"$work/out" 2>"$work/err"
	grep -cE '^[0-9]+ +[a-z_0-9]+\(' "$work/strace.all" >"$out"
}

syscall_count "$work/n" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true
n=$(cat "$work/n")
check "runc-default: at most 150 syscalls (strace -f; ${n:-none})" \
	[ "${n:-999}" -le 150 ]
reopened=$(grep -cE 'openat2\([0-9]+, "(pts|shm|mqueue)"' "$work/strace.all")
made=$(grep -cE 'mkdirat\([0-9]+, "(pts|shm|mqueue)"' "$work/strace.all")
check "runc-default: pts, shm, mqueue made in /dev's tmpfs ($made) and not opened again ($reopened openat2)" \
	[ "$made" = 3 -a "$reopened" = 0 ]

# a mount point three components deep, all missing: the whole path, then
# its parent, then its grandparent fail to resolve (three ENOENT), the
# great-grandparent (/srv) exists; nothing fails twice
cat >"$work/deep.yaml" <<EOF
mountplan: 1
name: deep
rootfs: {propagation: rslave, pivot: pivot_root}
mounts:
  - {target: /srv/a/b/c, type: tmpfs}
EOF
"$MOUNTPLAN" compile -o "$work/deep.mpb" "$work/deep.yaml"
in_ns strace -f -qq -e trace=openat2 -o "$work/deep.trace" "$MOUNTPLAN_EXEC" \
	--rootfs "$work/rootfs" "$work/deep.mpb" -- /bin/test -d /srv/a/b/c 2>"$work/err"
fails=$(grep '"srv' "$work/deep.trace" | grep -c 'ENOENT')
check "a missing mount point: one failed lookup per missing component (3: $fails)" \
	[ "$fails" = 3 ]

# 400 binds and 40 device nodes bound from the host (the host's
# /dev/tty1..40; bind_only) under a low descriptor limit: the sweep keeps
# the executor's descriptors low
{
	echo "mountplan: 1"
	echo "name: many"
	echo "rootfs: {propagation: rslave, pivot: pivot_root}"
	echo "mounts:"
	echo "  - {target: /proc, type: proc}"
	echo "  - {target: /dev, type: tmpfs}"
	for i in $(seq 400); do echo "  - {target: /mnt/b$i, type: bind, source: $work/bsrc}"; done
	echo "devices:"
	for i in $(seq 40); do
		echo "  - {path: /dev/tty$i, type: c, major: 4, minor: $i, mode: 0620, policy: bind}"
	done
} >"$work/many.yaml"
if "$MOUNTPLAN" compile -o "$work/many.mpb" "$work/many.yaml" 2>"$work/err"; then
	in_ns bash -c 'ulimit -n 100 && exec "$@"' x "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" \
		"$work/many.mpb" -- /bin/ls /proc/self/fd >"$work/fds" 2>"$work/err"
	check "400 binds and 40 bound nodes under ulimit -n 100 (exit $?)" \
		grep -qx 2 "$work/fds"
	check "the command inherits fds 0-2 only (and ls's own): $(tr '\n' ' ' <"$work/fds")" \
		[ "$(grep -cv '^[0-3]$' "$work/fds")" = 0 ]
	# the same plan under a 6 MB address space (RLIMIT_AS, as a runtime's
	# rlimits may set before it starts the executor): its memory is the
	# plan's size over, no static table of MP_MAX_OPS entries (with an
	# 8 MB one in its bss, red-team pass 9's first list, the exec itself
	# failed: SIGSEGV, exit 139)
	in_ns bash -c 'ulimit -v 6000 && exec "$@"' x "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" \
		"$work/many.mpb" -- /bin/true 2>"$work/err"
	rc=$?
	check "the same plan under ulimit -v 6000 (exit $rc)" [ "$rc" = 0 ]
else
	not_ok "compile the 400-bind plan" "$(cat "$work/err")"
	not_ok "the command inherits fds 0-2 only"
fi

# masks: /proc/acpi and /sys/firmware (directories here) share one
# read-only tmpfs; with the new API and with the mount(2) fallback
for mode in new fallback; do
	env=()
	[ $mode = fallback ] && env=(MP_FORCE_FALLBACK=1)
	in_ns env "${env[@]}" "$EXEC_TEST" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/sh -c \
		'cat /proc/self/mountinfo; touch /proc/acpi/x 2>/dev/null && echo WRITABLE' \
		>"$work/mi.$mode" 2>"$work/err"
	devs=$(awk '$5 == "/proc/acpi" || $5 == "/sys/firmware" { print $3 "," $9 "," $6 }' \
		"$work/mi.$mode" | sort -u)
		shared=no
	[ "$(echo "$devs" | wc -l)" = 1 ] && [ "${devs#*,tmpfs,ro}" != "$devs" ] &&
		! grep -q WRITABLE "$work/mi.$mode" && shared=yes
	check "$mode: the masked directories share one read-only tmpfs ($(echo $devs))" \
		[ $shared = yes ]
done

# --trace: the totals line, with tracefs mounted and without it.  The
# host may have tracefs mounted already (perf mounts it), and the kernel
# refuses that single superblock on top of itself (EBUSY): it is mounted
# only where it is not there yet; for the second run every tracefs and
# debugfs the namespace inherited is unmounted.
in_ns bash -c '{ grep -q " /sys/kernel/tracing .* - tracefs " /proc/self/mountinfo ||
		mount -t tracefs none /sys/kernel/tracing; } && exec "$@"' x \
	"$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true 2>"$work/trace"
last=$(tail -n 1 "$work/trace")
check "--trace ends with the syscall count and time: $last" \
	grep -Eq '^mountplan-exec: [0-9]+ ops: [0-9]+ syscalls, [0-9]+ us$' <<<"$last"
# the count is the executor's own: under strace, the calls from the
# counter's perf_event_open to its read, the clock's readings (--trace's
# own, a raw clock_gettime each) left out
in_ns bash -c '{ grep -q " /sys/kernel/tracing .* - tracefs " /proc/self/mountinfo ||
		mount -t tracefs none /sys/kernel/tracing; } && exec "$@"' x \
	strace -f -qq -o "$work/trace.strace" \
	"$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true 2>"$work/trace"
printed=$(tail -n 1 "$work/trace" | sed -n 's/.* ops: \([0-9]*\) syscalls,.*/\1/p')
traced=$(awk '/perf_event_open\(/ { on = 1; split($0, a, "= "); fd = a[2] + 0; next }
	on && /^[0-9]+ +[a-z_0-9]+\(/ { n++; if ($2 ~ /^clock_gettime/) c++
		if ($2 ~ "^read\\(" fd ",") { print n - c; exit } }' "$work/trace.strace")
check "--trace counts the executor's calls, not its clock readings (printed ${printed:-none}, strace ${traced:-none})" \
	[ -n "$printed" -a "$printed" = "$traced" ]
in_ns bash -c 'for m in /sys/kernel/tracing /sys/kernel/debug/tracing /sys/kernel/debug; do
		while umount "$m" 2>/dev/null; do :; done; done; exec "$@"' x \
	"$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true 2>"$work/trace"
last=$(tail -n 1 "$work/trace")
check "--trace without tracefs: the time and why there is no count: $last" \
	grep -Eq '^mountplan-exec: [0-9]+ ops: [0-9]+ us \(no syscall count' <<<"$last"

check_host_unchanged "$host_before"
done_testing
