#!/bin/bash
# tests/exec/namespaces.sh: the v2 additions of issue 9 on the real
# kernel.  NAMESPACES: a user namespace with the plan's mapping (uid_map,
# the command as its root, a bind whose source only the caller can reach),
# a cgroup namespace (a namespace of its own); its fault (the test build's
# MP_FAULT_OP) exits 125 naming the op with the host unchanged; the decoder
# refuses a NAMESPACES without a namespace, and a user flag without a
# mapping.  MOUNT's label: context= left out on a host without SELinux.
# BIND's copy-symlink, src-nofollow, dest-nofollow on symlinks; a bind
# after a copied link in the same directory lands there (the link's
# directory descriptor, kept for the next op, was closed and its number
# reused by the bind's source: the bind went onto a directory made in its
# own source on the host, the volume missing in the container).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
ASM=${MPBASM:-$top_builddir/tests/exec/mpbasm}
plan 13
chown -R 100000:100000 "$work/rootfs"
mkdir -p "$work/locked/src" && echo secret >"$work/locked/src/f" && chmod 700 "$work/locked"
ln -s nowhere "$work/link"
echo content >"$work/file"
mkdir -p "$work/vol" && echo volume >"$work/vol/f"

# compile NAME: stdin (a format-2 plan) into $work/NAME.mpb.
compile() {
	cat >"$work/$1.yaml"
	"$MOUNTPLAN" compile -o "$work/$1.mpb" "$work/$1.yaml" 2>"$work/cerr"
}
# run NAME BIN ENV... -- CMD...: plan NAME in a private namespace that
# must not change ($work/ns: same); rc, out, err.
run() {
	local name=$1 bin=$2; shift 2
	unshare -m --propagation private bash -c '
		w=$1 name=$2 bin=$3 rootfs=$4; shift 4
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		env "$@" >"$w/out" 2>"$w/err" </dev/null
		echo $? >"$w/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$name" "$bin" "$work/rootfs" "$@"
	rc=$(cat "$work/rc")
}
why() { echo "exit $rc"; cat "$work/cerr" "$work/out" "$work/err" 2>/dev/null | head -30; }

compile userns <<EOF
mountplan: 2
name: userns
namespaces:
  cgroup: true
  user: {uidmap: "0:100000:65536", gidmap: "0:100000:65536"}
mounts:
  - {target: /proc, type: proc}
  - {target: /mnt, type: bind, source: $work/locked/src}
EOF
run userns x MP_UNUSED=1 "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/userns.mpb" -- \
	/bin/sh -c 'cat /proc/self/uid_map; id -u; cat /mnt/f; readlink /proc/self/ns/cgroup'
if [ "$rc" = 0 ] && grep -Eq '^ +0 +100000 +65536$' "$work/out" && grep -qx 0 "$work/out"; then
	ok "user namespace: the plan's mapping, the command as its root"
else
	not_ok "user namespace: the plan's mapping, the command as its root" "$(why)"
fi
check "user namespace: a bind whose source only the caller can reach still mounts" \
	grep -qx secret "$work/out"
if [ "$rc" = 0 ] && [ "$(grep cgroup: "$work/out")" != "$(readlink /proc/self/ns/cgroup)" ]; then
	ok "cgroup namespace: one of its own"
else
	not_ok "cgroup namespace: one of its own" "$(why)"
fi
i=$("$MOUNTPLAN" dump "$work/userns.mpb" | awk '$2 == "NAMESPACES" { print $1 }')
run userns x MP_FAULT_OP="$i" "$EXEC_TEST" --rootfs "$work/rootfs" "$work/userns.mpb" -- /bin/true
if [ "$rc" = 125 ] && [ -f "$work/ns" ] && grep -q "^mountplan-exec: op $i/[0-9]* (.*userns.yaml:3:1): enter the cgroup namespace the user namespace" "$work/err"; then
	ok "NAMESPACES fault: 125, the op named, the host unchanged"
else
	not_ok "NAMESPACES fault: 125, the op named, the host unchanged" "$(why)"
fi

for bad in "flags=0|without a namespace" "flags=userns|flag and mapping disagree"; do
	printf 'name "bad"\nfile bad.txt\nROOTFS propagation=rslave\nPIVOT flags=pivot_root\nNAMESPACES %s\n' \
		"${bad%%|*}" >"$work/bad.txt"
	"$ASM" "$work/bad.txt" "$work/bad.mpb" 2>"$work/asm.err"
	chmod 0644 "$work/bad.mpb"
	run bad x MP_UNUSED=1 "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/bad.mpb" -- /bin/true
	if [ "$rc" = 125 ] && grep -q "${bad#*|}" "$work/err"; then
		ok "decoder refuses NAMESPACES ${bad%%|*}: $(head -1 "$work/err" | cut -c1-80)"
	else
		not_ok "decoder refuses NAMESPACES ${bad%%|*}" "$(why)" "$(cat "$work/asm.err")"
	fi
done

chown -R 0:0 "$work/rootfs"
ln -s nowhere "$work/rootfs/target"
compile links <<EOF
mountplan: 2
name: links
mount-label: "system_u:object_r:container_file_t:s0:c1,c2"
mounts:
  - {target: /proc, type: proc}
  - {target: /tmp, type: tmpfs, options: [size=1m]}
  - {target: /a/copied, type: bind, source: $work/link, options: [bind, copy-symlink]}
  - {target: /a/vol, type: bind, source: $work/vol}
  - {target: /target, type: bind, source: $work/file, options: [bind, dest-nofollow]}
  - {target: /srclink, type: bind, source: $work/link, options: [bind, src-nofollow]}
EOF
run links x MP_UNUSED=1 "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/links.mpb" -- \
	/bin/sh -c 'grep " /tmp " /proc/self/mountinfo; readlink /a/copied; cat /target; readlink /srclink; cat /a/vol/f; true'
if [ -e /sys/fs/selinux/enforce ]; then
	check "mount-label: context= on the tmpfs (SELinux host)" grep -q 'context=' "$work/out"
else
	check "mount-label: left out on a host without SELinux" \
		eval '[ "$rc" = 0 ] && grep -q " /tmp " "$work/out" && ! grep -q context= "$work/out"'
fi
check "copy-symlink: the link copied, src-nofollow: the link bound itself" \
	eval '[ "$(grep -cx nowhere "$work/out")" = 2 ]'
check "dest-nofollow: the file mounted on the symlink at the target" grep -qx content "$work/out"
check "a bind after a copied link in the same directory: the volume there" \
	eval '[ "$rc" = 0 ] && grep -qx volume "$work/out"'
check "a bind after a copied link: nothing made in its source on the host" \
	eval '[ "$(ls -A "$work/vol")" = f ]'
# --userns: a mount point its root may not search (0700, an owner outside
# the mapping): mount(2) cannot work from inside it (fchdir: EACCES), so
# the tmpfs goes on through the magic link, as before the "." path
mkdir -p "$work/rootfs/locked-dir" && chown 12345:12345 "$work/rootfs/locked-dir" &&
	chmod 700 "$work/rootfs/locked-dir"
compile locked <<EOF
mountplan: 1
name: locked
mounts:
  - {target: /locked-dir, type: tmpfs}
EOF
run locked x MP_UNUSED=1 "$MOUNTPLAN_EXEC" --userns --rootfs "$work/rootfs" "$work/locked.mpb" -- \
	/bin/sh -c 'touch /locked-dir/w && echo written'
check "--userns: a tmpfs on a mount point its root may not search (0700, unmapped owner)" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$work/out")" = written ] && [ -f "$work/ns" ]'
check_host_unchanged "$host_before"
done_testing
