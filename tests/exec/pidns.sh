#!/bin/bash
# tests/exec/pidns.sh: the plan's own pid and ipc namespaces and the
# minimal init (plan format 2, `namespaces: [pid, ipc]`, `process.init`;
# ROOTFS's MP_NS_* bits in the .mpb), on the real kernel.
#
# The peer first: runc's rootless container (`runc spec --rootless`) runs
# its process as pid 1 of its own pid namespace, with a procfs and an
# mqueue of its own; rootless.yaml under `mountplan-exec --userns` must
# give the same.  Then the init: the command is pid 2 and pid 1 is the
# executor; the exit status passes through both processes (a status, and
# a signal as 128+N); a signal sent to the executor outside reaches the
# command; an orphan is reaped; the ipc namespace is new.  Hostile: the
# container cannot open the init's descriptors or ptrace it; its /proc/1
# (root, cwd, fds) is the container's with the plan's pid namespace, the
# caller's pid 1 without one.  Every op of
# rootless.yaml fault-injected under --userns (125, named, nothing
# changed).  Runs are in private mount namespaces compared before and
# after; the host's mount table must be unchanged at the end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
: >"$work/stdin"

# run MPB EXEC [VAR=VALUE...] [OPTION...] -- CMD...: the executor with those
# options (environment variables first) in a private namespace that must
# not change; rc, $work/out, $work/err, ns=same.
run() {
	local mpb=$1 exec=$2; shift 2
	rm -f "$work/ns"
	unshare -m --propagation private bash -c '
		w=$1 mpb=$2 exec=$3; shift 3
		vars=() opts=()
		while [ "$1" != -- ]; do
			case $1 in -*) opts+=("$1") ;; *) vars+=("$1") ;; esac; shift
		done; shift
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		timeout 30 env "${vars[@]}" "$exec" "${opts[@]}" "$mpb" -- "$@" >"$w/out" 2>"$w/err" <"$w/stdin"
		echo $? >"$w/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$mpb" "$exec" "$@"
	rc=$(cat "$work/rc")
}
# the payload: its pid, the pids its /proc shows, what pid 1 is, its mounts
probe='echo pid=$$; echo procs=$(ls /proc | grep -cE "^[0-9]+$"); echo one=$(tr "\0" " " </proc/1/cmdline | cut -d" " -f1);
       grep -E " /proc | /dev/mqueue " /proc/self/mountinfo | cut -d" " -f5,9 | sort | tr "\n" " "; echo'

"$MOUNTPLAN" compile "$top_srcdir/plans/rootless.yaml" -o "$work/rootless.mpb" 2>"$work/err" ||
	{ plan 1; not_ok "compile rootless.yaml" "$(cat "$work/err")"; done_testing; exit; }
n=$("$MOUNTPLAN" dump "$work/rootless.mpb" | grep -c '^ *[0-9]')
plan $((9 + n + 1 + 3))

# 1. the peer
if command -v runc >/dev/null; then
	bundle=$work/bundle
	mkdir -p "$bundle" && cp -a "$work/rootfs" "$bundle/rootfs"
	(cd "$bundle" && runc spec --rootless) &&
	${PYTHON3:-python3} - "$bundle/config.json" "$probe" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", sys.argv[2]]
json.dump(c, open(sys.argv[1], "w"))
PY
	peer=$(cd "$bundle" && unshare -m --propagation private runc --root "$work/runc-state" run "mp-pidns-$$" 2>&1)
	if echo "$peer" | grep -qx "pid=1" && echo "$peer" | grep -qx "one=/bin/sh" &&
	   echo "$peer" | grep -q "^/dev/mqueue mqueue /proc proc $"; then
		ok "peer: runc's rootless process is pid 1 of its own pid namespace, with its own proc and mqueue"
	else
		not_ok "peer: runc's rootless process is pid 1, own proc and mqueue" "$peer"
	fi
else
	ok "# SKIP runc not installed (Debian package runc)"
fi

# 2. rootless.yaml under --userns: the same
run "$work/rootless.mpb" "$MOUNTPLAN_EXEC" --userns --rootfs="$work/rootfs" -- /bin/sh -c "$probe"
procs=$(sed -n 's/^procs=//p' "$work/out")
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && grep -qx "pid=1" "$work/out" && grep -qx "one=/bin/sh" "$work/out" &&
   grep -q "^/dev/mqueue mqueue /proc proc $" "$work/out" && [ "${procs:-99}" -lt 10 ]; then
	ok "rootless.yaml under --userns: the command is pid 1, its own proc ($procs pids) and mqueue"
else
	not_ok "rootless.yaml under --userns: pid 1, own proc and mqueue" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

# 3. the init: pid 2, pid 1 is the executor; a status passes through
sed 's/^namespaces: \[pid, ipc\]$/namespaces: [pid, ipc]\nprocess: {init: true}/' \
	"$top_srcdir/plans/rootless.yaml" >"$work/init.yaml"
"$MOUNTPLAN" compile "$work/init.yaml" -o "$work/init.mpb" 2>"$work/err"
run "$work/init.mpb" "$MOUNTPLAN_EXEC" --userns --rootfs="$work/rootfs" -- /bin/sh -c "$probe; exit 7"
if [ "$rc" = 7 ] && [ -f "$work/ns" ] && grep -qx "pid=2" "$work/out" &&
   grep -q "^one=.*mountplan-exec" "$work/out"; then
	ok "init: the command is pid 2, pid 1 the executor; exit 7 passes through"
else
	not_ok "init: the command is pid 2; exit 7 passes through" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

# 4. killed by a signal: 128+N from the init, and from the outside process
run "$work/init.mpb" "$MOUNTPLAN_EXEC" --rootfs="$work/rootfs" -- /bin/sh -c 'kill -KILL $$'
check "init: a command killed by SIGKILL gives 137 through both processes" [ "$rc" = 137 ]

# 5. a signal to the executor outside reaches the command (pid 2 under the
# init, pid 1 without it: it has a handler, so the kernel delivers it)
for mpb in init rootless; do
	rm -f "$work/sig.out"
	unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/$mpb.mpb" -- \
		/bin/sh -c 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.05; done' \
		>"$work/sig.out" 2>&1 </dev/zero &
	pid=$!
	for _ in $(seq 100); do grep -q ready "$work/sig.out" 2>/dev/null && break; sleep 0.05; done
	# the executor itself, not unshare: its child
	exe=$(pgrep -P "$pid" -f mountplan-exec || echo "$pid")
	kill -TERM "$exe"
	wait "$pid"; src=$?
	if [ "$src" = 42 ] && grep -q got-term "$work/sig.out"; then
		ok "$mpb: SIGTERM to the executor outside reaches the command (exit 42)"
	else
		not_ok "$mpb: SIGTERM to the executor reaches the command" "exit $src" "$(cat "$work/sig.out")"
	fi
done

# 6. the init reaps an orphan; the ipc namespace is not the host's
run "$work/init.mpb" "$MOUNTPLAN_EXEC" --rootfs="$work/rootfs" -- /bin/sh -c \
	'sh -c "sleep 0.1 & exit 0"; sleep 0.6; cat /proc/[0-9]*/stat 2>/dev/null | awk "\$3 == \"Z\"" | wc -l; readlink /proc/self/ns/ipc'
if [ "$rc" = 0 ] && [ "$(head -1 "$work/out")" = 0 ] &&
   [ "$(sed -n 2p "$work/out")" != "$(readlink /proc/self/ns/ipc)" ]; then
	ok "init: an orphan is reaped (no zombie); the ipc namespace is new"
else
	not_ok "init: an orphan is reaped; the ipc namespace is new" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

# 7. hostile: the init holds nothing but stdio (what real root in the
# container can see), and under --userns the container cannot open its
# descriptors or memory at all (not dumpable, and its mm belongs to the
# host's user namespace)
look='ls /proc/1/fd 2>&1 | tr "\n" " "; echo; readlink /proc/1/fd/0 >/dev/null 2>&1 && echo fd-open || echo fd-denied
      cat /proc/1/environ >/dev/null 2>&1 && echo environ-read || echo environ-denied'
run "$work/init.mpb" "$MOUNTPLAN_EXEC" --rootfs="$work/rootfs" -- /bin/sh -c "$look"
as_root=$(head -1 "$work/out")
run "$work/init.mpb" "$MOUNTPLAN_EXEC" --userns --rootfs="$work/rootfs" -- /bin/sh -c "$look"
if [ "$as_root" = "0 1 2 " ] && [ "$rc" = 0 ] && grep -qx "fd-denied" "$work/out" &&
   grep -qx "environ-denied" "$work/out"; then
	ok "hostile: the init keeps only stdio; under --userns its descriptors and memory are out of reach"
else
	not_ok "hostile: the init keeps only stdio; under --userns out of reach" "as root: $as_root" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

# 8. a version-1 plan may not ask for namespaces; init needs pid
printf 'mountplan: 1\nname: v1\nnamespaces: [pid]\n' >"$work/v1.yaml"
printf 'mountplan: 2\nname: v2\nprocess: {init: true}\n' >"$work/noinit.yaml"
"$MOUNTPLAN" compile "$work/v1.yaml" -o "$work/x.mpb" 2>"$work/err1"; r1=$?
"$MOUNTPLAN" compile "$work/noinit.yaml" -o "$work/x.mpb" 2>"$work/err2"; r2=$?
if [ $r1 = 1 ] && grep -q "v1.yaml:3:1: error: 'namespaces' needs format version 2" "$work/err1" &&
   [ $r2 = 1 ] && grep -q "noinit.yaml:3:11: error: process.init needs a pid namespace" "$work/err2"; then
	ok "namespaces: refused in a version-1 plan; init without a pid namespace refused"
else
	not_ok "namespaces in v1 / init without pid refused" "$(cat "$work/err1" "$work/err2")"
fi

# 9. fault injection: every op of rootless.yaml under --userns (after the
# fork, the child reports and the parent passes 125 on); an op that a
# false condition skips here (a traced run says which) cannot fail
run "$work/rootless.mpb" "$MOUNTPLAN_EXEC" --trace --userns --rootfs="$work/rootfs" -- /bin/true
skipped=" $(sed -n 's|^mountplan-exec: op \([0-9]*\)/.*: skipped: condition false$|\1|p' "$work/err" | tr '\n' ' ')"
"$MOUNTPLAN" dump "$work/rootless.mpb" | awk '$1 ~ /^[0-9]+$/ { print $1, $2 }' >"$work/ops"
while read -r i opname; do
	run "$work/rootless.mpb" "$EXEC_TEST" MP_FAULT_OP="$i" --userns --rootfs="$work/rootfs" -- /bin/true
	if [ "${skipped#* $i }" != "$skipped" ]; then
		if [ "$rc" = 0 ] && [ -f "$work/ns" ]; then
			ok "op $i/$n $opname: skipped by a false condition, nothing to fail"
		else
			not_ok "op $i/$n $opname: skipped, its fault changes nothing" "exit $rc" "$(cat "$work/err")"
		fi
		continue
	fi
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
	   grep -Eq "^mountplan-exec: op $i/$n \(.*rootless.yaml:[0-9]+:[0-9]+\): .*: (I/O|Input/output) error$" "$work/err"; then
		ok "fault at op $i/$n $opname under --userns: 125, named, nothing changed"
	else
		not_ok "fault at op $i/$n $opname: 125, named, nothing changed" "exit $rc" "$(cat "$work/err")"
	fi
done <"$work/ops"

# 10. the container's /proc/1 after PIVOT (red-team pass 8): with the
# plan's pid namespace it is the command, or the executor as init, its
# root and working directory the container's and its descriptors 0-2
# only; without one (format 1, or namespaces: without pid) it is the
# caller's pid 1, which only the caller's (or the plan's) pid namespace
# hides
echo container >"$work/rootfs/etc/mp-marker"
# (the probe runs in a background child: its pipes are not the shell's,
# pid 1 with the plan's pid namespace, which only waits; the child's
# stdin is the image's /dev/null)
mknod -m 666 "$work/rootfs/dev/null" c 1 3
one='(echo root=$(readlink /proc/1/root) cwd=$(readlink /proc/1/cwd); cat /proc/1/root/etc/mp-marker
     printf fds=; ls /proc/1/fd | tr "\n" " "; echo; sed -n "s/^Name:\t/name=/p" /proc/1/status) & wait'
printf 'mountplan: 2\nname: pid\nnamespaces: [pid]\nmounts:\n  - {target: /proc, type: proc}\n' >"$work/pid.yaml"
sed 's/^namespaces: \[pid\]$/&\nprocess: {init: true}/' "$work/pid.yaml" >"$work/pidinit.yaml"
sed 's/^namespaces: \[pid\]$/namespaces: [ipc]/' "$work/pid.yaml" >"$work/nopid.yaml"
for p in pid pidinit nopid; do "$MOUNTPLAN" compile "$work/$p.yaml" -o "$work/$p.mpb" 2>>"$work/err"; done
for p in pid pidinit; do
	want=$([ $p = pid ] && echo sh || echo mountplan-exec)
	run "$work/$p.mpb" "$MOUNTPLAN_EXEC" --rootfs="$work/rootfs" -- /bin/sh -c "$one"
	if [ "$rc" = 0 ] && [ -f "$work/ns" ] && grep -qx "root=/ cwd=/" "$work/out" && grep -qx container "$work/out" &&
	   grep -qx "fds=0 1 2 " "$work/out" && grep -qx "name=$want" "$work/out"; then
		ok "/proc/1 with the plan's pid namespace$([ $p = pidinit ] && echo " and init"): $want, the container's root and cwd, fds 0-2"
	else
		not_ok "/proc/1 with the plan's pid namespace ($p): $want, the container's root and cwd, fds 0-2" \
			"exit $rc" "$(cat "$work/out" "$work/err")"
	fi
done
caller_one=$(sed -n 's/^Name:\t//p' /proc/1/status)
run "$work/nopid.mpb" "$MOUNTPLAN_EXEC" --rootfs="$work/rootfs" -- /bin/sh -c "$one"
if [ "$rc" = 0 ] && grep -qx "name=$caller_one" "$work/out" && ! grep -qx container "$work/out"; then
	ok "/proc/1 without a pid namespace: the caller's pid 1 ($caller_one), not the container's"
else
	not_ok "/proc/1 without a pid namespace: the caller's pid 1 ($caller_one)" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

check_host_unchanged "$host_before"
done_testing
