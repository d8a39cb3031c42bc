#!/bin/bash
# tests/exec/fallback.sh: the classic mount(2) fallback gives the same
# container as the new mount API.  A plan with every op kind (MOUNT with
# data, tmpcopyup and propagation, recursive and optional BIND with
# recursive attributes, CGROUP, block/FIFO/char MKNOD with owners,
# SYMLINK, MASK of a file, a directory and a missing path, READONLY with
# a writable hole, read-only root, UMASK, CHDIR), once per pivot method,
# runs twice under mountplan-exec-test (the test build): normally and
# with MP_FORCE_FALLBACK=1.  The payload prints its mount table
# (normalized: mount ids, anonymous device numbers and peer group ids
# differ run to run), umask, cwd and /dev; the two outputs must be equal.  strace shows that the forced run really took the
# fallback (mount(2) on /proc/self/fd/N, no fsopen/fsmount), and the
# normal run the new API.  Host and parent namespace unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
EXEC_TEST=${MOUNTPLAN_EXEC_TEST:-$top_builddir/mountplan-exec-test}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
host_before=$(cut -d' ' -f5- /proc/self/mountinfo | sort)

if ! bash "$top_srcdir/tests/mkrootfs.sh" "$work/rootfs" >"$work/mkrootfs.log" 2>&1; then
	plan 1; not_ok "build the busybox rootfs" "$(cat "$work/mkrootfs.log")"; done_testing; exit
fi
mkdir -p "$work/bsrc" "$work/btree/sub" "$work/rootfs/etc"
echo data >"$work/bsrc/file"
echo container >"$work/rootfs/etc/hostname"
echo copied-up >"$work/rootfs/etc/motd"

# every_op_plan PIVOT: the plan, with that pivot method.
every_op_plan() {
	cat <<EOF
mountplan: 1
name: every-op-$1
rootfs: {readonly: true, propagation: rslave, pivot: $1}
process: {umask: "0027", cwd: /tmp}
dev: standard
mounts:
  - {target: /proc, type: proc, options: [nosuid, nodev, noexec]}
  - {target: /sys, type: sysfs, options: [ro, nosuid, nodev, noexec]}
  - {target: /sys/fs/cgroup, type: cgroup, options: [ro, nosuid, nodev, noexec]}
  - {target: /tmp, type: tmpfs, options: [nosuid, nodev, mode=1777]}
  - {target: /etc, type: tmpfs, options: [tmpcopyup]}
  - {target: /mnt/host, type: bind, source: $work/bsrc, options: [rbind, ro, nosuid]}
  - {target: /mnt/tree, type: bind, source: $work/btree, options: [rbind, rro, rnoexec]}
  - {target: /mnt/missing, type: bind, source: $work/no-such-source, optional: true}
  - {target: /mnt/shared, type: tmpfs, propagation: shared}
  - {target: /mnt/private, type: tmpfs, options: [noatime, nosymfollow], propagation: unbindable}
devices:
  - {path: /dev/loop-test, type: b, major: 7, minor: 200, mode: 0600, uid: 1000, gid: 1000}
  - {path: /dev/fifo-test, type: p, mode: 0620}
symlinks:
  - {path: /mnt/link, target: ../tmp}
masks: [/proc/kcore, /proc/acpi, /proc/no-such-file, /etc/hostname]
readonly:
  - {path: /proc/sys, writable: [/proc/sys/kernel]}
  - /proc/bus
  - /proc/no-such-dir
EOF
}

# normalize FILE: the payload's output without what differs between two
# identical runs: a mount's id and its parent's become the parent's mount
# point (the tree, not the allocation order), anonymous device numbers
# and peer group numbers go, and the lines are sorted.
normalize() {
	awk 'NR == FNR { if (/ - /) mp[$1] = $5; next }
	     / - / { $2 = mp[$2]; $1 = "-"; if ($3 ~ /^0:/) $3 = "0:*";
		     for (i = 7; i <= NF && $i != "-"; i++) gsub(/[0-9]+/, "N", $i) }
	     { print }' "$1" "$1" | sort
}

# run NAME MPB ENV...: run the plan in a private namespace (checked
# unchanged), under strace; output in $work/NAME.*
run() {
	local name=$1 mpb=$2
	shift 2
	unshare -m --propagation private bash -c '
		w=$1 name=$2 exec=$3 mpb=$4; shift 4
		# a submount inside the rbind source, visible only here
		mount -t tmpfs sub "$w/btree/sub"
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		env "$@" timeout 60 strace -f -qq -o "$w/$name.trace" \
			-e trace=mount,fsopen,fsmount,open_tree,move_mount,mount_setattr \
			"$exec" --rootfs "$w/rootfs" "$mpb" -- /bin/sh -c \
			"cat /proc/self/mountinfo; umask; pwd; stat -c \"%n %F %a %u:%g %t:%T\" /dev/* /mnt/*; cat /etc/motd" \
			>"$w/$name.out" 2>"$w/$name.err" </dev/null
		echo $? >"$w/$name.rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/$name.ns"
		true' - "$work" "$name" "$EXEC_TEST" "$mpb" "$@"
}

methods="pivot_root move chroot"
plan $(( $(echo $methods | wc -w) * 5 + 1 ))
for m in $methods; do
	every_op_plan "$m" >"$work/$m.yaml"
	if ! "$MOUNTPLAN" compile -o "$work/$m.mpb" "$work/$m.yaml" 2>"$work/$m.cerr"; then
		not_ok "$m: every-op plan compiles" "$(cat "$work/$m.cerr")"
		for k in 1 2 3 4; do not_ok "$m: (not run)"; done
		continue
	fi
	ok "$m: every-op plan compiles ($(grep -c . <("$MOUNTPLAN" dump "$work/$m.mpb")) dump lines)"
	run "$m-new" "$work/$m.mpb" MP_UNUSED=1
	run "$m-fallback" "$work/$m.mpb" MP_FORCE_FALLBACK=1
	new_rc=$(cat "$work/$m-new.rc") fb_rc=$(cat "$work/$m-fallback.rc")
	if [ "$new_rc" = 0 ] && [ "$fb_rc" = 0 ]; then
		ok "$m: both runs exit 0"
	else
		not_ok "$m: both runs exit 0" "new API: exit $new_rc: $(cat "$work/$m-new.err")" \
			"fallback: exit $fb_rc: $(cat "$work/$m-fallback.err")"
	fi
	: >"$work/$m.diff"
	if [ "$new_rc" = 0 ] && [ -s "$work/$m-new.out" ] &&
	   diff <(normalize "$work/$m-new.out") <(normalize "$work/$m-fallback.out") >"$work/$m.diff"; then
		ok "$m: same container with the fallback ($(grep -c ' - ' "$work/$m-new.out") mounts)"
	else
		not_ok "$m: same container with the fallback" "$(cat "$work/$m.diff")"
	fi
	# The fallback really ran: mount(2) on /proc/self/fd/N, no fsopen or
	# fsmount; the normal run used the new API.
	fb_mounts=$(grep -cE '^[0-9]+ +mount\([^,]*, "/proc/self/fd/[0-9]+' "$work/$m-fallback.trace")
	fb_new=$(grep -cE '^[0-9]+ +(fsopen|fsmount)\(' "$work/$m-fallback.trace")
	new_new=$(grep -cE '^[0-9]+ +(fsopen|fsmount|open_tree|move_mount)\(' "$work/$m-new.trace")
	if [ "$new_rc" = 0 ] && [ "$fb_rc" = 0 ] &&
	   [ "$fb_mounts" -gt 0 ] && [ "$fb_new" = 0 ] && [ "$new_new" -gt 0 ]; then
		ok "$m: fallback used mount(2) on /proc/self/fd/N $fb_mounts times, new API run $new_new new-API calls"
	else
		not_ok "$m: both ran; the forced run took the fallback, the normal run the new API" \
			"fallback: $fb_mounts mount(2) on /proc/self/fd, $fb_new fsopen/fsmount; normal: $new_new new-API calls"
	fi
	if [ -f "$work/$m-new.ns" ] && [ -f "$work/$m-fallback.ns" ]; then
		ok "$m: parent namespace unchanged by both runs"
	else
		not_ok "$m: parent namespace unchanged by both runs"
	fi
done
check "host mount table unchanged" \
	[ "$host_before" = "$(cut -d' ' -f5- /proc/self/mountinfo | sort)" ]
done_testing
