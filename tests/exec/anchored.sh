#!/bin/bash
# tests/exec/anchored.sh: a masked or read-only path that is one name
# beneath the plan's own /proc or /sys (runc-default's) is looked at and
# mounted on by name from that new mount's root, with no descriptor of
# its own, and ends as it did through a descriptor:
#   cost       runc-default under strace: no openat2 of such a name but
#              the first masked directory's (its tmpfs needs a target
#              descriptor); each found one is named in move_mount
#              (at least /proc's bus, fs, irq and sys)
#   links      /proc/mounts masked and /proc/net made read-only, each a
#              link in procfs (to self/mounts, self/net): followed, as a
#              lookup by descriptor follows them: /proc/mounts reads
#              empty to the command, /proc/PID/net is a read-only mount
#              (PID the executor's, so the command's); runc-default's
#              masks and read-only paths as before (/proc/keys and
#              /sys/firmware where this kernel has them)
#   missing    a missing masked file and a missing read-only path are
#              skipped (--trace: skipped: missing)
#   hostile    only a new proc or sysfs is used so: a masked and a
#              read-only name one below a bind of a host directory (an
#              anchor as well) that are links out of it (x -> /etc/passwd,
#              y -> ../..) are refused as before (exit 125, EXDEV: "a
#              symbolic link on the path leads out of the mount it lies
#              in"), not followed by name
# each with the new mount API and (the same container) the mount(2)
# fallback, which keeps the descriptors.  The host's mount table is the
# same afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
plan 12

"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml" 2>"$work/cerr" ||
	{ echo "Bail out! compile runc-default: $(cat "$work/cerr")"; exit 1; }
sed -e 's#^masks:$#masks:\n  - /proc/mounts\n  - /proc/no-such-file#' \
    -e 's#^readonly:$#readonly:\n  - /proc/net\n  - /proc/no-such-dir#' \
    -e 's#^name: .*#name: anchored-links#' \
	"$top_srcdir/plans/runc-default.yaml" >"$work/links.yaml"
"$MOUNTPLAN" compile -o "$work/links.mpb" "$work/links.yaml" 2>"$work/cerr" ||
	{ echo "Bail out! compile the links plan: $(cat "$work/cerr")"; exit 1; }

if command -v strace >/dev/null; then
	# (after PIVOT: ROOTFS's mounts open "sys" from the root)
	named='"(keys|timer_list|firmware|bus|fs|irq|sys)"'
	traced_run "pivot_root" "$work/rootfs" "$work/rd.mpb"
	late=$(sed -n '/pivot_root(/,$p' "$work/strace")
	opened=$(grep -cE "openat2\([0-9]+, $named" <<<"$late")
	by_name=$(grep -cE "(newfstatat|syscall_0x1d3|open_tree_attr|move_mount)\(.*$named" <<<"$late")
	check "cost: runc-default opens no found mask or read-only name under /proc, /sys (exit $rc, $opened openat2; $by_name calls by name)" \
		[ "$rc" = 0 -a "$calls" = 1 -a "$opened" = 0 -a "$by_name" -ge 4 ]
else
	ok "cost: no openat2 per name # SKIP strace not installed"
fi

# what the container sees: /proc/mounts's bytes, then its mount table
# (read by the shell itself: the mask is on the executor's, so the command's,
# /proc/PID/mounts, which /proc/mounts names only in that process)
show='n=0; while read -r l; do n=$((n + 1)); done </proc/mounts; echo "mounts $n"; cat /proc/self/mountinfo'
for how in new fallback; do
	exec_for $how
	ns_exec /dev/null "${run[@]}" --trace --rootfs "$work/rootfs" "$work/links.mpb" -- /bin/sh -c "$show"
	ro() { awk -v p="$1" '$5 == p { split($6, o, ","); print o[1] }' "$work/out" | tail -1; }
	net=$(awk '$5 ~ "^/proc/[0-9]+/net$" { print $5 }' "$work/out" | tail -1)
	if [ "$rc" = 0 ] && [ -f "$work/ns" ] && grep -qx "mounts 0" "$work/out" && [ -n "$net" ] &&
	   [ "$(ro "$net")" = ro ] && [ "$(ro /proc/bus)" = ro ] && [ "$(ro /proc/sys)" = ro ] &&
	   { [ ! -e /proc/keys ] || [ "$(ro /proc/keys)" = rw ]; } &&
	   { [ ! -d /sys/firmware ] || [ -n "$(awk '$5 == "/sys/firmware"' "$work/out")" ]; }; then
		ok "$how: links: /proc/mounts masked, $net read-only; runc-default's paths as before"
	else
		not_ok "$how: links: /proc/mounts masked, /proc/PID/net read-only" "exit $rc, net '$net'" \
			"$(cat "$work/out" "$work/err")"
	fi
	n=$(grep -cE '/proc/no-such-(file|dir).*skipped: missing' "$work/err")
	check "$how: missing: a missing mask and a missing read-only path are skipped ($n of 2)" [ "$n" = 2 ]
	check "$how: the namespace the run started in is unchanged" [ -f "$work/ns" ]
done

# hostile: links out of a bound volume, beneath its anchor
mkdir -p "$work/vol" "$work/rootfs/vol" && ln -s /etc/passwd "$work/vol/x" && ln -s ../.. "$work/vol/y"
for k in "masks:\n  - /vol/x" "readonly:\n  - /vol/y"; do
	printf "mountplan: 1\nname: anchored-hostile\ndev: standard\nmounts:\n  - {target: /proc, type: proc}\n  - {target: /vol, type: bind, source: %s}\n$k\n" \
		"$work/vol" >"$work/hostile.yaml"
	"$MOUNTPLAN" compile -o "$work/hostile.mpb" "$work/hostile.yaml" 2>"$work/cerr" ||
		{ not_ok "hostile: compile" "$(cat "$work/cerr")"; continue; }
	for how in new fallback; do
		exec_for $how
		ns_exec /dev/null "${run[@]}" --rootfs "$work/rootfs" "$work/hostile.mpb" -- /bin/ls /etc
		refused=no
		[ "$rc" = 125 ] && [ -f "$work/ns" ] && grep -q "a symbolic link on the path leads out of the mount it lies in" "$work/err" && refused=yes
		check "$how: hostile: ${k#*- } (a link out of the bound volume) refused (exit $rc: $(tail -n 1 "$work/err"))" \
			[ $refused = yes ]
	done
done

check_host_unchanged "$host_before"
done_testing
