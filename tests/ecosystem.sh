#!/bin/bash
# tests/ecosystem.sh: the integrations shipped for other tools.
#  - .pre-commit-hooks.yaml: pre-commit runs plan-check on the staged
#    plans (pre-commit try-repo on a scratch git repository): a clean plan
#    passes, a risky one fails with the finding; files outside plans/ are
#    not checked.
#  - completion/mountplan.bash: bash completion of mountplan's commands
#    and options, plan-check's rule IDs and mountplan-exec's options, run
#    through bash's programmable completion (the functions called as bash
#    calls them, COMP_WORDS/COMP_CWORD set).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 10
make_work
cd "$work" || exit 99
mkdir bin && ln -s "$MOUNTPLAN" bin/mountplan && ln -s "$MOUNTPLAN" bin/plan-check
export PATH="$work/bin:$PATH"

# complete WORD...: the completions bash offers for the command line
# WORD... (the last word being completed), one per line.
complete_line() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		fn=$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$top_srcdir/completion/mountplan.bash" "$@"
}
got=$(complete_line mountplan di)
check "mountplan di<TAB>: diff" [ "$got" = diff ]
got=$(complete_line mountplan diff --format "")
check "mountplan diff --format <TAB>: text json markdown sarif" [ "$(echo $got)" = "text json markdown sarif" ]
got=$(complete_line plan-check --disable PC-BIND-HOST-R)
check "plan-check --disable PC-BIND-HOST-R<TAB>: the rule ID, from plan-check itself" [ "$got" = PC-BIND-HOST-ROOT ]
got=$(complete_line mountplan explain PC-KERNEL-FS)
check "mountplan explain PC-KERNEL-FS<TAB>: both kernel-fs rules" [ "$(echo $got)" = "PC-KERNEL-FS PC-KERNEL-FS-WRITABLE" ]
got=$(complete_line mountplan verify plan.yaml - --)
check "mountplan verify plan.yaml - --<TAB>: offers --rootfs and --nodes" eval 'echo "$got" | grep -qx -- --rootfs && echo "$got" | grep -qx -- --nodes'
mkdir -p rootdir
got=$(complete_line mountplan verify plan.yaml - --nodes root)
check "mountplan verify ... --nodes root<TAB>: a directory" [ "$got" = rootdir ]
got=$(complete_line mountplan-exec --dr)
check "mountplan-exec --dr<TAB>: --dry-run" [ "$got" = --dry-run ]

if ! command -v pre-commit >/dev/null || ! command -v git >/dev/null; then
	for t in 1 2 3; do ok "pre-commit # SKIP pre-commit or git not installed"; done
	done_testing
	exit
fi
mkdir hooks && cp "$top_srcdir/.pre-commit-hooks.yaml" hooks/ &&
	(cd hooks && git init -q . && git add . && git -c user.email=t@e -c user.name=t commit -qm hooks)
mkdir proj && cd proj && git init -q . && mkdir plans
cp "$top_srcdir/tests/lint/tmpfs-exec-good.yaml" plans/good.yaml
cp "$top_srcdir/tests/lint/tmpfs-exec-bad.yaml" plans/bad.yaml
printf 'not: [a plan\n' >other.yaml
export PRE_COMMIT_HOME="$work/pc-home"
pre-commit try-repo ../hooks plan-check --files plans/good.yaml >out 2>&1
check "pre-commit: a clean plan passes" [ $? = 0 ]
pre-commit try-repo ../hooks plan-check --files plans/bad.yaml >out 2>&1; rc=$?
check "pre-commit: a risky plan fails with the finding" eval '[ $rc = 1 ] && grep -q PC-TMPFS-EXEC out'
pre-commit try-repo ../hooks plan-check --files other.yaml >out 2>&1; rc=$?
check "pre-commit: a YAML file outside plans/ is not checked" eval '[ $rc = 0 ] && grep -q "no files to check" out'
done_testing
