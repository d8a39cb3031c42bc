#!/bin/bash
# tests/exec/smoke.sh: every op kind of mountplan-exec on a busybox rootfs.
# Plans are written with tests/exec/mpbasm (no compiler involved); each run
# happens inside `unshare -m --propagation private`, and the payload's view
# (its mountinfo, stat, ls) is checked.  Also: the error line, exit codes,
# --dry-run, --trace, the test hooks (MP_FAULT_OP, MP_FORCE_FALLBACK, with
# strace showing the fallback uses mount(2) only), inherited descriptors,
# stdio on /dev/null, --userns.  The host's mount table must be unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
ASM=${MPBASM:-$top_builddir/tests/exec/mpbasm}
exec_test_start
chmod 0755 "$work"
rootfs=$work/rootfs
mkdir -p "$rootfs/data/sub" "$rootfs/mnt"
echo data >"$rootfs/data/file"
ln -s file "$rootfs/data/link"
mkdir -p "$work/host/src/inner" "$work/idsrc"
echo hostfile >"$work/host/file"
echo owned >"$work/idsrc/f"
chown 1000:1000 "$work/idsrc/f"

plan 48

# asm NAME: assemble stdin (a prelude is added) into $work/NAME.mpb.
asm() {
	{ echo "name \"$1\""; echo "file smoke.txt"; cat; } >"$work/$1.txt"
	"$ASM" --check "$work/$1.txt" "$work/$1.mpb" 2>"$work/asm.err" ||
		echo "asm $1: $(cat "$work/asm.err")" >&2
	chmod 0644 "$work/$1.mpb"
}

# run NAME [EXEC-OPTIONS...] -- CMD...: run plan NAME in a private
# namespace; sets rc, out ($work/out) and err ($work/err).
run() {
	local name=$1; shift
	local bin=${BIN:-$MOUNTPLAN_EXEC}
	# shellcheck disable=SC2086 # $bin may be a wrapper command line
	timeout 60 unshare -m --propagation private $bin --rootfs "$rootfs" \
		"$work/$name.mpb" "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
}

# has PATTERN: the payload's output matches the extended regex.
has() { grep -Eq -- "$1" "$work/out"; }
# why: the details of a failed case.
why() { echo "exit $rc"; echo "stdout:"; head -40 "$work/out"; echo "stderr:"; head -20 "$work/err"; }
# expect DESCRIPTION CONDITION...: ok when rc is 0 and CONDITION holds.
expect() {
	local d=$1; shift
	if [ "$rc" = 0 ] && "$@"; then ok "$d"; else not_ok "$d" "$(why)"; fi
}
# expect_rc DESCRIPTION RC PATTERN: ok when the last run exited RC and
# its stderr has a line matching PATTERN.
expect_rc() { if [ "$rc" = "$2" ] && grep -q "$3" "$work/err"; then ok "$1"; else not_ok "$1" "$(why)"; fi; }
# mi MOUNTPOINT: the payload's mountinfo line for MOUNTPOINT (last one).
mi() { awk -v m="$1" '$5 == m' "$work/out" | tail -1; }
# opts MOUNTPOINT OPT: the per-mount options of MOUNTPOINT include OPT.
opts() { mi "$1" | awk '{print $6}' | tr , '\n' | grep -qx -- "$2"; }

PRELUDE='ROOTFS propagation=rslave
MOUNT target=/proc fstype=proc source=proc flags=mkdir attr_set=nosuid,nodev,noexec
MOUNT target=/dev fstype=tmpfs source=tmpfs flags=mkdir attr_set=nosuid data=mode=755
MKNOD target=/dev/null mode=c0666 major=1 minor=3 flags=bind_fallback'
# how most plans below end: pivot into the rootfs, then cd /
ENTER='PIVOT flags=pivot_root
CHDIR target=/'
MI='cat /proc/self/mountinfo'

# --- command line ------------------------------------------------------
"$MOUNTPLAN_EXEC" --help >"$work/out" 2>&1; rc=$?
expect "--help prints the usage" has '^Usage: mountplan-exec '
"$MOUNTPLAN_EXEC" --version >"$work/out" 2>&1; rc=$?
expect "--version prints the version" has '^mountplan-exec [0-9]'
"$MOUNTPLAN_EXEC" >"$work/out" 2>&1; rc=$?
if [ "$rc" = 125 ] && grep -q '^mountplan-exec: no plan given' "$work/out"; then
	ok "no plan: usage error, exit 125"
else not_ok "no plan: usage error, exit 125" "$(why)"; fi

# --- MOUNT ---------------------------------------------------------------
asm mount <<EOF
$PRELUDE
MOUNT target=/tmp fstype=tmpfs source=tmpfs data=size=1m,mode=1777 flags=mkdir attr_set=nodev,noexec,noatime
MOUNT target=/data fstype=tmpfs source=tmpfs flags=tmpcopyup
MOUNT target=/run/shared fstype=tmpfs source=tmpfs flags=mkdir propagation=shared
$ENTER
EOF
run mount -- /bin/sh -c "$MI; echo; ls -l /data; cat /data/file; stat -c '%a' /tmp"
expect "MOUNT proc with nosuid,nodev,noexec" eval 'opts /proc nosuid && opts /proc nodev && opts /proc noexec && mi /proc | grep -q " - proc "'
expect "MOUNT tmpfs with data and attributes" eval 'opts /tmp noatime && opts /tmp noexec && mi /tmp | grep -q "size=1024k" && has "^1777$"'
expect "MOUNT tmpfs with tmpcopyup copies files and links" eval 'mi /data | grep -q " - tmpfs " && has "^data$" && has "link -> file"'
expect "MOUNT with propagation shared" eval 'mi /run/shared | grep -q "shared:"'

# --- BIND ------------------------------------------------------------------
mount_sub="MOUNT target=/mnt/tree/inner fstype=tmpfs source=tmpfs flags=mkdir"
asm bind <<EOF
$PRELUDE
BIND target=/mnt/tree source=$work/host/src flags=mkdir,recursive
$mount_sub
BIND target=/mnt/rtree source=/proc flags=mkdir,recursive,attr_recursive attr_set=rdonly,nosuid
BIND target=/mnt/file source=$work/host/file flags=mkdir attr_set=rdonly
BIND target=/mnt/missing source=$work/host/nonexistent flags=mkdir,optional
BIND target=/mnt/idm source=$work/idsrc flags=mkdir,idmap data="uid=1000:0:1;gid=1000:0:1" attr_set=idmap
$ENTER
EOF
run bind --trace -- /bin/sh -c "$MI; cat /mnt/file; stat -c 'idm %u:%g' /mnt/idm/f; echo x > /mnt/file || echo rofile"
expect "BIND a directory tree" eval 'mi /mnt/tree | grep -q "/host/src /mnt/tree " && mi /mnt/tree/inner | grep -q tmpfs'
expect "BIND with recursive attributes: every submount read-only" eval '
	n=$(awk "\$5 ~ /^\\/mnt\\/rtree/" "$work/out" | wc -l)
	r=$(awk "\$5 ~ /^\\/mnt\\/rtree/ && \$6 ~ /^ro,/" "$work/out" | wc -l)
	[ "$n" -ge 1 ] && [ "$n" = "$r" ] && opts /mnt/rtree nosuid'
expect "BIND a file onto a created file, read-only" eval 'has "^hostfile$" && has "^rofile$" && opts /mnt/file ro'
expect "BIND optional with a missing source is skipped (--trace says so)" eval \
	'grep -q "bind $work/host/nonexistent on /mnt/missing: skipped: source missing" "$work/err" && [ -z "$(mi /mnt/missing)" ]'
expect "BIND idmapped: on-disk 1000 appears as 0" eval 'has "^idm 0:0$" && opts /mnt/idm idmapped'
# In a pid namespace of its own (as a container init usually is), fork()'s
# pid is not the one the host's /proc knows: the idmap still works.
BIN="unshare -p -f --kill-child $MOUNTPLAN_EXEC" run bind -- /bin/sh -c "$MI; stat -c 'idm %u:%g' /mnt/idm/f"
expect "BIND idmapped from inside a pid namespace" eval 'has "^idm 0:0$" && opts /mnt/idm idmapped'

# --- CGROUP ----------------------------------------------------------------
asm cgroup <<EOF
$PRELUDE
MOUNT target=/sys fstype=sysfs source=sysfs flags=mkdir attr_set=rdonly,nosuid,nodev,noexec
CGROUP target=/sys/fs/cgroup fstype=cgroup flags=mkdir attr_set=nosuid,nodev,noexec
$ENTER
EOF
run cgroup -- /bin/sh -c "$MI; ls /sys/fs/cgroup"
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	expect "CGROUP on a unified host: cgroup2" eval 'mi /sys/fs/cgroup | grep -q " - cgroup2 "'
else
	expect "CGROUP on a v1/hybrid host: tmpfs with read-only controller binds" eval '
		mi /sys/fs/cgroup | grep -q " - tmpfs " &&
		c=$(awk "\$5 ~ /^\\/sys\\/fs\\/cgroup\\/./ && \$0 ~ / - cgroup/" "$work/out" | wc -l) &&
		ro=$(awk "\$5 ~ /^\\/sys\\/fs\\/cgroup\\/./ && \$6 ~ /^ro,/" "$work/out" | wc -l) &&
		[ "$c" -ge 1 ] && [ "$c" = "$ro" ]'
fi

# --- MKNOD, SYMLINK ----------------------------------------------------------
asm nodes <<EOF
$PRELUDE
MKNOD target=/dev/zero mode=c0640 major=1 minor=5 uid=1000 gid=5
MKNOD target=/dev/full mode=c0666 major=1 minor=7 flags=bind_only
MKNOD target=/dev/pipe mode=p0600
MKNOD target=/dev/sub/dir/random mode=c0666 major=1 minor=8
SYMLINK target=/dev/fd source=/proc/self/fd
SYMLINK target=/dev/fd source=/proc/self/fd
$ENTER
EOF
run nodes -- /bin/sh -c "$MI; stat -c '%n %F %t:%T %a %u:%g' /dev/zero /dev/pipe /dev/sub/dir/random; readlink /dev/fd"
expect "MKNOD under umask 0 with mode, numbers and owner" has '^/dev/zero character special file 1:5 640 1000:5$'
expect "MKNOD a FIFO, and a node in missing directories" eval 'has "^/dev/pipe fifo 0:0 600 0:0$" && has "^/dev/sub/dir/random character special file 1:8 666"'
expect "MKNOD bind_only binds the host's node" eval 'mi /dev/full | grep -q "/full /dev/full "'
expect "SYMLINK, and the same link twice is accepted" has '^/proc/self/fd$'

asm badnode <<EOF
$PRELUDE
MKNOD target=/dev/null mode=c0666 major=1 minor=5 line=9 col=3
PIVOT flags=pivot_root
EOF
run badnode -- /bin/true
expect_rc "MKNOD over a different existing node fails" 125 \
	'^mountplan-exec: op 4/6 (smoke.txt:9:3): mknod /dev/null: a different file already exists at the device path$'

asm badlink <<EOF
$PRELUDE
SYMLINK target=/dev/x source=/a
SYMLINK target=/dev/x source=/b
PIVOT flags=pivot_root
EOF
run badlink -- /bin/true
expect_rc "SYMLINK over a different link fails" 125 'symlink /dev/x -> /b: a different file already exists'

# --- PIVOT ---------------------------------------------------------------------
for method in pivot_root pivot_move pivot_chroot; do
	asm "$method" <<EOF
$PRELUDE
PIVOT flags=$method
CHDIR target=/
EOF
	run "$method" -- /bin/sh -c "ls /; $MI"
	n=$(grep -c ' - ' "$work/out")
	case $method in
	pivot_root) expect "PIVOT pivot_root: the rootfs is /, the old root is gone" eval 'has "^bin$" && [ "$n" = 3 ]' ;;
	*) expect "PIVOT $method: the rootfs is /" eval 'has "^bin$" && opts /proc nosuid' ;;
	esac
done

# --- MASK, READONLY, holes, SETATTR, UMASK, CHDIR ----------------------------------
asm late <<EOF
$PRELUDE
MOUNT target=/data fstype=tmpfs source=tmpfs flags=tmpcopyup
PIVOT flags=pivot_root
MASK target=/data/file
MASK target=/data/sub
MASK target=/data/nonexistent
HOLE_SAVE target=/proc/sys/kernel slot=3
READONLY target=/proc/sys
HOLE_RESTORE target=/proc/sys/kernel slot=3
READONLY target=/nonexistent
SETATTR target=/ attr_set=rdonly
UMASK mode=027
CHDIR target=/data/sub
EOF
run late --trace -- /bin/sh -c "$MI; stat -c '%n %t:%T' /data/file; ls -A /data/sub; umask; pwd; touch /x 2>/dev/null || echo rootro; touch /data/sub/y 2>/dev/null || echo maskro"
expect "MASK a file: bound to the container's /dev/null" eval 'has "^/data/file 1:3$" && mi /data/file | grep -q .'
expect "MASK a directory: read-only tmpfs" eval 'opts /data/sub ro && mi /data/sub | grep -q " - tmpfs " && has "^maskro$"'
expect "MASK a missing path: skipped, --trace says so" grep -q 'mask /data/nonexistent: skipped: missing' "$work/err"
expect "READONLY with a writable hole" eval 'opts /proc/sys ro && opts /proc/sys/kernel rw'
expect "READONLY of a missing path: skipped" grep -q 'make /nonexistent read-only: skipped: missing' "$work/err"
expect "SETATTR / read-only" eval 'has "^rootro$" && opts / ro'
expect "UMASK and CHDIR" eval 'has "^0027$" && has "^/data/sub$"'
expect "--trace: one line per op with its time" eval '[ "$(grep -c " us)$" "$work/err")" = 16 ]'

asm nullsym <<EOF
ROOTFS propagation=rslave
MOUNT target=/dev fstype=tmpfs source=tmpfs flags=mkdir
SYMLINK target=/dev/null source=/data/file
PIVOT flags=pivot_root
MASK target=/data/link
EOF
run nullsym -- /bin/true
expect_rc "MASK refuses a /dev/null that is a symlink (CVE-2025-31133)" 125 \
	'mask /data/link: /dev/null in the container is a symlink'
asm nullreg <<EOF
ROOTFS propagation=rslave
MOUNT target=/dev fstype=tmpfs source=tmpfs flags=mkdir
MKNOD target=/dev/null mode=c0666 major=1 minor=5
PIVOT flags=pivot_root
MASK target=/data/file
EOF
run nullreg -- /bin/true
expect_rc "MASK refuses a /dev/null that is not char 1:3" 125 \
	'mask /data/file: /dev/null in the container is not the null device'

# --- errors, exit codes ------------------------------------------------------------
asm fail <<EOF
$PRELUDE
MOUNT target=/mnt fstype=nosuchfs source=none line=22 col=5
PIVOT flags=pivot_root
EOF
run fail -- /bin/true
if [ "$rc" = 125 ] && [ "$(cat "$work/err")" = 'mountplan-exec: op 4/6 (smoke.txt:22:5): mount nosuchfs on /mnt: No such device' ]; then
	ok "a failing op: exit 125 and exactly one line naming op, position, action, cause"
else not_ok "a failing op: exit 125 and exactly one line" "$(why)"; fi
asm plain <<EOF
$PRELUDE
$ENTER
EOF
run plain -- /nonexistent-command
expect_rc "a missing command: exit 127" 127 '^mountplan-exec: exec /nonexistent-command: No such file or directory$'
run plain -- /etc/passwd
expect_rc "a command that cannot be executed: exit 126" 126 '^mountplan-exec: exec /etc/passwd: Permission denied$'
run plain -- /bin/sh -c 'exit 42'
if [ "$rc" = 42 ]; then ok "the command's own status"; else not_ok "the command's own status" "$(why)"; fi

# --dry-run: the op list, and no namespace or mount (strace)
strace -f -qq -o "$work/trace" -e trace=unshare,mount,open_tree,fsopen,move_mount,mount_setattr,pivot_root \
	"$MOUNTPLAN_EXEC" --dry-run --rootfs "$rootfs" "$work/late.mpb" >"$work/out" 2>"$work/err"; rc=$?
expect "--dry-run lists the ops and enters nothing" eval \
	'[ "$(grep -c "^op " "$work/out")" = 16 ] && has "^op 5/16 \(smoke.txt:[0-9]+:1\): PIVOT pivot_root into " && ! grep -Eq "^[0-9]+ +[a-z_]+\(" "$work/trace"'

# --- test hooks ----------------------------------------------------------------------
BIN=$EXEC_TEST run late -- /bin/true
rc0=$rc
MP_FAULT_OP=6 BIN=$EXEC_TEST run late -- /bin/true
if [ "$rc0" = 0 ] && [ "$rc" = 125 ] &&
   grep -qx 'mountplan-exec: op 6/16 (smoke.txt:[0-9]*:1): mask /data/file: I/O error' "$work/err"; then
	ok "MP_FAULT_OP=6 fails op 6 with EIO in the test build"
else not_ok "MP_FAULT_OP=6 fails op 6 with EIO in the test build" "$(why)"; fi
MP_FAULT_OP=6 run late -- /bin/true
if [ "$rc" = 0 ]; then ok "the production binary ignores MP_FAULT_OP"; else not_ok "the production binary ignores MP_FAULT_OP" "$(why)"; fi
MP_FORCE_FALLBACK=1 BIN="strace -f -qq -o $work/trace -e trace=open_tree,fsopen,fsmount,move_mount,mount_setattr,mount $EXEC_TEST" \
	run late -- /bin/sh -c "$MI"
expect "MP_FORCE_FALLBACK=1: the same mounts with mount(2) only" eval '
	! grep -Eq "(open_tree|fsopen|fsmount|move_mount|mount_setattr)\(" "$work/trace" &&
	grep -q "mount(" "$work/trace" &&
	opts /proc/sys ro && opts /proc/sys/kernel rw && opts /data/sub ro && opts / ro && opts /proc nosuid'

MP_FORCE_FALLBACK=setattr BIN=$EXEC_TEST run late -- /bin/sh -c "$MI"
expect "open_tree without mount_setattr (MP_FORCE_FALLBACK=setattr): remounts after attaching" eval '
	opts /proc/sys ro && opts /proc/sys/kernel rw && opts /data/sub ro && opts / ro'

# --- the process around the mounts ------------------------------------------------------
run plain -- /bin/sh -c 'ls /proc/self/fd; a=$(sed -n "s/^mnt_id:[[:space:]]*//p" /proc/self/fdinfo/0); awk -v a="$a" "\$1 == a {print \"stdin on \" \$5}" /proc/self/mountinfo' 7</etc/hostname 8</etc/hostname
expect "inherited descriptors above 2 are closed" eval '! has "^[78]$"'
expect "stdin on the host's /dev/null is re-opened on the container's" has '^stdin on /dev$'

if command -v setpriv >/dev/null; then
	asm rootless <<EOF
ROOTFS propagation=rslave
BIND target=/proc source=/proc flags=mkdir,recursive
MOUNT target=/dev fstype=tmpfs source=tmpfs flags=mkdir
MKNOD target=/dev/null mode=c0666 major=1 minor=3 flags=bind_fallback
PIVOT flags=pivot_root
READONLY target=/proc/sys
CHDIR target=/
EOF
	chown 1000:1000 "$work/rootless.mpb"
	BIN="setpriv --reuid 1000 --regid 1000 --clear-groups $MOUNTPLAN_EXEC --userns" \
		run rootless -- /bin/sh -c 'id -u; stat -c "%t:%T" /dev/null; cat /proc/self/mountinfo'
	expect "--userns: an unprivileged caller runs the plan as root of a user namespace" eval \
		'has "^0$" && has "^1:3$" && opts /proc/sys ro'
else
	ok "--userns # SKIP setpriv not installed"
fi

asm console <<EOF
$PRELUDE
MKNOD target=/dev/console mode=c0620 major=5 minor=1
PIVOT flags=pivot_root
EOF
if command -v script >/dev/null; then
	# script(1) gives the executor a pseudo-terminal on stdio
	timeout 60 script -qec "unshare -m --propagation private $MOUNTPLAN_EXEC --rootfs $rootfs $work/console.mpb -- /bin/sh -c 'cat /proc/self/mountinfo; stat -c \"%t %F\" /dev/console'" /dev/null >"$work/out" 2>"$work/err"
	rc=$?
	expect "MKNOD /dev/console with a terminal on stdio: the terminal is bound (checked descriptor)" eval \
		'mi /dev/console | grep -q " - devpts " && has "^88 character special file"'
else
	ok "MKNOD /dev/console with a terminal # SKIP script(1) not installed"
fi

cp "$work/plain.mpb" "$work/ww.mpb"; chmod 0666 "$work/ww.mpb"
run ww -- /bin/true
expect_rc "a world-writable plan is refused before anything" 125 'writable by a user other than root'

check_host_unchanged "$host_before"
done_testing
