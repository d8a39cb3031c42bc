#!/bin/bash
# tests/exec/harden.sh: the attacks of issue 8 against the executor, each
# on the real kernel with a rootfs the attacker prepared, run with the new
# mount API and again with the mount(2) fallback (the test build with
# MP_FORCE_FALLBACK=1) where the two paths differ:
#   copy-up      a tmpcopyup over image device nodes, FIFOs, sockets and
#                a huge sparse file, or links whose contents pass the
#                limit, is refused naming the entry; nodev and
#                nosuid of the copied tree's mount carry over
#   node         an image device node with the planned numbers but setuid
#                bits or another owner gets the planned mode and owner; a
#                setuid device mode is refused by compiler and executor
#   stdio        stdio on the host's /dev/null is never reopened on an
#                unchecked image node: a FIFO there is not even opened (a
#                host reader waiting on it stays blocked)
#   proc         the image's /proc (a fake self/fd and mountinfo) cannot
#                redirect the fallback: a read-only host bind stays
#                read-only, and with an rshared root the pivot's detach
#                takes nothing from the namespace the executor started in
#   mask         a racer swapping the first masked directory never gets
#                its own directory bound over the other masked paths
#   refind       a racer swapping a new mount's directory with a decoy
#                mount's never gets the decoy changed in its place: made
#                read-only, made shared, given the devices, the cgroup binds,
#                the masks and read-only paths meant for a procfs; nor a
#                bound volume's read-only paths, masks, attributes and
#                nodes; masks beneath a read-only path over a mount are
#                made where the container sees them
#   eagain       a renaming racer cannot stop a ".."-walking resolution
#   races        a bind source and a tmpcopyup tree swapped with a link to
#                the canary while the executor runs: never followed; a
#                bind source (or stdin) on a FUSE that never answers
#                blocks until the caller's SIGTERM, nothing left mounted
#   cgroup       a /proc/self/cgroup longer than 4 KiB is read whole: every
#                controller bind is of the caller's own cgroup; a caller
#                whose cgroup lies outside its cgroup namespace ("/../..")
#                is refused, not bound (it would reach the host's /)
#   other type   a file bound onto an image directory, a directory or a
#                tmpfs onto an image file: refused, the op named
#   immutable    a mount point or a device node to make in an image
#                directory marked immutable: refused, the op named
#   same point   /srv -> /proc and a volume bound at /srv: the masks and
#                read-only paths still land on the procfs beneath it
#   peers        a tmpfs a peer group mounts under the rootfs mid-run
#                reaches the container as a slave (rslave), not under
#                rprivate; arriving during a refind, the op refuses; a
#                mount table past 16 MiB is refused, not cut short
#   propagation  from a namespace whose mounts are all shared, a mount the
#                container makes beneath a bind never reaches it (every
#                root propagation, the bind rshared too)
#   holes        a writable hole that a volume's writer made a symlink
#                (to the read-only path, to /, to another read-only
#                path) is refused, never made writable; one replaced
#                between its save and its restore is refused
#   signals      ignored and blocked signals do not reach the command
#   dumpable     the executor cannot be inspected by its own user mid-run
#   plan file    (the plan file's checks, and) a plan rewritten in place
#                while runs read it: each run replays one whole plan or
#                refuses a torn one (exit 125), never a mix
# Each run is wrapped in a private mount namespace whose table must be the
# same after it; the host's table and a host canary are checked at the end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
chmod 0755 "$work"
PY=${PYTHON3:-python3}
canary=$work/canary
mkdir -p "$canary" "$work/vol"
echo "host secret" >"$canary/secret"
canary_before=$(find "$canary" "$work/vol" -printf '%p %y %s %m\n' | sort)

# newcase NAME: $d, a fresh case directory with an image copy in $d/rootfs.
newcase() {
	d=$work/case/$1
	mkdir -p "$d"
	cp -a "$work/rootfs" "$d/rootfs"
}

# compile: $d/plan.yaml (from stdin) to $d/plan.mpb.
compile() {
	cat >"$d/plan.yaml"
	"$MOUNTPLAN" compile -o "$d/plan.mpb" "$d/plan.yaml" 2>"$d/cerr"
}

# runx MODE [PRE] -- CMD...: run $d/plan.mpb over $d/rootfs (MODE api: the
# installed binary; fallback: the test build with MP_FORCE_FALLBACK=1;
# mountinfo: with MP_FORCE_FALLBACK=mountinfo) in a private mount
# namespace, after PRE (shell run in that namespace); $d/rc, $d/out,
# $d/err, and $d/ns when that namespace's table was unchanged.
runx() {
	local mode=$1 pre=${2:-true}
	shift 2
	[ "$1" = -- ] && shift
	rm -f "$d/ns"
	unshare -m --propagation private bash -c '
		d=$1 mode=$2 bin=$3 test=$4 pre=$5; shift 5
		eval "$pre" || exit 99
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		if [ "$mode" != api ]; then
			MP_FORCE_FALLBACK=$([ "$mode" = fallback ] && echo 1 || echo "$mode") \
				timeout 30 "$test" --rootfs "$d/rootfs" "$d/plan.mpb" -- "$@"
		else
			timeout 30 "$bin" --rootfs "$d/rootfs" "$d/plan.mpb" -- "$@"
		fi >"$d/out" 2>"$d/err" </dev/null
		echo $? >"$d/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$d/ns"
		true' - "$d" "$mode" "$MOUNTPLAN_EXEC" "$EXEC_TEST" "$pre" "$@"
}

# why: the details of the last run.
why() { echo "exit $(cat "$d/rc" 2>/dev/null)"; echo "stderr: $(head -5 "$d/err")"; echo "stdout: $(head -20 "$d/out")"; }

# expect_refused DESC PATTERN: exit 125, one error line matching PATTERN,
# parent namespace unchanged.
expect_refused() {
	if [ "$(cat "$d/rc")" = 125 ] && grep -Eq -- "$2" "$d/err" && [ -f "$d/ns" ]; then
		ok "$1 ($(head -1 "$d/err" | sed 's/.*): //'))"
	else
		not_ok "$1" "$(why)" "namespace: $( [ -f "$d/ns" ] && echo same || echo CHANGED)"
	fi
}

# expect_out DESC PATTERN...: exit 0, every PATTERN in the output,
# parent namespace unchanged.
expect_out() {
	local desc=$1 p; shift
	for p in "$@"; do
		if [ "$(cat "$d/rc")" != 0 ] || ! grep -Eq -- "$p" "$d/out" || [ ! -f "$d/ns" ]; then
			not_ok "$desc" "missing: $p" "$(why)"
			return
		fi
	done
	ok "$desc"
}

# expect_rshared_kept DESC: run under an rshared root (in the case's own
# namespace, cut from the host's peers first): exit 0, and the namespace
# the executor started in keeps every mount.
expect_rshared_kept() {
	runx $mode 'mount --make-rshared /' -- /bin/true
	if [ "$(cat "$d/rc")" = 0 ] && [ -f "$d/ns" ]; then
		ok "$1"
	else
		not_ok "$1" "namespace: $( [ -f "$d/ns" ] && echo same || echo CHANGED)" "$(why)"
	fi
}

plan 135

# --- copy-up ---------------------------------------------------------------
# The image sits on a nodev,nosuid tmpfs (as a runtime mounts an untrusted
# image); the plan's tmpfs over /data has tmpcopyup and no nodev.
COPYUP_PRE='mount -t tmpfs -o nodev,nosuid tmpfs "$d/rootfs" && cp -a "$d/image/." "$d/rootfs/"'
copyup_case() { # NAME SETUP(in image/data)
	newcase "copyup-$1"
	mv "$d/rootfs" "$d/image"
	mkdir -p "$d/rootfs" "$d/image/data"
	(cd "$d/image/data" && eval "$2")
	compile <<EOF
mountplan: 1
name: copyup-$1
mounts:
  - {target: /proc, type: proc}
  - {target: /data, type: tmpfs, options: [tmpcopyup]}
EOF
}
for mode in api fallback; do
	copyup_case dev "mknod -m 666 hostdisk c 1 7; echo ok >file"
	runx $mode "$COPYUP_PRE" -- /bin/true
	expect_refused "copy-up ($mode): an image device node is refused, naming it" \
		'copy-up: hostdisk under the target: a device node is never copied up'
	copyup_case fifo "mkdir -p sub/deeper; mkfifo sub/deeper/pipe"
	runx $mode "$COPYUP_PRE" -- /bin/true
	expect_refused "copy-up ($mode): a FIFO deep in the tree is refused, naming its path" \
		'copy-up: sub/deeper/pipe under the target: a FIFO is never copied up'
	copyup_case sparse "truncate -s 64G huge"
	runx $mode "$COPYUP_PRE" -- /bin/true
	expect_refused "copy-up ($mode): a 64 GiB sparse file is refused, not copied into memory" \
		'copy-up: huge under the target: the copy-up exceeds its limit'
	copyup_case attrs "echo content >file; cp /bin/busybox suidbin; chmod 4755 suidbin; ln -s /etc/shadow link"
	runx $mode "$COPYUP_PRE" -- /bin/sh -c 'cat /data/file; stat -c "%a %F" /data/suidbin /data/link; grep " /data " /proc/self/mountinfo'
	expect_out "copy-up ($mode): files copied, links as links, nodev and nosuid of the image's mount carried over" \
		'^content$' '^4755 regular file$' '^777 symbolic link$' ' /data [^ ]*nosuid' ' /data [^ ]*nodev'
done
# A link's contents take tmpfs memory (a page when long) and count as
# bytes: a 255 MiB sparse file and 400 links of 4,000 bytes (1.6 MB) pass
# the 256 MiB limit together (before pass 9 only files counted: 65,535
# such links pinned another 256 MiB; exit 0 here).
copyup_case links "truncate -s 255M big; $PY -c 'import os
for i in range(400): os.symlink(\"x\" * 4000, \"l%03d\" % i)'"
runx api "$COPYUP_PRE" -- /bin/true
expect_refused "copy-up: the contents of links count against the 256 MiB limit" \
	'copy-up: [a-z0-9]+ under the target: the copy-up exceeds its limit of 256 MiB'
copyup_case socket "$PY -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"sock\")'"
runx api "$COPYUP_PRE" -- /bin/true
expect_refused "copy-up: an image socket is refused" 'copy-up: sock under the target: a socket is never copied up'
# The refusal names an entry of the image: a name holding a terminal
# escape (retitle the caller's window, clear its screen) and a newline
# with a forged line after it reaches the caller's stderr as one line
# with those bytes escaped (\xHH), never raw.
copyup_case escape "mkfifo \"\$(printf 'p\\033]0;owned\\007\\033[2J\\nmountplan-exec: all ops ok')\""
runx api "$COPYUP_PRE" -- /bin/true
if [ "$(cat "$d/rc")" = 125 ] && [ "$(wc -l <"$d/err")" = 1 ] && ! LC_ALL=C grep -q '[[:cntrl:]]' "$d/err" &&
	grep -Fq 'copy-up: p\x1b]0;owned\x07\x1b[2J\x0amountplan-exec: all ops ok under the target: a FIFO' "$d/err"; then
	ok "copy-up: an image name's control characters are escaped in the refusal (one line, no raw escape)"
else
	not_ok "copy-up: an image name's control characters are escaped in the refusal" "$(why | cat -v)" "lines: $(wc -l <"$d/err")"
fi

# --- device nodes ----------------------------------------------------------
for mode in api fallback; do
	newcase node-$mode
	# chown clears setuid/setgid: the mode after it
	mknod "$d/rootfs/dev/zero" c 1 5; chown 1000:1000 "$d/rootfs/dev/zero"; chmod 6666 "$d/rootfs/dev/zero"
	mknod "$d/rootfs/dev/full" c 1 7; chown 1000:1000 "$d/rootfs/dev/full"; chmod 4666 "$d/rootfs/dev/full"
	mkfifo "$d/rootfs/dev/fifo"; chown 1000:1000 "$d/rootfs/dev/fifo"; chmod 6777 "$d/rootfs/dev/fifo"
	[ "$(stat -c %a "$d/rootfs/dev/zero" "$d/rootfs/dev/full" "$d/rootfs/dev/fifo" | tr '\n' ' ')" = "6666 4666 6777 " ] ||
		echo "# setup: the image nodes lack their setuid bits" >&2
	compile <<EOF
mountplan: 1
name: node
mounts:
  - {target: /proc, type: proc}
devices:
  - {path: /dev/zero, type: c, major: 1, minor: 5, mode: 0666}
  - {path: /dev/full, type: c, major: 1, minor: 7, mode: 0620, uid: 5, gid: 6}
  - {path: /dev/fifo, type: p, mode: 0600}
  - {path: /dev/new, type: c, major: 1, minor: 3, mode: 0640, uid: 7, gid: 8}
EOF
	runx $mode "" -- /bin/stat -c '%n %a %u %g' /dev/zero /dev/full /dev/fifo /dev/new
	expect_out "device nodes ($mode): an image node with setuid bits or another owner gets the planned mode and owner" \
		'^/dev/zero 666 0 0$' '^/dev/full 620 5 6$' '^/dev/fifo 600 0 0$' '^/dev/new 640 7 8$'
done
d=$work/case/node-api
printf 'mountplan: 1\nname: suid-dev\ndevices:\n  - {path: /dev/x, type: c, major: 1, minor: 3, mode: 04666}\n' >"$d/suid.yaml"
"$MOUNTPLAN" compile -o "$d/suid.mpb" "$d/suid.yaml" >"$d/out" 2>&1; rc=$?
if [ "$rc" = 1 ] && grep -q 'suid.yaml:4:.*setuid or setgid.*\[MP-DEVICE\]' "$d/out" && [ ! -e "$d/suid.mpb" ]; then
	ok "compile refuses a setuid device mode at its position"
else
	not_ok "compile refuses a setuid device mode at its position" "exit $rc" "$(cat "$d/out")"
fi
printf 'ROOTFS propagation=rslave\nMKNOD target=/dev/x mode=c02666 major=1 minor=3\nPIVOT flags=pivot_root\nCHDIR target=/\n' |
	"$top_builddir/tests/exec/mpbasm" - "$d/plan.mpb"
runx api "" -- /bin/true
expect_refused "the executor refuses a setgid device mode before any op" 'op 1: setuid or setgid device mode'

# --- stdio on the host's /dev/null ------------------------------------------
# The image's /dev/null is a FIFO with a host reader blocked on it: opening
# it (O_RDWR, as root) would wake the reader; it must stay blocked.
for mode in api fallback; do
	newcase stdio-$mode
	rm -f "$d/rootfs/dev/null"; mkfifo -m 666 "$d/rootfs/dev/null"
	compile <<'EOF'
mountplan: 1
name: stdio
mounts:
  - {target: /proc, type: proc}
EOF
	timeout 20 cat "$d/rootfs/dev/null" >/dev/null & reader=$!
	runx $mode "" -- /bin/true
	sleep 0.2
	if kill -0 "$reader" 2>/dev/null; then alive=yes; else alive=no; fi
	kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
	if [ "$alive" = yes ]; then
		expect_refused "stdio ($mode): an image FIFO at /dev/null is refused without being opened" \
			'not the null device'
	else
		not_ok "stdio ($mode): an image FIFO at /dev/null is refused without being opened" \
			"the host reader was woken: the executor opened the FIFO" "$(why)"
	fi
done

# --- the container's /proc is the image's ------------------------------------
# No procfs in the plan; the image's /proc holds self/fd/N links to a decoy
# and an empty self/mountinfo, which the old fallback read after PIVOT.
fake_proc() {
	rm -rf "$d/rootfs/proc"; mkdir -p "$d/rootfs/proc/self/fd" "$d/rootfs/decoy"
	for n in $(seq 0 63); do ln -s /decoy "$d/rootfs/proc/self/fd/$n"; done
	: >"$d/rootfs/proc/self/mountinfo"
}
for mode in api fallback; do
	newcase proc-ro-$mode
	fake_proc
	compile <<EOF
mountplan: 1
name: proc-ro
mounts:
  - {target: /mnt/vol, type: bind, source: $work/vol}
readonly: [/mnt/vol]
EOF
	runx $mode "" -- /bin/sh -c 'if echo x >/mnt/vol/pwned; then echo WRITABLE; else echo READ-ONLY; fi'
	expect_out "proc ($mode): a fake /proc in the image does not undo the read-only remount of a host bind" '^READ-ONLY$'
done
# The fallback's mount(2) works from the host's self/fd directory (the
# magic links' directory, entered once): the command must start where the
# plan says, also when mounts follow CHDIR, never in the host's /proc
# (CVE-2024-21626: a working directory outside the root is a way out).
for mode in api fallback; do
	newcase cwd-$mode
	mkdir -p "$d/rootfs/srv"
	printf '%s\n' 'ROOTFS propagation=rslave' 'MOUNT target=/proc fstype=proc source=proc' \
		'MOUNT target=/sys fstype=sysfs source=sysfs attr_set=rdonly' \
		'PIVOT flags=pivot_root' 'CHDIR target=/srv' 'READONLY target=/proc/sys' \
		'MASK target=/proc/acpi' 'SETATTR target=/ attr_set=rdonly' |
		"$top_builddir/tests/exec/mpbasm" - "$d/plan.mpb"
	runx $mode "" -- /bin/sh -c 'pwd; readlink /proc/self/cwd; ls /proc/self/fd | wc -l'
	expect_out "cwd ($mode): mounts after CHDIR leave the command in CHDIR's directory, not the host's /proc" \
		'^/srv$' '^/srv$'
done
# rshared root (in a namespace of our own, cut from the host's peers
# first): the old root must be made a slave before its detach, or the
# detach propagates to the namespace the executor started in.
for mode in api fallback; do
	newcase proc-rshared-$mode
	fake_proc
	compile <<'EOF'
mountplan: 1
name: proc-rshared
rootfs: {propagation: rshared}
mounts:
  - {target: /tmp, type: tmpfs}
EOF
	expect_rshared_kept "proc ($mode): rshared root with a fake /proc: the starting namespace keeps every mount"
done

# --- bind sources and symlinks (Kubernetes subPath) ---------------------------
# A volume another container can write ($work/share): the plan binds a
# path in it; the attacker turns a component into a link to the canary.
bind_case() { # NAME SETUP(in the volume) SOURCE(in the volume) [EXTRA] [VERSION]
	newcase "bindsrc-$1"
	rm -rf "$work/share"; mkdir -p "$work/share/sub"; echo "volume file" >"$work/share/sub/file"
	(cd "$work/share" && eval "$2")
	compile <<EOF
mountplan: ${5:-1}
name: bindsrc
mounts:
  - {target: /proc, type: proc}
  - {target: /mnt/sub, type: bind, source: $work/share/$3$4}
EOF
}
for mode in api fallback; do
	bind_case dir "mv sub real; ln -s $canary sub" sub
	runx $mode "" -- /bin/sh -c 'cat /mnt/sub/*'
	expect_refused "bind source ($mode): a volume directory swapped for a link to a host directory is refused, naming it" \
		"source component $work/share/sub is a symbolic link"
	bind_case middle "mkdir real; mv sub real/; ln -s real deep" deep/sub
	runx $mode "" -- /bin/sh -c 'cat /mnt/sub/*'
	expect_refused "bind source ($mode): a link in a middle component is refused, naming it" \
		"source component $work/share/deep is a symbolic link"
done
bind_case file "rm sub/file; ln -s $canary/secret sub/file" sub/file
runx api "" -- /bin/cat /mnt/sub
expect_refused "bind source: a file source that is a link to a host secret is refused" \
	"source component $work/share/sub/file is a symbolic link"
bind_case optional "mv sub real; ln -s $canary sub" sub ", optional: true"
runx api "" -- /bin/sh -c 'cat /mnt/sub/*'
expect_refused "bind source: an optional source that is a link is refused, not skipped" "is a symbolic link"
bind_case follow "mv sub real; ln -s real sub" sub ", follow-symlinks: true" 2
runx api "" -- /bin/cat /mnt/sub/file
expect_out "bind source: follow-symlinks: true (format 2) follows the link" '^volume file$'
# The race: sub swapped (RENAME_EXCHANGE) with a link to the canary while
# the executor runs: the container sees the volume or nothing, never the
# canary.
# swap_sub DIR: in the background, DIR/sub and DIR/sub.alt swapped
# (RENAME_EXCHANGE) as fast as Python can, for at most 5 minutes; its pid
# in $swapper.
swap_sub() {
	"$PY" - "$1" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
os.chdir(sys.argv[1])
end = time.time() + 300
while time.time() < end and os.path.lexists("sub.alt"):
    for _ in range(1000):
        libc.renameat2(-100, b"sub", -100, b"sub.alt", 2)
EOF
	swapper=$!
}
bind_case race "ln -s $canary sub.alt" sub
swap_sub "$work/share"
seen_secret=0 refused=0 BIND_RUNS=${BIND_RUNS:-60}
for i in $(seq 1 "$BIND_RUNS"); do
	runx api "" -- /bin/sh -c 'cat /mnt/sub/file /mnt/sub/secret 2>/dev/null'
	grep -q "host secret" "$d/out" && seen_secret=$((seen_secret + 1))
	[ "$(cat "$d/rc")" = 125 ] && refused=$((refused + 1))
done
kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
check "bind source race: $BIND_RUNS runs against a swapping volume ($refused refused): the canary is never seen" \
	[ "$seen_secret" = 0 ]

# A FUSE mount whose server never answers (not even its INIT): a bind
# source beneath it blocks the lookup in the kernel, with no bound of the
# executor's own (none of runc 1.1.5, crun 1.8.1, bwrap 0.8.0 has one:
# doc/executor.md, red-team pass 9); so does the start's fstat of a stdio
# descriptor on it (stdin an O_PATH descriptor of the FUSE's root, the
# one file reachable there without the server: opening it asks nothing).
# The caller's SIGTERM ends it (runc and crun stayed blocked through it
# until the server died), nothing left mounted in the namespace it
# started in.
# fuse_hung_run STDIN: $d/plan.mpb over $d/rootfs under timeout 2, in a
# private namespace where $d/fuse is the hung FUSE; stdin /dev/null, or
# with STDIN "fuse" the FUSE's root (O_PATH); $d/rc, $d/ms, $d/ns.
fuse_hung_run() {
	cat >"$d/hung.py" <<'EOF'
import ctypes, os, sys, time
fd = os.open("/dev/fuse", os.O_RDWR)
opts = ("fd=%d,rootmode=40000,user_id=0,group_id=0" % fd).encode()
if ctypes.CDLL(None, use_errno=True).mount(b"hung", sys.argv[1].encode(), b"fuse.hung", 0, opts):
    sys.exit(1)
time.sleep(60)
EOF
	mkdir -p "$d/fuse"
	unshare -m --propagation private bash -c '
		d=$1 bin=$2 py=$3 stdin=$4
		"$py" "$d/hung.py" "$d/fuse" & fp=$!
		for _ in $(seq 1 100); do grep -q " $d/fuse " /proc/self/mountinfo && break; sleep 0.1; done
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		s=$(date +%s%N)
		if [ "$stdin" = fuse ]; then
			timeout 2 "$py" -c "import os, sys
fd = os.open(sys.argv[1], os.O_PATH)
os.dup2(fd, 0)
os.execv(sys.argv[2], sys.argv[2:])" "$d/fuse" "$bin" --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/true
		else
			timeout 2 "$bin" --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/true </dev/null
		fi >"$d/out" 2>"$d/err"
		echo $? >"$d/rc"
		echo $(( ($(date +%s%N) - s) / 1000000 )) >"$d/ms"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$d/ns"
		kill $fp; wait $fp 2>/dev/null
		true' - "$d" "$MOUNTPLAN_EXEC" "$PY" "$1"
}
# expect_sigterm DESC: the last fuse_hung_run ended by timeout's SIGTERM
# (124) within 10 s, nothing left mounted.
expect_sigterm() {
	if [ "$(cat "$d/rc")" = 124 ] && [ "$(cat "$d/ms")" -lt 10000 ] && [ -f "$d/ns" ]; then
		ok "$1: blocked, ended by the caller's SIGTERM after $(cat "$d/ms") ms, nothing left mounted"
	else
		not_ok "$1: ended by the caller's SIGTERM" "$(why)" \
			"ms: $(cat "$d/ms")" "namespace: $( [ -f "$d/ns" ] && echo same || echo CHANGED)"
	fi
}
newcase fuse
if [ -c /dev/fuse ]; then
	compile <<EOF
mountplan: 1
name: fuse
mounts:
  - {target: /proc, type: proc}
  - {target: /data, type: bind, source: $d/fuse/sub}
EOF
	fuse_hung_run /dev/null
	expect_sigterm "bind source on a FUSE that never answers"
	compile <<'EOF'
mountplan: 1
name: fuse-stdio
mounts:
  - {target: /proc, type: proc}
EOF
	fuse_hung_run fuse
	expect_sigterm "stdin on a FUSE that never answers (the start's fstat)"
else
	ok "bind source on a FUSE that never answers # SKIP no /dev/fuse"
	ok "stdin on a FUSE that never answers # SKIP no /dev/fuse"
fi

# The same race in a tmpcopyup (CVE-2021-30465's class, in the copy):
# the image's /data/sub, a file, swapped (RENAME_EXCHANGE) with
# /data/sub.alt, a link to the canary, while the executor copies /data into the tmpfs
# before PIVOT (the host's root): a copy that followed the link would
# carry the canary into the container.
newcase copyup-race
mkdir -p "$d/rootfs/data"
echo "image file" >"$d/rootfs/data/sub"
ln -s "$canary/secret" "$d/rootfs/data/sub.alt"
compile <<'EOF'
mountplan: 1
name: copyup-race
mounts:
  - {target: /data, type: tmpfs, options: [tmpcopyup]}
EOF
swap_sub "$d/rootfs/data"
seen_secret=0 copied=0
for i in $(seq 1 "$BIND_RUNS"); do
	runx api "" -- /bin/sh -c 'cat /data/sub /data/sub.alt 2>&1; echo end'
	grep -q "host secret" "$d/out" && seen_secret=$((seen_secret + 1))
	grep -q "image file" "$d/out" && copied=$((copied + 1))
done
kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
check "copy-up race: $BIND_RUNS runs against a swapping image directory ($copied copied the file): the canary is never copied" \
	test "$seen_secret" = 0 -a "$copied" -gt 0

# --- masks: the shared tmpfs is the one just mounted ---------------------------
# The masks' read-only tmpfs is mounted on the first masked directory and
# found again by its path; every later masked directory gets a bind of
# what was found.  A racer swapping that directory with one of its own
# (RENAME_EXCHANGE in the image, as fast as it can) must never get its
# directory bound over another masked path: each run is refused (125,
# naming the replaced directory) or the second masked directory is the
# empty read-only tmpfs.
newcase mask-race
mkdir -p "$d/rootfs/data/sub" "$d/rootfs/data/sub.alt" "$d/rootfs/data/other"
echo decoy >"$d/rootfs/data/sub.alt/decoy"
compile <<EOF
mountplan: 1
name: mask-race
dev: standard
masks: [/data/sub, /data/other]
EOF
swap_sub "$d/rootfs/data"
MASK_RUNS=${MASK_RUNS:-100}
for mode in api fallback; do
	decoy=0 refused=0 masked=0
	for i in $(seq 1 "$MASK_RUNS"); do
		runx $mode "" -- /bin/sh -c 'ls -A /data/other; touch /data/other/x 2>/dev/null || echo read-only'
		grep -q decoy "$d/out" && decoy=$((decoy + 1))
		if [ "$(cat "$d/rc")" = 125 ] && grep -q 'replaced while it was mounted on' "$d/err"; then
			refused=$((refused + 1))
		elif [ "$(cat "$d/rc")" = 0 ] && [ "$(cat "$d/out")" = read-only ]; then
			masked=$((masked + 1))
		fi
	done
	if [ "$decoy" = 0 ] && [ $((refused + masked)) = "$MASK_RUNS" ]; then
		ok "mask race ($mode): $MASK_RUNS runs against a swapping masked directory, never the racer's directory over another mask ($refused refused, $masked masked)"
	else
		not_ok "mask race ($mode): never the racer's directory over another mask" \
			"$decoy runs showed the racer's file, $refused refused, $masked masked" "$(why)"
	fi
done
kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null

# --- refind: a mount made by mount(2), then found again by its path -----------
# Before PIVOT a new filesystem is made by mount(2) on the target's
# descriptor; where its root is wanted after (a tmpfs the next ops create
# names in, a propagation to set, the cgroup tmpfs the controllers are
# bound into) and in the fallback (read-only, a bind's attributes) it is
# found again by its path, which a process renaming the image's
# directories can point at another mount meanwhile.  Each case: a decoy
# mount at /data/sub.alt (made first), the mount under test at /data/sub,
# and a racer swapping the two directories (RENAME_EXCHANGE) as fast as it
# can.  Never may the decoy get the change in the new mount's place (the
# new one left writable or private, devices made in the image's directory,
# the decoy read-only): each run shows the plan's result or is refused
# (125, the parent namespace unchanged).  The test build waits
# MP_REFIND_PAUSE_US before it looks again, widening the window.
# refind_case NAME: $d with /data/sub and /data/sub.alt, the plan from stdin.
refind_case() {
	newcase "refind-$1"
	mkdir -p "$d/rootfs/data/sub" "$d/rootfs/data/sub.alt"
	compile
}
# refind_run NAME CMD [HOSTCHECK]: REFIND_RUNS runs per mode against the
# swapper; CMD (in the container) and HOSTCHECK (shell, after the run)
# print "bad ..." when the decoy took the change, CMD "good" when the run
# shows the plan's result.
refind_run() {
	local name=$1 cmd=$2 host=${3:-} mode bad refused checked good
	for mode in api fallback mountinfo; do
		bad=0 refused=0 checked=0 good=0
		swap_sub "$d/rootfs/data"
		for i in $(seq 1 "$REFIND_RUNS"); do
			MP_REFIND_PAUSE_US=50 runx $mode "" -- /bin/sh -c "$cmd"
			[ -z "$host" ] || eval "$host" >>"$d/out"
			if grep -q '^bad' "$d/out"; then
				bad=$((bad + 1)) && cp "$d/out" "$d/bad"
			elif [ "$(cat "$d/rc")" = 125 ] && [ -f "$d/ns" ]; then
				refused=$((refused + 1))
				! grep -Eq '(replaced while it was mounted on|moved while it was made read-only)' "$d/err" ||
					checked=$((checked + 1))
			elif [ "$(cat "$d/rc")" = 0 ] && grep -q '^good' "$d/out"; then
				good=$((good + 1))
			else
				bad=$((bad + 1)) && why >"$d/bad"
			fi
		done
		kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
		local what="refind race, $name ($mode): $REFIND_RUNS runs against a swapping decoy, never the decoy changed"
		[ "$bad" != 0 ] || ok "$what ($good as planned, $refused refused, $checked of them by the check)"
		[ "$bad" = 0 ] || not_ok "$what" "$bad bad ($good good, $refused refused): $(head -3 "$d/bad")"
	done
}
REFIND_RUNS=${REFIND_RUNS:-60}
# opts TYPE (in the container): the mount options of the first TYPE mount
OPTS='opts() { grep " - $1 " /proc/self/mountinfo | head -1 | cut -d" " -f6; }'
for t in sysfs tmpfs; do
	refind_case "ro-$t" <<EOF
mountplan: 1
name: refind-ro-$t
mounts:
  - {target: /proc, type: proc}
  - {target: /data/sub.alt, type: mqueue}
  - {target: /data/sub, type: $t, options: [ro]}
EOF
	refind_run "read-only $t" "$OPTS"'; n=$(opts '$t'); q=$(opts mqueue)
case $n,$q in ro*,rw*) echo good;; *) echo "bad: '$t' $n, the decoy $q";; esac'
done
refind_case propagation <<'EOF'
mountplan: 1
name: refind-propagation
mounts:
  - {target: /proc, type: proc}
  - {target: /data/sub.alt, type: mqueue}
  - {target: /data/sub, type: tmpfs, propagation: shared}
EOF
refind_run "shared tmpfs" 'l() { grep " - $1 " /proc/self/mountinfo | head -1; }
case "$(l tmpfs)|$(l mqueue)" in *shared:*"|"*shared:*) echo "bad: both shared";;
*shared:*"|"*) echo good;; *) echo "bad: the decoy shared: $(l mqueue)";; esac'
# the tmpfs's root is kept for the device made in it next (no lookup, no
# ACL to remove: a directory of the run's own): never the image's
refind_case devices <<'EOF'
mountplan: 1
name: refind-devices
mounts:
  - {target: /data/sub, type: tmpfs}
devices:
  - {path: /data/sub/disk0, type: c, major: 1, minor: 3, mode: 0600}
EOF
refind_run "a tmpfs's devices" 'echo good' \
	'n=$(find "$d/rootfs/data" -type c); [ -z "$n" ] || { echo "bad: a node made in the image: $n"; rm -f $n; }'
# the fallback's recursive read-only of a tree with submounts: each found
# by its mount point, never one remounted twice and the other left
# writable (both names are tried: whichever mounts they show now)
refind_case tree <<'EOF'
mountplan: 1
name: refind-tree
mounts:
  - {target: /proc, type: proc}
  - {target: /data/sub, type: tmpfs}
  - {target: /data/sub.alt, type: tmpfs}
readonly: [/data]
EOF
refind_run "read-only tree" 'w=; for p in /data/sub /data/sub.alt; do touch $p/x 2>/tmp/touch.err && w="$w $p"; done
[ -z "$w" ] && echo good || echo "bad: writable:$w"'
# the masks and read-only paths beneath a new mount (runc-default's /proc)
# resolved from that mount's root, not through the image's directory it
# sits on: a racer swapping that directory (with the procfs on it) for one
# of its own never gets them applied to its directory and the procfs left
# unmasked and writable under the other name
refind_case anchor <<'EOF'
mountplan: 1
name: refind-anchor
mounts:
  - {target: /data/sub, type: proc}
masks: [/data/sub/acpi]
readonly: [/data/sub/sys]
EOF
mkdir -p "$d/rootfs/data/sub.alt/sys" "$d/rootfs/data/sub.alt/acpi"
refind_run "masks and read-only paths in a procfs" 'x=; for k in 1 2 3 4 5 6 7 8 9 10; do
	for m in /data/sub /data/sub.alt; do x=$(cat $m/self/mountinfo 2>/tmp/e) && [ -n "$x" ] && break 2; done; done
echo "$x" | awk "{ split(\$0, h, \" - \"); split(h[2], t, \" \") }
t[1] == \"proc\" && \$4 == \"/\" { p = \$1 }
t[1] == \"proc\" && \$4 == \"/sys\" && \$2 == p && \$6 ~ /^ro/ { ro = 1 }
t[1] == \"tmpfs\" && \$2 == p && \$6 ~ /^ro/ { masked = 1 }
END { print (ro && masked) ? \"good\" : \"bad: the procfs (\" p \") read-only /sys \" ro \", masked \" masked }"'
# a v1 host (/sys/fs/cgroup a tmpfs): CGROUP's own tmpfs of controllers
if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; then
	refind_case cgroup <<'EOF'
mountplan: 1
name: refind-cgroup
mounts:
  - {target: /proc, type: proc}
  - {target: /data/sub.alt, type: tmpfs, options: [size=1m]}
  - {target: /data/sub, type: cgroup, options: [ro]}
EOF
	refind_run "cgroup v1 tmpfs" 'o=$(grep " - tmpfs .*size=1024k" /proc/self/mountinfo | cut -d" " -f6)
c=$(grep " - tmpfs " /proc/self/mountinfo | grep -v size=1024k | head -1 | cut -d" " -f6)
case $o,$c in rw*,ro*) echo good;; *) echo "bad: the decoy $o, the cgroup tmpfs $c";; esac'
else
	for mode in api fallback mountinfo; do
		ok "refind race, cgroup v1 tmpfs ($mode) # SKIP /sys/fs/cgroup is not a v1 tmpfs here"
	done
fi

# --- anchors of binds: what is beneath a bind's target, after the bind -------
# A host directory bound at /data/sub (a volume: its secret, ro/ and w/),
# then ops at or beneath that target: a read-only path of it (folded
# into the bind by the compiler, and one with a hole, which is not), a
# mask and a read-only path beneath it, the rbind's recursive attributes
# (a SETATTR of the target), a device and a symlink made in it.  The
# racer swaps /data/sub with /data/sub.alt (the image's, with a tmpfs
# mounted on it first) as fast as it can: the bind moves with its
# directory, and an op that looks the target up again by its path lands
# on the image's directory, leaving the host directory writable, its
# secret unmasked, its tree without nosuid, the node in the image.  Never
# may that happen: each run shows the plan's result or is refused.
# bind_case NAME: refind_case with the host directory $d/host (the
# plan's bind source, @HOST@ in the plan), the mounts after /proc and the
# decoy's tmpfs and the rest of the plan from stdin.
bind_case() {
	local rest
	rest=$(cat)
	newcase "refind-bind-$1"
	mkdir -p "$d/rootfs/data/sub" "$d/rootfs/data/sub.alt" "$d/host/ro" "$d/host/w"
	echo "host secret" >"$d/host/secret"
	printf 'mountplan: 1\nname: bind-%s\ndev: standard\nmounts:\n%s\n%s\n' "$1" \
		'  - {target: /proc, type: proc}' '  - {target: /data/sub.alt, type: tmpfs}' |
		cat - <(echo "${rest//@HOST@/$d/host}") | compile
}
# host_wrote FILE: the HOSTCHECK of a write the container must not make
# in the host directory (removed for the next run).
host_wrote() { echo "f=\$d/host/$1; [ ! -e \$f ] || { echo \"bad: wrote \$f\"; rm -f \$f; }"; }
TOUCH='for p in /data/sub /data/sub.alt; do touch $p/$F 2>/dev/null; done; echo good'
# 30 runs per case and mode (BIND_REFIND_RUNS): the window spans PIVOT
# for most of them, and main's executor lost 2-11 of 30 (doc/executor.md)
refind_runs=$REFIND_RUNS REFIND_RUNS=${BIND_REFIND_RUNS:-30}
bind_case ro <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@}
readonly: [/data/sub]
EOF
refind_run "a bind's own read-only path" "F=x; $TOUCH" "$(host_wrote x)"
bind_case ro-hole <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@}
readonly: [{path: /data/sub, writable: [/data/sub/w]}]
EOF
refind_run "a bind's own read-only path with a hole" "F=x; $TOUCH" "$(host_wrote x)"
bind_case ro-beneath <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@}
readonly: [/data/sub/ro]
EOF
refind_run "a read-only path beneath a bind" "F=ro/x; $TOUCH" "$(host_wrote ro/x)"
bind_case mask <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@}
masks: [/data/sub/secret]
EOF
refind_run "a mask beneath a bind" 'cat /data/sub/secret /data/sub.alt/secret 2>/dev/null | grep -q "host secret" &&
	echo "bad: the secret unmasked" || echo good'
bind_case setattr <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@, options: [rbind, ro, rnosuid]}
EOF
refind_run "an rbind's recursive attributes" 'o=$(awk "\$4 ~ /\/host\$/ { print \$6 }" /proc/self/mountinfo)
case $o in *nosuid*) echo good;; *) echo "bad: the bind $o";; esac'
bind_case node <<'EOF'
  - {target: /data/sub, type: bind, source: @HOST@}
devices:
  - {path: /data/sub/null, type: c, major: 1, minor: 3, mode: 0600}
symlinks:
  - {path: /data/sub/link, target: /nowhere}
EOF
refind_run "a device and a symlink beneath a bind" 'echo good' \
	'n=$(find "$d/rootfs/data" -type c -o -type l); [ -z "$n" ] || { echo "bad: made in the image: $n"; rm -f $n; }'
REFIND_RUNS=$refind_runs

# A read-only path of exactly an anchor's target covers that mount: the
# masks after it beneath that path go on its own bind, the one the
# container sees (on main at 3584081 they went on the covered procfs:
# /proc/sys listed, /proc/version readable, in every mode).
newcase anchor-covered
compile <<'EOF'
mountplan: 1
name: anchor-covered
dev: standard
mounts:
  - {target: /proc, type: proc}
readonly: [/proc]
masks: [/proc/sys, /proc/version]
EOF
for mode in api fallback mountinfo; do
	runx $mode "" -- /bin/sh -c 'echo "sys:$(ls /proc/sys | head -1) version:$(cat /proc/version)"; touch /proc/x 2>/dev/null || echo ro'
	expect_out "a read-only path over a mount with masks beneath ($mode): masked where the container sees them" \
		'^sys: version:$' '^ro$'
done

# A bind's anchor past 64 ops that change paths (the ops are found by a
# binary search of their sorted targets since red-team pass 9; before, by
# reading the plan on from each MOUNT and BIND): the executor stopped
# before its first mask (MP_STOP_OP), the image's directory under the bind
# renamed and a decoy made in its place; the mask beneath the bind still
# lands on the volume, which the container then finds under the new name.
# Targets that share the bind's name as a prefix (/data/sub-x, /data/sub.x
# sort before /data/sub/..., /data/sub0 after) are not beneath it.
newcase anchor-many
mkdir -p "$d/host" "$d/rootfs/data/sub" "$d/rootfs/m" && echo "host secret" >"$d/host/secret"
for s in sub-x sub.x sub0; do mkdir -p "$d/rootfs/data/$s" && echo image >"$d/rootfs/data/$s/f"; done
(cd "$d/rootfs/m" && touch $(seq -f f%03g 1 70))
{ printf 'mountplan: 1\nname: anchor-many\ndev: standard\nmounts:\n'
  printf '  - {target: /proc, type: proc}\n  - {target: /data/sub, type: bind, source: %s}\n' "$d/host"
  printf 'masks: [/data/sub-x/f, /data/sub.x/f, /data/sub0/f'
  printf ', /m/%s' $(ls "$d/rootfs/m"); printf ', /data/sub/secret]\n'; } | compile
stop=$("$MOUNTPLAN" dump "$d/plan.mpb" | awk '$2 == "MASK" { print $1; exit }')
for mode in api fallback; do
	rm -rf "$d/rootfs/data/sub.moved"
	unshare -m --propagation private env MP_STOP_OP="$stop" \
		MP_FORCE_FALLBACK=$([ $mode = fallback ] && echo 1 || echo 0) \
		"$EXEC_TEST" --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/sh -c \
		'cat /data/sub.moved/secret; echo "rc=$?"' >"$d/out" 2>"$d/err" </dev/null & p=$!
	for _ in $(seq 1 100); do
		grep -q '^State:.*T' /proc/$p/status 2>/dev/null && break
		sleep 0.05
	done
	mv "$d/rootfs/data/sub" "$d/rootfs/data/sub.moved" && mkdir "$d/rootfs/data/sub" &&
		echo decoy >"$d/rootfs/data/sub/secret"
	kill -CONT "$p" 2>/dev/null; wait "$p"; echo $? >"$d/rc"
	if [ "$(cat "$d/rc")" = 0 ] && grep -q '^rc=0$' "$d/out" && ! grep -q "host secret" "$d/out"; then
		ok "anchor past 64 changing ops ($mode): the mask beneath a bind on the volume, renamed away (stopped before op $stop)"
	else
		not_ok "anchor past 64 changing ops ($mode): the mask beneath a bind on the volume" "$(why)"
	fi
	rm -rf "$d/rootfs/data/sub" && mv "$d/rootfs/data/sub.moved" "$d/rootfs/data/sub"
done

# --- pivot: move leaves no host mount behind ----------------------------------
# From inside the container, a nested user (+pid, +net) namespace tries to
# mount a fresh procfs and sysfs: the kernel allows it while a fully
# visible one exists in the mount namespace (the host's, left under a
# move); the container's own /proc is masked, so nothing may succeed.
NESTED='unshare -U -r -p -f -m sh -c "mkdir -p /tmp/p; mount -t proc proc /tmp/p && echo PROC-MOUNTED"
	unshare -U -r -n -m sh -c "mkdir -p /tmp/s; mount -t sysfs sysfs /tmp/s && echo SYSFS-MOUNTED"
	echo ran'
for pv in move pivot_root; do
	for mode in api fallback; do
		[ $pv = pivot_root ] && [ $mode = fallback ] && continue
		newcase "move-$pv-$mode"
		compile <<EOF
mountplan: 1
name: move
rootfs: {pivot: $pv}
dev: standard
mounts:
  - {target: /proc, type: proc}
  - {target: /tmp, type: tmpfs}
masks: [/proc/keys, /proc/timer_list]
readonly: [/proc/sys]
EOF
		runx $mode "" -- /bin/sh -c "$NESTED"
		if [ "$(cat "$d/rc")" = 0 ] && grep -q '^ran$' "$d/out" && ! grep -q MOUNTED "$d/out" && [ -f "$d/ns" ]; then
			ok "pivot $pv ($mode): a nested user namespace mounts no fresh procfs or sysfs"
		else
			not_ok "pivot $pv ($mode): a nested user namespace mounts no fresh procfs or sysfs" "$(why)"
		fi
	done
done
newcase move-rshared
compile <<'EOF'
mountplan: 1
name: move-rshared
rootfs: {pivot: move, propagation: rshared}
mounts:
  - {target: /proc, type: proc}
EOF
for mode in api fallback; do
	expect_rshared_kept "pivot move ($mode), rshared: detaching the host's mounts takes none from the starting namespace"
done

# --- openat2 EAGAIN ----------------------------------------------------------
# /data is a symlink whose body walks "..": a scoped lookup through it
# fails with EAGAIN whenever a rename happens meanwhile (anywhere).
newcase eagain
mkdir -p "$d/rootfs/x" "$d/rootfs/real" "$d/spin"
ln -s x/../real "$d/rootfs/data"
compile <<'EOF'
mountplan: 1
name: eagain
mounts:
  - {target: /data/a, type: tmpfs}
  - {target: /data/b, type: tmpfs}
  - {target: /data/c, type: tmpfs}
EOF
"$PY" - "$d/spin" <<'EOF' &
import os, sys, time
os.chdir(sys.argv[1])
open("a", "w").close()
end = time.time() + 120
while time.time() < end and os.path.exists("../rootfs"):
    for _ in range(1000):
        os.rename("a", "b"); os.rename("b", "a")
EOF
spinner=$!
EAGAIN_RUNS=${EAGAIN_RUNS:-100}
fails=0
for i in $(seq 1 "$EAGAIN_RUNS"); do
	runx api "" -- /bin/true
	[ "$(cat "$d/rc")" = 0 ] && [ -f "$d/ns" ] || { fails=$((fails + 1)); cp "$d/err" "$d/err.last"; }
done
kill "$spinner" 2>/dev/null; wait "$spinner" 2>/dev/null
if [ "$fails" = 0 ]; then
	ok "eagain: $EAGAIN_RUNS runs through a '..' symlink against a renaming racer all succeed"
else
	not_ok "eagain: $EAGAIN_RUNS runs through a '..' symlink against a renaming racer all succeed" \
		"$fails failed; last: $(cat "$d/err.last")"
fi

# --- /proc/self/cgroup beyond 4 KiB ------------------------------------------
# The wrapper joins, in every hierarchy, a child of its own cgroup whose
# path is 600 bytes longer (children only: the limits above still hold).
newcase cgroup
long=$(printf 'mountplan-harden-%0183d/' 1 2 3 | sed 's:/$::')
compile <<'EOF'
mountplan: 1
name: cgroup
mounts:
  - {target: /proc, type: proc}
  - {target: /sys, type: sysfs}
  - {target: /sys/fs/cgroup, type: cgroup}
EOF
CG_PRE='
	cg=$(cat /proc/self/cgroup)	# it changes as we join
	while IFS=: read -r _ ctrl path; do
		case $ctrl in "") h=unified ;; name=*) h=${ctrl#name=} ;; *) h=$ctrl ;; esac
		dir=/sys/fs/cgroup/$h${path%/}
		[ -d "$dir" ] || continue
		mkdir -p "$dir/$LONG" || exit 1
		if [ -f "$dir/cpuset.cpus" ]; then
			p=$dir; for c in ${LONG//\// }; do
				cat "$p/cpuset.cpus" >"$p/$c/cpuset.cpus"; cat "$p/cpuset.mems" >"$p/$c/cpuset.mems"; p=$p/$c
			done
		fi
		echo "$dir/$LONG" >>"$D/cgdirs"
		echo $BASHPID >"$dir/$LONG/cgroup.procs" || exit 1
	done <<<"$cg"'
if [ -d /sys/fs/cgroup/unified ] || [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
	LONG=$long D=$d runx api "$CG_PRE" -- /bin/sh -c 'wc -c </proc/self/cgroup; cat /proc/self/mountinfo'
	want=$(wc -l <"$d/cgdirs" 2>/dev/null || echo 0)
	got=$(awk -v l="$long" '$5 ~ "^/sys/fs/cgroup/" && $4 ~ (l "$") { n++ } END { print n + 0 }' "$d/out")
	size=$(head -1 "$d/out")
	if [ "$(cat "$d/rc")" = 0 ] && [ "$want" -ge 2 ] && [ "$got" = "$want" ] && [ "${size:-0}" -gt 4096 ]; then
		ok "cgroup: a $size-byte /proc/self/cgroup is read whole: all $want controllers bind the caller's own cgroup"
	else
		not_ok "cgroup: /proc/self/cgroup beyond 4 KiB is read whole" "size $size, $got of $want binds of the long path" "$(why)"
	fi
	tac "$d/cgdirs" 2>/dev/null | while read -r dir; do
		p=$dir; while [ "$p" != "${dir%/$long}" ]; do rmdir "$p" 2>/dev/null; p=${p%/*}; done
	done
else
	ok "cgroup # SKIP a pure cgroup2 host has one line in /proc/self/cgroup"
fi
# A caller whose cgroup lies outside its cgroup namespace: the wrapper
# joins a pids cgroup 7 levels below its own, makes a cgroup namespace
# there and moves back up, so /proc/self/cgroup reads "/../../..".  That
# path joined to /sys/fs/cgroup/pids climbs to the host's "/", which the
# container saw read-only at /sys/fs/cgroup/pids (before: /etc/shadow
# readable there); now the CGROUP op refuses (125).
base=/sys/fs/cgroup/pids$(awk -F: '$2 == "pids" { print $3 }' /proc/self/cgroup)
base=${base%/}
if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] && [ -d "$base" ] &&
   mkdir -p "$base/mp-harden-$$/a/b/c/d/e/f" 2>/dev/null; then
	rm -f "$d/ns"
	unshare -m --propagation private bash -c '
		d=$1 bin=$2 base=$3
		echo $$ >"$base/mp-harden-$PPID/a/b/c/d/e/f/cgroup.procs" || exit 99
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		unshare -C bash -c "echo \$\$ >\"\$1/cgroup.procs\" && grep pids /proc/self/cgroup >\"\$2/cg\" &&
			exec timeout 30 \"\$3\" --rootfs \"\$2/rootfs\" \"\$2/plan.mpb\" -- /bin/ls /sys/fs/cgroup/pids" - \
			"$base" "$d" "$bin" >"$d/out" 2>"$d/err" </dev/null
		echo $? >"$d/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$d/ns"
		true' - "$d" "$MOUNTPLAN_EXEC" "$base"
	(cd "$base" && rmdir -p "mp-harden-$$/a/b/c/d/e/f" 2>/dev/null)
	if grep -q ':/\.\./\.\.' "$d/cg"; then
		expect_refused "cgroup outside its namespace ($(cut -d: -f3 "$d/cg")): refused, the host's / never bound" \
			"outside its cgroup namespace"
	else
		not_ok "cgroup outside its namespace: set up" "$(cat "$d/cg" "$d/err")"
	fi
else
	ok "cgroup outside its namespace # SKIP no v1 pids hierarchy to nest in"
fi
# /proc/self/cgroup cannot be cut short any more: a file bigger than the
# buffer is an error, tested through mountinfo of 70,000 mounts would be
# too slow here; the code path is proc_read's EFBIG (process.c).

# --- mount points the image or a peer shapes (red-team pass 9) ------------------
# A mount point of the other type: the plan binds a file where the image
# has a directory (/etc/hostname/), a directory onto an image file, a
# tmpfs onto an image file.  Refused (125), the op named with the cause
# (the kernel says EINVAL with the new mount API, ENOTDIR with mount(2)),
# nothing left mounted in the namespace the executor started in.
newcase other-type
mkdir -p "$d/rootfs/etc/hostname" "$d/rootfs/srv" && echo image >"$d/rootfs/srv/file"
echo "host file" >"$work/vol/hostname"
type_case() { # PLAN-LINE PATTERN DESC
	printf 'mountplan: 1\nname: other-type\nmounts:\n  - {target: /proc, type: proc}\n  - %s\n' "$1" | compile
	for mode in api fallback; do
		runx $mode "" -- /bin/true
		expect_refused "other type ($mode): $3: refused, op 2 named" "^mountplan-exec: op 2/[0-9]+ \\([^)]*/plan.yaml:5:[0-9]+\\): $2\$"
	done
}
type_case "{target: /etc/hostname, type: bind, source: $work/vol/hostname}" \
	"bind $work/vol/hostname on /etc/hostname: mount point /etc/hostname is a directory in the image, the source is a file" \
	"a file bound onto an image directory"
type_case "{target: /srv/file, type: bind, source: $work/vol}" \
	"bind $work/vol on /srv/file: mount point /srv/file is a file in the image, the source is a directory" \
	"a directory bound onto an image file"
type_case "{target: /srv/file, type: tmpfs}" \
	"mount tmpfs on /srv/file: mount point /srv/file is a file in the image, the tmpfs is a directory" \
	"a tmpfs onto an image file"
rm "$work/vol/hostname"

# Image directories and nodes marked immutable (chattr +i: an image
# shipped as a filesystem of the attacker's), where the executor makes a
# mount point or a device node: mkdirat and mknodat fail (EPERM), the run
# is refused (125) naming the op; mknod-or-bind's bind from the host is
# refused the same way (its empty file cannot be made).  (A device node
# cannot be marked: FS_IOC_SETFLAGS on it reaches the driver.)  The image is copied
# onto a tmpfs of the run's namespace (FS_IOC_SETFLAGS since Linux 6.0;
# gone with the namespace, immutable files and all), else onto an ext2
# image; each plan also runs without the flags (the control: exit 0).
newcase immutable
mv "$d/rootfs" "$d/image"
mkdir -p "$d/rootfs" "$d/image/srv"
rm -f "$d/image/dev/zero"
# imm_fs_ok: does IMM_FS (mounting the image's filesystem at $d/rootfs)
# give a filesystem that takes chattr +i?
imm_fs_ok() { d=$d unshare -m sh -c "$IMM_FS"' && touch "$d/rootfs/f" && chattr +i "$d/rootfs/f"' 2>"$d/imm.err"; }
IMM_FS='mount -t tmpfs tmpfs "$d/rootfs"'
if ! imm_fs_ok; then
	mke2fs -q -F -t ext2 "$d/empty.ext2" 64M 2>>"$d/imm.err"
	IMM_FS='cp "$d/empty.ext2" "$d/run.ext2" && mount -o loop "$d/run.ext2" "$d/rootfs"'
fi
immutable_case() { # NAME CHATTR(paths in the image) PATTERN PLAN-LINES...
	local name=$1 flags=$2 pattern=$3 ctl
	shift 3
	printf '%s\n' 'mountplan: 1' 'name: immutable' 'mounts:' '  - {target: /proc, type: proc}' "$@" | compile
	for mode in api fallback; do
		runx $mode "$IMM_FS"' && cp -a "$d/image/." "$d/rootfs/"' -- /bin/true
		ctl=$(cat "$d/rc")
		runx $mode "$IMM_FS"' && cp -a "$d/image/." "$d/rootfs/" && chattr +i "$d/rootfs/'"$flags"'"' -- /bin/true
		if [ "$ctl" = 0 ]; then
			expect_refused "immutable ($mode): $name: refused, op 2 named (runs without +i)" \
				"^mountplan-exec: op 2/[0-9]+ \\([^)]*/plan.yaml:[0-9]+:[0-9]+\\): $pattern\$"
		else
			not_ok "immutable ($mode): $name: the control runs without +i" "$(why)"
		fi
	done
}
if imm_fs_ok; then
	immutable_case "a mount point in an immutable /srv" srv \
		"mount tmpfs on /srv/cache: Operation not permitted" '  - {target: /srv/cache, type: tmpfs}'
	for pol in mknod mknod-or-bind; do
		immutable_case "a node in an immutable /dev, policy $pol" dev \
			"mknod /dev/zero: Operation not permitted" 'devices:' \
			"  - {path: /dev/zero, type: c, major: 1, minor: 5, policy: $pol}"
	done
else
	for _ in 1 2 3 4 5 6; do ok "immutable # SKIP neither tmpfs nor an ext2 image takes chattr +i here: $(tail -1 "$d/imm.err")"; done
fi

# Identical mount points through the image's links: /srv -> /proc and
# the plan's volume bound at /srv, so the volume covers the procfs.  The
# masks and read-only paths are resolved from the procfs's own root (its
# anchor), so they land on the procfs: the command (with CAP_SYS_ADMIN)
# unmounts the volume and finds /proc/keys masked, /proc/sys read-only.
newcase same-point
rm -rf "$d/rootfs/srv" && ln -s /proc "$d/rootfs/srv"
echo "volume file" >"$work/vol/f"
compile <<EOF
mountplan: 1
name: same-point
dev: standard
mounts:
  - {target: /proc, type: proc}
  - {target: /srv, type: bind, source: $work/vol}
masks: [/proc/keys]
readonly: [/proc/sys]
EOF
for mode in api fallback; do
	runx $mode "" -- /bin/sh -c 'cat /srv/f; umount /proc && echo unmounted
		grep -q " /proc/keys " /proc/self/mountinfo && [ ! -s /proc/keys ] && echo keys-masked
		grep " /proc/sys " /proc/self/mountinfo | cut -d" " -f6'
	expect_out "same mount point through a link ($mode): under the volume, /proc/keys masked and /proc/sys read-only" \
		'^volume file$' '^unmounted$' '^keys-masked$' '^ro,'
done
rm "$work/vol/f"

# A process that may mount in a peer group of the caller's namespace (the
# host's root; a privileged container with Bidirectional propagation)
# mounts a tmpfs under the rootfs while the executor runs: the root's
# default rslave lets it reach the container (a slave: master:N), the
# plan's rprivate cuts the container off; a mount arriving while a new
# mount is found again (refind) makes that op refuse.  The namespace the
# runs start in has the rootfs as a shared mount; the test build stops
# before PIVOT (MP_STOP_OP) or pauses in the refind (MP_REFIND_PAUSE_US)
# while the tmpfs is mounted at $d/rootfs/mnt/late.
# peer_run MODE WAIT VAR=VALUE: as runx (the test build, MODE api or
# fallback, /bin/cat /proc/self/mountinfo), with VAR set; the tmpfs
# mounted once the executor is stopped (WAIT stop) or has made /data
# (WAIT data), unmounted after it.
peer_run() {
	rm -f "$d/ns"
	unshare -m --propagation private bash -c '
		d=$1 test=$2 fb=$3 wait=$4 var=$5
		mount --bind "$d/rootfs" "$d/rootfs" && mount --make-shared "$d/rootfs" || exit 99
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		env "$var" MP_FORCE_FALLBACK=$fb "$test" --rootfs "$d/rootfs" "$d/plan.mpb" -- \
			/bin/cat /proc/self/mountinfo >"$d/out" 2>"$d/err" </dev/null & e=$!
		for _ in $(seq 1 1000); do
			if [ $wait = stop ]; then grep -q "^State:.*T" /proc/$e/status; else grep -q " $d/rootfs/data " /proc/$e/mountinfo; fi 2>/dev/null && break
			sleep 0.01
		done
		mount -t tmpfs late "$d/rootfs/mnt/late"
		kill -CONT $e; wait $e; echo $? >"$d/rc"
		umount "$d/rootfs/mnt/late"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$d/ns"
		true' - "$d" "$EXEC_TEST" $([ "$1" = fallback ] && echo 1 || echo 0) "$2" "$3"
}
newcase peers
mkdir -p "$d/rootfs/mnt/late"
for prop in rprivate rslave; do # the last one, rslave, for the refind
	compile <<EOF
mountplan: 1
name: peers
rootfs: {propagation: $prop}
mounts:
  - {target: /proc, type: proc}
  - {target: /data, type: tmpfs, options: [size=1m]}
  - {target: /data/sub, type: tmpfs}
EOF
	stop=$("$MOUNTPLAN" dump "$d/plan.mpb" | awk '$2 == "PIVOT" { print $1 }')
	for mode in api fallback; do
		peer_run $mode stop MP_STOP_OP="$stop"
		late=$(grep " /mnt/late " "$d/out" | cut -d" " -f7)
		if [ "$(cat "$d/rc")" = 0 ] && [ -f "$d/ns" ] &&
		   { { [ $prop = rslave ] && [[ $late == master:* ]]; } || { [ $prop = rprivate ] && [ -z "$late" ]; }; }; then
			ok "peer mount during the run ($mode, root $prop): $([ $prop = rslave ] && echo "reaches the container as a slave ($late)" || echo "does not reach the container")"
		else
			not_ok "peer mount during the run ($mode, root $prop)" "late: ${late:-absent}" "$(why)"
		fi
	done
done
for mode in api fallback; do
	peer_run $mode data MP_REFIND_PAUSE_US=900000
	expect_refused "peer mount during a refind ($mode): refused" \
		'op 2/[0-9]+ .*: mount tmpfs on /data: the target was replaced while it was mounted on'
done
# A flood of mounts (here before the run, in the namespace it starts in):
# a mount table past 16 MiB (2,200 binds whose root and mount point are
# each ~3,800 bytes long: 17 MB of mountinfo) is refused where the
# executor reads it (the refind without listmount), never cut short; the
# same table cut to 1,900 mounts (14.7 MB) is read whole (exit 0).
cat >"$d/flood.py" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
os.chdir(sys.argv[1])
while len(os.getcwd()) < 3800:
    os.makedirs("d" * 200, exist_ok=True)
    os.chdir("d" * 200)
for i in range(int(sys.argv[2])):
    os.makedirs("m%d" % i, exist_ok=True)
    if libc.mount(b".", b"m%d" % i, None, 4096, None):  # MS_BIND
        sys.exit("mount: " + os.strerror(ctypes.get_errno()))
for i in range(int(sys.argv[3]), int(sys.argv[2])):
    libc.umount2(b"m%d" % i, 0)
EOF
mkdir -p "$d/flood"
for n in 2200 1900; do
	runx mountinfo "\"$PY\" \"\$d/flood.py\" \"\$d/flood\" 2200 $n" -- /bin/true
	if [ $n = 2200 ]; then
		expect_refused "a mount table past 16 MiB (a peer's flood): refused where it is read, not cut" \
			'op 2/[0-9]+ .*: mount tmpfs on /data: File too large'
	else
		check "a mount table of 14.7 MB (a control): read whole, the run starts (exit $(cat "$d/rc"))" \
			eval '[ "$(cat "$d/rc")" = 0 ] && [ -f "$d/ns" ]'
	fi
done

# --- propagation back to the host ---------------------------------------------
# The namespace the executor starts in has every mount shared (as systemd
# makes the host's); the container's root mounts a tmpfs beneath a bind of
# a directory of that namespace.  Under each root propagation (rslave,
# rshared, rprivate) and with the bind itself rshared, the mount never
# appears in the starting namespace (runc's and crun's propagation fixes).
newcase propagation
mkdir -p "$d/src"
leaks=
for bindprop in "" ", propagation: rshared"; do
	for rootprop in rslave rshared rprivate; do
		compile <<EOF
mountplan: 1
name: propagation
rootfs: {propagation: $rootprop}
mounts:
  - {target: /proc, type: proc}
  - {target: /data, type: bind, source: $d/src$bindprop}
EOF
		runx api 'mount --make-rshared /' -- /bin/sh -c 'mkdir -p /data/leak && mount -t tmpfs leak /data/leak && echo mounted'
		# runx's namespace check compares the starting namespace's table
		if [ "$(cat "$d/rc")" != 0 ] || ! grep -q mounted "$d/out" || [ ! -f "$d/ns" ]; then
			leaks="$leaks [root $rootprop, bind${bindprop:- default}: $(why | tr '\n' ' ')]"
		fi
		rmdir "$d/src/leak" 2>/dev/null
	done
done
# a control: the check sees a leak, a child namespace that keeps the
# shared propagation mounting in that directory
got=$(unshare -m --propagation private bash -c '
	mount --make-rshared / && unshare -m --propagation unchanged sh -c "mkdir -p $1/leak && mount -t tmpfs leak $1/leak" &&
	grep -c " $1/leak " /proc/self/mountinfo' - "$d/src" 2>"$d/err")
rmdir "$d/src/leak" 2>/dev/null
why_not=$(head -2 "$d/err")
# (check sets d: the checks come last)
check "propagation: a mount under a bind never reaches the shared starting namespace (3 root propagations x bind default/rshared)${leaks:+:$leaks}" \
	[ -z "$leaks" ]
check "propagation: a control: a shared child namespace's mount does reach it (${got:-$why_not})" \
	[ "${got:-0}" -ge 1 ]

# --- writable holes in a read-only tree ----------------------------------------
# A shared volume bound read-only but for a writable hole (/data/cache/sub):
# whoever may write the volume's cache/ (another container) plants
# "sub -> ..", "sub -> /" or "sub -> /etc", so the hole named the
# read-only path itself, the container's root or another read-only path,
# and the clone put back there made it writable again (measured before
# this pass: the volume's config overwritten through the container).
# The part of a hole beneath its read-only path is resolved without
# following a symlink: refused, nothing written; a control (a real
# directory) keeps the hole writable and the rest read-only.
hole_case() { # NAME SETUP(in the volume's cache/)
	rm -rf "$work/hvol" && mkdir -p "$work/hvol/cache" && echo orig >"$work/hvol/config" &&
		(cd "$work/hvol/cache" && eval "$2")
	newcase "hole-$1"
	printf '%s\n' 'mountplan: 1' "name: hole-$1" 'mounts:' '  - {target: /proc, type: proc}' \
		"  - {target: /data, type: bind, source: $work/hvol, options: [rbind]}" \
		'readonly:' '  - /etc' '  - {path: /data, writable: [/data/cache/sub]}' | compile
}
HOLE_TRY='echo pwned >/data/config; echo pwned >>/etc/passwd; echo y >/data/cache/sub/f && echo hole-rw'
for mode in api fallback; do
	hole_case dir-$mode "mkdir sub"
	runx $mode -- /bin/sh -c "$HOLE_TRY"
	if [ "$(cat "$d/rc")" = 0 ] && grep -q '^hole-rw$' "$d/out" && [ -f "$d/ns" ] &&
	   [ "$(cat "$work/hvol/config")" = orig ] && ! grep -q pwned "$d/rootfs/etc/passwd"; then
		ok "holes ($mode): a control: the hole is writable, the rest of the volume and /etc read-only"
	else
		not_ok "holes ($mode): a control: the hole is writable, the rest read-only" "$(why)" \
			"volume's config: $(cat "$work/hvol/config")"
	fi
	for link in .. / /etc; do
		hole_case "link-$mode" "ln -s $link sub"
		runx $mode -- /bin/sh -c "$HOLE_TRY"
		if [ "$(cat "$d/rc")" = 125 ] && grep -q 'writable hole /data/cache/sub: .*symbolic link' "$d/err" &&
		   [ -f "$d/ns" ] && [ "$(cat "$work/hvol/config")" = orig ] && ! grep -q pwned "$d/rootfs/etc/passwd"; then
			ok "holes ($mode): a hole that is a symlink ($link) in the volume is refused, nothing made writable"
		else
			not_ok "holes ($mode): a hole that is a symlink ($link) in the volume is refused" "$(why)" \
				"volume's config: $(cat "$work/hvol/config")" "image's passwd: $(tail -1 "$d/rootfs/etc/passwd")"
		fi
	done
done
# The hole swapped between HOLE_SAVE and HOLE_RESTORE (the executor
# stopped before the restore, MP_STOP_OP of the test build): a directory
# renamed into its place is not the one saved, and is refused (the check
# dropped for size in 3584081's tree, back: on main there the clone was
# attached on the new directory, exit 0).
hole_case swapped "mkdir sub"
stop=$("$MOUNTPLAN" dump "$d/plan.yaml" | awk '$2 == "HOLE_RESTORE" { print $1; exit }')
unshare -m --propagation private env MP_STOP_OP="$stop" "$EXEC_TEST" --rootfs "$d/rootfs" "$d/plan.mpb" -- \
	/bin/sh -c "$HOLE_TRY" >"$d/out" 2>"$d/err" </dev/null & p=$!
for _ in $(seq 1 100); do
	grep -q '^State:.*T' /proc/$p/status 2>/dev/null && break
	sleep 0.05
done
mv "$work/hvol/cache/sub" "$work/hvol/cache/saved" && mkdir "$work/hvol/cache/sub"
kill -CONT "$p" 2>/dev/null; wait "$p"; echo $? >"$d/rc"
if [ "$(cat "$d/rc")" = 125 ] && grep -q 'restore writable hole /data/cache/sub: the hole was replaced' "$d/err" &&
   [ "$(cat "$work/hvol/config")" = orig ]; then
	ok "holes: a hole replaced between save and restore (stopped before op $stop) is refused"
else
	not_ok "holes: a hole replaced between save and restore is refused" "$(why)"
fi
# --- signals -----------------------------------------------------------------
newcase signals
compile <<'EOF'
mountplan: 1
name: signals
mounts:
  - {target: /proc, type: proc}
EOF
"$PY" - "$d" "$MOUNTPLAN_EXEC" <<'EOF'
import os, signal, subprocess, sys
d, exe = sys.argv[1], sys.argv[2]
# real-time ones too (SIGRTMIN+5, SIGRTMAX: the mask's high bits, which
# only self/status shows), and signal 1 and 64 at the mask's two ends
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1,
          signal.SIGPIPE, signal.SIGRTMIN + 5, signal.SIGRTMAX):
    signal.signal(s, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGALRM, signal.SIGCHLD,
                                          signal.SIGRTMIN + 7})
out = subprocess.run(["unshare", "-m", "--propagation", "private", exe, "--rootfs", d + "/rootfs",
                      d + "/plan.mpb", "--", "/bin/grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"],
                     capture_output=True, text=True, stdin=subprocess.DEVNULL, restore_signals=False)
open(d + "/out", "w").write(out.stdout + out.stderr)
open(d + "/rc", "w").write("%d\n" % out.returncode)
EOF
if [ "$(cat "$d/rc")" = 0 ] && grep -q '^SigIgn:[[:space:]]*0000000000000000$' "$d/out" &&
   grep -q '^SigBlk:[[:space:]]*0000000000000000$' "$d/out"; then
	ok "signals: eight ignored (two real-time) and four blocked signals of the caller do not reach the command"
else
	not_ok "signals: ignored and blocked signals do not reach the command" "$(cat "$d/out")"
fi

# --- dumpable ----------------------------------------------------------------
# An unprivileged caller (--userns): stopped mid-run (MP_STOP_OP, test
# build), its /proc/PID/fd belongs to root, not to the caller, so no
# process of that user can see the host descriptors it holds.
if command -v setpriv >/dev/null; then
	newcase dumpable
	chmod -R a+rX "$d"
	printf 'ROOTFS propagation=rslave\nBIND target=/proc source=/proc flags=mkdir,recursive\nPIVOT flags=pivot_root\nCHDIR target=/\n' |
		"$top_builddir/tests/exec/mpbasm" - "$d/plan.mpb"
	chown 1000:1000 "$d/plan.mpb"
	for stop in 0 1 3; do
		unshare -m --propagation private setpriv --reuid 1000 --regid 1000 --clear-groups \
			env MP_STOP_OP=$stop "$EXEC_TEST" --userns --rootfs "$d/rootfs" "$d/plan.mpb" -- /bin/true \
			>/dev/null 2>"$d/err" </dev/null & p=$!
		for _ in $(seq 1 100); do
			grep -q '^State:.*T' /proc/$p/status 2>/dev/null && break
			sleep 0.05
		done
		owner=$(stat -c %u /proc/$p/fd 2>/dev/null)
		peek=$(setpriv --reuid 1000 --regid 1000 --clear-groups ls /proc/$p/fd 2>&1 >/dev/null)
		kill -CONT "$p" 2>/dev/null; wait "$p"; rc=$?
		if [ "$owner" = 0 ] && [ -n "$peek" ] && [ "$rc" = 0 ]; then
			ok "dumpable: stopped before op $stop, the executor's /proc/PID/fd is root's; its own user cannot list it"
		else
			not_ok "dumpable: stopped before op $stop, the executor is not dumpable" \
				"owner of /proc/$p/fd: $owner; ls as uid 1000: ${peek:-allowed}; exit $rc" "$(cat "$d/err")"
		fi
	done
else
	for stop in 0 1 3; do ok "dumpable # SKIP setpriv not installed"; done
fi

# --- the plan file ---------------------------------------------------------------
# Root-owned 0644 plans that a user can still change: through a POSIX ACL
# on the file or a directory, or by owning (or group-writing) an ancestor
# directory, where a rename swaps in another tree.  Each is refused before
# anything is done; the controls (an ACL whose mask denies write, a
# symlink to a safe tree, the sticky /tmp above $work) are accepted.
newcase planfile
compile <<'EOF'
mountplan: 1
name: planfile
EOF
pf=$work/pf
# acl FILE ENTRIES...: set a POSIX access ACL ("user:1000:6" "mask::4" ...)
acl() {
	"$PY" - "$@" <<'EOF'
import os, struct, sys
tags = {"user_obj": 1, "user": 2, "group_obj": 4, "group": 8, "mask": 16, "other": 32}
ents = []
for e in sys.argv[2:]:
    tag, ident, perm = e.split(":")
    ents.append((tags[tag], int(perm), int(ident) if ident else 0xffffffff))
ents.sort()
os.setxattr(sys.argv[1], "system.posix_acl_access",
            struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *x) for x in ents))
EOF
}
# pf_run DESC WANT(refused|runs) PATTERN PLAN-PATH
pf_run() {
	unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$d/rootfs" "$4" -- /bin/true \
		>"$d/out" 2>"$d/err" </dev/null
	local rc=$?
	if [ "$2" = refused ] && [ $rc = 125 ] && grep -q -- "$3" "$d/err"; then
		ok "plan file: $1 ($(sed 's/.*: //' "$d/err" | head -1 | cut -c1-90))"
	elif [ "$2" = runs ] && [ $rc = 0 ]; then
		ok "plan file: $1"
	else
		not_ok "plan file: $1" "exit $rc" "$(cat "$d/err")"
	fi
}
mkdir -m 0755 -p "$pf/acl-file" "$pf/acl-masked" "$pf/acl-dir" "$pf/user-owned/sub" \
	"$pf/group-writable/sub" "$pf/real" "$pf/attic"
for x in acl-file acl-masked acl-dir/ user-owned/sub/ group-writable/sub/ real/; do
	cp "$d/plan.mpb" "$pf/${x%/}$( [ "${x%/}" != "$x" ] && echo /plan.mpb || echo .mpb)"
done
chmod 0644 "$pf"/*.mpb "$pf"/*/plan.mpb "$pf"/*/*/plan.mpb
if acl "$pf/acl-file.mpb" user_obj::6 user:1000:6 group_obj::4 mask::6 other::4 2>"$d/acl.err"; then
	pf_run "a 0644 root file with an ACL granting write to uid 1000 is refused" refused \
		"writable by a user other than root" "$pf/acl-file.mpb"
	acl "$pf/acl-masked.mpb" user_obj::6 user:1000:6 group_obj::4 mask::4 other::4
	pf_run "an ACL entry whose write the mask takes away is accepted" runs "" "$pf/acl-masked.mpb"
	acl "$pf/acl-dir" user_obj::7 group:1000:7 group_obj::5 mask::7 other::5
	pf_run "a directory with an ACL granting a group write is refused, named" refused \
		"directory $pf/acl-dir is writable" "$pf/acl-dir/plan.mpb"
else
	for _ in 1 2 3; do ok "plan file ACL # SKIP no POSIX ACLs here: $(cat "$d/acl.err" | tail -1)"; done
fi
chown 1000:1000 "$pf/user-owned"
pf_run "an ancestor directory owned by uid 1000 is refused, named" refused \
	"directory $pf/user-owned is writable" "$pf/user-owned/sub/plan.mpb"
chown 0:100 "$pf/group-writable"; chmod 0775 "$pf/group-writable"
pf_run "a group-writable ancestor is refused" refused \
	"directory $pf/group-writable is writable" "$pf/group-writable/sub/plan.mpb"
ln -s real "$pf/link"
pf_run "a symlink (root's) in the path given is followed to a checked tree" runs "" "$pf/link/plan.mpb"
ln -s user-owned/sub "$pf/link2"
pf_run "a symlink into a user's tree is refused at the user's directory" refused \
	"directory $pf/user-owned is writable" "$pf/link2/plan.mpb"

# The plan rewritten in place (truncated, then written in two halves)
# by root, alternating two plans (/a or /b mounted), while 100 runs read
# it: the file is read once into the executor's own memory and checked
# whole (size, CRC) before the first op, so a run mounts all of one plan
# or refuses (125); never a mix, never anything else.
for x in a b; do
	printf 'mountplan: 1\nname: torn-%s\nmounts:\n  - {target: /proc, type: proc}\n  - {target: /%s, type: tmpfs}\n' \
		$x $x >"$pf/$x.yaml"
	"$MOUNTPLAN" compile -o "$pf/$x.mpb" "$pf/$x.yaml" 2>>"$d/cerr"
done
cp "$pf/a.mpb" "$pf/real/torn.mpb"
"$PY" -c '
import os, sys, time
path, plans = sys.argv[1], [open(p, "rb").read() for p in sys.argv[2:4]]
k = 0
while not os.path.exists(sys.argv[4]) and k < 2000000:
    data = plans[k % 2]
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, data[:len(data) // 2])
    os.write(fd, data[len(data) // 2:])
    os.close(fd)
    time.sleep(0.003)
    k += 1
' "$pf/real/torn.mpb" "$pf/a.mpb" "$pf/b.mpb" "$pf/stop" &
writer=$!
na=0 nb=0 torn=0 other=
for i in $(seq 100); do
	unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$d/rootfs" "$pf/real/torn.mpb" -- \
		/bin/cat /proc/self/mountinfo >"$d/out" 2>"$d/err" </dev/null
	rc=$?
	ma=$(grep -c ' /a ' "$d/out") mb=$(grep -c ' /b ' "$d/out")
	if [ $rc = 0 ] && [ "$ma$mb" = 10 ]; then na=$((na + 1))
	elif [ $rc = 0 ] && [ "$ma$mb" = 01 ]; then nb=$((nb + 1))
	elif [ $rc = 125 ] && grep -q "torn.mpb" "$d/err"; then torn=$((torn + 1))
	else other="$other [run $i: exit $rc, /a $ma, /b $mb: $(head -1 "$d/err")]"; fi
done
touch "$pf/stop"; wait $writer
check "plan file rewritten in place during 100 runs: each one whole plan or refused ($na /a, $nb /b, $torn refused, others:${other:- none})" \
	[ -z "$other" -a $na -gt 0 -a $nb -gt 0 ]

check "host canary and bind volume untouched" \
	[ "$canary_before" = "$(find "$canary" "$work/vol" -printf '%p %y %s %m\n' | sort)" ]
check_host_unchanged "$host_before"
done_testing
