#!/bin/bash
# tests/exec/named.sh: a mount point the executor has just made with
# mkdirat is mounted on by name from its directory, not opened again
# (doc/executor.md, "Tenth pass"), where no other process can change
# what the name is: in a new filesystem's tree (FRESH_CLEAN: a tmpfs this
# run mounted, or a directory made in one), which only this run reaches.
#   cost       runc-default under strace: /dev/pts, /dev/shm and
#              /dev/mqueue are each an mkdirat in /dev's root and a
#              mount(2) by that name, no openat2 of them, one fchdir for
#              the three (new mount API and mount(2) fallback)
#   result     the container's /dev/pts, /dev/shm, /dev/mqueue as planned
#   bind       a directory bound onto a name made in the plan's /dev
#              tmpfs: move_mount by name without MOVE_MOUNT_T_SYMLINKS
#              (a link there is never followed); in the fallback by
#              descriptors; the same container
#   wanted     where the new mount's descriptor is wanted after it (a
#              propagation, read-only made afterwards) the name is opened
#              as before
#   fault      MP_FAULT_CHECK=named: the mount by name fails (EIO): exit
#              125, one line naming the op, nothing changed
#   hostile    a MOUNT made in the image's directory (not clean) keeps
#              its descriptor: a racer outside the container exchanges
#              the directory just made with a symlink to ../../etc as
#              fast as it can; a mount by name would follow it (mount(2)
#              follows a last symlink), a descriptor never does: no run
#              mounts on the image's /etc, each exits 0 or 125 with a
#              reason; and a racer exchanging the image's dev/pts under
#              the plan's /dev tmpfs changes nothing
# The host's mount table and the namespace the runs start in unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
command -v strace >/dev/null || skip_all "strace not installed"
PY=${PYTHON3:-python3}
RUNS=${NAMED_RUNS:-40}
plan 16

"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml" 2>"$work/cerr" ||
	{ echo "Bail out! compile runc-default: $(cat "$work/cerr")"; exit 1; }

# plan_of NAME MOUNT...: $work/NAME.mpb compiled from a plan of /proc and
# each MOUNT (a YAML flow mapping), in that order.
plan_of() {
	local name=$1
	shift
	{ printf 'mountplan: 1\nname: named-%s\nrootfs: {propagation: rslave, pivot: pivot_root}\n' "$name"
	  printf 'mounts:\n  - {target: /proc, type: proc}\n'
	  printf '  - %s\n' "$@"; } >"$work/$name.yaml"
	"$MOUNTPLAN" compile -o "$work/$name.mpb" "$work/$name.yaml" 2>"$work/cerr" ||
		{ echo "Bail out! compile the $name plan: $(cat "$work/cerr")"; exit 1; }
}

# --- cost ---------------------------------------------------------------
for how in new fallback; do
	exec_for $how
	ns_exec /dev/null strace -f -qq -o "$work/strace" "${run[@]}" --rootfs "$work/rootfs" \
		"$work/rd.mpb" -- /bin/true
	named=0 opened=0
	for n in pts shm mqueue; do
		grep -qE "mkdirat\([0-9]+, \"$n\"" "$work/strace" &&
			grep -qE "mount\(\"[a-z]+\", \"$n\", " "$work/strace" && named=$((named + 1))
		grep -qE "openat2\([0-9]+, \"$n\"" "$work/strace" && opened=$((opened + 1))
	done
	chdirs=$(sed -n '/mkdirat([0-9]*, "pts"/,/mount("mqueue"/p' "$work/strace" | grep -c 'fchdir(')
	check "cost ($how): runc-default mounts pts, shm, mqueue by name ($named of 3), opens none ($opened), one fchdir for them ($chdirs) (exit $rc)" \
		[ "$rc" = 0 -a "$named" = 3 -a "$opened" = 0 -a "$chdirs" = 1 ]
done

# --- result -------------------------------------------------------------
# mountinfo: "POINT TYPE OPTIONS" of the three
dev_three() {
	awk '$5 ~ "^/dev/(pts|shm|mqueue)$" { for (i = 7; $i != "-"; i++); print $5, $(i + 1), $6 }' "$work/out"
}
want="/dev/pts devpts rw,nosuid,noexec,relatime
/dev/shm tmpfs rw,nosuid,nodev,noexec,relatime
/dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime"
for how in new fallback; do
	exec_for $how
	ns_exec /dev/null "${run[@]}" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/cat /proc/self/mountinfo
	got=$(dev_three)
	if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$got" = "$want" ]; then
		ok "result ($how): /dev/pts, /dev/shm, /dev/mqueue as planned"
	else
		not_ok "result ($how): /dev/pts, /dev/shm, /dev/mqueue as planned" "exit $rc" "$got" "$(cat "$work/err")"
	fi
done

# --- bind ---------------------------------------------------------------
mkdir -p "$work/vol" "$work/rootfs/srv" && echo volume >"$work/vol/MARK"
plan_of bind "{target: /dev, type: tmpfs}" "{target: /dev/vol, type: bind, source: $work/vol}"
ns_exec /dev/null strace -f -qq -o "$work/strace" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" \
	"$work/bind.mpb" -- /bin/cat /dev/vol/MARK
attach=$(grep -E 'move_mount\([0-9]+, "", [0-9]+, "vol", ' "$work/strace")
check "bind (new): onto a name made in the plan's /dev by name, no link followed (exit $rc: ${attach#* })" \
	[ "$rc" = 0 -a "$(cat "$work/out")" = volume \
	  -a "${attach%MOVE_MOUNT_F_EMPTY_PATH) = 0}" != "$attach" \
	  -a "$(grep -cE 'openat2\([0-9]+, "vol"' "$work/strace")" = 0 ]
exec_for fallback
ns_exec /dev/null "${run[@]}" --rootfs "$work/rootfs" "$work/bind.mpb" -- /bin/cat /dev/vol/MARK
check "bind (fallback): the same container by descriptors (exit $rc)" [ "$rc" = 0 -a "$(cat "$work/out")" = volume ]

# --- wanted -------------------------------------------------------------
plan_of wanted "{target: /dev, type: tmpfs}" "{target: /dev/sh, type: tmpfs, propagation: shared}" \
	"{target: /dev/mq, type: mqueue, options: [ro]}"
for how in new fallback; do
	exec_for $how
	ns_exec /dev/null strace -f -qq -o "$work/strace" "${run[@]}" --rootfs "$work/rootfs" \
		"$work/wanted.mpb" -- /bin/cat /proc/self/mountinfo
	# the command's own mountinfo is in out (strace writes to its file)
	sh=$(awk '$5 == "/dev/sh" { print ($7 ~ /^shared:/) ? "shared" : "not shared" }' "$work/out")
	mq=$(awk '$5 == "/dev/mq" { split($6, o, ","); print o[1] }' "$work/out")
	opened=$(grep -cE 'openat2\([0-9]+, "(sh|mq)", .*RESOLVE_BENEATH' "$work/strace")
	check "wanted ($how): a shared tmpfs ($sh) and a read-only mqueue ($mq) opened after their mkdirat ($opened of 2) (exit $rc)" \
		[ "$rc" = 0 -a "$sh" = shared -a "$mq" = ro -a "$opened" = 2 ]
done

# --- fault --------------------------------------------------------------
# expect_fault DESC OP PATTERN: the last run exited 125 with one line
# naming op OP and PATTERN, its namespace unchanged.
expect_fault() {
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] && [ "$(wc -l <"$work/err")" = 1 ] &&
	   grep -q "^mountplan-exec: op $2 .*$3" "$work/err"; then
		ok "$1: $(cut -c1-110 "$work/err")"
	else
		not_ok "$1" "exit $rc" "$(cat "$work/err")"
	fi
}
for force in 0 1; do
	how=$([ $force = 0 ] && echo new || echo fallback)
	ns_exec /dev/null env MP_FAULT_CHECK=named MP_FORCE_FALLBACK=$force "$EXEC_TEST" \
		--rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true
	expect_fault "fault ($how): the mount by name of /dev/pts fails" "3/40" "mount devpts on /dev/pts: I/O error"
done
ns_exec /dev/null env MP_FAULT_CHECK=named "$EXEC_TEST" --rootfs "$work/rootfs" "$work/bind.mpb" -- /bin/true
expect_fault "fault (new): the bind by name onto /dev/vol fails" "3/7" "bind $work/vol on /dev/vol: I/O error"

# --- hostile ------------------------------------------------------------
# swap A B: in the background, the paths A and B exchanged
# (RENAME_EXCHANGE) as fast as Python can, failures (one of them missing
# while a run's directory is put in place) ignored; its pid in $swapper.
swap() {
	"$PY" - "$@" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
a, b = sys.argv[1].encode(), sys.argv[2].encode()
end = time.time() + 600
while time.time() < end:
    for _ in range(1000):
        libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
EOF
	swapper=$!
}
snapshot() { sha256sum /etc/passwd; ls -la /etc | sha256sum; }
snap_before=$(snapshot)

# races HOW PLAN RESET: RUNS runs of PLAN over the rootfs in one private
# namespace, RESET (shell, in $work/rootfs) before each; each run's exit
# in $work/rcs, its mountinfo (prefixed with its number) in $work/mis,
# its errors in $work/errs; $work/ns when the namespace was the same.
races() {
	exec_for "$1"
	rm -f "$work/ns"; : >"$work/rcs"; : >"$work/mis"; : >"$work/errs"
	unshare -m --propagation private bash -c '
		w=$1 runs=$2 plan=$3 reset=$4; shift 4
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		for i in $(seq 1 "$runs"); do
			(cd "$w/rootfs" && eval "$reset")
			timeout 30 "$@" --rootfs "$w/rootfs" "$plan" -- /bin/cat /proc/self/mountinfo \
				>"$w/one" 2>>"$w/errs"
			echo $? >>"$w/rcs"
			sed "s/^/$i /" "$w/one" >>"$w/mis"
		done
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$RUNS" "$2" "$3" "${run[@]}"
}

# the image's /srv/m/x made by the plan's MOUNT; the racer exchanges it
# with srv/m/l, a symlink to ../../etc (the image's /etc)
plan_of image "{target: /srv/m/x, type: tmpfs}"
# (each run gets a new srv/m, with the link alone: the old one, which
# the racer may still change, is put aside whole)
fresh_m='mkdir srv/m.new && ln -s ../../etc srv/m.new/l && { [ ! -e srv/m ] || mv -T srv/m $(mktemp -u -p srv old.XXXXXX); } && mv -T srv/m.new srv/m'
for how in new fallback; do
	swap "$work/rootfs/srv/m/x" "$work/rootfs/srv/m/l"
	races $how "$work/image.mpb" "$fresh_m"
	kill "$swapper"; wait "$swapper" 2>/dev/null
	rm -rf "$work/rootfs/srv/m" "$work/rootfs/srv/old."*
	# where each run's tmpfs went: the mount points of the tmpfs in
	# every run's mountinfo (the rootfs's own and /proc left out)
	points=$(awk '$2 != "/" && $2 != "/proc" && $2 !~ "^/proc/" { print $2 }' \
		<(awk '{ print $1, $6 }' "$work/mis") | sort | uniq -c | awk '{ printf "%s%s x %s", s, $1, $2; s = ", " }')
	bad=$(awk '{ print $6 }' "$work/mis" | grep -vxE '/|/proc|/srv/m/(x|l)' | sort -u | tr '\n' ' ')
	summary=$(sort "$work/rcs" | uniq -c | awk '{ printf "%s%s x exit %s", s, $1, $2; s = ", " }')
	reasons=$(grep -v 'a symlink in the path leads to a missing directory (refused)$' "$work/errs" | head -3)
	if [ -z "$bad" ] && [ "$(grep -cvE '^(0|125)$' "$work/rcs")" = 0 ] && [ -z "$reasons" ] &&
	   [ "$(grep -c . "$work/rcs")" = "$RUNS" ] && [ -f "$work/ns" ]; then
		ok "hostile ($how): the image's new directory swapped with a link to its /etc: $summary; tmpfs at $points; never on /etc"
	else
		not_ok "hostile ($how): no mount follows the link" "mounted outside /srv/m: ${bad:-none}" \
			"$summary; $points" "other errors: $reasons"
	fi
done
outside_unchanged "hostile: /etc/passwd, the host's /etc and the namespace unchanged" "$work/ns"

# runc-default while the image's dev/pts (under the plan's /dev tmpfs)
# is exchanged with a link to ../etc: the plan's /dev/pts is made in the
# tmpfs, which the racer cannot reach
mkdir -p "$work/rootfs/dev/pts" && ln -s ../etc "$work/rootfs/dev/pts.l"
swap "$work/rootfs/dev/pts" "$work/rootfs/dev/pts.l"
races new "$work/rd.mpb" :
kill "$swapper"; wait "$swapper" 2>/dev/null
pts=$(awk '$6 == "/dev/pts" { for (i = 8; $i != "-"; i++); print $(i + 1) }' "$work/mis" |
	sort | uniq -c | tr -s ' ')
etc=$(awk '$6 ~ "^/etc"' "$work/mis" | wc -l)
check "hostile (clean): runc-default while the image's dev/pts is swapped with a link: /dev/pts devpts in every run ($pts; $(sort -u "$work/rcs" | tr '\n' ' ')), nothing on /etc ($etc)" \
	[ "$(grep -cvx 0 "$work/rcs")" = 0 -a "$pts" = " $RUNS devpts" -a "$etc" = 0 -a -f "$work/ns" ]

check_host_unchanged "$host_before"
done_testing
