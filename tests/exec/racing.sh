#!/bin/bash
# tests/exec/racing.sh: runc's 2025 advisories as races, not only as a
# rootfs prepared beforehand (hostile.sh has the static forms): a process
# outside the container renames the image's files (renameat2
# RENAME_EXCHANGE, as fast as it can) while the executor replays, many
# runs over, with the new mount API and with the mount(2) fallback (the
# test build, MP_FORCE_FALLBACK=1).  Every run must exit 0 or 125, the
# runs that start must show the plan's result, and nothing outside the
# rootfs may change (a bait directory of host files, /etc/passwd, the
# mount table of the namespace the runs start in, the host's):
#   null     CVE-2025-31133: the image's /dev/null exchanged with a
#            symlink to a host file (and with a regular file) while the
#            executor checks it, masks /etc/hostname with it and reopens
#            stdin (the host's /dev/null) on it; the command writes to the
#            mask and to fd 0: the host file must never be the one written
#   console  CVE-2025-52565: with a terminal on stdin, the image's
#            /dev/console (an empty file) exchanged with a dangling
#            symlink to the bait directory, and with a symlink to a host
#            file, while the executor binds the terminal onto it: nothing
#            may be created, bound over or changed outside the rootfs
#   proc     CVE-2025-52881: the image's /proc (the procfs's mount point)
#            exchanged with a fake tree whose attr, sys and self entries
#            link to host files: none changes.  Under strace, every file
#            the executor opens for writing is a stdio reopen through the
#            host's procfs (self/fd/N): it writes nothing by a path into
#            the container's /proc, no LSM label, no sysctl, which is why
#            no redirection of that /proc can reach a write.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
PY=${PYTHON3:-python3}
RUNS=${RACING_RUNS:-6}
bait=$work/bait
mkdir -p "$bait"
echo "host file" >"$bait/file"
plan 23

# snapshot: what must not change outside the rootfs.
snapshot() {
	find "$bait" -printf '%p %y %s %m %U:%G %T@ %l\n' | sort
	sha256sum /etc/passwd
}
snap_before=$(snapshot)

# newcase NAME: $d, a case directory with a copy of the image.
newcase() { d=$work/$1; mkdir -p "$d"; cp -a "$work/rootfs" "$d/rootfs"; }

# swap A B: in the background, $d/rootfs/A and $d/rootfs/B exchanged as
# fast as Python can (for at most 10 minutes); its pid in $swapper.
swap() {
	"$PY" - "$d/rootfs" "$1" "$2" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
os.chdir(sys.argv[1])
a, b = sys.argv[2].encode(), sys.argv[3].encode()
end = time.time() + 600
while time.time() < end:
    for _ in range(1000):
        if libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE):
            sys.exit("renameat2: " + os.strerror(ctypes.get_errno()))
EOF
	swapper=$!
}

# runs MODE STDIN CMD: $RUNS runs of $d/plan.mpb (MODE api: the installed
# binary; fallback: the test build with MP_FORCE_FALLBACK=1) over
# $d/rootfs with CMD (sh -c), stdin from STDIN (a path, or "pty": a
# pseudo-terminal's slave), in one private mount namespace that must be
# the same afterwards ($d/ns); each run's exit in $d/rcs, its output
# (prefixed with its number) in $d/out, errors in $d/err.
runs() {
	local bin=$MOUNTPLAN_EXEC
	[ "$1" = fallback ] && bin="env MP_FORCE_FALLBACK=1 $EXEC_TEST"
	rm -f "$d/ns"; : >"$d/rcs"; : >"$d/out"; : >"$d/err"
	unshare -m --propagation private bash -c '
		d=$1 runs=$2 stdin=$3 cmd=$4 py=$5; shift 5
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		for i in $(seq 1 "$runs"); do
			if [ "$stdin" = pty ]; then
				"$py" -c "import os, pty, subprocess, sys
m, s = pty.openpty()
sys.exit(subprocess.call(sys.argv[1:], stdin=s))" timeout 30 "$@" --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/sh -c "$cmd"
			else
				timeout 30 "$@" --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/sh -c "$cmd" <"$stdin"
			fi >"$d/one" 2>>"$d/err"
			echo $? >>"$d/rcs"
			sed "s/^/$i /" "$d/one" >>"$d/out"
		done
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$d/ns"
		true' - "$d" "$RUNS" "$2" "$3" "$PY" $bin
}

# judge DESC GOOD WHAT: the runs so far: each exits 0 or 125, every run
# that exits 0 printed a line matching GOOD (grep -E on "N line"; WHAT
# says what that shows), the namespace and everything outside the rootfs
# unchanged.
judge() {
	local desc=$1 good=$2 what=$3 summary started shown
	summary=$(sort "$d/rcs" | uniq -c | awk '{ printf "%s%s x exit %s", sep, $1, $2; sep = ", " }')
	started=$(grep -c '^0$' "$d/rcs")
	shown=$(grep -Ec "^[0-9]+ $good\$" "$d/out")
	if [ "$(grep -cvE '^(0|125)$' "$d/rcs")" = 0 ] && [ "$(grep -c . "$d/rcs")" = "$RUNS" ] &&
	   [ "$started" = "$shown" ]; then
		ok "$desc: $RUNS runs, $summary; every one started $what"
	else
		not_ok "$desc: every run exits 0 or 125 and shows the plan's result" "$summary" \
			"started $started, as planned $shown" "$(sort "$d/err" | uniq -c | head -5)" \
			"$(grep -Ev "^[0-9]+ $good\$" "$d/out" | head -5)"
	fi
	outside_unchanged "$desc: nothing outside the rootfs changed (bait, /etc/passwd, the namespace)" "$d/ns"
}

# --- null: CVE-2025-31133 ------------------------------------------------------
# masks: [/etc/hostname] with the image's /dev/null; stdin the host's
# /dev/null, reopened on the container's.  The command writes to both and
# prints what the mask is.
newcase null
mkdir -p "$d/rootfs/dev"
rm -f "$d/rootfs/dev/null"
mknod -m 666 "$d/rootfs/dev/null" c 1 3
echo image >"$d/rootfs/etc/hostname"
printf 'mountplan: 1\nname: racing-null\nmounts:\n  - {target: /proc, type: proc}\nmasks: [/etc/hostname]\n' >"$d/plan.yaml"
"$MOUNTPLAN" compile -o "$d/plan.mpb" "$d/plan.yaml" 2>"$d/err" || not_ok "compile" "$(cat "$d/err")"
NULL_CMD='echo pwned >/etc/hostname; echo pwned >&0; echo "mask $(stat -c %F:%t:%T /etc/hostname) stdin $(stat -L -c %F:%t:%T /proc/self/fd/0) $(wc -c </etc/hostname)"'
NULL_GOOD='mask character special file:1:3 stdin character special file:1:3 0'
for alt in link regular; do
	rm -f "$d/rootfs/dev/null.alt"
	case $alt in
	link) ln -s "$bait/file" "$d/rootfs/dev/null.alt" ;;
	regular) echo "image file" >"$d/rootfs/dev/null.alt" ;;
	esac
	for mode in api fallback; do
		swap dev/null dev/null.alt
		runs "$mode" /dev/null "$NULL_CMD"
		kill "$swapper"; wait "$swapper" 2>/dev/null
		judge "null ($mode, /dev/null exchanged with a $alt)" "$NULL_GOOD" \
			"shows char 1:3 on the mask and on stdin, the writes gone"
	done
	# the node back in place for the next alternative
	[ -c "$d/rootfs/dev/null" ] || mv -T "$d/rootfs/dev/null.alt" "$d/rootfs/dev/null.tmp"
	[ -e "$d/rootfs/dev/null.tmp" ] && mv -T "$d/rootfs/dev/null" "$d/rootfs/dev/null.alt" &&
		mv -T "$d/rootfs/dev/null.tmp" "$d/rootfs/dev/null"
done

# --- console: CVE-2025-52565 ---------------------------------------------------
# A terminal on stdin; the plan makes /dev/console, where the image has an
# empty file, exchanged with a dangling link into the bait (a file would
# be made there) and with a link to a host file (it would be bound over).
newcase console
mkdir -p "$d/rootfs/dev"
rm -f "$d/rootfs/dev/console"
: >"$d/rootfs/dev/console"
printf 'mountplan: 1\nname: racing-console\nmounts:\n  - {target: /proc, type: proc}\ndevices:\n  - {path: /dev/console, type: c, major: 5, minor: 1}\n' >"$d/plan.yaml"
"$MOUNTPLAN" compile -o "$d/plan.mpb" "$d/plan.yaml" 2>"$d/err" || not_ok "compile" "$(cat "$d/err")"
CON_CMD='echo "console $(stat -c %F -L /dev/console) $(stat -L -c %t /dev/console) $(stat -L -c %t /proc/self/fd/0)"'
for alt in dangling host-file; do
	rm -f "$d/rootfs/dev/console.alt"
	case $alt in
	dangling) ln -s "$bait/created" "$d/rootfs/dev/console.alt" ;;
	host-file) ln -s "$bait/file" "$d/rootfs/dev/console.alt" ;;
	esac
	for mode in api fallback; do
		swap dev/console dev/console.alt
		runs "$mode" pty "$CON_CMD"
		kill "$swapper"; wait "$swapper" 2>/dev/null
		# the command's view: the terminal at /dev/console, or (the
		# file it was bound on renamed away after the bind) not; only
		# the host's side can show harm
		judge "console ($mode, /dev/console exchanged with a link to a $alt)" \
			'console .*' "(the terminal at /dev/console or, renamed away, elsewhere)"
	done
	[ -L "$d/rootfs/dev/console" ] && mv -T "$d/rootfs/dev/console" "$d/rootfs/dev/console.tmp" &&
		mv -T "$d/rootfs/dev/console.alt" "$d/rootfs/dev/console" &&
		mv -T "$d/rootfs/dev/console.tmp" "$d/rootfs/dev/console.alt"
done

# --- proc: CVE-2025-52881 ------------------------------------------------------
# runc-default over an image whose /proc is exchanged with a fake tree:
# self/attr/{current,exec} and sys/kernel/core_pattern links to host files,
# a thread-self and a sys/net tree of links.
newcase proc
fake=$d/rootfs/proc.alt
mkdir -p "$fake/self/attr" "$fake/thread-self/attr" "$fake/sys/kernel" "$fake/sys/net/ipv4"
for f in self/attr/current self/attr/exec thread-self/attr/exec sys/kernel/core_pattern \
	sys/net/ipv4/ip_unprivileged_port_start; do
	ln -s "$bait/file" "$fake/$f"
done
"$MOUNTPLAN" compile -o "$d/plan.mpb" "$top_srcdir/plans/runc-default.yaml" 2>"$d/err" ||
	not_ok "compile runc-default" "$(cat "$d/err")"
PROC_CMD='echo "proc $(stat -f -c %T /proc) $(cat /proc/sys/kernel/core_pattern /proc/self/attr/exec 2>&1 | grep -c "host file")"'
for mode in api fallback; do
	swap proc proc.alt
	runs "$mode" /dev/null "$PROC_CMD"
	kill "$swapper"; wait "$swapper" 2>/dev/null
	# the procfs renamed away with its directory leaves the image's tree
	# at /proc (the command's own view): never a host file through it
	judge "proc ($mode, /proc exchanged with a fake tree of links to host files)" 'proc [^ ]+ 0' \
		"with no host file read through its /proc"
done
[ -L "$d/rootfs/proc/self/attr/exec" ] && mv -T "$d/rootfs/proc" "$d/rootfs/proc.tmp" &&
	mv -T "$d/rootfs/proc.alt" "$d/rootfs/proc" && mv -T "$d/rootfs/proc.tmp" "$d/rootfs/proc.alt"

# Under strace: the executor's opens with a write mode (O_WRONLY, O_RDWR,
# O_CREAT, O_TRUNC), with the new API and the fallback, runc-default and
# stdin the host's /dev/null: only "self/fd/N" (the stdio reopen through
# the host's procfs descriptor; "N" in the fallback, whose working
# directory is then the host's self/fd).
if command -v strace >/dev/null; then
	for mode in api fallback; do
		bin=$MOUNTPLAN_EXEC; [ "$mode" = fallback ] && bin="env MP_FORCE_FALLBACK=1 $EXEC_TEST"
		unshare -m --propagation private strace -f -qq -e trace=open,openat,openat2 -o "$d/strace" \
			$bin --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/true </dev/null >/dev/null 2>"$d/err"
		rc=$?
		# the executor's own calls: up to its execve of /bin/true
		writes=$(awk '/execve\("\/bin\/true"/ { exit } { print }' "$d/strace" |
			grep -E 'O_(WRONLY|RDWR|CREAT|TRUNC)' | grep -oE '"[^"]*"' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
		others=$(awk '/execve\("\/bin\/true"/ { exit } { print }' "$d/strace" |
			grep -E 'O_(WRONLY|RDWR|CREAT|TRUNC)' | grep -vcE '"(self/fd/)?[0-9]+"')
		if [ "$rc" = 0 ] && [ -n "$writes" ] && [ "$others" = 0 ]; then
			ok "proc ($mode): every open for writing is a stdio reopen through the host's procfs (${writes% ;})"
		else
			not_ok "proc ($mode): every open for writing is a stdio reopen through the host's procfs" \
				"exit $rc" "$writes" "$(cat "$d/err")"
		fi
	done
else
	for _ in 1 2; do ok "proc: opens for writing # SKIP no strace"; done
fi

check_host_unchanged "$host_before"
done_testing
