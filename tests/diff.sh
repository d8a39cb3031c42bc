#!/bin/bash
# tests/diff.sh: `mountplan diff OLD NEW` on pairs of plans: equal plans
# (also a .yaml against its own .mpb) exit 0 and print nothing; each kind
# of change is reported with exit 1, and each change that weakens
# isolation is marked "weakens:"; --format=json; a plan with errors is
# exit 2; the git integration of doc/roundtrip.md (textconv for .mpb,
# an external diff for plans) works as written there.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 30
make_work
cd "$work" || exit 99

cat >base.yaml <<'PLAN'
mountplan: 1
name: diff-test
rootfs: {readonly: true}
dev: standard
mounts:
  - {target: /proc, type: proc, options: [nosuid, nodev, noexec]}
  - {target: /sys, type: sysfs, options: [ro, nosuid, nodev, noexec]}
  - {target: /tmp, type: tmpfs, options: [nosuid, nodev]}
symlinks:
  - {path: /etc/mtab, target: /proc/self/mounts}
masks: [/proc/kcore, /sys/firmware]
readonly: [/proc/sys]
PLAN

# variant NAME SED-SCRIPT: base.yaml changed by SED-SCRIPT into NAME.yaml.
variant() { sed "$2" base.yaml >"$1.yaml"; }

# expect NAME EXIT PATTERN DESCRIPTION: diff base NAME exits EXIT and its
# output matches PATTERN (a grep -E regex).
expect() {
	"$MOUNTPLAN" diff base.yaml "$1.yaml" >out 2>&1
	rc=$?
	if [ "$rc" = "$2" ] && grep -Eq -- "$3" out; then
		ok "$4"
	else
		not_ok "$4" "exit $rc, expected $2; pattern: $3" "$(cat out)"
	fi
}

"$MOUNTPLAN" diff base.yaml base.yaml >out 2>&1
check "a plan against itself: exit 0, no output" [ $? = 0 -a ! -s out ]
"$MOUNTPLAN" compile base.yaml -o base.mpb 2>/dev/null
"$MOUNTPLAN" diff base.yaml base.mpb >out 2>&1
check "a .yaml against its .mpb: exit 0" [ $? = 0 -a ! -s out ]

variant sys-rw 's/options: \[ro, nosuid, nodev, noexec\]/options: [nosuid, nodev, noexec]/'
expect sys-rw 1 '^~ mount /sys options: ro,nosuid,nodev,noexec -> nosuid,nodev,noexec  weakens: ro lost on /sys$' "ro -> rw weakens"
check "... and introduces PC-SYSFS-WRITABLE at the new plan's line" grep -q '^introduces PC-SYSFS-WRITABLE: sys-rw.yaml:7:6: ' out
variant no-mask 's|masks: \[/proc/kcore, /sys/firmware\]|masks: [/sys/firmware]|'
expect no-mask 1 '^- mask /proc/kcore +weakens: mask removed$' "a mask removed weakens"
variant host-bind '/^symlinks:/i\  - {target: /data, type: bind, source: /srv/data}'
expect host-bind 1 '^\+ mount /data type=bind source=/srv/data .*weakens: new host bind of /srv/data; ro lost on /data$' "a new host bind weakens (and /data, on the read-only root before, is writable now)"
variant shared 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [nosuid, nodev], propagation: shared}|'
expect shared 1 '^~ mount /tmp propagation: - -> shared +weakens: propagation to shared$' "propagation to shared weakens"
variant device '/^symlinks:/i\devices:\n  - {path: /dev/kvm, type: c, major: 10, minor: 232}'
expect device 1 '^\+ device /dev/kvm node=c 10:232 .*weakens: new device c 10:232$' "a new device weakens"
variant no-ro 's|readonly: \[/proc/sys\]|readonly: []|'
expect no-ro 1 '^- readonly /proc/sys +weakens: read-only path removed; ro lost on /proc/sys$' "a read-only path removed weakens"
variant hole 's|readonly: \[/proc/sys\]|readonly: [{path: /proc/sys, writable: [/proc/sys/kernel]}]|'
expect hole 1 '^~ readonly /proc/sys writable: - -> /proc/sys/kernel +weakens: new writable hole /proc/sys/kernel$' "a writable hole weakens"
variant root-rw 's|rootfs: {readonly: true}|rootfs: {readonly: false}|'
expect root-rw 1 '^~ setting rootfs.readonly true -> false +weakens: read-only root to writable; ro lost on /$' "a writable root: a changed setting (old -> new) that weakens"
variant nosuid 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [nodev]}|'
expect nosuid 1 '^~ mount /tmp options: nosuid,nodev -> nodev  weakens: nosuid lost on /tmp$' "nosuid dropped weakens"
variant link 's|target: /proc/self/mounts|target: /proc/mounts|'
expect link 1 '^~ symlink /etc/mtab contents: /proc/self/mounts -> /proc/mounts$' "a symlink changed (does not weaken)"
variant tighter 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [ro, nosuid, nodev]}|'
expect tighter 1 '^~ mount /tmp options: nosuid,nodev -> ro,nosuid,nodev$' "rw -> ro is a change that does not weaken"
variant removed '/target: \/tmp/d'
expect removed 1 '^- mount /tmp type=tmpfs source=tmpfs' "a mount removed"

"$MOUNTPLAN" diff --format=json base.yaml no-mask.yaml >out.json 2>&1
check "--format=json: one change, mask removed, weakens" "$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"]
assert d["equal"] is False and len(c) == 1, d
assert c[0]["change"] == "removed" and c[0]["section"] == "mask"
assert c[0]["path"] == "/proc/kcore" and c[0]["weakens"] == ["mask removed"]
assert c[0]["old_position"] == {"file": "base.yaml", "line": 11, "column": 9}, c[0]
assert c[0]["new_position"] is None
assert [f["id"] for f in d["introduced"]] == ["PC-PROC-UNMASKED"], d
' out.json
"$MOUNTPLAN" diff --format=markdown base.yaml sys-rw.yaml >out.md 2>&1
rc=$?
check "--format=markdown: a table row per change, both positions, the weakening, the introduced finding" eval \
	'[ $rc = 1 ] && grep -qF "| :warning: | mount \`/sys\` | options: \`ro,nosuid,nodev,noexec\` → \`nosuid,nodev,noexec\`<br> | \`base.yaml\`:7 → \`sys-rw.yaml\`:7 | ro lost on /sys |" out.md &&
	 grep -qF -- "- **PC-SYSFS-WRITABLE** (warning) at \`sys-rw.yaml\`:7:6: " out.md'
"$MOUNTPLAN" diff --format=sarif base.yaml sys-rw.yaml >out.sarif 2>&1
check "--format=sarif: the introduced finding only, valid SARIF 2.1.0" "$PYTHON3" -c '
import json, sys, jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.validate(d, json.load(open(sys.argv[2])))
r = d["runs"][0]["results"]
assert [x["ruleId"] for x in r] == ["PC-SYSFS-WRITABLE"], r
loc = r[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "sys-rw.yaml" and loc["region"]["startLine"] == 7, loc
' out.sarif "$top_srcdir/tests/data/sarif-schema-2.1.0.json"
"$MOUNTPLAN" diff --format=json base.yaml tighter.yaml >out.json 2>&1
check "--format=json: a change lists its field differences and both positions" "$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"][0]
assert c["change"] == "changed" and c["differences"] == [{"field": "options", "old": "nosuid,nodev", "new": "ro,nosuid,nodev"}], c
assert c["old_position"]["file"] == "base.yaml" and c["new_position"]["file"] == "tighter.yaml", c
assert c["old_position"]["line"] == 8 and c["weakens"] == [], c
' out.json
printf 'mountplan: 1\nname: broken\nmounts: [{target: relative, type: tmpfs}]\n' >broken.yaml
"$MOUNTPLAN" diff base.yaml broken.yaml >out 2>&1
check "a plan with errors: exit 2" [ $? = 2 ]
# the same file on both sides is compiled once (diff_cmd.c, same_file):
# its errors are still told for each side, its findings introduce nothing
"$MOUNTPLAN" compile broken.yaml -o /dev/null 2>err1
"$MOUNTPLAN" diff broken.yaml broken.yaml >out 2>&1
check "a broken plan against itself: its errors for each side, exit 2" \
	[ -s err1 -a "$?:$(cat out)" = "2:$(cat err1 err1)" ]
"$MOUNTPLAN" diff sys-rw.yaml sys-rw.yaml >out 2>&1
check "a plan with a finding against itself: exit 0, no output" [ $? = 0 -a ! -s out ]
cp sys-rw.yaml sys-rw-copy.yaml
"$MOUNTPLAN" diff sys-rw.yaml sys-rw-copy.yaml >out 2>&1
check "... and against its copy (both compiled): exit 0, no output" [ $? = 0 -a ! -s out ]
"$MOUNTPLAN" diff base.yaml >out 2>&1
check "one argument: usage, exit 2" [ $? = 2 ]

# git: the textconv driver for .mpb and `mountplan diff --git` as the
# external diff of plans (doc/roundtrip.md, "In git"): a changed, an
# added, a deleted and a broken plan all go through `git diff` (exit 0);
# a plan that includes another is compiled as the repository's file (its
# include: is found beside it, not beside git's temporary copy).
if ! command -v git >/dev/null; then
	for t in textconv changed added deleted broken include; do ok "git $t # SKIP git not installed"; done
	done_testing
	exit
fi
mkdir repo && cd repo || exit 99
git init -q . && git config user.email t@example.org && git config user.name t
printf '*.mpb diff=mountplan\n*.yaml diff=mountplan-plan\n' >.gitattributes
git config diff.mountplan.textconv "$MOUNTPLAN dump"
git config diff.mountplan-plan.command "$MOUNTPLAN diff --git"
cp ../base.yaml plan.yaml && "$MOUNTPLAN" compile plan.yaml -o plan.mpb 2>/dev/null
git add . && git commit -qm base
cp ../no-mask.yaml plan.yaml && "$MOUNTPLAN" compile plan.yaml -o plan.mpb 2>/dev/null
git diff plan.mpb >out 2>&1
check "git diff of a .mpb shows the ops (textconv: mountplan dump)" grep -q '^-.*MASK .*target="/proc/kcore"' out
git diff plan.yaml >out 2>&1; rc=$?
check "git diff: a changed plan through mountplan diff --git" eval \
	'[ $rc = 0 ] && grep -qx "mountplan diff a/plan.yaml b/plan.yaml" out &&
	 grep -qx -- "- mask /proc/kcore  weakens: mask removed" out'
git add plan.yaml && cp ../device.yaml new.yaml && git add new.yaml
git diff --cached -- new.yaml >out 2>&1; rc=$?
check "git diff: an added plan (old side /dev/null) shows every entry as added" eval \
	'[ $rc = 0 ] && grep -qx "mountplan diff a/new.yaml b/new.yaml" out &&
	 grep -q "^+ device /dev/kvm node=c 10:232 .*weakens: new device c 10:232" out &&
	 grep -q "^introduces PC-DEVICE-KVM: " out'
git commit -qm two && git rm -q new.yaml
git diff --cached -- new.yaml >out 2>&1; rc=$?
check "git diff: a deleted plan (new side /dev/null) shows every entry as removed" eval \
	'[ $rc = 0 ] && grep -qx -- "- mask /proc/kcore  weakens: mask removed" out &&
	 grep -q "^- device /dev/kvm node=c 10:232" out'
git commit -qm three && cp ../broken.yaml plan.yaml
git diff plan.yaml >out 2>&1; rc=$?
check "git diff: a broken plan shows its errors at their position, git goes on" eval \
	'[ $rc = 0 ] && grep -q "plan.yaml:3:19: error: .*\[MP-PATH\]" out &&
	 grep -qx "mountplan diff: b/plan.yaml does not compile; its errors are above" out'
mkdir sub && printf 'mountplan: 2\nname: base\nmounts: [{target: /proc, type: proc}]\n' >sub/base.yaml
printf 'mountplan: 2\nname: app\ninclude: [base.yaml]\nmasks: [/proc/kcore]\n' >sub/app.yaml
git add sub && git commit -qm four && sed -i 's/^masks:.*/masks: []/' sub/app.yaml
git diff sub/app.yaml >out 2>&1; rc=$?
check "git diff: a plan with include: (old version a temporary file) finds the plan it includes" eval \
	'[ $rc = 0 ] && grep -qx -- "- mask /proc/kcore  weakens: mask removed" out && ! grep -q "MP-INCLUDE" out'
done_testing
