#!/bin/bash
# tests/run-plans.sh: every plan in plans/, compiled by mountplan and run
# by mountplan-exec on a busybox rootfs; the payload prints its
# /proc/self/mountinfo, which check_mountinfo.py checks against the plan.
# A plan whose root is a new filesystem (format 2: gvisor-sandbox's tmpfs,
# bwrap-sandbox, overlay-root) runs with no --rootfs, and with busybox bound
# in as the payload (with_payload). The host's mount table must be the same
# before and after each run.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
PY=${PYTHON3:-/usr/bin/python3}
make_work
build_rootfs "$work/rootfs"
container_files "$work/container"
plans=$(ls "$top_srcdir"/plans/*.yaml)
plan $(( $(echo "$plans" | wc -l) * 2 + 1 ))
for p in $plans; do
	name=$(basename "$p" .yaml)
	before=$(host_mounts)
	mapfile -t args < <(plan_args "$p" "$work/container" "$work/rootfs")
	compiled=$p run=(--rootfs "$work/rootfs") payload=/bin/cat
	if fresh_root "$p"; then
		compiled=$(with_payload "$p" "$work/payload") run=() payload=/.mp-test/cat
	fi
	if ! "$MOUNTPLAN" compile "$compiled" "${args[@]}" -o "$work/$name.mpb" 2>"$work/err"; then
		not_ok "$name compiles" "$(cat "$work/err")"
		not_ok "$name runs"
		continue
	fi
	ok "$name compiles"
	if "$MOUNTPLAN_EXEC" "${run[@]}" "$work/$name.mpb" -- \
		"$payload" /proc/self/mountinfo >"$work/$name.mi" 2>"$work/err" &&
	   "$PY" "$top_srcdir/tests/check_mountinfo.py" "$p" "$work/$name.mi" >"$work/problems" &&
	   [ "$before" = "$(host_mounts)" ]; then
		ok "$name runs and gives the planned mount table"
	else
		not_ok "$name runs and gives the planned mount table" "$(cat "$work/err" "$work/problems")"
	fi
done

# README's tour: gvisor-sandbox included, a static busybox bound in to look
# inside; run with no --rootfs, / is the fresh tmpfs runsc-root.
mkdir -p "$work/tour/plans" && cp "$top_srcdir/plans/gvisor-sandbox.yaml" "$work/tour/plans/"
sed -n '/^    \$ cat look.yaml/,/^    \$ mountplan compile look.yaml/p' "$top_srcdir/README.md" |
	sed '1d;$d' | sed -e 's/^    //' -e 's/  *#.*$//' >"$work/tour/look.yaml"
before=$(host_mounts)
(cd "$work/tour" && "$MOUNTPLAN" compile look.yaml -o g.mpb && "$MOUNTPLAN_EXEC" g.mpb -- /bb/cat /proc/self/mountinfo) \
	>"$work/tour/out" 2>"$work/tour/err"
if [ $? = 0 ] && grep -q "^[0-9]* [0-9]* [0-9:]* / / ro,nosuid,nodev,noexec,relatime - tmpfs runsc-root " "$work/tour/out" &&
   [ "$before" = "$(host_mounts)" ]; then
	ok "README's look.yaml: gvisor-sandbox runs with no --rootfs, / is a fresh tmpfs"
else
	not_ok "README's look.yaml: gvisor-sandbox runs with no --rootfs, / is a fresh tmpfs" \
		"$(cat "$work/tour/look.yaml" "$work/tour/err" "$work/tour/out")"
fi
done_testing
