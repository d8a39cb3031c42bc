#!/bin/bash
# tests/plan_check_cli.sh: plan-check's command line: exit codes, the
# severity threshold, several files, suppressions (inline, --disable,
# --enable, config file), the plan-check name, explain.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
L=$top_srcdir/tests/lint
make_work
plan 50

# run ARGS...: run mountplan check; sets $out, $err, $rc.
run() {
	out=$("$MOUNTPLAN" check "$@" 2>"$work/err"); rc=$?
	err=$(cat "$work/err")
}
# expect DESC RC [GREP...]: ok when $rc is RC and $out matches every GREP.
expect() {
	local d=$1 want=$2; shift 2
	if [ "$rc" != "$want" ]; then not_ok "$d" "exit $rc, want $want" "$out" "$err"; return; fi
	for g in "$@"; do
		if ! grep -q -e "$g" <<<"$out"; then not_ok "$d" "no '$g' in:" "$out"; return; fi
	done
	ok "$d"
}
# expect_not DESC GREP: ok when $out does not match GREP.
expect_not() {
	if grep -q -e "$2" <<<"$out"; then not_ok "$1" "unexpected '$2' in:" "$out"; else ok "$1"; fi
}

# exit status and threshold
run "$L/tmpfs-no-size-good.yaml"
expect "clean plan: exit 0, no output" 0 '^$'
run "$L/writable-suid-bad.yaml"
expect "a warning: exit 1, gcc-style line" 1 \
	'writable-suid-bad.yaml:8:5: warning: writable tmpfs on /tmp without nosuid \[PC-WRITABLE-SUID\]'
expect "text output quotes the line with a caret" 1 '^    8 |   - target: /tmp$' '^      |     \^$'
run "$L/tmpfs-no-size-bad.yaml"
expect "only a note: exit 0 at the default threshold (warning), note shown" 0 'note: tmpfs on /tmp has no size='
run --severity-threshold=note "$L/tmpfs-no-size-bad.yaml"
expect "--severity-threshold=note: a note fails" 1
run --severity-threshold=error "$L/writable-suid-bad.yaml"
expect "--severity-threshold=error: a warning passes" 0
run --severity-threshold=error "$L/device-memory-bad.yaml"
expect "--severity-threshold=error: an error fails" 1 'error: device /dev/mem is /dev/mem (1:1)'
printf 'mountplan: 1\nname: t\nrootfs: {readonly: true}\nmounts:\n  - target: tmp\n    type: tmpfs\n' >"$work/err.yaml"
run "$work/err.yaml"
expect "a compiler error is a finding as an error" 1 'err.yaml:5:13: error: .*\[MP-PATH\]'

# usage and I/O errors
run
expect "no file: exit 2" 2
run --format=xml "$L/tmpfs-no-size-good.yaml"
expect "unknown format: exit 2" 2
run --severity-threshold=fatal "$L/tmpfs-no-size-good.yaml"
expect "unknown threshold: exit 2" 2
run --bogus "$L/tmpfs-no-size-good.yaml"
expect "unknown option: exit 2" 2
run --disable=PC-NOPE "$L/tmpfs-no-size-good.yaml"
expect "--disable of an unknown rule: exit 2" 2
run "$work/missing.yaml"
expect "missing file: exit 2" 2
run "$work/missing.yaml" "$L/device-memory-bad.yaml"
expect "missing file among others: exit 2, the others still checked" 2 'PC-DEVICE-MEMORY'

# several files
run "$L/tmpfs-no-size-good.yaml" "$L/writable-suid-bad.yaml" "$L/device-kvm-bad.yaml"
expect "several files: the findings of each" 1 'writable-suid-bad.yaml:8:5' 'device-kvm-bad.yaml:8:6: note'
run "$L/tmpfs-no-size-good.yaml" "$L/device-kvm-bad.yaml"
expect "several files, only notes: exit 0" 0 'device-kvm-bad.yaml'

# --disable / --enable
run --disable=PC-WRITABLE-SUID "$L/writable-suid-bad.yaml"
expect "--disable=ID drops the finding" 0 '^$'
run --disable PC-DEVICE-KVM,PC-WRITABLE-SUID "$L/writable-suid-bad.yaml" "$L/device-kvm-bad.yaml"
expect "--disable ID,ID (separate argument)" 0 '^$'
run "$L/bind-writable-bad.yaml"
expect "an opt-in rule is off by default" 0 '^$'
run --enable=PC-BIND-WRITABLE "$L/bind-writable-bad.yaml"
expect "--enable turns it on" 0 'bind-writable-bad.yaml:9:5: note: host path /srv/app/conf is bound writable'
run --disable=MP-PATH "$work/err.yaml"
expect "a compiler error cannot be disabled" 2

# inline suppressions
run "$L/root-writable-good.yaml"
expect "inline suppression on the line above, with a reason: silent" 0 '^$'
run --severity-threshold=note "$L/suppress-no-reason-bad.yaml"
expect "inline suppression without a reason: a note" 1 \
	'suppress-no-reason-bad.yaml:8:3: note: suppression of PC-TMPFS-NO-SIZE gives no reason \[PC-SUPPRESS-NO-REASON\]'
expect_not "... and the suppressed finding is gone" 'PC-TMPFS-NO-SIZE\]'
run "$L/suppress-unknown-bad.yaml"
expect "inline suppression of an unknown ID: a warning" 1 "8:19: warning: suppression names 'PC-TMPFS-NOSIZE'"

# A rootfs setting's finding (reported at the rootfs: key or at the
# setting): suppressed on the setting's own line, alone on the line above
# it, or on the rootfs: line; not from outside the rootfs: mapping.
cat >"$work/root-sup.yaml" <<'PLAN'
mountplan: 1
name: root-sup
rootfs:
  path: /srv/root
  # plan-check: disable=PC-PIVOT-CHROOT a build sandbox that re-enters the host root on purpose
  pivot: chroot
  readonly: false  # plan-check: disable=PC-ROOT-WRITABLE the package manager runs here
  propagation: rshared
mounts:
  - {target: /tmp, type: tmpfs, options: [nosuid, nodev, noexec, size=1m]}  # plan-check: disable=PC-SHARED-ROOT not the rootfs block
PLAN
run --severity-threshold=note "$work/root-sup.yaml"
expect "rootfs: readonly: false suppressed on its own line; pivot on the line above; propagation not from a mounts line" 1 \
	'root-sup.yaml:8:16: error: root propagation .rshared.*\[PC-SHARED-ROOT\]' \
	'root-sup.yaml:10:.*suppression of PC-SHARED-ROOT matches no finding.*\[PC-SUPPRESS-UNUSED\]'
expect_not "... PC-ROOT-WRITABLE (at the rootfs: key) is gone, its suppression used" 'PC-ROOT-WRITABLE'
expect_not "... PC-PIVOT-CHROOT is gone" 'PC-PIVOT-CHROOT'
sed -e 's/^rootfs:$/rootfs:  # plan-check: disable=PC-SHARED-ROOT mount events must reach the host agent/' \
	-e 's/  # plan-check: disable=PC-SHARED-ROOT not the rootfs block//' "$work/root-sup.yaml" >"$work/root-sup2.yaml"
run --severity-threshold=note "$work/root-sup2.yaml"
expect "a setting's finding suppressed on the rootfs: line (propagation: rshared)" 0 '^$'

# config file
cat >"$work/cfg.yaml" <<'CFG'
disable:
  - id: PC-WRITABLE-SUID
    reason: scratch space, wiped at every start
  - PC-DEVICE-KVM
  - PC-NOT-A-RULE because
enable: [PC-BIND-WRITABLE]
CFG
run --config="$work/cfg.yaml" --severity-threshold=note "$L/writable-suid-bad.yaml" \
	"$L/device-kvm-bad.yaml" "$L/bind-writable-bad.yaml"
expect "config: disable with reason, enable" 1 'bind-writable-bad.yaml:9:5: note: host path'
expect_not "config: disabled rules are silent" 'PC-WRITABLE-SUID\]\|PC-DEVICE-KVM\]'
expect "config: a disable without reason is a note at its line" 1 \
	'cfg.yaml:4:5: note: suppression of PC-DEVICE-KVM gives no reason'
expect "config: an unknown ID is a warning at its line" 1 \
	"cfg.yaml:5:5: warning: suppression names 'PC-NOT-A-RULE'"
run --config="$work/cfg.yaml" --enable=PC-WRITABLE-SUID "$L/writable-suid-bad.yaml"
expect "the command line wins over the config" 1 'PC-WRITABLE-SUID'
printf 'severity-threshold: note\n' >"$work/.plan-check.yaml"
out=$(cd "$work" && "$MOUNTPLAN" check "$L/tmpfs-no-size-bad.yaml"); rc=$?
expect "./.plan-check.yaml is read by default (its threshold applies)" 1 'PC-TMPFS-NO-SIZE'
printf 'disable: [PC-X]\nbogus: 1\n' >"$work/bad-cfg.yaml"
run --config="$work/bad-cfg.yaml" "$L/tmpfs-no-size-good.yaml"
expect "a config with an unknown key: exit 2" 2

# the plan-check name, explain
ln -s "$MOUNTPLAN" "$work/plan-check"
out=$("$work/plan-check" --severity-threshold=error "$L/device-memory-bad.yaml"); rc=$?
expect "installed as plan-check (argv[0]): same program" 1 'PC-DEVICE-MEMORY'
out=$("$MOUNTPLAN" explain PC-SHARED-ROOT); rc=$?
expect "explain ID prints the rule's doc/rules.md page" 0 '^## PC-SHARED-ROOT$' 'Bad:' 'Fix:'
expect_not "... and only that page" 'PC-SHARED-MOUNT'
out=$("$MOUNTPLAN" explain MP-PATH); rc=$?
expect "explain a compiler error: its doc/diagnostics.md entry" 0 '^### MP-PATH$'
out=$("$MOUNTPLAN" explain PC-NOPE 2>/dev/null); rc=$?
expect "explain an unknown ID: exit 2" 2

# include: each file's own inline suppressions, matched by file, not line
cat >"$work/inc-base.yaml" <<'PLAN'
mountplan: 2
name: inc-base
rootfs: {readonly: true}
mounts:
  - {target: /tmp, type: tmpfs, options: [nosuid, nodev]}  # plan-check: disable=PC-TMPFS-NO-SIZE scratch, capped by the memory cgroup
  - {target: /run, type: tmpfs, options: [nosuid, nodev]}
PLAN
cat >"$work/inc-app.yaml" <<'PLAN'
mountplan: 2
name: inc-app
include: [inc-base.yaml]
mounts:
  - {target: /srv, type: tmpfs, options: [nosuid, nodev, size=1m]}
  # plan-check: disable=PC-TMPFS-NO-SIZE a comment on line 6, like /run's finding in inc-base
PLAN
run --severity-threshold=note "$work/inc-app.yaml"
expect "include: a finding in an included file names that file" 1 \
	'inc-base.yaml:6:6: note: tmpfs on /run has no size=.*\[PC-TMPFS-NO-SIZE\]'
expect_not "... its own inline suppression drops its /tmp finding" 'on /tmp has no size='
expect "... a suppression in the including file at the same line number does not cover it: unused" 1 \
	'inc-app.yaml:6:3: note: .*PC-SUPPRESS-UNUSED'
run --severity-threshold=note --set unused=1 "$work/inc-app.yaml"
expect "--set of a name no file declares: MP-PARAM-UNKNOWN at --set:1:1" 1 \
	'^--set:1:1: error: the plan declares no parameter .unused. \[MP-PARAM-UNKNOWN\]'
# The suppression example of doc/rules.md (and plan-check(1)), in a plan:
# no finding at all, PC-SUPPRESS-UNUSED included.
sed -n '/^    mounts:$/,/^$/p' "$top_srcdir/doc/rules.md" | sed -n '1,/^$/p' | sed 's/^    //' >"$work/doc-example.body"
{ printf 'mountplan: 1\nname: doc-example\nrootfs: {readonly: true}\n'; cat "$work/doc-example.body"; } >"$work/doc-example.yaml"
run --severity-threshold=note "$work/doc-example.yaml"
expect "the suppression example of doc/rules.md: no finding (none unused)" 0 '^$'
grep -qF 'disable=PC\-BIND\-HOST\-LOG the log agent' "$top_srcdir/doc/plan-check.1" &&
	grep -qF 'options: [rbind, rro, nosuid, nodev, noexec]' "$top_srcdir/doc/plan-check.1"
check "plan-check(1) shows the same example" [ $? = 0 ]
# explain: the ID in any case; Markdown into a pipe, rendered on a terminal.
"$MOUNTPLAN" explain pc-tmpfs-exec >"$work/explain.out" 2>&1
check "explain takes the ID in any case (pc-tmpfs-exec), raw Markdown into a pipe" \
	grep -qx '## PC-TMPFS-EXEC' "$work/explain.out"
if command -v script >/dev/null; then
	script -qc "$MOUNTPLAN explain PC-TMPFS-EXEC" /dev/null | tr -d '\r' >"$work/explain.tty"
	check "explain on a terminal: heading underlined, no Markdown marks, examples kept" eval \
		'grep -qx "=============" "$work/explain.tty" && ! grep -q "\*\*\|\`" "$work/explain.tty" &&
		 grep -q "^      - {target: /dev/shm, type: tmpfs" "$work/explain.tty"'
else
	ok "explain on a terminal # SKIP no script(1)"
fi
done_testing
