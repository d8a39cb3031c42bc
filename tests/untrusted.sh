#!/bin/bash
# tests/untrusted.sh: a plan from an untrusted pull request, checked by CI
# (compile, check, diff, table), must not make the compiler read a file
# outside the plan's own tree: diagnostics quote the source line, so an
# include: of /etc/shadow, of ../../secret or of a symlink the pull
# request adds would print the file into the CI log.  Each attack below
# includes a secret outside the repository (a file holding a token); every
# command must refuse it at the include item (MP-INCLUDE, "lies outside")
# and print no byte of it.  The attacks: an absolute path, "..", an
# absolute symlink in the tree, a relative symlink climbing out, a
# symlinked directory, and a ".." two includes deep.  Then what stays
# allowed: ".." and relative symlinks that stay in the tree, and
# --include-root DIR for a tree wider than the plan's directory (a base
# plan one level up); a control shows --include-root / reading the secret
# again (what the default prevents).  plan-check's ./.plan-check.yaml,
# found in the checkout, is a link to a secret shaped as a config: not
# followed (named by --config, the control, it is read).  Last, a plan of 40 "sub/../fN.yaml"
# includes compiled 300 times while another mount namespace mounts and
# unmounts a tmpfs without pause: openat2 may say EAGAIN when a mount
# races with a ".." (openat2(2)), and a good plan must not fail for it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 14
make_work
cd "$work" || exit 99
mkdir -p secret repo/sub repo/apps
echo "SECRET-TOKEN-4711: ghp_not_a_real_token" >secret/token
# tmpfs_plan NAME TARGET: repo/NAME.yaml, a tmpfs at TARGET.
tmpfs_plan() { printf 'mountplan: 2\nname: %s\nmounts:\n  - {target: %s, type: tmpfs}\n' "$1" "$2" >"repo/$1.yaml"; }
tmpfs_plan base /base
tmpfs_plan good /tmp

# plan_with NAME ITEM: repo/NAME.yaml including ITEM.
plan_with() { printf 'mountplan: 2\nname: %s\ninclude: [%s]\n' "$1" "$2" >"repo/$1.yaml"; }

# each_command PLAN: compile, check, diff (against good.yaml, and in the
# markdown a pull-request comment shows), table of PLAN (in repo/), each
# bounded; every output appended to $work/out, "CMD exit N" lines too.
each_command() {
	: >"$work/out"
	(cd repo && for cmd in "compile -o $work/x.mpb" check "diff good.yaml" "diff --format=markdown good.yaml" table; do
		timeout 10 "$MOUNTPLAN" $cmd "$1" >>"$work/out" 2>&1
		echo "$cmd exit $?" >>"$work/out"
	done)
}

# refused DESC PLAN: every command refuses PLAN's include at the item,
# exit 1 (diff: 2, a side that does not compile), and prints nothing of
# the secret.
refused() {
	each_command "$2"
	local bad
	bad=$(grep -E ' exit [0-9]+$' "$work/out" | grep -vE '^(compile .*|check|table) exit 1$|^diff .* exit 2$')
	if [ -z "$bad" ] && ! grep -q 'SECRET-TOKEN' "$work/out" &&
	   [ "$(grep -c 'lies outside .* \[MP-INCLUDE\]$' "$work/out")" -ge 5 ]; then
		ok "$1: refused at the include item by compile, check, diff (text, markdown), table; nothing of the file printed"
	else
		not_ok "$1: refused by every command, nothing of the file printed" "$bad" "$(head -c 1500 "$work/out")"
	fi
}

plan_with abs "$work/secret/token"
refused "an absolute path outside the tree" abs.yaml
plan_with dotdot ../secret/token
refused "'..' out of the tree" dotdot.yaml
ln -s "$work/secret/token" repo/abslink.yaml
plan_with abslinked abslink.yaml
refused "a symlink in the tree to an absolute path outside it" abslinked.yaml
ln -s ../secret/token repo/rellink.yaml
plan_with rellinked rellink.yaml
refused "a relative symlink in the tree climbing out" rellinked.yaml
ln -s ../secret repo/lib
plan_with dirlinked lib/token
refused "a symlinked directory leading out" dirlinked.yaml
printf 'mountplan: 2\nname: mid\ninclude: [../../secret/token]\n' >repo/sub/mid.yaml
plan_with deep sub/mid.yaml
refused "'..' out of the tree, two includes deep" deep.yaml

# what stays allowed: '..' and a relative symlink inside the tree
ln -s base.yaml repo/samelink.yaml
printf 'mountplan: 2\nname: up\ninclude: [../base.yaml]\n' >repo/sub/up.yaml
plan_with inside "sub/up.yaml, samelink.yaml"
(cd repo && timeout 10 "$MOUNTPLAN" table inside.yaml >"$work/out" 2>&1)
rc=$?
check "'..' and a relative symlink that stay in the tree are included (exit $rc; both name base.yaml: MP-INCLUDE-TWICE)" \
	grep -q "samelink.yaml' is already part of this plan.*\[MP-INCLUDE-TWICE\]" "$work/out"

# a base one level up: refused by default, included with --include-root
printf 'mountplan: 2\nname: web\ninclude: [../base.yaml]\nmounts:\n  - {target: /srv, type: tmpfs}\n' \
	>repo/apps/web.yaml
(cd repo/apps && timeout 10 "$MOUNTPLAN" table web.yaml >"$work/out" 2>&1)
rc=$?
check "a base one level up, by default: refused (exit $rc)" \
	eval '[ $rc = 1 ] && grep -q "lies outside $work/repo/apps .*\[MP-INCLUDE\]$" "$work/out"'
(cd repo/apps && timeout 10 "$MOUNTPLAN" table --include-root .. web.yaml >"$work/out" 2>&1)
rc=$?
check "a base one level up, with --include-root ..: included (exit $rc)" \
	eval '[ $rc = 0 ] && grep -q "^/base .*base.yaml:4:6$" "$work/out"'
(cd repo && timeout 10 "$MOUNTPLAN" check --include-root "$work/repo" "$work/repo/apps/web.yaml" >"$work/out" 2>&1)
rc=$?
check "plan-check --include-root DIR (absolute): the base is read (exit $rc, no MP-INCLUDE)" \
	eval '[ $rc != 2 ] && ! grep -q "MP-INCLUDE" "$work/out"'

# a control: --include-root / (the caller's explicit choice) reads the
# secret again, and its line is quoted: what the default prevents
(cd repo && timeout 10 "$MOUNTPLAN" check --include-root / dotdot.yaml >"$work/out" 2>&1)
check "a control: with --include-root / the file outside is read and quoted" \
	grep -q 'SECRET-TOKEN-4711' "$work/out"

# ./.plan-check.yaml a link to a secret shaped as a config, so that a
# followed link quotes it (PC-SUPPRESS-UNKNOWN shows the line)
printf 'enable: [SECRET-TOKEN-4711]\n' >secret/config
ln -s "$work/secret/config" repo/.plan-check.yaml
(cd repo && timeout 10 "$MOUNTPLAN" check good.yaml) >"$work/out" 2>&1
rc=$?
check "plan-check: a found ./.plan-check.yaml linking outside is not followed (exit $rc), no byte of it shown" \
	eval '[ $rc = 2 ] && grep -q "symbolic link, not followed" "$work/out" && ! grep -q SECRET "$work/out"'
(cd repo && timeout 10 "$MOUNTPLAN" check --config .plan-check.yaml good.yaml) >"$work/out" 2>&1
check "a control: named by --config, the linked config is read and quoted" \
	grep -q 'SECRET-TOKEN-4711' "$work/out"
rm repo/.plan-check.yaml

# ".." in the tree while mounts happen elsewhere on the host
mkdir -p repo/race/sub race-mnt
items=
for k in $(seq 40); do
	printf 'mountplan: 2\nname: f%s\nmounts:\n  - {target: /f%s, type: tmpfs}\n' $k $k >"repo/race/f$k.yaml"
	items="$items${items:+, }sub/../f$k.yaml"
done
printf 'mountplan: 2\nname: race\ninclude: [%s]\n' "$items" >repo/race/top.yaml
if unshare -m --propagation private true 2>/dev/null; then
	unshare -m --propagation private sh -c \
		"while :; do mount -t tmpfs race '$work/race-mnt'; umount '$work/race-mnt'; done" &
	racer=$!
	fails=0
	for _ in $(seq 300); do
		(cd repo/race && timeout 10 "$MOUNTPLAN" compile -o "$work/race.mpb" top.yaml) \
			>"$work/out" 2>&1 || { fails=$((fails + 1)); cp "$work/out" "$work/race-fail"; }
	done
	kill "$racer"
	wait "$racer" 2>/dev/null
	check "40 includes through '..', compiled 300 times while mounts race with them: none fails ($fails failed)" \
		eval '[ $fails = 0 ]'
	[ $fails = 0 ] || head -5 "$work/race-fail" | sed 's/^/# /'
else
	ok "# SKIP no private mount namespace (unshare -m) to race mounts in"
fi
done_testing
