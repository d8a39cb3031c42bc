#!/bin/bash
# tests/diff.sh: `mountplan diff OLD NEW` on pairs of plans: equal plans
# (also a .yaml against its own .mpb) exit 0 and print nothing; each kind
# of change is reported with exit 1, and each change that weakens
# isolation is marked "weakens:"; --format=json; a plan with errors is
# exit 2; the git integration of doc/roundtrip.md (textconv for .mpb,
# an external diff for plans) works as written there.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 19
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
expect sys-rw 1 '^~ mount /sys options: ro,.* -> rw,.*weakens: read-only to writable$' "ro -> rw weakens"
variant no-mask 's|masks: \[/proc/kcore, /sys/firmware\]|masks: [/sys/firmware]|'
expect no-mask 1 '^- mask /proc/kcore +weakens: mask removed$' "a mask removed weakens"
variant host-bind '/^symlinks:/i\  - {target: /data, type: bind, source: /srv/data}'
expect host-bind 1 '^\+ mount /data type=bind source=/srv/data .*weakens: new host bind$' "a new host bind weakens"
variant shared 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [nosuid, nodev], propagation: shared}|'
expect shared 1 '^~ mount /tmp propagation: private -> shared +weakens: propagation to shared$' "propagation to shared weakens"
variant device '/^symlinks:/i\devices:\n  - {path: /dev/kvm, type: c, major: 10, minor: 232}'
expect device 1 '^\+ device /dev/kvm node=c 10:232 .*weakens: new device$' "a new device weakens"
variant no-ro 's|readonly: \[/proc/sys\]|readonly: []|'
expect no-ro 1 '^- readonly /proc/sys +weakens: read-only path removed$' "a read-only path removed weakens"
variant hole 's|readonly: \[/proc/sys\]|readonly: [{path: /proc/sys, writable: [/proc/sys/kernel]}]|'
expect hole 1 '^~ readonly /proc/sys writable: - -> /proc/sys/kernel +weakens: new writable hole$' "a writable hole weakens"
variant root-rw 's|rootfs: {readonly: true}|rootfs: {readonly: false}|'
expect root-rw 1 '^- setting rootfs.readonly value=true +weakens: read-only root to writable$' "a writable root weakens"
variant nosuid 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [nodev]}|'
expect nosuid 1 '^~ mount /tmp options: .*weakens: nosuid dropped$' "nosuid dropped weakens"
variant link 's|target: /proc/self/mounts|target: /proc/mounts|'
expect link 1 '^~ symlink /etc/mtab contents: /proc/self/mounts -> /proc/mounts$' "a symlink changed (does not weaken)"
variant tighter 's|{target: /tmp, type: tmpfs, options: \[nosuid, nodev\]}|{target: /tmp, type: tmpfs, options: [ro, nosuid, nodev]}|'
expect tighter 1 '^~ mount /tmp options: rw,nosuid,nodev,relatime -> ro,nosuid,nodev,relatime$' "rw -> ro is a change that does not weaken"
variant removed '/target: \/tmp/d'
expect removed 1 '^- mount /tmp type=tmpfs source=tmpfs' "a mount removed"

"$MOUNTPLAN" diff --format=json base.yaml no-mask.yaml >out.json 2>&1
check "--format=json: one change, mask removed, weakens" "$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"]
assert d["equal"] is False and len(c) == 1, d
assert c[0]["change"] == "removed" and c[0]["section"] == "mask"
assert c[0]["path"] == "/proc/kcore" and c[0]["weakens"] == "mask removed"
' out.json
printf 'mountplan: 1\nname: broken\nmounts: [{target: relative, type: tmpfs}]\n' >broken.yaml
"$MOUNTPLAN" diff base.yaml broken.yaml >out 2>&1
check "a plan with errors: exit 2" [ $? = 2 ]
"$MOUNTPLAN" diff base.yaml >out 2>&1
check "one argument: usage, exit 2" [ $? = 2 ]

# git: the textconv driver and the external diff wrapper of doc/roundtrip.md.
if ! command -v git >/dev/null; then
	ok "git textconv # SKIP git not installed"
	ok "git external diff # SKIP git not installed"
	done_testing
	exit
fi
mkdir repo && cd repo || exit 99
git init -q . && git config user.email t@example.org && git config user.name t
echo '*.mpb diff=mountplan' >.gitattributes
git config diff.mountplan.textconv "$MOUNTPLAN dump"
cat >mountplan-gitdiff <<SH
#!/bin/sh
# GIT_EXTERNAL_DIFF: path old-file old-hex old-mode new-file new-hex new-mode
echo "mountplan diff a/\$1 b/\$1"
"$MOUNTPLAN" diff "\$2" "\$5"
[ \$? -le 1 ]
SH
chmod +x mountplan-gitdiff
cp ../base.yaml plan.yaml && "$MOUNTPLAN" compile plan.yaml -o plan.mpb 2>/dev/null
git add . && git commit -qm base
cp ../no-mask.yaml plan.yaml && "$MOUNTPLAN" compile plan.yaml -o plan.mpb 2>/dev/null
git diff plan.mpb >out 2>&1
check "git diff of a .mpb shows the ops (textconv: mountplan dump)" grep -q '^-.*MASK .*target="/proc/kcore"' out
GIT_EXTERNAL_DIFF=./mountplan-gitdiff git diff plan.yaml >out 2>&1
check "git diff with mountplan diff as external diff" grep -qx -- '- mask /proc/kcore  weakens: mask removed' out
done_testing
