#!/bin/bash
# tests/verify.sh: every plan in plans/ compiled, run by mountplan-exec on a
# busybox rootfs (the payload prints its own /proc/self/mountinfo) and
# checked with `mountplan verify PLAN -`; then the same mountinfo tampered
# with (an option flipped, a mount dropped, a mount added, a type changed)
# must fail verify, and a mask over a path the rootfs lacks is a skip
# (also in --format=json).  Mounts guarded by when: (format 2) are tested
# on this host as mountplan-exec tested them: a real run verifies, and a
# mountinfo with one whose condition holds dropped, or one whose
# condition fails added, does not.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
make_work
build_rootfs "$work/rootfs"
container_files "$work/container"
plans=$(ls "$top_srcdir"/plans/*.yaml)
plan $(( $(echo "$plans" | wc -l) + 11 ))

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
done_testing
