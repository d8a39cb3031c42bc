#!/bin/bash
# tests/exec/relpath.sh: a MOUNT whose source or data holds a relative
# path (overlay's lowerdir=, upperdir=, workdir=; a disk's device) must
# never have it resolved inside the rootfs, which is hostile: before
# PIVOT the executor's root is still the host's, so a symlink planted at
# the mount target would take the kernel to a host directory or device.
# Each case runs with the new mount API and with the mount(2) fallback
# (MP_FORCE_FALLBACK: mount(2) on the resolved target for every call).
# Passing: refused (exit 125) or the container does not see the bait; and
# the bait is as it was, the namespace the executor ran from is unchanged.
# A control first: the same overlay with absolute paths shows its lower
# layer, so overlay works here and a refusal below is the relative path's.
# The compiler refuses relative overlay directories (MP-OPTION), so that
# plan is assembled (mpbasm) for the executor, which must hold anyway.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
plan 11
: >"$work/stdin"
bait=$work/bait
mkdir -p "$bait/lower" "$bait/upper" "$bait/work"
echo "host secret" >"$bait/lower/secret"

# run_plan PLAN ROOTFS ENV...: compile PLAN (a .txt: assemble it) and run
# it over ROOTFS (the payload prints /ov/secret and /d/marker); $rc,
# $work/out.
run_plan() {
	local plan=$1 rootfs=$2; shift 2
	case $plan in
	*.txt) "$top_builddir/tests/exec/mpbasm" --check "$plan" "$work/plan.mpb" 2>"$work/err" ||
		{ rc=asm; return; } ;;
	*) "$MOUNTPLAN" compile "$plan" -o "$work/plan.mpb" 2>"$work/err" || { rc=compile; return; } ;;
	esac
	ns_exec "$work/stdin" env "$@" --rootfs "$rootfs" "$work/plan.mpb" -- \
		/bin/sh -c 'cat /ov/secret /d/marker 2>/dev/null; true'
}

printf 'mountplan: 1\nname: ovabs\nmounts:\n  - {target: /ov, type: overlay, source: overlay, options: ["lowerdir=%s", "upperdir=%s", "workdir=%s"]}\n' \
	"$bait/lower" "$work/cupper" "$work/cwork" >"$work/abs.yaml"
mkdir -p "$work/cupper" "$work/cwork"
cp -a "$work/rootfs" "$work/control"
# control YAML WORDS LABEL: YAML over the untouched rootfs exits 0 and
# the payload prints WORDS.
control() {
	run_plan "$1" "$work/control" "$MOUNTPLAN_EXEC"
	if [ "$rc" = 0 ] && grep -q "$2" "$work/out"; then
		ok "control: $3"
	else
		not_ok "control: $3" "rc=$rc" "$(cat "$work/out" "$work/err")"
	fi
}
control "$work/abs.yaml" "host secret" "an overlay with absolute paths shows its lower layer"

# The hostile rootfs: /ov/low, /ov/up, /ov/wk are symlinks to the bait.
cp -a "$work/rootfs" "$work/ovroot"
mkdir -p "$work/ovroot/ov"
ln -s "$bait/lower" "$work/ovroot/ov/low"
ln -s "$bait/upper" "$work/ovroot/ov/up"
ln -s "$bait/work" "$work/ovroot/ov/wk"
printf 'mountplan: 1\nname: ovrel\nmounts:\n  - {target: /ov, type: overlay, source: overlay, options: ["lowerdir=low", "upperdir=up", "workdir=wk"]}\n' \
	>"$work/rel.yaml"
if ! "$MOUNTPLAN" compile "$work/rel.yaml" -o "$work/rel.mpb" 2>"$work/err" &&
   [ "$(grep -c 'needs absolute paths.*\[MP-OPTION\]' "$work/err")" = 3 ] && [ ! -e "$work/rel.mpb" ]; then
	ok "the compiler refuses relative lowerdir, upperdir and workdir (MP-OPTION each)"
else
	not_ok "the compiler refuses relative lowerdir, upperdir and workdir (MP-OPTION each)" \
		"$(cat "$work/err")"
fi
printf '%s\n' "ROOTFS propagation=rslave" \
	'MOUNT target=/ov fstype=overlay source=overlay data="lowerdir=low,upperdir=up,workdir=wk" flags=mkdir' \
	"PIVOT flags=pivot_root" "CHDIR target=/" >"$work/rel.txt"

# contained LABEL: the last run neither showed the bait nor wrote it.
contained() {
	if { [ "$rc" = 0 ] || [ "$rc" = 125 ]; } && ! grep -q "host secret" "$work/out" &&
	   [ -z "$(find "$bait/upper" "$bait/work" -mindepth 1)" ] && [ -f "$work/ns" ]; then
		ok "$1: rc=$rc, the host's directories stay out of the container"
	else
		not_ok "$1: the host's directories stay out of the container" \
			"rc=$rc" "$(cat "$work/out" "$work/err")" "$(find "$bait/upper" "$bait/work" -mindepth 1)"
	fi
}
run_plan "$work/rel.txt" "$work/ovroot" "$MOUNTPLAN_EXEC"
contained "overlay with relative lowerdir/upperdir/workdir, links in the rootfs (new API)"
run_plan "$work/rel.txt" "$work/ovroot" MP_FORCE_FALLBACK=1 "$EXEC_TEST"
contained "overlay with relative lowerdir/upperdir/workdir, links in the rootfs (fallback)"

# A disk: an ext4 image on a loop device of the host, its marker file
# "host disk"; the rootfs links /d/disk to that device, or holds a block
# node of the same numbers; the plan mounts ext4 from the relative "disk".
img=$work/disk.img
loop=
if truncate -s 8M "$img" && mkfs.ext4 -q -F "$img" >/dev/null 2>&1 &&
   loop=$(losetup -f --show "$img" 2>/dev/null); then
	mkdir "$work/m" && unshare -m --propagation private /bin/sh -c \
		'mount "$1" "$2" && echo "host disk" >"$2/marker" && umount "$2"' - "$loop" "$work/m"
	trap 'losetup -d "$loop" 2>/dev/null; rm -rf "$work"' EXIT
	printf 'mountplan: 1\nname: diskrel\nmounts:\n  - {target: /d, type: ext4, source: disk}\n' \
		>"$work/disk.yaml"
	printf 'mountplan: 1\nname: diskabs\nmounts:\n  - {target: /d, type: ext4, source: %s}\n' \
		"$loop" >"$work/diskabs.yaml"
	control "$work/diskabs.yaml" "host disk" "ext4 from $loop by its absolute path is mounted"
	if ! "$MOUNTPLAN" compile "$work/disk.yaml" -o "$work/disk.mpb" 2>"$work/err" &&
	   grep -q '^[^:]*:4:38: error: the source of this ext4 mount is a device.*\[MP-SOURCE\]' "$work/err" &&
	   [ ! -e "$work/disk.mpb" ]; then
		ok "the compiler refuses ext4 from the relative \"disk\" (MP-SOURCE at the source)"
	else
		not_ok "the compiler refuses ext4 from the relative \"disk\" (MP-SOURCE at the source)" \
			"$(cat "$work/err")"
	fi
	# the executor's own answer to such an op (assembled: the compiler refuses it)
	printf '%s\n' "ROOTFS propagation=rslave" "MOUNT target=/d fstype=ext4 source=disk flags=mkdir" \
		"PIVOT flags=pivot_root" "CHDIR target=/" >"$work/disk.txt"
	cp -a "$work/rootfs" "$work/linkroot"
	mkdir -p "$work/linkroot/d" && ln -s "$loop" "$work/linkroot/d/disk"
	cp -a "$work/rootfs" "$work/noderoot"
	mkdir -p "$work/noderoot/d" &&
		mknod "$work/noderoot/d/disk" b "$(stat -c '%t' "$loop" | xargs printf '%d')" \
			"$(stat -c '%T' "$loop" | xargs printf '%d')"
	for r in linkroot noderoot; do
		for how in new fallback; do
			if [ $how = new ]; then
				run_plan "$work/disk.txt" "$work/$r" "$MOUNTPLAN_EXEC"
			else
				run_plan "$work/disk.txt" "$work/$r" MP_FORCE_FALLBACK=1 "$EXEC_TEST"
			fi
			if { [ "$rc" = 0 ] || [ "$rc" = 125 ]; } && ! grep -q "host disk" "$work/out" &&
			   [ -f "$work/ns" ]; then
				ok "ext4 from the relative \"disk\", $r in the rootfs ($how): rc=$rc, the host's device stays out"
			else
				not_ok "ext4 from the relative \"disk\", $r in the rootfs ($how): the host's device stays out" \
					"rc=$rc" "$(cat "$work/out" "$work/err")"
			fi
		done
	done
else
	not_ok "set up an ext4 image on a loop device" "$(ls -l "$img" 2>&1)"
	for i in 1 2 3 4 5 6; do not_ok "ext4 cases (no loop device)"; done
fi
check_host_unchanged "$host_before"
done_testing
