#!/bin/bash
# tests/verify.sh: every plan in plans/ compiled, run by mountplan-exec on a
# busybox rootfs (the payload prints its own /proc/self/mountinfo) and
# checked with `mountplan verify PLAN -`; then the same mountinfo tampered
# with (an option flipped, a mount dropped, a mount added, a type changed)
# must fail verify, and a mask over a path the rootfs lacks is a skip
# (also in --format=json).  Mounts guarded by when: (format 2) are tested
# on this host as mountplan-exec tested them: a real run verifies, and a
# mountinfo with one whose condition holds dropped, or one whose
# condition fails added, does not.  verify --nodes does the same for
# device nodes (a node whose condition holds must be there, one whose
# condition fails must not), and judges a like-host node by the
# executor's rules: one the executor refuses on this host (setuid, a
# symlink anywhere in the host path) is a difference, or with
# best-effort a skip when absent and a difference when present.  The
# container's paths are resolved inside its root, as the executor
# resolved them (a rootfs symlink to a host directory is not followed
# onto the host), also while a racer swaps a rootfs directory for such a
# link (RENAME_EXCHANGE): verify --rootfs must never read, and print, a
# link of the host's (before the fix, 10 of 300 runs printed it).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
make_work
build_rootfs "$work/rootfs"
container_files "$work/container"
plans=$(ls "$top_srcdir"/plans/*.yaml)
plan $(( $(echo "$plans" | wc -l) + 23 ))

# run_plan PLAN NAME: compile and run; the payload's mountinfo in $work/NAME.mi.
run_plan() {
	"$MOUNTPLAN" compile "$1" -o "$work/$2.mpb" 2>"$work/err" &&
	unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" \
		"$work/$2.mpb" -- /bin/cat /proc/self/mountinfo >"$work/$2.mi" 2>>"$work/err"
}

# Exactly as documented: the payload's mountinfo piped into verify.
# A plan whose root is a new filesystem runs with no --rootfs, busybox
# bound in as the payload (with_payload), and is verified as run.
for p in $plans; do
	name=$(basename "$p" .yaml)
	mapfile -t args < <(plan_args "$p" "$work/container" "$work/rootfs")
	run=(--rootfs "$work/rootfs") payload=/bin/cat
	if fresh_root "$p"; then
		p=$(with_payload "$p" "$work/payload") run=() payload=/.mp-test/cat
	fi
	if ! "$MOUNTPLAN" compile "$p" "${args[@]}" -o "$work/$name.mpb" 2>"$work/err"; then
		not_ok "$name: verify" "$(cat "$work/err")"
		continue
	fi
	unshare -m --propagation private "$MOUNTPLAN_EXEC" "${run[@]}" \
		"$work/$name.mpb" -- "$payload" /proc/self/mountinfo 2>"$work/err" |
		"$MOUNTPLAN" verify "${args[@]}" "$p" - >"$work/out" 2>&1
	st=("${PIPESTATUS[@]}")
	if [ "${st[0]}" = 0 ] && [ "${st[1]}" = 0 ]; then
		ok "$name: verify ($(tail -1 "$work/out"))"
	else
		not_ok "$name: verify" "mountplan-exec exit ${st[0]}, verify exit ${st[1]}" \
			"$(cat "$work/err" "$work/out")"
	fi
done

# A small plan of our own for the tampering cases.
cat >"$work/t.yaml" <<'PLAN'
mountplan: 1
name: tamper
dev: standard
mounts:
  - {target: /proc, type: proc, options: [nosuid, nodev, noexec]}
  - {target: /tmp, type: tmpfs, options: [nosuid, nodev, mode=1777]}
masks: [/proc/no-such-file, /proc/acpi, /proc/keys]
readonly: [/proc/sys]
PLAN
if run_plan "$work/t.yaml" t && "$MOUNTPLAN" verify "$work/t.yaml" "$work/t.mi" >"$work/out" 2>&1; then
	ok "tamper plan: verify passes untampered"
else
	not_ok "tamper plan: verify passes untampered" "$(cat "$work/err" "$work/out" "$work/t.mi")"
fi
if grep -q '^skip: /proc/no-such-file (mask)' "$work/out"; then
	ok "a mask over a path the rootfs lacks is a skip"
else
	not_ok "a mask over a path the rootfs lacks is a skip" "$(cat "$work/out")"
fi

# tampered NAME SED-SCRIPT PATTERN: verify must fail and print PATTERN.
tampered() {
	sed "$2" "$work/t.mi" >"$work/$1.mi"
	"$MOUNTPLAN" verify "$work/t.yaml" "$work/$1.mi" >"$work/out" 2>&1
	rc=$?
	if [ "$rc" = 1 ] && grep -q -- "$3" "$work/out"; then
		ok "tampered ($1): exit 1, '$3'"
	else
		not_ok "tampered ($1): exit 1, '$3'" "exit $rc" "$(cat "$work/out")"
	fi
}
tampered rw '/ \/proc\/sys /s/ ro,/ rw,/' '/proc/sys: different options'
tampered missing '/ \/tmp /d' '/tmp: missing'
tampered extra '$a 999 42 0:99 / /mnt rw,relatime - tmpfs tmpfs rw' '/mnt: extra'
tampered type '/ \/tmp /s/ - tmpfs tmpfs/ - ramfs ramfs/' '/tmp: different type'
sed '/ \/tmp /d' "$work/t.mi" | "$MOUNTPLAN" verify --format=json "$work/t.yaml" - >"$work/out.json" 2>&1
check "--format=json: /tmp missing, the mask over a missing path skipped" "$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "different", d
assert [(x["path"], x["what"]) for x in d["differences"]] == [("/tmp", "missing")], d
assert [x["path"] for x in d["skipped"]] == ["/proc/no-such-file"], d
' "$work/out.json"
"$MOUNTPLAN" verify "$work/t.yaml" /dev/null >"$work/out" 2>&1
check "an empty mountinfo is an error (exit 2)" [ $? = 2 ]

cat >"$work/w.yaml" <<'PLAN'
mountplan: 2
name: when
mounts:
  - {target: /proc, type: proc, options: [nosuid, nodev, noexec]}
  - {target: /tmp, type: tmpfs, when: {path: /, is: directory}}
  - {target: /run, type: tmpfs, when: {path: /no/such/host/path}}
PLAN
if run_plan "$work/w.yaml" w && "$MOUNTPLAN" verify "$work/w.yaml" "$work/w.mi" >"$work/out" 2>&1 &&
   grep -q "^skip: /run (mount): not mounted, if the host has /no/such/host/path" "$work/out"; then
	ok "when: a real run verifies (the mount whose condition fails here is a skip)"
else
	not_ok "when: a real run verifies" "$(cat "$work/err" "$work/out" "$work/w.mi")"
fi
sed '/ \/tmp /d' "$work/w.mi" >"$work/w-drop.mi"
"$MOUNTPLAN" verify "$work/w.yaml" "$work/w-drop.mi" >"$work/out" 2>&1
rc=$?
check "when: a mount whose condition holds on this host and is absent is a difference" eval \
	'[ $rc = 1 ] && grep -qx "/tmp: not mounted, although its condition holds on this host (if host / is a directory)" "$work/out"'
sed 's/\(.*\) \/tmp \(.*\)/&\n1999 1 0:99 \/ \/run rw,relatime - tmpfs tmpfs rw/' "$work/w.mi" >"$work/w-add.mi"
"$MOUNTPLAN" verify "$work/w.yaml" "$work/w-add.mi" >"$work/out" 2>&1
rc=$?
check "when: a mount made although its condition fails on this host is a difference" eval \
	'[ $rc = 1 ] && grep -qx "/run: mounted, although its condition fails on this host (if the host has /no/such/host/path)" "$work/out"'

# verify --nodes: nodes under when:, made by a real run into the rootfs
# directory (no tmpfs over them), so --nodes can look at them afterwards
mkdir -p "$work/rootfs/mpt"
cat >"$work/n.yaml" <<'PLAN'
mountplan: 2
name: nodes
mounts: [{target: /proc, type: proc}]
devices:
  - {path: /mpt/yes, type: c, major: 1, minor: 3, when: {path: /, is: directory}}
  - {path: /mpt/no, type: c, major: 1, minor: 5, when: {path: /no/such/host/path}}
  - {like-host: /dev/zero, path: /mpt/hz, when: {path: /no/such/host/path}}
  - {like-host: /dev/full, path: /mpt/hf, when: {path: /, is: directory}}
PLAN
if run_plan "$work/n.yaml" n && "$MOUNTPLAN" verify "$work/n.yaml" "$work/n.mi" --nodes "$work/rootfs" >"$work/out" 2>&1 &&
   grep -qx "verify: as predicted (2 mounts, 6 skipped, 2 device nodes)" "$work/out" &&
   grep -qx "skip: /mpt/no (device): no node, if the host has /no/such/host/path" "$work/out"; then
	ok "verify --nodes: a real run with when: on nodes verifies (the nodes whose condition fails here are skips)"
else
	not_ok "verify --nodes: a real run with when: on nodes" "$(cat "$work/err" "$work/out")"
fi
rm "$work/rootfs/mpt/yes"
"$MOUNTPLAN" verify "$work/n.yaml" "$work/n.mi" --nodes "$work/rootfs" >"$work/out" 2>&1
rc=$?
check "verify --nodes: a node whose condition holds on this host and is absent is missing" eval \
	'[ $rc = 1 ] && grep -qx "/mpt/yes: missing: predicted c 1:3 0666 0:0" "$work/out"'
mknod -m 666 "$work/rootfs/mpt/yes" c 1 3
mknod -m 666 "$work/rootfs/mpt/no" c 1 5 && mknod -m 666 "$work/rootfs/mpt/hz" c 1 5
"$MOUNTPLAN" verify "$work/n.yaml" "$work/n.mi" --nodes "$work/rootfs" >"$work/out" 2>&1
rc=$?
check "verify --nodes: nodes made although their condition fails on this host are differences" eval \
	'[ $rc = 1 ] && grep -qx "/mpt/no: made, although its condition fails on this host (if the host has /no/such/host/path)" "$work/out" &&
	 grep -qx "/mpt/hz: made, although its condition fails on this host (if the host has /no/such/host/path)" "$work/out"'
rm -f "$work/rootfs/mpt/"*

# like-host nodes the executor refuses on this host: a setuid node, a
# node reached through a symlinked directory; the executor fails (125)
h=$work/hostnodes
mkdir "$h" && mknod "$h/suid" c 1 3 && chmod 4666 "$h/suid" && mknod -m 666 "$h/null0" c 1 3
ln -s "$h" "$work/hostlink"
cat >"$work/r.yaml" <<PLAN
mountplan: 2
name: refused
mounts: [{target: /proc, type: proc}]
devices:
  - {like-host: "$h/suid", path: /mpt/suid}
  - {like-host: "$work/hostlink/null0", path: /mpt/linked}
PLAN
refusals=
for dev in suid linked; do
	grep -v "path: /mpt/$dev" "$work/r.yaml" >"$work/r1.yaml"
	run_plan "$work/r1.yaml" r1
	refusals="$refusals$?:$(grep -c "(refused)$" "$work/err") "
done
check "mountplan-exec refuses both host nodes (exit 125: $refusals)" [ "$refusals" = "125:1 125:1 " ]
run_plan "$work/t.yaml" r   # any mountinfo: only the nodes are looked at below
mknod -m 666 "$work/rootfs/mpt/suid" c 1 3 && mknod -m 666 "$work/rootfs/mpt/linked" c 1 3
"$MOUNTPLAN" verify "$work/r.yaml" "$work/r.mi" --nodes "$work/rootfs" >"$work/out" 2>&1
check "verify --nodes: like-host nodes the executor refuses here (setuid, symlinked host path) are differences" \
	grep -qx "/mpt/suid: refused: host node $h/suid: the host's node is setuid or setgid (refused): the executor fails here (exit 125)" "$work/out"
check "verify --nodes: ... a symlink in the host path too" \
	grep -qx "/mpt/linked: refused: host node $work/hostlink/null0: the host path holds a symbolic link (refused): the executor fails here (exit 125)" "$work/out"
sed -i 's|/mpt/suid}|/mpt/suid, best-effort: true}|; s|/mpt/linked}|/mpt/linked, best-effort: true}|' "$work/r.yaml"
rm "$work/rootfs/mpt/linked"
"$MOUNTPLAN" verify "$work/r.yaml" "$work/r.mi" --nodes "$work/rootfs" >"$work/out" 2>&1
check "verify --nodes: best-effort: a refused node absent is a skip, present a difference" eval \
	'grep -q "^skip: /mpt/linked (device): no node, best-effort, the host.s node is refused: the host path holds a symbolic link" "$work/out" &&
	 grep -qx "/mpt/suid: refused: host node $h/suid: the host.s node is setuid or setgid (refused): skipped (best-effort), yet the container has a node there" "$work/out"'
rm -rf "$work/rootfs/mpt"

# a hostile rootfs: /mpt2 an absolute symlink to a host directory that
# holds the planned node.  mountplan-exec resolves inside the root, so
# verify --nodes must look there too, not follow the link onto the host
mkdir "$work/hostside" && mknod -m 666 "$work/hostside/yes" c 1 3
ln -s "$work/hostside" "$work/rootfs/mpt2"
cat >"$work/h.yaml" <<'PLAN'
mountplan: 2
name: hostile
mounts: [{target: /proc, type: proc}]
devices:
  - {path: /mpt2/yes, type: c, major: 1, minor: 3}
PLAN
"$MOUNTPLAN" verify "$work/h.yaml" "$work/n.mi" --nodes "$work/rootfs" >"$work/out" 2>&1
check "verify --nodes: a rootfs symlink to a host directory is followed inside the root, not onto the host's node" \
	grep -qx "/mpt2/yes: missing: predicted c 1:3 0666 0:0" "$work/out"
if run_plan "$work/h.yaml" h && [ -c "$work/rootfs$work/hostside/yes" ] &&
   "$MOUNTPLAN" verify "$work/h.yaml" "$work/h.mi" --nodes "$work/rootfs" >"$work/out" 2>&1 &&
   grep -q ", 1 device nodes)$" "$work/out"; then
	ok "... and after a real run (the node made inside the root) it verifies: $(tail -1 "$work/out")"
else
	not_ok "a real run with the symlinked directory verifies" "$(cat "$work/err" "$work/out")"
fi
rm -f "$work/rootfs/mpt2" "$work/rootfs$work/hostside/yes"

# The race: /race/x under --rootfs, while /race is swapped with a link to a
# host directory whose x is a link to /HOST-LEAK-4711.  Read by the host
# path, a /race checked as a directory and then swapped makes readlink
# follow it onto the host; resolved inside the root, never.  The control:
# some runs saw the link (followed inside the root: the host directory's
# path, not the leak), so the racer was live.
mkdir -p "$work/race-root/race" "$work/race-host"
ln -s "$work/race-host" "$work/race-root/race.alt"
ln -s /HOST-LEAK-4711 "$work/race-host/x"
printf 'mountplan: 1\nname: race\nmounts:\n  - {target: /race/x, type: tmpfs}\n' >"$work/race.yaml"
echo '20 1 0:20 / / rw,relatime - ext4 /dev/vda rw' >"$work/race.mi"
"$PYTHON3" - "$work/race-root" <<'PYEOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
a, b = (os.path.join(sys.argv[1], n).encode() for n in ("race", "race.alt"))
end = time.time() + 120
while time.time() < end and not os.path.exists(sys.argv[1] + "/stop"):
    libc.renameat2(-100, a, -100, b, 2)  # RENAME_EXCHANGE
PYEOF
racer=$!
leaked=0 seen=0
for i in $(seq 300); do
	"$MOUNTPLAN" verify "$work/race.yaml" "$work/race.mi" --rootfs "$work/race-root" >"$work/out" 2>&1
	grep -q HOST-LEAK "$work/out" && leaked=$((leaked + 1))
	grep -q "^$work/race-host/x: missing" "$work/out" && seen=$((seen + 1))
done
touch "$work/race-root/stop"; wait $racer
check "verify --rootfs while /race is swapped with a link to a host directory: no host link read (300 runs: $leaked leaked, $seen saw the link)" \
	[ "$leaked" = 0 -a "$seen" -gt 0 ]
# A readonly: path of exactly a bind's target is folded into the bind
# (compiled as the bind's own read-only attribute, no READONLY op): the
# run verifies against the table predicted from those ops (one mount at
# each target, no READONLY bind onto itself), and the host directories
# are read-only in the container, the rbind's submount too.
mkdir -p "$work/fold-src/sub" "$work/fold-tree/sub" "$work/rootfs/fold-a" "$work/rootfs/fold-t"
cat >"$work/fold.yaml" <<PLAN
mountplan: 1
name: fold
dev: standard
mounts:
  - {target: /proc, type: proc}
  - {target: /fold-a, type: bind, source: $work/fold-src}
  - {target: /fold-t, type: bind, source: $work/fold-tree, options: [rbind]}
readonly: [/fold-a, /fold-t]
PLAN
"$MOUNTPLAN" compile "$work/fold.yaml" -o "$work/fold.mpb" 2>"$work/err"
# The submount is made in the run's own namespace: a mount on the host,
# even for a moment, would show in a concurrent test's host table check.
unshare -m --propagation private /bin/sh -c 'mount -t tmpfs -o size=1m fold-sub "$1/fold-tree/sub" || exit 125
	exec "$2" --rootfs "$1/rootfs" "$1/fold.mpb" -- /bin/sh -c "$3"' - "$work" "$MOUNTPLAN_EXEC" \
	'cat /proc/self/mountinfo; for p in /fold-a /fold-t /fold-t/sub; do touch $p/w 2>/dev/null && echo "WRITABLE $p"; done' \
	2>>"$work/err" >"$work/fold.out"
grep -v WRITABLE "$work/fold.out" | "$MOUNTPLAN" verify "$work/fold.yaml" - >"$work/fold.verify" 2>&1
check "a read-only path folded into its bind: the run verifies ($(tail -1 "$work/fold.verify"))" \
	eval 'grep -q " /fold-a ro," "$work/fold.out" && [ "$(grep -c " /fold-a " "$work/fold.out")" = 1 ] &&
	      "$MOUNTPLAN" verify "$work/fold.yaml" <(grep -v WRITABLE "$work/fold.out") >/dev/null 2>&1'
check "folded: the bound host directories read-only in the container, the rbind's submount too" \
	eval '! grep -q WRITABLE "$work/fold.out" && [ ! -e "$work/fold-src/w" ] && [ ! -e "$work/fold-tree/w" ] &&
	      grep -q " /fold-t/sub ro," "$work/fold.out"'
done_testing
