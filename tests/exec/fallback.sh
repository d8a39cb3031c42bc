#!/bin/bash
# tests/exec/fallback.sh: the classic mount(2) fallback gives the same
# container as the new mount API.  A plan with every op kind (MOUNT with
# data, tmpcopyup and propagation, recursive and optional BIND with
# recursive attributes, CGROUP, block/FIFO/char MKNOD with owners,
# SYMLINK, MASK of a file, a directory and a missing path, READONLY with
# a writable hole, over a nosymfollow tmpfs (a fallback remount kept its
# other flags but dropped nosymfollow) and of a file, a file's BIND with
# a propagation (a file's mount cannot be the working directory the
# fallback mounts on "." from), read-only root, UMASK, CHDIR),
# once per pivot method,
# runs three times under mountplan-exec-test (the test build): normally,
# with MP_FORCE_FALLBACK=1 (mount(2) on self/fd/N of the host's procfs;
# a recursive attribute asks listmount whether the tree has submounts),
# with MP_FORCE_FALLBACK=mountinfo (the same without listmount, as before
# Linux 6.8: self/mountinfo tells), with MP_FORCE_FALLBACK=setattr (a
# 5.2-5.11 kernel: the new mount API but no mount_setattr) and with
# MP_FORCE_FALLBACK=open_tree (before 6.15: a bind with attributes by
# open_tree + mount_setattr, not open_tree_attr).  The payload prints its mount table (normalized:
# mount ids, anonymous device numbers and peer group ids differ run to
# run), umask, cwd, /dev and /mnt; each forced run's output must equal
# the normal run's.  strace shows that each run took its path: the
# fallback mount(2) on self/fd/N and no fsopen/fsmount (listmount for
# the READONLY ops and no mountinfo read but for the rbind with a
# submount; without listmount, mountinfo), the normal run the new API,
# the setattr run the new API without mount_setattr.
# Host and parent namespace unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
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
  - {target: /mnt/nosym, type: tmpfs, options: [nosymfollow]}
  - {target: /mnt/file, type: bind, source: $work/bsrc/file, propagation: private}
devices:
  - {path: /dev/loop-test, type: b, major: 7, minor: 200, mode: 0600, uid: 1000, gid: 1000}
  - {path: /dev/fifo-test, type: p, mode: 0620}
symlinks:
  - {path: /mnt/link, target: ../tmp}
masks: [/proc/kcore, /proc/acpi, /proc/no-such-file, /etc/hostname]
readonly:
  - {path: /proc/sys, writable: [/proc/sys/kernel]}
  - /proc/bus
  - /mnt/nosym
  - /etc/motd
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
			"$exec" --rootfs "$w/rootfs" "$mpb" -- /bin/sh -c \
			"cat /proc/self/mountinfo; umask; pwd; stat -c \"%n %F %a %u:%g %t:%T\" /dev/* /mnt/*; cat /etc/motd" \
			>"$w/$name.out" 2>"$w/$name.err" </dev/null
		echo $? >"$w/$name.rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/$name.ns"
		true' - "$work" "$name" "$EXEC_TEST" "$mpb" "$@"
}

methods="pivot_root move chroot"
plan $(( $(echo $methods | wc -w) * 9 + 1 ))
for m in $methods; do
	every_op_plan "$m" >"$work/$m.yaml"
	if ! "$MOUNTPLAN" compile -o "$work/$m.mpb" "$work/$m.yaml" 2>"$work/$m.cerr"; then
		not_ok "$m: every-op plan compiles" "$(cat "$work/$m.cerr")"
		for k in 1 2 3 4 5 6 7 8; do not_ok "$m: (not run)"; done
		continue
	fi
	ok "$m: every-op plan compiles ($(grep -c . <("$MOUNTPLAN" dump "$work/$m.mpb")) dump lines)"
	# a first run creates the directories the plan mounts on: a tmpfs over
	# an existing directory takes its mode, so the compared runs must all
	# find the same rootfs
	run "$m-warmup" "$work/$m.mpb" MP_UNUSED=1
	run "$m-new" "$work/$m.mpb" MP_UNUSED=1
	run "$m-fallback" "$work/$m.mpb" MP_FORCE_FALLBACK=1
	run "$m-setattr" "$work/$m.mpb" MP_FORCE_FALLBACK=setattr
	run "$m-mountinfo" "$work/$m.mpb" MP_FORCE_FALLBACK=mountinfo
	run "$m-twocalls" "$work/$m.mpb" MP_FORCE_FALLBACK=open_tree
	new_rc=$(cat "$work/$m-new.rc") fb_rc=$(cat "$work/$m-fallback.rc")
	sa_rc=$(cat "$work/$m-setattr.rc") mi_rc=$(cat "$work/$m-mountinfo.rc")
	if [ "$new_rc" = 0 ] && [ "$fb_rc" = 0 ] && [ "$sa_rc" = 0 ] && [ "$mi_rc" = 0 ]; then
		ok "$m: all four runs exit 0"
	else
		not_ok "$m: all four runs exit 0" "new API: exit $new_rc: $(cat "$work/$m-new.err")" \
			"fallback: exit $fb_rc: $(cat "$work/$m-fallback.err")" \
			"fallback without listmount: exit $mi_rc: $(cat "$work/$m-mountinfo.err")" \
			"no mount_setattr: exit $sa_rc: $(cat "$work/$m-setattr.err")"
	fi
	# same KIND WHAT: the KIND run's container equals the new API's.
	same() {
		: >"$work/$m-$1.diff"
		if [ "$new_rc" = 0 ] && [ -s "$work/$m-new.out" ] &&
		   diff <(normalize "$work/$m-new.out") <(normalize "$work/$m-$1.out") >"$work/$m-$1.diff"; then
			ok "$m: same container $2 ($(grep -c ' - ' "$work/$m-new.out") mounts)"
		else
			not_ok "$m: same container $2" "$(cat "$work/$m-$1.diff")"
		fi
	}
	same fallback "with the mount(2) fallback"
	same setattr "without mount_setattr (a 5.2-5.11 kernel)"
	same mountinfo "with the mount(2) fallback without listmount (before Linux 6.8)"
	# A bind with attributes is one open_tree_attr (Linux 6.15) in the
	# new API's run (the READONLY ops, the recursive bind with rro...),
	# open_tree + mount_setattr without it: the same container.
	# (an strace older than open_tree_attr prints it by number, 467 = 0x1d3)
	ota() { grep -cE '^[0-9]+ +(open_tree_attr|syscall_0x1d3)\(' "$work/$m-$1.trace"; }
	new_ota=$(ota new) two_ota=$(ota twocalls)
	two_sa=$(grep -cE '^[0-9]+ +mount_setattr\(' "$work/$m-twocalls.trace")
	: >"$work/$m-twocalls.diff"
	if [ "$new_rc" = 0 ] && [ "$(cat "$work/$m-twocalls.rc")" = 0 ] && [ "$new_ota" -ge 4 ] &&
	   [ "$two_ota" = 0 ] && [ "$two_sa" -ge "$new_ota" ] &&
	   diff <(normalize "$work/$m-new.out") <(normalize "$work/$m-twocalls.out") >"$work/$m-twocalls.diff"; then
		ok "$m: same container without open_tree_attr (before Linux 6.15: $two_sa mount_setattr; new API: $new_ota open_tree_attr)"
	else
		not_ok "$m: same container without open_tree_attr" \
			"exit $(cat "$work/$m-twocalls.rc"): $(cat "$work/$m-twocalls.err")" \
			"open_tree_attr: new API $new_ota, without $two_ota; mount_setattr without: $two_sa" \
			"$(cat "$work/$m-twocalls.diff")"
	fi
	# The fallback asked listmount (one call per recursive attribute
	# change: the four READONLY ops, the rbind) and read mountinfo only
	# for the rbind, whose tree has a submount (and where the new API
	# does: PIVOT move's detach); without listmount it read mountinfo for
	# the READONLY ops too and made no listmount call.
	mi_reads() { grep -cE '^[0-9]+ +openat\([0-9]+, "self/mountinfo"' "$work/$m-$1.trace"; }
	# (an strace older than listmount prints it by number, 458 = 0x1ca)
	lm_calls() { grep -cE '^[0-9]+ +(listmount|syscall_0x1ca)\(' "$work/$m-$1.trace"; }
	fb_lm=$(lm_calls fallback) mi_lm=$(lm_calls mountinfo)
	new_mi=$(mi_reads new) fb_mi=$(mi_reads fallback) mi_mi=$(mi_reads mountinfo)
	if [ "$fb_lm" -ge 5 ] && [ "$fb_mi" = $((new_mi + 1)) ] && [ "$mi_lm" = 0 ] &&
	   [ "$mi_mi" -gt "$fb_mi" ]; then
		ok "$m: fallback: $fb_lm listmount, mountinfo read only for the tree with a submount ($fb_mi, new API $new_mi); without listmount $mi_mi reads"
	else
		not_ok "$m: fallback asks listmount, reads mountinfo only for a tree with a submount" \
			"fallback: $fb_lm listmount, $fb_mi mountinfo reads (new API: $new_mi)" \
			"without listmount: $mi_lm listmount, $mi_mi mountinfo reads"
	fi
	# The fallback really ran: mount(2) on self/fd/N, no fsopen or
	# fsmount; the normal run used the new API; the setattr run none of
	# mount_setattr.
	fb_mounts=$(grep -cE '^[0-9]+ +mount\([^,]*, "([^"]*self/fd/)?[0-9]+"' "$work/$m-fallback.trace")
	fb_new=$(grep -cE '^[0-9]+ +(fsopen|fsmount)\(' "$work/$m-fallback.trace")
	new_new=$(grep -cE '^[0-9]+ +(fsopen|fsmount|open_tree|move_mount)\(' "$work/$m-new.trace")
	sa_setattr=$(grep -cE '^[0-9]+ +mount_setattr\(' "$work/$m-setattr.trace")
	sa_new=$(grep -cE '^[0-9]+ +(fsopen|fsmount|open_tree|move_mount)\(' "$work/$m-setattr.trace")
	if [ "$new_rc" = 0 ] && [ "$fb_rc" = 0 ] && [ "$sa_rc" = 0 ] &&
	   [ "$fb_mounts" -gt 0 ] && [ "$fb_new" = 0 ] && [ "$new_new" -gt 0 ] &&
	   [ "$sa_setattr" = 0 ] && [ "$sa_new" -gt 0 ]; then
		ok "$m: each run took its path (fallback: $fb_mounts mount(2) on self/fd/N; new API: $new_new calls; no-setattr: $sa_new new-API calls, 0 mount_setattr)"
	else
		not_ok "$m: all ran; each run took its path" \
			"fallback: $fb_mounts mount(2) on self/fd, $fb_new fsopen/fsmount; normal: $new_new new-API calls" \
			"no-setattr run: $sa_setattr mount_setattr, $sa_new other new-API calls"
	fi
	if [ -f "$work/$m-new.ns" ] && [ -f "$work/$m-fallback.ns" ] && [ -f "$work/$m-setattr.ns" ] &&
	   [ -f "$work/$m-mountinfo.ns" ]; then
		ok "$m: parent namespace unchanged by all four runs"
	else
		not_ok "$m: parent namespace unchanged by all four runs"
	fi
done
check_host_unchanged "$host_before"
done_testing
