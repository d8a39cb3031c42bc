#!/bin/bash
# tests/exec/freshroot.sh: a new filesystem as the root (plan format 2,
# `rootfs: type:`; ROOTFS with a filesystem type in the .mpb), on the real
# kernel.
#
# gvisor-sandbox (a fresh read-only tmpfs, chroot), bwrap-sandbox (tmpfs,
# pivot_root, the host's /usr) and overlay-root (an overlay of a layer, an
# upper and a work directory) run with no --rootfs; the container sees the
# new filesystem at "/" and nothing of the host but what the plan binds.
# The same with every pivot method, and with a shared root propagation,
# where the new root must still not reach the namespace the executor
# started in.  Every op of gvisor-sandbox fault-injected (exit 125, named,
# nothing changed).  Hostile: an image layer whose /proc, /dev and /etc are
# symlinks to host paths, and a real cause (a missing upperdir).  Every
# run is in a private mount namespace compared before and after, and the
# host's mount table must be unchanged at the end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
: >"$work/stdin"
mkdir -p "$work/bait" && echo "host file" >"$work/bait/file"
bait_before=$(find "$work/bait" -printf '%p %y %s %m\n' | sort)

# run MPB EXEC [ENV...] -- CMD...: run in a private namespace (propagation
# $prop, default private) that must not change; rc, out, err, ns=same.
run() {
	local mpb=$1 exec=$2; shift 2
	rm -f "$work/ns"
	unshare -m --propagation "${prop:-private}" bash -c '
		w=$1 mpb=$2 exec=$3; shift 3
		env=(); while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		env "${env[@]}" timeout 30 "$exec" "$mpb" -- "$@" >"$w/out" 2>"$w/err" <"$w/stdin"
		echo $? >"$w/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$mpb" "$exec" "$@"
	rc=$(cat "$work/rc")
}

# compile_plan PLAN OUT.mpb [--set ...]: the plan with busybox as payload.
compile_plan() {
	local p; p=$(with_payload "$1" "$work/payload"); local out=$2; shift 2
	"$MOUNTPLAN" compile "$p" "$@" -o "$out" 2>"$work/err"
}

# root_line: the container's "/" line of its mountinfo ($work/out).
root_fstype() { awk '$5 == "/" { split($0, lr, " - "); split(lr[2], r, " "); print r[1] }' "$work/out" | tail -1; }

container_files "$work/ctr"
cp -a "$work/rootfs/." "$work/ctr/layer/"
n_ops=$("$MOUNTPLAN" dump "$(with_payload "$top_srcdir/plans/gvisor-sandbox.yaml" "$work/payload")" | grep -c '^ *[0-9]')
plan $((9 + n_ops + 1))

for name in gvisor-sandbox bwrap-sandbox overlay-root; do
	want=tmpfs; [ $name = overlay-root ] && want=overlay
	mapfile -t args < <(plan_args "$top_srcdir/plans/$name.yaml" "$work/ctr" "$work/ctr/layer")
	if compile_plan "$top_srcdir/plans/$name.yaml" "$work/$name.mpb" "${args[@]}"; then
		run "$work/$name.mpb" "$MOUNTPLAN_EXEC" -- /.mp-test/cat /proc/self/mountinfo
	else
		rc=compile
	fi
	if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(root_fstype)" = $want ] &&
	   ! awk '$5 != "/"' "$work/out" | grep -q "$work"; then
		ok "$name: no --rootfs, the container's / is a new $want, nothing of the test's files shows"
	else
		not_ok "$name: no --rootfs, / is a new $want" "exit $rc, / is $(root_fstype)" "$(cat "$work/err" "$work/out")"
	fi
done

# every pivot method, on a small plan of our own; then a shared propagation
for pivot in pivot_root move chroot; do
	cat >"$work/p-$pivot.yaml" <<EOF
mountplan: 2
name: fresh-$pivot
rootfs: {type: tmpfs, source: fresh-$pivot, options: [nosuid, mode=0755], pivot: $pivot}
mounts:
  - {target: /proc, type: proc}
  - {target: /etc/passwd, type: bind, source: /etc/passwd, options: [bind, ro]}
EOF
	compile_plan "$work/p-$pivot.yaml" "$work/p.mpb" &&
		run "$work/p.mpb" "$MOUNTPLAN_EXEC" -- /.mp-test/cat /proc/self/mountinfo /etc/passwd
	if [ "$rc" = 0 ] && [ -f "$work/ns" ] && grep -q " / / rw,nosuid,relatime - tmpfs fresh-$pivot " "$work/out" &&
	   grep -q "^root:" "$work/out"; then
		ok "pivot $pivot: the new tmpfs is /, the host's passwd bound in"
	else
		not_ok "pivot $pivot: the new tmpfs is /" "exit $rc" "$(cat "$work/err" "$work/out")"
	fi
done
sed 's/pivot: pivot_root}/pivot: pivot_root, propagation: rshared}/' "$work/p-pivot_root.yaml" >"$work/shared.yaml"
compile_plan "$work/shared.yaml" "$work/p.mpb" &&
	prop=shared run "$work/p.mpb" "$MOUNTPLAN_EXEC" -- /.mp-test/cat /proc/self/mountinfo
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && grep -q " / / .* - tmpfs fresh-pivot_root " "$work/out"; then
	ok "rshared, started in a shared namespace: the new root never reaches it"
else
	not_ok "rshared: the new root never reaches the starting namespace" "exit $rc, ns $(cat "$work/ns" 2>/dev/null)" "$(cat "$work/err")"
fi

# hostile image layer: /proc, /dev and /etc are links out of it (absolute
# and relative), and /bin/sh is a link to a host path
hostile=$work/hostile-layer
mkdir -p "$hostile" && cp -a "$work/rootfs/." "$hostile/"
rm -rf "$hostile/proc" "$hostile/dev" "$hostile/etc" "$hostile/tmp"
ln -s "$work/bait" "$hostile/proc"
ln -s ../../../../../../../../../.."$work/bait" "$hostile/dev"
ln -s /etc "$hostile/etc"
ln -s "$work/bait" "$hostile/tmp"
mkdir -p "$work/hctr" && container_files "$work/hctr"
cat >"$work/hostile.yaml" <<EOF
mountplan: 2
name: hostile-layer
rootfs: {type: overlay, options: ["lowerdir=$hostile", "upperdir=$work/hctr/upper", "workdir=$work/hctr/work"]}
dev: standard
mounts:
  - {target: /proc, type: proc}
  - {target: /tmp, type: tmpfs}
masks: [/etc/passwd]
EOF
"$MOUNTPLAN" compile "$work/hostile.yaml" -o "$work/h.mpb" 2>"$work/err" &&
	run "$work/h.mpb" "$MOUNTPLAN_EXEC" -- /bin/cat /proc/self/mountinfo
if { [ "$rc" = 125 ] || { [ "$rc" = 0 ] && grep -q " /proc .* - proc " "$work/out" &&
	! grep -q "$work/bait" "$work/out"; }; } && [ -f "$work/ns" ] &&
   [ "$bait_before" = "$(find "$work/bait" -printf '%p %y %s %m\n' | sort)" ] &&
   [ -z "$(ls -A "$work/hctr/upper" 2>/dev/null | grep -v '^\(proc\|dev\|tmp\|etc\)$')" ] &&
   [ "$(stat -c %F /etc/passwd)" = "regular file" ]; then
	ok "hostile image layer (links out of it): refused or contained ($rc: $(head -c 120 "$work/err")), the host untouched"
else
	not_ok "hostile image layer: refused or contained, the host untouched" "exit $rc" "$(cat "$work/err" "$work/out")"
fi

# a real cause: the upper layer does not exist
sed "s|upperdir=$work/hctr/upper|upperdir=$work/no-such-upper|" "$work/hostile.yaml" >"$work/noupper.yaml"
"$MOUNTPLAN" compile "$work/noupper.yaml" -o "$work/nu.mpb" 2>"$work/err" &&
	run "$work/nu.mpb" "$MOUNTPLAN_EXEC" -- /bin/true
if [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
   grep -q "^mountplan-exec: op 0/[0-9]* (.*noupper.yaml:3:1): mount a new overlay as the root: No such file or directory" "$work/err"; then
	ok "real cause: a missing upperdir fails ROOTFS (125, named), nothing changed"
else
	not_ok "real cause: a missing upperdir fails ROOTFS (125, named)" "exit $rc" "$(cat "$work/err")"
fi

# fault injection: every op of gvisor-sandbox
"$MOUNTPLAN" dump "$work/gvisor-sandbox.mpb" | awk '$1 ~ /^[0-9]+$/ { print $1, $2 }' >"$work/ops"
n=$(wc -l <"$work/ops")
while read -r i opname; do
	run "$work/gvisor-sandbox.mpb" "$EXEC_TEST" MP_FAULT_OP="$i" -- /.mp-test/cat /proc/self/mountinfo
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] && grep -Eq "^mountplan-exec: op $i/$n \(.*gvisor-sandbox.yaml:[0-9]+:[0-9]+\): .*: (I/O|Input/output) error$" "$work/err"; then
		ok "fault at op $i/$n $opname: 125, named, nothing changed"
	else
		not_ok "fault at op $i/$n $opname: 125, named, nothing changed" "exit $rc" "$(cat "$work/err")"
	fi
done <"$work/ops"

check_host_unchanged "$host_before"
done_testing
