#!/bin/bash
# tests/exec/hostile.sh: a rootfs prepared by an attacker.  Each case
# copies the busybox rootfs, plants symlinks to host paths (a scratch
# "bait" directory on the host, and /etc), regular files or wrong device
# nodes where the plan mounts, binds, masks or creates nodes, and runs a
# plan over it.  mountplan-exec must refuse (125, with a message) or
# contain it (exit 0, the planned mount present in the container's mount
# table, so it landed inside the rootfs); where the OCI spec or a CVE fix
# says the node must be checked, only refusal passes.  Either way the
# host is untouched: the bait and /etc are as they were, the host's mount
# table is the same, and so is the mount table of the namespace the
# executor was started in (each run is wrapped in unshare -m
# --propagation private, and that namespace is compared before and after).
# The container's /dev/null is checked wherever the executor uses it:
# missing, the masks are refused, not skipped (systemd-nspawn's /proc
# masks were silently skipped without their source, systemd PR 40833);
# a symlink to a host file the plan binds into the container is never
# opened for stdin (crun CVE-2026-88265 reopened stdio on it and chowned
# it), and the bait's owner is part of the snapshot.
# A dangling symlink on the way to a target is followed inside the root
# (as runc does): what it names is created in the rootfs, never on the
# host, and a loop of links is refused.
# Controls first: each plan runs (exit 0) on an untouched copy of the
# rootfs, so a refusal below is the planted path's doing; and a refusal
# must come from an op after ROOTFS (op 0).  Last, a race: /data swapped
# between a directory and a symlink to the bait while the executor
# creates and mounts under it, many times over.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
bait=$work/bait
mkdir -p "$bait/dir" "$work/bindsrc"
echo "host file" >"$bait/file"
echo "host console" >"$bait/console"
touch "$work/bindsrc/from-host"
# ../ enough to climb from any directory of a case's rootfs to /.
up=$(printf '../%.0s' $(seq 1 $(( $(echo "$work/case/rootfs/a/b" | tr -cd / | wc -c) + 2 ))))
up=${up%/}

# snapshot: what must not change on the host.
snapshot() {
	find "$bait" -printf '%p %y %s %m %U:%G %T@ %l\n' | sort
	ls -A /etc	# names only: other users of this host may touch times
	sha256sum /etc/passwd
}
snap_before=$(snapshot)

# Plans, by what they touch; each mounts /proc so the payload can print
# the container's mount table.
plan_yaml() {
	printf 'mountplan: 1\nname: hostile-%s\nmounts:\n  - {target: /proc, type: proc}\n' "$1"
	case $1 in
	dev) printf 'dev: standard\n' ;;
	proc) printf 'masks: [/proc/kcore]\nreadonly: [/proc/sys]\n' ;;
	sys) printf '  - {target: /sys, type: sysfs, options: [ro]}\n' ;;
	bind) printf '  - {target: /mnt/data, type: bind, source: %s}\n' "$work/bindsrc" ;;
	mask) printf 'dev: standard\nmasks: [/etc/secret, /etc/secretdir]\n' ;;
	parent) printf '  - {target: /data/cache, type: tmpfs}\n' ;;
	devnull) printf 'devices:\n  - {path: /dev/null, type: c, major: 1, minor: 3}\nmasks: [/etc/hostname]\n' ;;
	maskonly) printf 'masks: [/etc/hostname]\n' ;;
	console) printf 'devices:\n  - {path: /dev/console, type: c, major: 5, minor: 1}\n' ;;
	nullbind) printf '  - {target: /data/f, type: bind, source: %s}\n' "$bait/file" ;;
	zero) printf 'devices:\n  - {path: /dev/zero, type: c, major: 1, minor: 5}\n' ;;
	esac
}

# The cases: name, plan, policy (refuse: only 125 passes; either: 125 or
# contained, with the fstype expected in the container's table), setup
# run inside the case's rootfs.
cases=(
	"dev-abs|dev|either tmpfs|rm -rf dev; ln -s $bait dev"
	"dev-rel|dev|either tmpfs|rm -rf dev; ln -s $up$bait dev"
	"dev-etc|dev|either tmpfs|rm -rf dev; ln -s /etc dev"
	"proc-abs|proc|either proc|rm -rf proc; ln -s $bait proc"
	"proc-rel|proc|either proc|rm -rf proc; ln -s $up$bait proc"
	"proc-etc|proc|either proc|rm -rf proc; ln -s /etc proc"
	"sys-abs|sys|either sysfs|rm -rf sys; ln -s $bait sys"
	"sys-rel|sys|either sysfs|rm -rf sys; ln -s $up$bait sys"
	"bind-target-abs|bind|either ext4|mkdir -p mnt; ln -s $bait/dir mnt/data"
	"bind-target-rel|bind|either ext4|mkdir -p mnt; ln -s $up$bait/dir mnt/data"
	"bind-target-etc|bind|either ext4|mkdir -p mnt; ln -s /etc mnt/data"
	"mask-file-abs|mask|either tmpfs|ln -s $bait/file etc/secret; mkdir etc/secretdir"
	"mask-dir-rel|mask|either tmpfs|touch etc/secret; ln -s $up$bait/dir etc/secretdir"
	"mask-etc|mask|either tmpfs|ln -s /etc/passwd etc/secret; ln -s /etc etc/secretdir"
	"parent-abs|parent|either tmpfs|ln -s $bait data"
	"parent-rel|parent|either tmpfs|ln -s $up$bait data"
	"parent-etc|parent|either tmpfs|ln -s /etc data"
	"parent-chain|parent|either tmpfs|ln -s data2 data; ln -s $up$bait data2"
	"parent-dangling-abs|parent|either tmpfs|ln -s $bait/newdir data"
	"parent-dangling-rel|parent|either tmpfs|ln -s $up$bait/newdir data"
	"parent-dangling-loop|parent|refuse|ln -s loop1 data; ln -s data loop1"
	"dev-null-symlink-mknod|devnull|refuse|mkdir -p dev; rm -f dev/null; ln -s $bait/file dev/null; echo x >etc/hostname"
	"dev-null-regular-mknod|devnull|refuse|mkdir -p dev; rm -f dev/null; echo x >dev/null; echo x >etc/hostname"
	"dev-null-symlink-mask|maskonly|refuse|mkdir -p dev; rm -f dev/null; ln -s /proc/sys/kernel/core_pattern dev/null; echo x >etc/hostname"
	"dev-null-symlink-abs-mask|maskonly|refuse|mkdir -p dev; rm -f dev/null; ln -s $bait/file dev/null; echo x >etc/hostname"
	"dev-null-regular-mask|maskonly|refuse|mkdir -p dev; rm -f dev/null; echo x >dev/null; echo x >etc/hostname"
	"dev-null-wrong-node-mask|maskonly|refuse|mkdir -p dev; rm -f dev/null; mknod -m 666 dev/null c 1 5; echo x >etc/hostname"
	"dev-null-missing-mask|maskonly|refuse|rm -f dev/null; echo x >etc/hostname"
	"dev-null-to-bound-host-file|nullbind|refuse|mkdir -p dev; rm -f dev/null; ln -s /data/f dev/null"
	"dev-console-symlink|console|refuse|mkdir -p dev; rm -f dev/console; ln -s $bait/console dev/console"
	"dev-console-symlink-rel|console|refuse|mkdir -p dev; rm -f dev/console; ln -s $up$bait/console dev/console"
	"dev-console-regular|console|refuse|mkdir -p dev; rm -f dev/console; echo x >dev/console"
	"dev-node-other-minor|zero|refuse|mkdir -p dev; rm -f dev/zero; mknod -m 666 dev/zero c 1 3"
	"dev-node-block|zero|refuse|mkdir -p dev; rm -f dev/zero; mknod -m 666 dev/zero b 1 5"
	"dev-node-fifo|zero|refuse|mkdir -p dev; rm -f dev/zero; mkfifo dev/zero"
)
controls="dev proc sys bind mask parent devnull maskonly console zero nullbind"
plan $(( ${#cases[@]} * 2 + $(echo $controls | wc -w) + 4 + 1 ))

# run_case DIR: DIR/plan.mpb over DIR/rootfs, inside a private namespace
# whose table must not change either; DIR/rc, DIR/out, DIR/err, and
# DIR/ns when that namespace was unchanged.
run_case() {
	unshare -m --propagation private bash -c '
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		timeout 30 "$1" --rootfs "$2/rootfs" "$2/plan.mpb" -- /bin/cat /proc/self/mountinfo \
			>"$2/out" 2>"$2/err" </dev/null
		echo $? >"$2/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$2/ns"
		true' - "$MOUNTPLAN_EXEC" "$1"
}

for k in $controls; do
	dir=$work/control/$k
	mkdir -p "$dir"
	cp -a "$work/rootfs" "$dir/rootfs"
	echo x >"$dir/rootfs/etc/hostname"
	touch "$dir/rootfs/etc/secret"
	mkdir "$dir/rootfs/etc/secretdir"
	# maskonly (the masks) and nullbind (stdin, the host's /dev/null,
	# reopened on the container's) use the rootfs's own /dev/null: a real
	# one here
	case $k in maskonly | nullbind) mknod -m 666 "$dir/rootfs/dev/null" c 1 3 ;; esac
	plan_yaml "$k" >"$dir/plan.yaml"
	if "$MOUNTPLAN" compile -o "$dir/plan.mpb" "$dir/plan.yaml" 2>"$dir/err"; then
		run_case "$dir"
	else
		echo "compile failed" >"$dir/rc"
	fi
	if [ "$(cat "$dir/rc")" = 0 ] && [ -f "$dir/ns" ]; then
		ok "control: plan $k runs on an untouched rootfs"
	else
		not_ok "control: plan $k runs on an untouched rootfs" "exit $(cat "$dir/rc")" "$(cat "$dir/err")"
	fi
done

for c in "${cases[@]}"; do
	IFS='|' read -r name plan_kind policy setup <<<"$c"
	dir=$work/case/$name
	mkdir -p "$dir"
	cp -a "$work/rootfs" "$dir/rootfs"
	(cd "$dir/rootfs" && eval "$setup")
	plan_yaml "$plan_kind" >"$dir/plan.yaml"
	if ! "$MOUNTPLAN" compile -o "$dir/plan.mpb" "$dir/plan.yaml" 2>"$dir/err"; then
		not_ok "$name: plan compiles" "$(cat "$dir/err")"
		not_ok "$name: host untouched (not run)"
		continue
	fi
	run_case "$dir"
	rc=$(cat "$dir/rc")
	msg=$(head -1 "$dir/err" | cut -c1-120)
	set -- $policy
	if [ "$rc" = 125 ] && grep -q '^mountplan-exec: ' "$dir/err" &&
	   ! grep -q '^mountplan-exec: op 0/' "$dir/err"; then
		ok "$name: refused ($msg)"
	elif [ "$1" = either ] && [ "$rc" = 0 ] &&
	     awk -v t="$2" '$5 != "/" { for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == t) f = 1; break } } END { exit !f }' "$dir/out"; then
		ok "$name: contained (exit 0, a $2 mount inside the rootfs, not its root)"
	else
		not_ok "$name: $( [ "$1" = refuse ] && echo "refused with 125" || echo "refused or contained")" \
			"exit $rc" "stderr: $(cat "$dir/err")" "container mountinfo: $(cat "$dir/out")"
	fi
	if [ -f "$dir/ns" ] && [ "$snap_before" = "$(snapshot)" ] &&
	   [ "$host_before" = "$(host_mounts)" ]; then
		ok "$name: host untouched"
	else
		not_ok "$name: host untouched" \
			"parent namespace table: $( [ -f "$dir/ns" ] && echo same || echo CHANGED)" \
			"$(diff <(echo "$snap_before") <(snapshot))"
		snap_before=$(snapshot)
	fi
done

# The race runc's CVEs were made of (CVE-2019-19921, CVE-2021-30465): while
# the executor runs, a process in the rootfs keeps swapping /data between
# a directory and a symlink to the bait.  The plan creates a directory, a
# device node and a symlink under /data and mounts on /data/cache: each
# run must exit 0 or 125, and nothing may ever land in the bait.  Twice:
# the new mount API (MOUNT by mount(2) on "." after fchdir to the
# resolved target), then the test build's mount(2) fallback throughout
# (MP_FORCE_FALLBACK=1: the same "." and remounts on it), a third as many.
RACE_RUNS=${RACE_RUNS:-150}
dir=$work/race
mkdir -p "$dir"
cp -a "$work/rootfs" "$dir/rootfs"
mkdir "$dir/rootfs/data"
ln -s "$bait" "$dir/rootfs/data.alt"
cat >"$dir/plan.yaml" <<EOF
mountplan: 1
name: hostile-race
mounts:
  - {target: /proc, type: proc}
  - {target: /data/cache, type: tmpfs}
devices:
  - {path: /data/null, type: c, major: 1, minor: 3}
symlinks:
  - {path: /data/link, target: /etc/passwd}
EOF
"$MOUNTPLAN" compile -o "$dir/plan.mpb" "$dir/plan.yaml" 2>"$dir/err"
# renameat2(RENAME_EXCHANGE): /data is always there, a directory or the
# symlink, swapped atomically as fast as Python can.
# race LABEL RUNS ENV... EXEC: RUNS runs of EXEC (with ENV) against the
# swapper; two cases: the exits, the host untouched.
race() {
	local label=$1 runs=$2 swapper rc_summary
	shift 2
	rm -f "$dir/ns" "$dir/rcs"; : >"$dir/err"
	"$PYTHON3" - "$dir/rootfs" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
os.chdir(sys.argv[1])
end = time.time() + 600
while time.time() < end and os.path.lexists("data.alt"):
    for _ in range(1000):
        if libc.renameat2(AT_FDCWD, b"data", AT_FDCWD, b"data.alt", RENAME_EXCHANGE):
            sys.exit("renameat2: " + os.strerror(ctypes.get_errno()))
EOF
	swapper=$!
	unshare -m --propagation private bash -c '
		dir=$1 runs=$2; shift 2
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		for i in $(seq 1 "$runs"); do
			timeout 30 env "$@" --rootfs "$dir/rootfs" "$dir/plan.mpb" -- /bin/true \
				>/dev/null 2>>"$dir/err" </dev/null
			echo $?
		done >"$dir/rcs"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$dir/ns"
		true' - "$dir" "$runs" "$@"
	kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
	# the swapper may leave /data as the symlink: the directory back
	if [ -L "$dir/rootfs/data" ]; then
		mv -T "$dir/rootfs/data" "$dir/rootfs/data.tmp" &&
			mv -T "$dir/rootfs/data.alt" "$dir/rootfs/data" &&
			mv -T "$dir/rootfs/data.tmp" "$dir/rootfs/data.alt"
	fi
	rc_summary=$(sort "$dir/rcs" | uniq -c | awk '{ printf "%s%s x exit %s", sep, $1, $2; sep = ", " }')
	if [ "$(grep -cvE '^(0|125)$' "$dir/rcs")" = 0 ] && [ "$(grep -c . "$dir/rcs")" = "$runs" ]; then
		ok "race ($label): $runs runs against a swapping /data: $rc_summary"
	else
		not_ok "race ($label): every run exits 0 or 125" "$rc_summary" "$(sort "$dir/err" | uniq -c | head)"
	fi
	outside_unchanged "race ($label): host untouched (bait, /etc, parent namespace)" "$dir/ns"
}
race "new mount API" "$RACE_RUNS" "$MOUNTPLAN_EXEC"
race "mount(2) fallback" $((RACE_RUNS / 3)) MP_FORCE_FALLBACK=1 "$EXEC_TEST"

check_host_unchanged "$host_before"
done_testing
