#!/bin/bash
# tests/exec/nodeowner.sh: a device node made on the plan's new tmpfs has
# the planned owner and mode whatever that tmpfs's root is and whoever
# runs the executor.  A node made in a clean directory (a new tmpfs's
# root, or a directory made in one) that is not setgid gets the executor's
# euid and egid, so node_make looks at it only when the plan names another
# owner; these cases are the ones where the kernel gives something else:
#   plain      tmpfs mode=0755: nodes with the default owner, one with
#              1000:1001, one in a directory made there
#   nonroot    the same plan, the executor run as uid 1000 with the
#              capabilities it needs (ambient): the default owner 0:0
#              still (the kernel made them 1000:1000)
#   sgid       tmpfs mode=2775,gid=4321: the nodes take the root's group
#              (and the made directory its setgid bit): the planned 0:0
#   imagesgid  the image's /dev setgid, group 4321, a tmpfs with no mode=
#              (the executor copies the directory's mode and owner, as
#              runc does): 0:0
#   lastmode   tmpfs mode=0755,gid=4321,mode=2775: the kernel keeps the
#              last mode=, setgid: 0:0
# each with the new mount API and the mount(2) fallback.  Cost: runc-
# default's six nodes cost no stat; a control, the sgid plan, one each.
# The host's mount table is the same afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
plan 13

# plan_for OPTIONS: a plan with a tmpfs /dev of OPTIONS (YAML list items)
# and three nodes.
plan_for() {
	cat <<EOF
mountplan: 1
name: node-owner
mounts:
  - {target: /dev, type: tmpfs, source: tmpfs, options: [$1]}
devices:
  - {path: /dev/n0, type: c, major: 1, minor: 3, mode: 0666}
  - {path: /dev/n1, type: c, major: 1, minor: 5, mode: 0640, uid: 1000, gid: 1001}
  - {path: /dev/sub/n2, type: c, major: 1, minor: 3, mode: 0600}
EOF
}
want='/dev/n0 0:0 666 1:3
/dev/n1 1000:1001 640 1:5
/dev/sub/n2 0:0 600 1:3'

for p in "plain nosuid, mode=0755" "sgid nosuid, mode=2775, gid=4321" "imagesgid nosuid" \
	 "lastmode mode=0755, gid=4321, mode=2775"; do
	plan_for "${p#* }" >"$work/${p%% *}.yaml"
	"$MOUNTPLAN" compile -o "$work/${p%% *}.mpb" "$work/${p%% *}.yaml" 2>"$work/cerr" ||
		{ echo "Bail out! compile ${p%% *}: $(cat "$work/cerr")"; exit 1; }
done
cp "$work/plain.mpb" "$work/nonroot.mpb"
cp -a "$work/rootfs" "$work/sgroot"
chgrp 4321 "$work/sgroot/dev" && chmod 2755 "$work/sgroot/dev"
caps=+sys_admin,+mknod,+chown,+fowner,+dac_override,+dac_read_search,+fsetid,+sys_chroot,+setuid,+setgid,+setpcap
# nonroot: setpriv hands uid 1000 those capabilities (ambient), if it can
as_uid1000=(setpriv --reuid 1000 --regid 1000 --clear-groups --inh-caps $caps --ambient-caps $caps)
nonroot=$("${as_uid1000[@]}" true 2>&1) && nonroot=yes

for how in new fallback; do
	exec_for $how
	for c in plain nonroot sgid imagesgid lastmode; do
		if [ $c = nonroot ] && [ "$nonroot" != yes ]; then
			ok "$how: $c # SKIP setpriv cannot hand uid 1000 the capabilities here: $nonroot"
			continue
		fi
		root=$work/rootfs as=()
		[ $c = imagesgid ] && root=$work/sgroot
		[ $c = nonroot ] && as=("${as_uid1000[@]}")
		ns_exec /dev/null "${as[@]}" "${run[@]}" --rootfs "$root" "$work/$c.mpb" -- \
			/bin/busybox stat -c '%n %u:%g %a %t:%T' /dev/n0 /dev/n1 /dev/sub/n2
		if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(cat "$work/out")" = "$want" ]; then
			ok "$how: $c: every node has the planned owner and mode"
		else
			not_ok "$how: $c: every node has the planned owner and mode" "exit $rc" \
				"$(cat "$work/out" "$work/err")"
		fi
	done
done

# the stat a node costs: none on runc-default's tmpfs /dev, one each where
# the tmpfs's root is setgid
if command -v strace >/dev/null; then
	"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml" 2>/dev/null
	node_stat='stat[a-z]*\([0-9]+, "(null|zero|full|random|urandom|tty|n0|n1|n2)"'
	traced_run "$node_stat" "$work/rootfs" "$work/rd.mpb"
	check "runc-default: its six nodes cost no stat (exit $rc, $calls stats)" \
		[ "$rc" = 0 -a "$calls" = 0 ]
	traced_run "$node_stat" "$work/rootfs" "$work/sgid.mpb"
	check "a control: on a setgid tmpfs each node is looked at (exit $rc, $calls stats)" \
		[ "$rc" = 0 -a "$calls" -ge 3 ]
else
	ok "runc-default: no stat per node # SKIP strace not installed"
	ok "a control: a stat per node # SKIP strace not installed"
fi

check_host_unchanged "$host_before"
done_testing
