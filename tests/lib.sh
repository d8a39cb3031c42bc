# tests/lib.sh: helpers for TAP shell tests.  Source it; call plan N first
# (or skip_all REASON), then ok/not_ok per case.  MOUNTPLAN and
# MOUNTPLAN_EXEC name the binaries under test, EXEC_TEST the executor's
# test build (with its fault hooks).
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
MOUNTPLAN=${MOUNTPLAN:-$top_builddir/mountplan}
MOUNTPLAN_EXEC=${MOUNTPLAN_EXEC:-$top_builddir/mountplan-exec}
EXEC_TEST=${MOUNTPLAN_EXEC_TEST:-$top_builddir/mountplan-exec-test}
_tap_n=0
_tap_failed=0

# plan N: announce N test cases.
plan() { echo "1..$1"; }

# skip_all REASON: the whole script cannot run here (TAP skip, exit 0).
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# ok DESCRIPTION / not_ok DESCRIPTION [DETAIL...]: report one case.
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() {
	_tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"; shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

# check DESCRIPTION CMD...: ok when CMD succeeds.
check() { local desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

# need_root: skip the script unless root with CAP_SYS_ADMIN and unshare -m.
need_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
	unshare -m true 2>/dev/null || skip_all "cannot create a mount namespace (no CAP_SYS_ADMIN)"
}

# make_work: a scratch directory in $work, removed when the script exits.
make_work() { work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT; }

# build_rootfs DIR: a busybox rootfs in DIR (tests/mkrootfs.sh); when that
# fails, the whole script is one failed case and ends.
build_rootfs() {
	bash "$top_srcdir/tests/mkrootfs.sh" "$1" >"$work/mkrootfs.log" 2>&1 && return
	plan 1; not_ok "build the busybox rootfs" "$(cat "$work/mkrootfs.log")"
	done_testing; exit
}

# host_mounts: this namespace's mount table without mount ids, sorted (to
# compare before and after a run).
host_mounts() { cut -d' ' -f5- /proc/self/mountinfo | sort; }

# check_host_unchanged BEFORE: one case, ok when this namespace's mount
# table is BEFORE (host_mounts at the script's start) again; when not, the
# lines that went (-) and came (+) are the case's detail.
check_host_unchanged() {
	local now
	now=$(host_mounts)
	if [ "$1" = "$now" ]; then
		ok "host mount table unchanged"
	else
		not_ok "host mount table unchanged" \
			"$(diff <(printf '%s\n' "$1") <(printf '%s\n' "$now") | grep '^[<>]' | sed 's/^</-/; s/^>/+/')"
	fi
}

# ns_exec STDIN CMD...: CMD (at most 30 s) in a private mount namespace
# that a shell keeps alive, stdin from STDIN, stdout in $work/out, stderr
# in $work/err, exit status in $rc; $work/ns exists when that namespace's
# mount table is the same afterwards.
ns_exec() {
	rm -f "$work/ns"
	unshare -m --propagation private bash -c '
		w=$1 in=$2; shift 2
		before=$(cut -d" " -f5- /proc/self/mountinfo | sort)
		timeout 30 "$@" >"$w/out" 2>"$w/err" <"$in"
		echo $? >"$w/rc"
		[ "$before" = "$(cut -d" " -f5- /proc/self/mountinfo | sort)" ] && echo same >"$w/ns"
		true' - "$work" "$@"
	rc=$(cat "$work/rc")
}

# exec_for HOW: run=(the executor) for HOW: new (the new mount API) or
# fallback (the test build's mount(2) fallback, MP_FORCE_FALLBACK=1).
exec_for() {
	if [ "$1" = new ]; then run=("$MOUNTPLAN_EXEC"); else run=(env MP_FORCE_FALLBACK=1 "$EXEC_TEST"); fi
}

# traced_run PATTERN ROOTFS MPB: MPB over ROOTFS (/bin/true) under strace -f
# in ns_exec (so $rc is its exit status); $calls is how many traced calls
# match the ERE PATTERN.
traced_run() {
	ns_exec /dev/null strace -f -qq -o "$work/strace" "$MOUNTPLAN_EXEC" --rootfs "$2" "$3" -- /bin/true
	calls=$(grep -cE "$1" "$work/strace")
}

# exec_test_start: the start of an executor test: skip unless root; a
# scratch $work; the host's mount table in $host_before; a busybox rootfs
# in $work/rootfs.
exec_test_start() {
	need_root
	make_work
	host_before=$(host_mounts)
	build_rootfs "$work/rootfs"
}

# outside_unchanged DESC NSFILE: ok DESC when NSFILE exists (the namespace
# the runs started in was the same after them) and the caller's snapshot
# function (what must not change outside the rootfs) still prints
# $snap_before; else not_ok with what changed, and $snap_before taken
# again for the next case.
outside_unchanged() {
	if [ -f "$2" ] && [ "$snap_before" = "$(snapshot)" ]; then
		ok "$1"
	else
		not_ok "$1" "namespace the runs started in: $( [ -f "$2" ] && echo same || echo CHANGED)" \
			"$(diff <(echo "$snap_before") <(snapshot))"
		snap_before=$(snapshot)
	fi
}

# done_testing: exit status for the script.
done_testing() { [ "$_tap_failed" = 0 ]; }

# plan_args PLAN DIR [IMAGE]: the --set options a shipped plan needs to
# compile (its parameters without a default), one per line; docker-default's
# container_dir is DIR (see container_files); overlay-root's layer is IMAGE
# (a rootfs directory) and its upper and work directories are in DIR.
plan_args() {
	case $(basename "$1") in
	docker-default.yaml) echo "--set"; echo "container_dir=$2" ;;
	overlay-root.yaml)
		printf '%s\n' --set "layers=${3:-$2/layer}" --set "upper=$2/upper" --set "work=$2/work" ;;
	esac
}

# container_files DIR: the per-container files a daemon writes (hosts,
# hostname, resolv.conf), each naming itself, for plans that bind them; and
# empty layer, upper and work directories for overlay-root.
container_files() {
	mkdir -p "$1" "$1/layer" "$1/upper" "$1/work" && for f in hosts hostname resolv.conf; do
		echo "# $f of a mountplan test container" >"$1/$f"; done
}

# fresh_root PLAN: is PLAN's root a new filesystem (format 2, rootfs: type:)
# rather than a directory (--rootfs)?
fresh_root() { sed -n '/^rootfs:/,/^[^ #]/p' "$1" | grep -q '^  type:'; }

# with_payload PLAN DIR: write DIR/NAME.yaml, PLAN plus a bind of
# busybox-static at /.mp-test/busybox and the link /.mp-test/cat to it, so a
# fresh root that holds no programs (gvisor-sandbox) runs the payload
# /.mp-test/cat; prints that file's name.  PLAN's sections are block
# sequences, as in plans/.
with_payload() {
	local out bb
	out=$2/$(basename "$1")
	# the resolved path: a bind source may hold no symlink (/bin on a
	# merged-/usr host is one)
	bb=$(readlink -f /bin/busybox)
	mkdir -p "$2"
	awk -v bb="$bb" '{ print }
	     /^mounts:[ ]*$/ { print "  - {target: /.mp-test/busybox, type: bind, source: " bb "}"; m = 1 }
	     /^symlinks:[ ]*$/ { print "  - {path: /.mp-test/cat, target: busybox}"; s = 1 }
	     END { if (!m) print "mounts:\n  - {target: /.mp-test/busybox, type: bind, source: " bb "}"
	           if (!s) print "symlinks:\n  - {path: /.mp-test/cat, target: busybox}" }' "$1" >"$out"
	echo "$out"
}
