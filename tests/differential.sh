#!/bin/bash
# tests/differential.sh: mountplan against its peers, runc and crun.
#
# `runc spec`'s default config on a busybox rootfs is imported
# (import-oci), compiled and run by mountplan-exec, and run as it is by
# `runc run` and `crun run`; then every plan in plans/ is exported to OCI
# (export-oci --base that config) and run the same three ways.  Each
# payload is `cat /proc/self/mountinfo`; the tables are compared on mount
# point, filesystem type and VFS options (mount IDs, device numbers, roots
# and sources normalised away) as multisets, since the order of unrelated
# mounts differs between runtimes.
#
# runc runs on the host's cgroups as they are; crun needs a pure cgroup2
# at /sys/fs/cgroup, so its runs (and the mountplan-exec run it is
# compared with) happen in a private mount namespace with a cgroup2 mounted
# there.  Every difference that remains is explained in doc/roundtrip.md
# ("Known differences") and listed in tests/differential.known; a
# difference not listed there, or a listed one that is gone, fails.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
for tool in runc crun; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (Debian package $tool)"
done
PY=${PYTHON3:-/usr/bin/python3}
known="$top_srcdir/tests/differential.known"
make_work
bundle=$work/bundle
mkdir -p "$bundle"
if ! bash "$top_srcdir/tests/mkrootfs.sh" "$bundle/rootfs" >"$work/log" 2>&1 ||
   ! (cd "$bundle" && runc spec) >>"$work/log" 2>&1; then
	plan 1; not_ok "set up the bundle" "$(cat "$work/log")"; done_testing; exit
fi
"$PY" - "$bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/cat", "/proc/self/mountinfo"]
json.dump(c, open(sys.argv[1], "w"), indent="\t")
PY
cp "$bundle/config.json" "$work/runc-spec.json"
# The host's cgroups, for differences that depend on them (RUNTIME@MODE
# in differential.known).
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then host_cgroups=unified; else host_cgroups=hybrid; fi
plans=$(ls "$top_srcdir"/plans/*.yaml)
plan $(( 3 + $(echo "$plans" | wc -l) * 2 ))
seq=0

# in_cgroup2 CMD...: run CMD in a private mount namespace whose
# /sys/fs/cgroup is a pure cgroup2.
in_cgroup2() {
	unshare -m --propagation private sh -c \
		'umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' sh "$@"
}

# run_exec MPB OUT [cgroup2]: the payload's mountinfo under mountplan-exec.
run_exec() {
	if [ "${3:-}" = cgroup2 ]; then
		in_cgroup2 "$MOUNTPLAN_EXEC" --rootfs "$bundle/rootfs" "$1" -- /bin/cat /proc/self/mountinfo >"$2"
	else
		unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$bundle/rootfs" "$1" -- \
			/bin/cat /proc/self/mountinfo >"$2"
	fi
}

# run_runtime RUNTIME CONFIG OUT: the payload's mountinfo under runc/crun
# with CONFIG as the bundle's config.json.
run_runtime() {
	seq=$((seq + 1))
	cp "$2" "$bundle/config.json"
	if [ "$1" = runc ]; then
		(cd "$bundle" && unshare -m --propagation private runc --root "$work/runc-state" \
			run "mp-diff-$$-$seq") >"$3"
	else
		(cd "$bundle" && in_cgroup2 crun --cgroup-manager=disabled --root "$work/crun-state" \
			run "mp-diff-$$-$seq") >"$3"
	fi
}

# norm MOUNTINFO: "POINT TYPE OPTIONS" per mount, sorted.
norm() {
	awk '{ split($0, lr, " - "); split(lr[1], l, " "); split(lr[2], r, " ");
	       print l[5], r[1], l[6] }' "$1" | sort
}

# compare CASE RUNTIME EXEC_MI RUNTIME_MI: the differences ("- ..." only
# under mountplan-exec, "+ ..." only under the runtime) must be exactly
# the known ones for CASE and RUNTIME.
compare() {
	local got="$work/got" want="$work/want"
	diff <(norm "$3") <(norm "$4") | sed -n 's/^< /- /p; s/^> /+ /p' | sort >"$got"
	awk -v c="$1" -v r="$2" -v h="$2@$host_cgroups" \
		'$1 == c && ($2 == r || $2 == h) { $1 = ""; $2 = ""; sub(/^  /, ""); print }' \
		"$known" | sort >"$want"
	if cmp -s "$got" "$want"; then
		ok "$1: mountplan-exec and $2 give the same table (known differences: $(wc -l <"$want"))"
	else
		not_ok "$1: mountplan-exec and $2 give the same table" \
			"unexpected (not in tests/differential.known):" "$(comm -23 "$got" "$want")" \
			"known but gone:" "$(comm -13 "$got" "$want")"
	fi
}

# drop_bind_source CONFIG SOURCE: CONFIG without its mounts of SOURCE.
drop_bind_source() {
	"$PY" - "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["mounts"] = [m for m in c["mounts"] if m.get("source") != sys.argv[2]]
json.dump(c, open(sys.argv[1], "w"), indent="\t")
PY
}

# The default config of `runc spec`, imported.
if "$MOUNTPLAN" import-oci "$work/runc-spec.json" -o "$work/runc-spec.yaml" 2>"$work/err" &&
   "$MOUNTPLAN" compile "$work/runc-spec.yaml" -o "$work/runc-spec.mpb" 2>>"$work/err"; then
	ok "runc spec: imported and compiled"
else
	not_ok "runc spec: imported and compiled" "$(cat "$work/err")"
fi
for rt in runc crun; do
	mode=
	[ "$rt" = crun ] && mode=cgroup2
	if run_exec "$work/runc-spec.mpb" "$work/mp.mi" $mode 2>"$work/err" &&
	   run_runtime $rt "$work/runc-spec.json" "$work/rt.mi" 2>>"$work/err"; then
		compare runc-spec $rt "$work/mp.mi" "$work/rt.mi"
	else
		not_ok "runc-spec: run under mountplan-exec and $rt" "$(cat "$work/err")"
	fi
done

# Every shipped plan, exported.
container_files "$work/container"
for p in $plans; do
	name=$(basename "$p" .yaml)
	mapfile -t args < <(plan_args "$p" "$work/container")
	if ! "$MOUNTPLAN" export-oci "${args[@]}" "$p" --base "$work/runc-spec.json" >"$work/$name.json" 2>"$work/err"; then
		# Only a writable hole and a plan's own symlinks (bwrap-sandbox's
		# merged-/usr links) are beyond OCI (doc/roundtrip.md); any other
		# refusal is a failure.
		why=$(grep -m1 'error:' "$work/err" | sed 's/.*error: //')
		case "$name:$why" in
		docker-2014-restrict:*"writable holes"*"[MP-OCI-EXPORT]" | \
		bwrap-sandbox:*"OCI has no symlinks"*"[MP-OCI-EXPORT]")
			ok "$name: export-oci refuses it, as expected: $why"
			ok "$name: nothing for runc or crun to run (no OCI form)" ;;
		*)
			not_ok "$name: export-oci" "$(cat "$work/err")"
			not_ok "$name: nothing compared with runc and crun" ;;
		esac
		continue
	fi
	# An optional bind (exported as a plain one, with a warning) whose
	# source this host lacks is skipped by mountplan-exec; the peers,
	# which have no optional binds, are given the config without it, as
	# an operator would write it for this host (gvisor-sandbox's /dev/kvm
	# on a machine without KVM).
	sed -n 's/.*OCI binds are not optional: [^ ]* is exported as a plain bind, and runtimes fail where \(.*\) is missing.*/\1/p' \
		"$work/err" | while read -r src; do
		[ -e "$src" ] || drop_bind_source "$work/$name.json" "$src"
	done
	"$MOUNTPLAN" compile "${args[@]}" "$p" -o "$work/$name.mpb" 2>"$work/err"
	for rt in runc crun; do
		mode=
		[ "$rt" = crun ] && mode=cgroup2
		if ! run_runtime $rt "$work/$name.json" "$work/rt.mi" 2>"$work/err"; then
			not_ok "$name: $rt runs the exported config" "$(cat "$work/err")"
			continue
		fi
		if run_exec "$work/$name.mpb" "$work/mp.mi" $mode 2>"$work/err"; then
			compare "$name" $rt "$work/mp.mi" "$work/rt.mi"
		else
			not_ok "$name: run under mountplan-exec" "$(cat "$work/err")"
		fi
	done
done
done_testing
