#!/bin/bash
# tests/exec/named.sh: a mount point the executor has just made with
# mkdirat is mounted on by name from its directory, not opened again
# (doc/executor.md, "Tenth pass"): in a new filesystem's tree
# (FRESH_CLEAN: a tmpfs this run mounted, or a directory made in one),
# which only this run reaches, and for a directory BIND with the new
# mount API anywhere (move_mount does not follow a last link without
# MOVE_MOUNT_T_SYMLINKS: whatever is put at the name is covered at that
# name or refused).
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
#   hostile bind  ten directory binds made in the image's /srv/m, a
#              racer replacing each name once (a link to ../../etc, a
#              file, another directory, gone) between the mkdirat and
#              the bind (the test build waits there: MP_BIND_PAUSE_US):
#              new API at the name or refused, the fallback's
#              descriptors on the directory made; never on /etc
# The host's mount table and the namespace the runs start in unchanged.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
command -v strace >/dev/null || skip_all "strace not installed"
PY=${PYTHON3:-python3}
RUNS=${NAMED_RUNS:-40}
BIND_RUNS=${NAMED_BIND_RUNS:-5}
plan 25

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
# swap A B [move]: in the background, the paths A and B exchanged
# (RENAME_EXCHANGE) as fast as Python can, or with move A renamed to B
# and back (A missing half the time), failures (one of them missing
# while a run's directory is put in place) ignored; its pid in $swapper.
swap() {
	"$PY" - "$@" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
a, b = sys.argv[1].encode(), sys.argv[2].encode()
flags = 0 if sys.argv[3:] == ["move"] else RENAME_EXCHANGE
end = time.time() + 600
while time.time() < end:
    for _ in range(1000):
        libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, flags)
        if not flags:
            libc.renameat2(AT_FDCWD, b, AT_FDCWD, a, flags)
EOF
	swapper=$!
}
snapshot() { sha256sum /etc/passwd; ls -la /etc | sha256sum; }
snap_before=$(snapshot)

# races HOW PLAN RESET [CMD]: RUNS runs of PLAN over the rootfs in one
# private namespace, RESET (shell, in $work/rootfs) before each, CMD (sh
# -c; default: the container's mountinfo) as the command; each run's exit
# in $work/rcs, its output (prefixed with its number) in $work/mis, its
# errors in $work/errs; $work/ns when the namespace was the same.
races() {
	exec_for "$1"
	rm -f "$work/ns"; : >"$work/rcs"; : >"$work/mis"; : >"$work/errs"
	unshare -m --propagation private bash -c '
		w=$1 runs=$2 plan=$3 reset=$4 cmd=$5; shift 5
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		for i in $(seq 1 "$runs"); do
			(cd "$w/rootfs" && eval "$reset")
			timeout 30 "$@" --rootfs "$w/rootfs" "$plan" -- /bin/sh -c "$cmd" \
				>"$w/one" 2>>"$w/errs"
			echo $? >>"$w/rcs"
			sed "s/^/$i /" "$w/one" >>"$w/mis"
		done
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$RUNS" "$2" "$3" "${4:-cat /proc/self/mountinfo}" "${run[@]}"
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

# Binds onto /srv/m/x0 ... x9, each made in the image's directory: with
# the new mount API each is attached there by name (move_mount without
# MOVE_MOUNT_T_SYMLINKS).  The test build waits 20 ms between each
# target's resolution (the mkdirat of its name; the fallback's
# descriptor) and its bind (MP_BIND_PAUSE_US), and a racer outside the
# container replaces each name as soon as it appears, once: exchanges
# the directory just made with a link to ../../etc, a regular file, or
# another directory of the image (holding a decoy), or renames it away.
# As nothing is renamed after the mount, each run's table shows where
# the mounts landed.  New API: the link and the file are refused (125,
# "mount point /srv/m/x0 is a file in the image"), a missing name too
# ("No such file or directory"), the directories renamed in are covered:
# all ten volumes at /srv/m/xN, their mark read there, nothing on
# /srv/m/lN or /etc.  Fallback (mount(2) would follow a link by name:
# descriptors): the descriptor, opened right after the mkdirat, takes
# each mount to the directory made, now /srv/m/lN, or (the racer first)
# is refused or the racer's directory at /srv/m/xN: never /etc.
binds=()
for i in 0 1 2 3 4 5 6 7 8 9; do binds+=("{target: /srv/m/x$i, type: bind, source: $work/vol}"); done
plan_of bindimg "${binds[@]}"
show='cat /proc/self/mountinfo; for i in 0 1 2 3 4 5 6 7 8 9; do echo "mark $i $(cat /srv/m/x$i/MARK 2>&1)"; done'
# replace_each HOW: in the background, for N in 0..9, srv/m/xN replaced
# once as soon as it exists (HOW: exchange with srv/m/lN, or move to it);
# its pid in $swapper, once it runs ($work/racing).
replace_each() {
	rm -f "$work/racing"
	"$PY" - "$work/rootfs/srv/m" "$1" "$work/racing" <<'EOF' &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
d, how, ready = sys.argv[1:4]
flags = RENAME_EXCHANGE if how == "exchange" else 0
open(ready, "w").close()
for i in range(10):
    x, l = ("%s/x%d" % (d, i)).encode(), ("%s/l%d" % (d, i)).encode()
    while not os.path.isdir(x) or libc.renameat2(AT_FDCWD, x, AT_FDCWD, l, flags):
        pass
EOF
	swapper=$!
	while [ ! -e "$work/racing" ]; do sleep 0.01; done
}
for alt in link file dir gone; do
	case $alt in
	link) make_l='ln -s ../../etc srv/m/l$i' ;;
	file) make_l='echo image >srv/m/l$i' ;;
	dir) make_l='mkdir srv/m/l$i && echo decoy >srv/m/l$i/MARK' ;;
	gone) make_l=: ;;
	esac
	for how in new fallback; do
		force=$([ $how = new ] && echo 0 || echo 1)
		: >"$work/rcs"; : >"$work/mis"; : >"$work/errs"; rm -f "$work/ns"
		for r in $(seq "$BIND_RUNS"); do
			rm -rf "$work/rootfs/srv/m" && mkdir -p "$work/rootfs/srv/m" &&
				(cd "$work/rootfs" && for i in 0 1 2 3 4 5 6 7 8 9; do eval "$make_l"; done)
			replace_each $([ $alt = gone ] && echo move || echo exchange)
			ns_exec /dev/null env MP_BIND_PAUSE_US=20000 MP_FORCE_FALLBACK=$force "$EXEC_TEST" \
				--rootfs "$work/rootfs" "$work/bindimg.mpb" -- /bin/sh -c "$show"
			kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
			echo "$rc" >>"$work/rcs"; sed "s/^/$r /" "$work/out" >>"$work/mis"
			cat "$work/err" >>"$work/errs"
			[ -f "$work/ns" ] && echo same >>"$work/nss"
		done
		# each run: its mount points beneath /srv and on /etc; its marks
		seen=$(awk '$6 ~ "^/(srv|etc)" { at[$1] = at[$1] " " $6 }
			$2 == "mark" { mark[$1] = mark[$1] " " $4 }
			END { for (r in at) print at[r] " |" mark[r] }' "$work/mis" | sort | uniq -c | tr -s ' ')
		errs=$(sed 's/^mountplan-exec: op [0-9/]* ([^)]*): //' "$work/errs" | sort | uniq -c | tr -s ' ')
		planned=$(for i in 0 1 2 3 4 5 6 7 8 9; do printf ' /srv/m/x%s' $i; done)
		moved=$(for i in 0 1 2 3 4 5 6 7 8 9; do printf ' /srv/m/l%s' $i; done)
		same=$(grep -c same "$work/nss" 2>/dev/null)
		rcs=$(sort -u "$work/rcs" | tr '\n' ' ')
		if [ $how = new ]; then
			case $alt in
			dir) want="exit 0 ;  $BIND_RUNS$planned | volume volume volume volume volume volume volume volume volume volume ; " ;;
			gone) want="exit 125 ; ;  $BIND_RUNS bind $work/vol on /srv/m/x0: No such file or directory" ;;
			*) want="exit 125 ; ;  $BIND_RUNS bind $work/vol on /srv/m/x0: mount point /srv/m/x0 is a file in the image, the source is a directory" ;;
			esac
			got=$(tr -s ' ' <<<"exit $rcs; $seen ; $errs") want=$(tr -s ' ' <<<"$want")
		else
			# the descriptor is opened right after the mkdirat (no
			# pause there): where the racer beat it to that, it is
			# the racer's (refused, or its directory at the name)
			got=$(awk '$6 ~ "^/(srv|etc)" && $6 !~ "^/srv/m/[xl][0-9]$" { print $1, $6 }' "$work/mis")
			[ -n "$(sed 's/^ [0-9]* //' <<<"$errs" | grep -vE '(a symlink in the path leads to a missing directory \(refused\)|No such file or directory|is a file in the image, the source is a directory)$')" ] &&
				got="$got; other errors: $errs"
			[ -z "$(grep -vxE '0|125' "$work/rcs")" ] || got="$got; exit $rcs"
			want= got=${got#$'\n'}
			[ -z "$got" ] && got="exit $rcs; mounts at:$seen;$errs"
		fi
		if [ "$got" = "$want" -o \( $how = fallback -a "${got#exit }" != "$got" \) ] && [ "$same" = "$BIND_RUNS" ]; then
			ok "hostile bind ($how, each directory made replaced by a $alt): $got"
		else
			not_ok "hostile bind ($how, each directory made replaced by a $alt): at the planned path or refused" \
				"got:  $got" "want: $want" "namespace unchanged in $same of $BIND_RUNS runs"
		fi
		rm -f "$work/nss"
	done
done
rm -rf "$work/rootfs/srv/m"
outside_unchanged "hostile bind: /etc/passwd, the host's /etc and the namespace unchanged" "$work/ns"

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
