#!/bin/bash
# tests/exec/cond.sh: conditions on the host (plan format 2, `when:`; COND
# in the .mpb), on the real kernel.
#
# The peer first: runc, on this host, makes /dev/core only when the host
# has /proc/kcore (libcontainer's setupDevSymlinks); the same must hold for
# runc-default under mountplan-exec, whatever this host has.  Then every
# kind of test (present, a file type, not), before and after PIVOT; a
# hostile rootfs that holds the tested path (or a symlink to a host path)
# must not answer a condition, which is always the host's; a plan whose
# COND is false must change nothing it guards.  Each run is in a private
# mount namespace that must be unchanged afterwards, and so must the host.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
plan 12
: >"$work/stdin" # not /dev/null: the executor reopens that on the container's

# run PLAN.yaml ROOTFS CMD...: compile and run; output in $work/out, rc
# in $rc; ns=same when the namespace it ran from is unchanged.
run() {
	local yaml=$1 rootfs=$2; shift 2
	rm -f "$work/ns"
	if ! "$MOUNTPLAN" compile "$yaml" -o "$work/plan.mpb" 2>"$work/err"; then
		rc=compile; return
	fi
	ns_exec "$work/stdin" "$MOUNTPLAN_EXEC" --trace --rootfs "$rootfs" "$work/plan.mpb" -- "$@"
}

# what_core: "link" when the host has /proc/kcore (runc makes /dev/core), else "none".
if [ -e /proc/kcore ]; then want_core=link; else want_core=none; fi

# 1. the peer: runc on this host
if command -v runc >/dev/null; then
	bundle=$work/bundle
	mkdir -p "$bundle" && cp -a "$work/rootfs" "$bundle/rootfs"
	(cd "$bundle" && runc spec) &&
	${PYTHON3:-python3} - "$bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", "if [ -L /dev/core ]; then echo link; else echo none; fi"]
json.dump(c, open(sys.argv[1], "w"))
PY
	got=$(cd "$bundle" && unshare -m --propagation private runc --root "$work/runc-state" run "mp-cond-$$" 2>&1)
	if [ "$got" = "$want_core" ]; then
		ok "peer: runc makes /dev/core only with the host's /proc/kcore (here: $got)"
	else
		not_ok "peer: runc makes /dev/core only with the host's /proc/kcore" "want $want_core, runc gave: $got"
	fi
else
	ok "# SKIP runc not installed (Debian package runc)"
fi

# 2. runc-default under mountplan-exec: the same answer, and the trace says why
run "$top_srcdir/plans/runc-default.yaml" "$work/rootfs" /bin/sh -c \
	'if [ -L /dev/core ]; then echo link; else echo none; fi'
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(cat "$work/out")" = "$want_core" ] &&
   grep -q "if host /proc/kcore has type 0 (0: any; guards 1 ops): condition $([ $want_core = link ] && echo holds || echo false)" "$work/err"; then
	ok "runc-default: /dev/core as runc makes it (here: $want_core)"
else
	not_ok "runc-default: /dev/core as runc makes it" "exit $rc, want $want_core, got $(cat "$work/out")" "$(cat "$work/err")"
fi
[ -L "$work/rootfs/dev/core" ] && not_ok "the rootfs directory itself got no /dev/core" || ok "the rootfs directory itself got no /dev/core"

# 3. each test, before PIVOT (symlinks) and after (read-only paths); a
# character device the host has (some hosts' /dev/null is a plain file)
for chr in /dev/zero /dev/full /dev/tty /dev/null; do [ -c $chr ] && break; done
cat >"$work/kinds.yaml" <<EOF
mountplan: 2
name: cond-kinds
mounts:
  - {target: /proc, type: proc}
  - {target: /tmp, type: tmpfs}
symlinks:
  - {path: /tmp/present, target: x, when: {path: /etc}}
  - {path: /tmp/dir, target: x, when: {path: /etc, is: directory}}
  - {path: /tmp/char, target: x, when: {path: $chr, is: char-device}}
  - {path: /tmp/not-file, target: x, when: {path: /etc, is: file}}
  - {path: /tmp/missing, target: x, when: {path: /mp-cond-no-such-path}}
  - {path: /tmp/not-missing, target: x, when: {path: /mp-cond-no-such-path, not: true}}
  - {path: /tmp/not-present, target: x, when: {path: /etc, not: true}}
  - {path: /tmp/link, target: x, when: {path: /proc/self, is: symlink}}
readonly:
  - {path: /etc, when: {path: /etc/passwd, is: file}}
  - {path: /root, when: {path: /etc/passwd, is: directory}}
EOF
run "$work/kinds.yaml" "$work/rootfs" /bin/sh -c \
	'ls /tmp | tr "\n" " "; touch /etc/w 2>/dev/null && echo etc-rw || echo etc-ro; touch /root/w 2>/dev/null && echo root-rw || echo root-ro'
want="char dir link not-missing present etc-ro
root-rw"
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(cat "$work/out")" = "$want" ]; then
	ok "present, directory, char-device, symlink, not: each test as the host answers it"
else
	not_ok "each test as the host answers it" "exit $rc" "want: $want" "got: $(cat "$work/out")" "$(cat "$work/err")"
fi
rm -f "$work/rootfs/root/w" "$work/rootfs/etc/w"

# 4. hostile rootfs: it holds the tested paths (a file; an absolute symlink
# to a host directory), the host does not: nothing guarded may happen,
# before or after PIVOT.
hostile=$work/hostile
cp -a "$work/rootfs" "$hostile"
echo bait >"$hostile/mp-cond-bait"
ln -s /etc "$hostile/mp-cond-link"
mkdir -p "$hostile/mp-cond-dir"
cat >"$work/hostile.yaml" <<EOF
mountplan: 2
name: cond-hostile
mounts:
  - {target: /proc, type: proc}
  - {target: /mnt, type: tmpfs, when: {path: /mp-cond-bait}}
symlinks:
  - {path: /made-before, target: x, when: {path: /mp-cond-link, is: directory}}
masks:
  - {path: /etc/passwd, when: {path: /mp-cond-bait}}
readonly:
  - {path: /tmp, when: {path: /mp-cond-dir}}
EOF
[ -e /mp-cond-bait ] || [ -e /mp-cond-link ] || [ -e /mp-cond-dir ]; host_has=$?
run "$work/hostile.yaml" "$hostile" /bin/sh -c \
	'grep -c " /mnt \| /etc/passwd \| /tmp " /proc/self/mountinfo; [ -e /made-before ] && echo made || echo none'
if [ "$host_has" = 1 ] && [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$(cat "$work/out")" = "0
none" ] && [ "$(grep -c ': condition false (' "$work/err")" = 4 ]; then
	ok "hostile rootfs: paths planted in the rootfs never answer a host condition"
else
	not_ok "hostile rootfs: paths planted in the rootfs never answer a host condition" \
		"exit $rc, host has the paths: $host_has" "$(cat "$work/out")" "$(cat "$work/err")"
fi

# 5. the reverse: the host has the path, the rootfs lacks it (after PIVOT
# the rootfs is "/", yet the condition still sees the host)
cat >"$work/host.yaml" <<EOF
mountplan: 2
name: cond-host
mounts:
  - {target: /proc, type: proc}
readonly:
  - {path: /etc, when: {path: $work/bindsrc-only-on-host, is: directory}}
EOF
mkdir -p "$work/bindsrc-only-on-host"
run "$work/host.yaml" "$work/rootfs" /bin/sh -c \
	'[ -e '"$work"'/bindsrc-only-on-host ] && echo visible || echo absent; touch /etc/w 2>/dev/null && echo rw || echo ro'
if [ "$rc" = 0 ] && [ "$(cat "$work/out")" = "absent
ro" ]; then
	ok "a host path the rootfs lacks answers a condition after PIVOT"
else
	not_ok "a host path the rootfs lacks answers a condition after PIVOT" "exit $rc" "$(cat "$work/out")" "$(cat "$work/err")"
fi

# 6. a false COND guarding a mount: the table says it is conditional, and
# verify accepts the run without it
"$MOUNTPLAN" table "$work/hostile.yaml" >"$work/table" 2>&1
check "table: the guarded mount is a conditional row" \
	grep -q '^/mnt .*(if the host has /mp-cond-bait)$' "$work/table"
run "$work/hostile.yaml" "$hostile" /bin/cat /proc/self/mountinfo
"$MOUNTPLAN" verify "$work/hostile.yaml" "$work/out" >"$work/verify" 2>&1
vrc=$?
if [ "$vrc" = 0 ] && grep -q '^skip: /mnt (mount): not mounted, if the host has /mp-cond-bait' "$work/verify"; then
	ok "verify: the absent conditional mount is a skip, not a difference"
else
	not_ok "verify: the absent conditional mount is a skip" "exit $vrc" "$(cat "$work/verify")"
fi

# 7. a version-1 plan may not say when:
printf 'mountplan: 1\nname: v1\nsymlinks:\n  - {path: /x, target: y, when: {path: /etc}}\n' >"$work/v1.yaml"
"$MOUNTPLAN" compile "$work/v1.yaml" -o "$work/v1.mpb" 2>"$work/err"
if [ $? = 1 ] && [ ! -e "$work/v1.mpb" ] && grep -q "v1.yaml:4:27: error: 'when' needs format version 2.*\[MP-VERSION\]" "$work/err"; then
	ok "a version-1 plan with when: is refused at the key (MP-VERSION)"
else
	not_ok "a version-1 plan with when: is refused at the key" "$(cat "$work/err")"
fi

# 8. the executor as the last process of the namespace it starts in
# (unshare -m exec's it, as a runtime that cloned a namespace for it
# would): that namespace must stay alive while conditions are tested, or
# the host's /proc under the executor's root fd is the bare directory
# (main before the fix: "condition false" for /proc/self/status)
printf 'mountplan: 2\nname: alone\nsymlinks:\n  - {path: /tmp/alone, target: x, when: {path: /proc/self/status, is: file}}\n' >"$work/alone.yaml"
"$MOUNTPLAN" compile "$work/alone.yaml" -o "$work/alone.mpb" 2>"$work/err" &&
	unshare -m --propagation private "$MOUNTPLAN_EXEC" --trace --rootfs "$work/rootfs" \
		"$work/alone.mpb" -- /bin/readlink /tmp/alone >"$work/out" 2>"$work/err" <"$work/stdin"
if [ "$(cat "$work/out")" = x ] && grep -q "/proc/self/status has type 100000 .*: condition holds" "$work/err"; then
	ok "executor alone in its starting namespace: a COND on the host's /proc still holds"
else
	not_ok "executor alone in its starting namespace: COND on /proc holds" "$(cat "$work/out" "$work/err")"
fi
rm -f "$work/rootfs/tmp/alone"

# 9. a condition that cannot be answered (a symlink loop on the host:
# ELOOP, not "missing"): exit 125 naming the COND op, and, since every
# COND is tested before ROOTFS, found before any namespace is entered
# (strace: no unshare) or anything mounted
ln -s mp-cond-loop "$work/mp-cond-loop"
printf 'mountplan: 2\nname: loop\nmounts:\n  - {target: /mnt, type: tmpfs}\nsymlinks:\n  - {path: /tmp/loop, target: x, when: {path: %s}}\n' \
	"$work/mp-cond-loop" >"$work/loop.yaml"
if command -v strace >/dev/null; then
	"$MOUNTPLAN" compile "$work/loop.yaml" -o "$work/loop.mpb" 2>"$work/err" &&
		ns_exec "$work/stdin" strace -f -o "$work/strace" -e trace=unshare,mount,move_mount \
			"$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/loop.mpb" -- /bin/true
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
	   grep -q "^mountplan-exec: op [0-9]*/[0-9]* (.*loop.yaml:6:[0-9]*): if host .*mp-cond-loop .*: \(Symbolic link loop\|Too many levels of symbolic links\)$" "$work/err" &&
	   ! grep -qE "unshare|mount" "$work/strace"; then
		ok "a COND that cannot be answered (ELOOP): 125 at its op, found before unshare or any mount"
	else
		not_ok "a COND that cannot be answered: 125 at its op, before unshare" "exit $rc" \
			"$(cat "$work/err")" "$(grep -E "unshare|mount" "$work/strace")"
	fi
else
	ok "# SKIP strace not installed"
fi

check_host_unchanged "$host_before"
done_testing
