#!/bin/bash
# tests/exec/inherit.sh: what the command inherits from the caller that
# would reach out of the container, on the real kernel (runc-default over
# a busybox rootfs, each run in a private mount namespace that must be the
# same afterwards):
#   caps     an inheritable and an ambient set (setpriv) do not reach the
#            command (runc CVE-2022-29162, crun CVE-2022-27650: their fix
#            leaves both empty; shown for runc on this host first)
#   tty      the caller's controlling terminal does not reach the command
#            (bwrap CVE-2017-5226: TIOCSTI pushes input into the caller's
#            shell): with a pseudo-terminal as stdio and controlling
#            terminal, the executor started as a session leader, a group
#            leader or a group member, tests/exec/intruder (static, in the
#            rootfs) gives up CAP_SYS_ADMIN and tries TIOCSTI on fd 0: it
#            must be refused, /dev/tty must not open, and nothing may
#            arrive in the terminal's input; runc on this host first
#   console  under a terminal, an image's /dev/console that is a symlink
#            to a missing host file is refused, nothing made on the host
#            (crun CVE-2026-88264)
#   stdio    a host directory as fd 0, 1 or 2 (O_PATH or not) is refused
#            before anything is mounted (CVE-2024-21626's leaked
#            directory, on stdio): the command would reach the host's tree
#            through /proc/self/fd/N
#   exe      under a user namespace the executor runs from a sealed copy
#            in memory: a handle on its /proc/PID/exe cannot write its
#            file on disk once it has ended (runc CVE-2019-5736)
#   keyring  the caller's session keyring (tests/exec/intruder plant: a
#            key only its possessors may read) does not reach the command,
#            which must neither find the key there nor read it by its id:
#            runc and crun join a new session keyring for each container
#            (runc on this host first; bwrap does not, and its command
#            reads the key); with and without --userns; and under
#            --userns setgroups is denied (CVE-2014-8989)
#   setuid   a copy installed setuid or setgid root and run by a user
#            is refused before anything (the command would be root)
#   env      a hostile environment: a PATH of 2,000 entries, one holding
#            terminal escapes and a newline, ones of overlong entries, a
#            1.5 MB environment: the command by name starts, or the
#            executor reports it with its name only (127; 126 where
#            musl's execvp stops at an entry too long to be a name), one
#            line, no control byte; a PATH past the kernel's 128 KiB per
#            string fails the caller's execve of the executor (E2BIG)
#   stderr   the caller's stderr a pipe whose reader is gone, or full and
#            unread, under --trace: SIGPIPE at the first line, or blocked
#            until the caller's timeout; the command never runs, nothing
#            changed; `mountplan compile -o` a FIFO waits for a reader
#            (timeout: 124), and with one writes the bytes it writes to a file
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
PY=${PYTHON3:-python3}
INTRUDER=$top_builddir/tests/exec/intruder
plan 38
cp "$INTRUDER" "$work/rootfs/bin/intruder"
"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml" 2>"$work/cerr" ||
	{ not_ok "compile runc-default" "$(cat "$work/cerr")"; done_testing; exit; }

# runc BUNDLE-ARGS...: a runc bundle over a copy of the rootfs whose
# process runs ARGS (JSON list), without a terminal; "" when runc is absent.
runc_bundle() {
	command -v runc >/dev/null || return 1
	rm -rf "$work/bundle" && mkdir -p "$work/bundle" && cp -a "$work/rootfs" "$work/bundle/rootfs" &&
		(cd "$work/bundle" && runc spec) &&
		"$PY" - "$work/bundle/config.json" "$1" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = json.loads(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))
PYEOF
}

# --- caps --------------------------------------------------------------------
caps_of() { grep -E '^Cap(Inh|Amb):' "$1" | tr -s '\t ' ' ' | sort | tr '\n' ' '; }
want_caps='CapAmb: 0000000000000000 CapInh: 0000000000000000 '
inh="setpriv --inh-caps +net_raw,+sys_admin --ambient-caps +net_raw"
if runc_bundle '["/bin/grep", "-E", "^Cap", "/proc/self/status"]' >/dev/null 2>&1; then
	(cd "$work/bundle" && $inh runc run "inherit-caps-$$" >"$work/out" 2>&1 </dev/null)
	if [ "$(caps_of "$work/out")" = "$want_caps" ]; then
		ok "caps: the peer (runc) under '$inh': no inheritable, no ambient capability"
	else
		not_ok "caps: the peer (runc) leaves no inheritable or ambient capability" "$(cat "$work/out")"
	fi
else
	ok "caps: the peer # SKIP runc not installed or no bundle"
fi
ns_exec /dev/null $inh "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- \
	/bin/grep -E '^Cap' /proc/self/status
eff_caller=$($inh grep '^CapEff' /proc/self/status | tr -s '\t ' ' ')
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(caps_of "$work/out")" = "$want_caps" ] &&
   grep -qx "$eff_caller" <(tr -s '\t ' ' ' <"$work/out"); then
	ok "caps: under '$inh' the command has no inheritable, no ambient capability, the caller's effective set"
else
	not_ok "caps: inheritable and ambient capabilities do not reach the command" \
		"exit $rc; caller: $eff_caller" "$(cat "$work/out" "$work/err")"
fi

# --- tty ---------------------------------------------------------------------
# in_pty POSITION CMD...: CMD in a new pseudo-terminal that is its
# controlling terminal; POSITION: leader (CMD is the session leader), group
# (a group leader in that session), member (in the session leader's
# group).  Prints CMD's output (the terminal's), then "queued: ..." with
# what the terminal's input held after CMD ended (group, member: the
# session leader reads it), then "status: N".
in_pty() {
	"$PY" - "$@" <<'PYEOF'
import os, pty, select, signal, sys, termios
pos, cmd = sys.argv[1], sys.argv[2:]
pid, master = pty.fork()
if pid == 0:
    if pos == "leader":
        os.execvp(cmd[0], cmd)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    # the child execs only once it is the terminal's foreground group (a
    # parent's setpgid after the child's execve fails with EACCES, and a
    # command started in the background group stops on the terminal)
    go_r, go_w = os.pipe()
    child = os.fork()
    if child == 0:
        signal.signal(signal.SIGTTOU, signal.SIG_DFL)
        os.close(go_w)
        if pos == "group":
            os.setpgid(0, 0)
        os.read(go_r, 1)
        os.close(go_r)
        os.execvp(cmd[0], cmd)
    os.close(go_r)
    if pos == "group":
        os.setpgid(child, child)
        os.tcsetpgrp(0, child)
    os.close(go_w)
    _, st = os.waitpid(child, 0)
    os.tcsetpgrp(0, os.getpgrp())
    attrs = termios.tcgetattr(0)
    attrs[3] &= ~termios.ICANON
    termios.tcsetattr(0, termios.TCSANOW, attrs)
    got = b""
    while select.select([0], [], [], 0.3)[0]:
        got += os.read(0, 100)
    sys.stdout.write("queued: %r\nstatus: %d\n" % (got.decode(), os.waitstatus_to_exitcode(st)))
    sys.stdout.flush()
    os._exit(0)
out = b""
while True:
    try:
        d = os.read(master, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
if pos == "leader":
    sys.stdout.write("status: %d\n" % os.waitstatus_to_exitcode(st))
PYEOF
}
legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
# tty_verdict DESC: $work/tty holds the run's terminal output
tty_verdict() {
	local t=$work/tty
	if grep -q '^status: 0$' "$t" && grep -q '^ctty: no' "$t" && ! grep -q '^tiocsti: pushed' "$t" &&
	   grep -q '^tiocsti: ' "$t" && ! grep -q "^queued: '.\+'" "$t"; then
		ok "$1 ($(grep '^tiocsti' "$t" | tr -d '\r'))"
	else
		not_ok "$1" "$(cat "$t")"
	fi
}
if runc_bundle '["/bin/sh", "-c", "cut -d\" \" -f7 /proc/self/stat; /bin/intruder tiocsti"]' >/dev/null 2>&1; then
	(cd "$work/bundle" && in_pty member runc run "inherit-tty-$$" >"$work/tty" 2>&1)
	if grep -q '^0$' "$work/tty" && grep -q '^ctty: no' "$work/tty" && ! grep -q '^tiocsti: pushed' "$work/tty"; then
		ok "tty: the peer (runc) under a terminal: no controlling terminal, TIOCSTI refused"
	else
		not_ok "tty: the peer (runc) gives no controlling terminal" "$(cat "$work/tty")"
	fi
else
	ok "tty: the peer # SKIP runc not installed or no bundle"
fi
for pos in leader group member; do
	case $pos in leader) who="the session leader" ;; group) who="a process group leader" ;;
	member) who="a member of the session leader's group" ;; esac
	rm -f "$work/ns"
	unshare -m --propagation private bash -c '
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		in_pty_out=$("$@")
		printf "%s\n" "$in_pty_out"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo ns: same' - \
		bash -c "$(declare -f in_pty); PY=$PY; in_pty \"\$@\"" - $pos \
		"$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/intruder tiocsti \
		>"$work/tty" 2>&1
	if [ "$legacy" = 0 ]; then
		ok "tty: started as $who # SKIP dev.tty.legacy_tiocsti is 0: TIOCSTI needs CAP_SYS_ADMIN anyway"
	elif grep -q '^ns: same' "$work/tty"; then
		tty_verdict "tty: started as $who of the terminal's session, the command has no controlling terminal and TIOCSTI is refused"
	else
		not_ok "tty: started as $who: namespace changed" "$(cat "$work/tty")"
	fi
done

# --- console -----------------------------------------------------------------
# crun CVE-2026-88264: with a terminal as stdio, crun made /dev/console
# before pivot_root through the image's path, so an image whose
# /dev/console is a symlink had crun create a root-owned file on the host
# wherever it pointed (crun 1.8.1 here does: doc/executor.md).  Under a
# terminal, an image's /dev/console that is a dangling symlink, absolute
# or climbing, must be refused with nothing made on the host; the control
# (no /dev/console in the image) gives the command the terminal there.
printf 'mountplan: 1\nname: console\nmounts:\n  - {target: /proc, type: proc}\ndevices:\n  - {path: /dev/console, type: c, major: 5, minor: 1}\n' \
	>"$work/con.yaml"
"$MOUNTPLAN" compile -o "$work/con.mpb" "$work/con.yaml" 2>"$work/cerr" || not_ok "compile the console plan" "$(cat "$work/cerr")"
mkdir -p "$work/bait"
con_up=$(printf '../%.0s' $(seq 1 $(( $(echo "$work/con/rootfs/dev" | tr -cd / | wc -c) + 2 ))))
# console_run LINK: the console plan in a terminal over a copy of the
# rootfs whose dev/console is a symlink to LINK (none: no dev/console);
# $work/tty holds the terminal's output and "ns: same".
console_run() {
	rm -rf "$work/con" && mkdir -p "$work/con" && cp -a "$work/rootfs" "$work/con/rootfs" &&
		mkdir -p "$work/con/rootfs/dev" && rm -f "$work/con/rootfs/dev/console"
	[ "$1" = none ] || ln -s "$1" "$work/con/rootfs/dev/console"
	unshare -m --propagation private bash -c '
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		"$@"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo ns: same' - \
		bash -c "$(declare -f in_pty); PY=$PY; in_pty \"\$@\"" - leader \
		"$MOUNTPLAN_EXEC" --rootfs "$work/con/rootfs" "$work/con.mpb" -- \
		/bin/sh -c 'stat -c "console: %F %t:%T" /dev/console; stat -L -c "stdin: %t:%T" /proc/self/fd/0' \
		>"$work/tty" 2>&1
}
for link in "$work/bait/console-abs" "$con_up$work/bait/console-rel"; do
	console_run "$link"
	if grep -q '^status: 125$' "$work/tty" && grep -q '^ns: same' "$work/tty" &&
	   grep -q 'mknod /dev/console: a different file already exists' "$work/tty" && [ -z "$(ls -A "$work/bait")" ]; then
		ok "console: under a terminal, /dev/console a symlink to a missing host file ($( [ "${link#/}" = "$link" ] && echo climbing || echo absolute)) is refused, nothing made on the host"
	else
		not_ok "console: a /dev/console symlink to a missing host file is refused, nothing made on the host" \
			"$(cat "$work/tty")" "bait: $(ls -la "$work/bait")"
	fi
done
console_run none
major=$(grep '^stdin: ' "$work/tty" | cut -d' ' -f2)
if grep -q '^status: 0$' "$work/tty" && grep -q '^ns: same' "$work/tty" && [ -n "$major" ] &&
   grep -q "^console: character special file $major\$" "$work/tty"; then
	ok "console: a control: with no /dev/console in the image the command's /dev/console is its terminal ($major)"
else
	not_ok "console: a control: /dev/console is the terminal" "$(cat "$work/tty")"
fi

# --- stdio -------------------------------------------------------------------
# stdio_dir DESC FD HOW: fd FD a directory of the host (HOW: plain, opath)
stdio_dir() {
	rm -f "$work/ns"
	unshare -m --propagation private "$PY" - "$2" "$3" "$work" "$MOUNTPLAN_EXEC" <<'PYEOF'
import os, subprocess, sys
fd, how, work, exe = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
before = open("/proc/self/mountinfo").read().split("\n")
before = sorted(" ".join(l.split(" ")[4:]) for l in before)
d = os.open("/", os.O_PATH if how == "opath" else os.O_RDONLY | os.O_DIRECTORY)
std = [subprocess.DEVNULL, open(work + "/out", "w"), open(work + "/err", "w")]
std[fd] = d
r = subprocess.run([exe, "--rootfs", work + "/rootfs", work + "/rd.mpb", "--",
                    "/bin/ls", "/proc/self/fd/%d/" % fd], stdin=std[0], stdout=std[1], stderr=std[2],
                   pass_fds=(d,), timeout=30)
open(work + "/rc", "w").write("%d\n" % r.returncode)
after = sorted(" ".join(l.split(" ")[4:]) for l in open("/proc/self/mountinfo").read().split("\n"))
if before == after:
    open(work + "/ns", "w").write("same\n")
PYEOF
	rc=$(cat "$work/rc")
	local msg=$(cat "$work/err" 2>/dev/null)
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] && { [ "$2" = 2 ] || grep -q 'stdio is a directory' "$work/err"; }; then
		ok "$1 (${msg:-refused: exit 125})"
	else
		not_ok "$1" "exit $rc" "$(cat "$work/out" "$work/err" 2>/dev/null | head -5)"
	fi
}
stdio_dir "stdio: the host's / as stdin is refused, nothing mounted" 0 plain
stdio_dir "stdio: the host's / (O_PATH) as stdout is refused, nothing mounted" 1 opath
stdio_dir "stdio: the host's / as stderr is refused (exit 125), nothing mounted" 2 plain
# a control: a regular file on stdin passes (only directories are refused)
echo data >"$work/data"
ns_exec "$work/data" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/cat
check "stdio: a control: a regular file on stdin reaches the command" \
	eval '[ "$rc" = 0 ] && grep -qx data "$work/out"'
# A host file the caller opened read-only on stdin: the command may read
# it, and may reopen it through /proc/self/fd/0 with the rights its own
# ids have on the file (the magic link checks the inode, not the
# descriptor's mode).  Under the plan's user namespace (root mapped to
# 100000) a root-owned 0644 file cannot be reopened for writing; without
# one the command is the caller's root and can (crun 1.8.1 and bwrap
# 0.8.0 here the same; runc run in the foreground hands the command pipes
# instead): measured, doc/executor.md.
printf 'mountplan: 2\nname: stdin-userns\nnamespaces:\n  pid: true\n  user: {uidmap: "0:100000:65536", gidmap: "0:100000:65536"}\nmounts:\n  - {target: /proc, type: proc}\n' \
	>"$work/un.yaml"
"$MOUNTPLAN" compile -o "$work/un.mpb" "$work/un.yaml" 2>"$work/cerr" || not_ok "compile the userns plan" "$(cat "$work/cerr")"
cp -a "$work/rootfs" "$work/rootfs-un" && chown -R 100000:100000 "$work/rootfs-un"
echo data >"$work/data"; chmod 0644 "$work/data"
ns_exec "$work/data" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs-un" "$work/un.mpb" -- \
	/bin/sh -c 'cat; echo pwned >/proc/self/fd/0 && echo written'
check "stdio: under the plan's user namespace a read-only host file on stdin is read, not reopened for writing (exit $rc: $(tail -1 "$work/err" | sed 's/.*: //'))" \
	eval '[ "$rc" = 1 ] && grep -qx data "$work/out" && ! grep -q written "$work/out" && [ "$(cat "$work/data")" = data ]'
ns_exec "$work/data" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- \
	/bin/sh -c 'echo pwned >/proc/self/fd/0 && echo written'
check "stdio: a control: without a user namespace the command, the caller's root, writes it (exit $rc)" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$work/data")" = pwned ]'
# --- exe -----------------------------------------------------------------------
# runc's CVE-2019-5736 primitive: whoever may open /proc/PID/exe of a
# running executor keeps a handle on its file and writes it once no
# executor runs.  A copy of the test build runs with --userns, stopped
# mid-run (MP_STOP_OP); a process holding its /proc/PID/exe writes
# through that handle after the run: the copy on disk must not change (a
# sealed copy in memory ran).  The control, without a user namespace
# (the command is the caller's root there; not protected), shows the
# handle reaches the file on disk.
# exe_write USERNS: prints "exe: LINK" and "write: RESULT"; $work/exe-copy changed or not
exe_write() {
	cp "$EXEC_TEST" "$work/exe-copy"
	"$PY" - "$work" "$1" <<'PYEOF'
import os, signal, subprocess, sys, time
work, userns = sys.argv[1], sys.argv[2] == "userns"
cmd = ["unshare", "-m", "--propagation", "private", "env", "MP_STOP_OP=1", work + "/exe-copy"] + \
      (["--userns"] if userns else []) + ["--rootfs", work + "/rootfs", work + "/us.mpb", "--", "/bin/true"]
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
pid = None
for _ in range(200):
    out = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
    cand = out + [str(p.pid)]
    for c in cand:
        try:
            if open("/proc/%s/status" % c).read().find("State:\tT") >= 0 and \
               os.readlink("/proc/%s/exe" % c).find("exe-copy") + os.readlink("/proc/%s/exe" % c).find("memfd:") > -2:
                pid = c
        except OSError:
            pass
    if pid:
        break
    time.sleep(0.05)
if not pid:
    p.kill(); print("exe: not found stopped"); sys.exit(0)
print("exe: " + os.readlink("/proc/%s/exe" % pid))
fd = os.open("/proc/%s/exe" % pid, os.O_RDONLY)
os.kill(int(pid), signal.SIGCONT)
p.wait()
try:
    w = os.open("/proc/self/fd/%d" % fd, os.O_WRONLY)
    os.write(w, b"#!/bin/sh\necho owned\n")
    print("write: written")
except OSError as e:
    print("write: " + e.strerror)
PYEOF
}
printf 'ROOTFS propagation=rslave\nBIND target=/proc source=/proc flags=mkdir,recursive\nPIVOT flags=pivot_root\nCHDIR target=/\n' |
	"$top_builddir/tests/exec/mpbasm" - "$work/us.mpb"
exe_write userns >"$work/exe.out" 2>&1
if grep -q '^exe: /memfd:mountplan-exec' "$work/exe.out" && ! grep -q '^write: written' "$work/exe.out" &&
   cmp -s "$EXEC_TEST" "$work/exe-copy"; then
	ok "exe: --userns: the executor runs from a sealed copy in memory; a handle on its /proc/PID/exe cannot write the file on disk ($(grep '^write' "$work/exe.out"))"
else
	not_ok "exe: --userns: a handle on the executor's /proc/PID/exe cannot write its file" \
		"$(cat "$work/exe.out")" "file on disk: $(cmp -s "$EXEC_TEST" "$work/exe-copy" && echo unchanged || echo CHANGED)"
fi
exe_write root >"$work/exe.out" 2>&1
if grep -q "^exe: $work/exe-copy" "$work/exe.out" && ! cmp -s "$EXEC_TEST" "$work/exe-copy"; then
	ok "exe: a control: without a user namespace the handle reaches the file on disk (the command is the caller's root there)"
else
	not_ok "exe: a control: without a user namespace the handle reaches the file on disk" "$(cat "$work/exe.out")"
fi

# --- keyring -----------------------------------------------------------------
# keyring_verdict DESC: $work/out holds intruder keyring's lines after plant's
keyring_verdict() {
	if [ "$rc" = 0 ] && grep -q '^planted: [0-9]' "$work/out" &&
	   grep -q '^search: Required key not available' "$work/out" &&
	   grep -q '^read: Permission denied' "$work/out" && ! grep -q 'host secret' "$work/out"; then
		ok "$1 ($(grep -E '^(search|read):' "$work/out" | tr '\n' ' '))"
	else
		not_ok "$1" "exit $rc" "$(cat "$work/out" "$work/err")"
	fi
}
if runc_bundle '["/bin/intruder", "keyring"]' >/dev/null 2>&1; then
	(cd "$work/bundle" && "$INTRUDER" plant sh -c \
		'sed -i "s/\"PATH=/\"MP_CANARY_KEY=$MP_CANARY_KEY\", &/" config.json && exec runc run "$1"' \
		- "inherit-keyring-$$" >"$work/out" 2>"$work/err" </dev/null)
	rc=$?
	keyring_verdict "keyring: the peer (runc): the caller's session key is neither found nor read"
else
	ok "keyring: the peer # SKIP runc not installed or no bundle"
fi
ns_exec /dev/null "$INTRUDER" plant "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- \
	/bin/intruder keyring
[ -f "$work/ns" ] || rc="$rc (namespace changed)"
keyring_verdict "keyring: the caller's session key is neither found nor read by the command"
ns_exec /dev/null "$INTRUDER" plant "$MOUNTPLAN_EXEC" --userns --rootfs "$work/rootfs" "$work/us.mpb" -- \
	/bin/intruder keyring
[ -f "$work/ns" ] || rc="$rc (namespace changed)"
keyring_verdict "keyring: --userns: the caller's session key is neither found nor read by the command"
# the user namespace's root cannot drop the caller's supplementary groups
# to get at files those groups are denied (CVE-2014-8989): setgroups is
# denied before gid_map is written, as the kernel requires of an
# unprivileged mapper
ns_exec /dev/null "$MOUNTPLAN_EXEC" --userns --rootfs "$work/rootfs" "$work/us.mpb" -- \
	/bin/cat /proc/self/setgroups
check "--userns: setgroups is 'deny' in the command's user namespace (exit $rc: $(cat "$work/out"))" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$work/out")" = deny ]'
# --- setuid -------------------------------------------------------------------
# A copy of the executor installed setuid root (or setgid root) and run by
# uid 1000: before, the command ran with euid 0 and every capability in a
# rootfs of the user's (mknod of a disk node succeeded); now it is refused
# (125) before anything.  A control: root runs the same copy.
chmod 0755 "$work"
for bit in 4755 2755; do
	cp "$MOUNTPLAN_EXEC" "$work/suid-exec" && chmod $bit "$work/suid-exec"
	ns_exec /dev/null setpriv --reuid 1000 --regid 1000 --clear-groups \
		"$work/suid-exec" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true
	check "mode $bit, run by uid 1000: refused before anything (exit $rc: $(head -1 "$work/err"))" \
		eval '[ "$rc" = 125 ] && [ -f "$work/ns" ] && grep -q "installed setuid, setgid or with file capabilities" "$work/err"'
done
ns_exec /dev/null "$work/suid-exec" --rootfs "$work/rootfs" "$work/rd.mpb" -- /bin/true
check "a control: root runs the setgid copy (exit $rc)" [ "$rc" = 0 ]
rm -f "$work/suid-exec"

# a control: the key is there to be read by a process that keeps the keyring
"$INTRUDER" plant "$INTRUDER" keyring >"$work/out" 2>&1
if grep -q "^search: FOUND: 'host secret'" "$work/out" && grep -q "^read: 'host secret'" "$work/out"; then
	ok "keyring: a control: a process keeping the caller's session keyring finds and reads the key"
else
	not_ok "keyring: a control: the planted key is readable in the caller's keyring" "$(cat "$work/out")"
fi

# --- env ---------------------------------------------------------------------
# The executor reads PATH only, for execvp (musl); the command is named,
# not a path.  name_only CODE NAME ERRNO-TEXT: exit CODE, stderr the one
# line "exec NAME: ERRNO-TEXT" without a control byte, ns_exec's
# namespace the same.
name_only() {
	[ "$rc" = "$1" ] && [ -f "$work/ns" ] && [ "$(wc -l <"$work/err")" = 1 ] &&
		[ "$(cat "$work/err")" = "mountplan-exec: exec $2: $3" ] && ! LC_ALL=C grep -q '[[:cntrl:]]' "$work/err"
}
# started: the last ns_exec ran the command (exit 0, "started").
started() { [ "$rc" = 0 ] && [ "$(cat "$work/out")" = started ]; }
many=$(seq -f /no/such/dir%g -s : 1 2000)
ns_exec /dev/null env PATH="$many:/bin" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- sh -c 'echo started'
check "env: a PATH of 2,000 missing entries, then /bin: the command by name starts (exit $rc)" started
ns_exec /dev/null env PATH="$many" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- nosuch
check "env: the same PATH without the command: 127, the name only ($(cat "$work/err"))" \
	name_only 127 nosuch "No such file or directory"
osc=$(printf '/x\033]0;owned\007\033[2J\nforged:/bin')
ns_exec /dev/null env PATH="$osc" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- sh -c 'echo started'
started && r1=started || r1="exit $rc"
ns_exec /dev/null env PATH="${osc%:/bin}" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- nosuch
check "env: a PATH holding terminal escapes and a newline: starts from /bin ($r1), else 127 with the name only" \
	eval '[ "$r1" = started ] && name_only 127 nosuch "No such file or directory"'
long=$(printf "/%03999d:" $(seq 30))
ns_exec /dev/null env PATH="${long}/bin" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- sh -c 'echo started'
check "env: a 120 KB PATH of 4,000-byte names before /bin: execvp stops at the first (126), the name only ($(cat "$work/err"))" \
	name_only 126 sh "Filename too long"
long=$(printf "/%04999d:" $(seq 20))
ns_exec /dev/null env PATH="${long}/bin" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- sh -c 'echo started'
check "env: a PATH of 5,000-byte entries (past PATH_MAX: skipped) before /bin: the command starts (exit $rc)" started
long=$(printf "/%03999d:" $(seq 60))
PATH="${long}/bin" "$MOUNTPLAN_EXEC" --version >"$work/out" 2>"$work/err"
rc=$?
check "env: a 240 KB PATH fails the caller's execve of the executor (E2BIG: exit $rc, $(cat "$work/err"))" \
	eval '[ "$rc" = 126 ] && grep -q "Argument list too long" "$work/err" && [ ! -s "$work/out" ]'
mapfile -t vars < <(seq -f "V%g=$(printf '%01000d' 0)" 1 1500)
ns_exec /dev/null env "${vars[@]}" "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/rd.mpb" -- \
	sh -c 'env | grep -c "^V[0-9]*=0"'
check "env: a 1.5 MB environment (1,500 variables) reaches the command whole (exit $rc, $(cat "$work/out") seen)" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$work/out")" = 1500 ]'

# --- stderr --------------------------------------------------------------------
# The caller's stderr a pipe the executor's --trace writes to: the reader
# gone (SIGPIPE at the first line: 128+13 as the shell counts it), or a
# pipe of one page, full, that nobody reads (blocked until timeout 3:
# 124).  The command would mark a host volume: it never runs.
mkdir -p "$work/vol"
printf 'mountplan: 1\nname: trace\nmounts:\n  - {target: /proc, type: proc}\n  - {target: /mnt/vol, type: bind, source: %s}\n' \
	"$work/vol" >"$work/trace.yaml"
"$MOUNTPLAN" compile -o "$work/trace.mpb" "$work/trace.yaml" 2>"$work/cerr"
# STDERR_PIPE HOW CMD... (python): CMD with stderr a pipe whose reader is
# gone (HOW gone) or a full one-page pipe nobody reads (HOW full),
# SIGPIPE at its default; prints CMD's exit as the shell counts it.
STDERR_PIPE='import fcntl, os, subprocess, sys
r, w = os.pipe()
if sys.argv[1] == "gone":
    os.close(r)
else:
    fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ: one page
    os.set_blocking(w, False)
    try:
        while True:
            os.write(w, b"x" * 512)
    except BlockingIOError:
        pass
    os.set_blocking(w, True)
rc = subprocess.run(sys.argv[2:], stderr=w).returncode
print(128 - rc if rc < 0 else rc)'
for how in gone full; do
	rm -f "$work/vol/ran"
	ns_exec /dev/null "$PY" -c "$STDERR_PIPE" "$how" \
		timeout 3 "$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" "$work/trace.mpb" -- /bin/touch /mnt/vol/ran
	want=$([ $how = gone ] && echo 141 || echo 124)
	check "stderr: a pipe $([ $how = gone ] && echo "whose reader is gone: SIGPIPE" || echo "full and unread: blocked until the timeout") under --trace ($(cat "$work/out")), the command never ran, nothing changed" \
		eval '[ "$rc" = 0 ] && [ "$(cat "$work/out")" = "$want" ] && [ -f "$work/ns" ] && [ ! -e "$work/vol/ran" ]'
done
# a control: with stderr a file the command runs and marks the volume
ns_exec /dev/null "$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" "$work/trace.mpb" -- /bin/touch /mnt/vol/ran
check "stderr: a control: with stderr a file the traced run marks the volume (exit $rc)" \
	eval '[ "$rc" = 0 ] && [ -e "$work/vol/ran" ]'
# compile -o onto a FIFO: opened for writing as it is, so it waits for a reader
mkfifo "$work/fifo"
timeout 3 "$MOUNTPLAN" compile -o "$work/fifo" "$work/trace.yaml" 2>"$work/err"
rc=$?
check "stderr: compile -o a FIFO without a reader waits (timeout: $rc), the FIFO left as it was" \
	eval '[ "$rc" = 124 ] && [ -p "$work/fifo" ]'
cat "$work/fifo" >"$work/got.mpb" & reader=$!
timeout 10 "$MOUNTPLAN" compile -o "$work/fifo" "$work/trace.yaml" 2>"$work/err"
rc=$?
wait $reader
check "stderr: compile -o a FIFO with a reader: exit $rc, the bytes a compile to a file writes" \
	eval '[ "$rc" = 0 ] && cmp -s "$work/got.mpb" "$work/trace.mpb"'

check_host_unchanged "$host_before"
done_testing
