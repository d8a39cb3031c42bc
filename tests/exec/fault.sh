#!/bin/bash
# tests/exec/fault.sh: every op of runc-default can fail, and each failure
# is reported and harmless.  plans/runc-default.yaml is compiled (as
# "runc-default.yaml", so messages name it so); for each op i of its N,
# mountplan-exec-test (the executor built with the fault hook) runs with
# MP_FAULT_OP=i.  It must exit 125 with one message naming "op i/N" and
# the op's plan position (as `mountplan dump` gives it), and neither the
# namespace it started in nor the host's mount table may change.  A run
# without a fault must exit 0 first.  An op that a condition false on
# this host skips (COND, plan format 2: /dev/core without /proc/kcore)
# changes nothing and cannot fail: its fault must leave the run at exit 0,
# and the trace must say it was skipped.  Then real causes with the installed
# binary: /proc or /sys of the rootfs replaced by a regular file makes
# that MOUNT fail, named the same way.  Last the checks of a mount found
# again by its path (mnt.c): with MP_FAULT_CHECK=new the test build takes
# the mount found after mount(2) for another one (runc-default's /dev,
# whose root the devices are made in, with the new API; /proc, the masks'
# anchor, in the fallback and the fallback without listmount), with
# MP_FAULT_CHECK=tree a submount found by its mount point (the fallback's
# recursive read-only), and a bind found again in the fallback to be the
# anchor of a mask beneath it: refused, named, nothing changed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
mp=$(realpath "$MOUNTPLAN")
cp "$top_srcdir/plans/runc-default.yaml" "$work/" 2>"$work/err" &&
	(cd "$work" && "$mp" compile -o runc-default.mpb runc-default.yaml) 2>>"$work/err" &&
	"$MOUNTPLAN" dump "$work/runc-default.mpb" >"$work/dump" 2>>"$work/err"
if [ ! -s "$work/dump" ]; then
	plan 1; not_ok "compile plans/runc-default.yaml" "$(cat "$work/err")"; done_testing; exit
fi
# "INDEX POSITION" per op, from the dump (position is its last field).
awk '$1 ~ /^[0-9]+$/ { print $1, $NF }' "$work/dump" >"$work/ops"
n=$(wc -l <"$work/ops")
real_causes="proc sys"
plan $((n + 8 + $(echo $real_causes | wc -w)))

# run ENV...: the plan under the test executor in a private namespace that
# must not change; sets rc, and ns=same when it did not.
run() {
	run_on "$work/rootfs" "$EXEC_TEST" "$@"
}

# run_on ROOTFS EXEC ENV...: the same with any rootfs and binary.
run_on() {
	rm -f "$work/ns"
	unshare -m --propagation private bash -c '
		w=$1 rootfs=$2 exec=$3; shift 3
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		env "$@" timeout 30 "$exec" $exec_args --rootfs "$rootfs" "$w/${mpb:-runc-default.mpb}" -- \
			/bin/true >"$w/out" 2>"$w/err" </dev/null
		echo $? >"$w/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$@"
	rc=$(cat "$work/rc")
}

export exec_args=--trace
run MP_NO_FAULT=1
exec_args=
if [ "$rc" = 0 ] && [ -f "$work/ns" ]; then
	ok "no fault: runc-default runs ($n ops)"
else
	not_ok "no fault: runc-default runs ($n ops)" "exit $rc" "$(cat "$work/err")"
fi
# the ops a false condition skips here ("op I/N (...): ...: skipped: condition false")
skipped=" $(sed -n 's|^mountplan-exec: op \([0-9]*\)/.*: skipped: condition false$|\1|p' "$work/err" | tr '\n' ' ')"

while read -r i pos; do
	run MP_FAULT_OP="$i"
	op=$(awk -v i="$i" '$1 == i { print $2; exit }' "$work/dump")
	lines=$(grep -c . "$work/err")
	if [ "${skipped#* $i }" != "$skipped" ]; then
		if [ "$rc" = 0 ] && [ -f "$work/ns" ]; then
			ok "op $i/$n $op ($pos): skipped by a false condition, nothing to fail"
		else
			not_ok "op $i/$n $op ($pos): skipped, so its fault changes nothing" "exit $rc" "$(cat "$work/err")"
		fi
		continue
	fi
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] && [ "$lines" -ge 1 ] &&
	   grep -qF "mountplan-exec: op $i/$n ($pos)" "$work/err"; then
		ok "op $i/$n $op ($pos): $(grep -F "op $i/$n" "$work/err" | head -1 | cut -c1-100)"
	else
		not_ok "op $i/$n $op ($pos) fails with 125, named, host unchanged" \
			"exit $rc, parent namespace $( [ -f "$work/ns" ] && echo same || echo CHANGED)" \
			"stderr: $(cat "$work/err")"
	fi
done <"$work/ops"

for d in $real_causes; do
	rm -rf "$work/bad-$d"
	cp -a "$work/rootfs" "$work/bad-$d"
	rmdir "$work/bad-$d/$d" && echo "not a directory" >"$work/bad-$d/$d"
	# the op that mounts on /$d, from the dump
	read -r i pos <<<"$(awk -v t="target=\"/$d\"" '$1 ~ /^[0-9]+$/ && $2 == "MOUNT" && index($0, t) { print $1, $NF; exit }' "$work/dump")"
	run_on "$work/bad-$d" "$MOUNTPLAN_EXEC" MP_NO_FAULT=1
	if [ -n "$i" ] && [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
	   grep -qF "mountplan-exec: op $i/$n ($pos)" "$work/err"; then
		ok "real cause: /$d a regular file: $(head -1 "$work/err" | cut -c1-100)"
	else
		not_ok "real cause: /$d a regular file fails op ${i:-?}/$n (${pos:-?}) with 125" \
			"exit $rc" "stderr: $(cat "$work/err")"
	fi
done

# expect_check DESC OP PATTERN: the last run exited 125 naming op OP
# (index and position from the dump) with PATTERN, its namespace unchanged.
expect_check() {
	local pos
	pos=$(awk -v i="$2" '$1 == i { print $NF; exit }' "$work/dump")
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
	   grep -qF "mountplan-exec: op $2/$(wc -l <"$work/ops") ($pos)" "$work/err" &&
	   grep -q "$3" "$work/err"; then
		ok "$1: $(head -1 "$work/err" | cut -c1-120)"
	else
		not_ok "$1: refused naming op $2" "exit $rc" "stderr: $(cat "$work/err")"
	fi
}
# the first mount found again: /dev's (its root kept for the devices) with
# the new API; in the fallback /proc's (the anchor of the masks and
# read-only paths beneath it, which the new API has from fsmount)
op_at() { awk -v t="target=\"$1\"" '$2 == "MOUNT" && index($0, t) { print $1; exit }' "$work/dump"; }
for force in "" 1 mountinfo; do
	at=$([ -z "$force" ] && echo /dev || echo /proc)
	run MP_FAULT_CHECK=new ${force:+MP_FORCE_FALLBACK=$force}
	expect_check "a new mount found again is another (${force:+fallback $force, }$at)" \
		"$(op_at $at)" 'replaced while it was mounted on'
done
# the fallback's recursive read-only over a tree with a submount
printf 'mountplan: 1\nname: tree\nmounts:\n  - {target: /data, type: tmpfs}\n  - {target: /data/sub, type: tmpfs}\nreadonly: [/data]\n' \
	>"$work/tree.yaml"
(cd "$work" && "$mp" compile -o tree.mpb tree.yaml && "$mp" dump tree.mpb >tree.dump) 2>"$work/err"
ro=$(awk '$2 == "READONLY" { print $1; exit }' "$work/tree.dump")
export mpb=tree.mpb
run MP_FAULT_CHECK=tree MP_FORCE_FALLBACK=1
unset mpb
cp "$work/tree.dump" "$work/dump" && awk '$1 ~ /^[0-9]+$/ { print $1, $NF }' "$work/dump" >"$work/ops"
expect_check "a submount found by its mount point is another (fallback, readonly: [/data])" \
	"${ro:-?}" 'moved while it was made read-only'
# the fallback's bind found again to be kept as the anchor of a mask
# beneath it (a plain bind: nothing else would look for it)
mkdir -p "$work/vol/x"
printf 'mountplan: 1\nname: bind\nmounts:\n  - {target: /data, type: bind, source: %s}\nmasks: [/data/x]\n' \
	"$work/vol" >"$work/bind.yaml"
(cd "$work" && "$mp" compile -o bind.mpb bind.yaml && "$mp" dump bind.mpb >bind.dump) 2>"$work/err"
bind=$(awk '$2 == "BIND" { print $1; exit }' "$work/bind.dump")
export mpb=bind.mpb
cp "$work/bind.dump" "$work/dump" && awk '$1 ~ /^[0-9]+$/ { print $1, $NF }' "$work/dump" >"$work/ops"
for force in 1 mountinfo; do
	run MP_FAULT_CHECK=new MP_FORCE_FALLBACK=$force
	expect_check "a bind found again to anchor a mask beneath it is another (fallback $force)" \
		"${bind:-?}" 'replaced while it was mounted on'
done
unset mpb

check_host_unchanged "$host_before"
done_testing
