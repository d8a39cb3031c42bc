#!/bin/bash
# tests/exec/malformed.sh: mountplan-exec refuses every malformed plan
# before it changes anything.  mpbmangle writes a valid base plan and a
# corpus of defective ones (truncated, flipped, bad offsets and strings,
# unknown opcodes and flags, unclean paths, huge counts, wrong version,
# oversized); plan files that are unsafe to trust (writable by others, a
# symlink, a FIFO, a directory) are added here.  Each must exit 125 with a
# "mountplan-exec: " message, and, under strace, make none of the
# namespace, mount or node-creating syscalls.  The base plan must run
# (so the refusals are the defects' doing), and the host's mount table
# must be unchanged at the end.  `mountplan dump` (the same decoder, in
# the compiler) must refuse every corpus file too, without crashing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
MANGLE=${MPBMANGLE:-$top_builddir/tests/exec/mpbmangle}
SYSCALLS=unshare,mount,umount2,open_tree,fsopen,fsconfig,fsmount,move_mount,mount_setattr,pivot_root,chroot,mknod,mknodat,symlinkat,setns
make_work
host_before=$(host_mounts)

mkdir "$work/corpus"
if ! "$MANGLE" "$work/corpus" >"$work/list" 2>"$work/mangle.err"; then
	plan 1; not_ok "mpbmangle writes the corpus" "$(cat "$work/mangle.err")"; done_testing; exit
fi
build_rootfs "$work/rootfs"

# Plan files the executor must not trust, whatever their bytes.
unsafe="$work/unsafe"
mkdir -m 0755 "$unsafe" "$unsafe/open-dir"
cp "$work/corpus/base.mpb" "$unsafe/world-writable.mpb"
chmod 0666 "$unsafe/world-writable.mpb"
cp "$work/corpus/base.mpb" "$unsafe/group-writable.mpb"
chown 0:100 "$unsafe/group-writable.mpb"; chmod 0664 "$unsafe/group-writable.mpb"
cp "$work/corpus/base.mpb" "$unsafe/owned-by-user.mpb"
chown 1000:1000 "$unsafe/owned-by-user.mpb"; chmod 0644 "$unsafe/owned-by-user.mpb"
chmod 0777 "$unsafe/open-dir"
cp "$work/corpus/base.mpb" "$unsafe/open-dir/in-world-writable-dir.mpb"
ln -s "$work/corpus/base.mpb" "$unsafe/symlink.mpb"
mkfifo "$unsafe/fifo.mpb"
mkdir "$unsafe/directory.mpb"
unsafe_cases="world-writable group-writable owned-by-user open-dir/in-world-writable-dir
	symlink fifo directory"

corpus=$(cd "$work/corpus" && ls | grep -v '^base\.mpb$' | sed 's/\.mpb$//' | sort)
n_corpus=$(echo "$corpus" | wc -l)
n_unsafe=$(echo $unsafe_cases | wc -w)
plan $((2 + n_corpus + n_unsafe + 1 + 1))
ok "mpbmangle wrote $((n_corpus + 1)) files, each refused by mpb_open but the base"

# The base plan runs: the corpus's refusals are the defects' doing.
if timeout 60 "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/corpus/base.mpb" -- \
	/bin/true >"$work/out" 2>"$work/err"; then
	ok "the valid base plan runs"
else
	not_ok "the valid base plan runs" "exit $?" "$(cat "$work/err")"
fi

# refused NAME FILE: exit 125, a message, no forbidden syscall.
refused() {
	local name=$1 file=$2 rc
	timeout 20 strace -f -qq -o "$work/trace" -e trace="$SYSCALLS" \
		"$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$file" -- /bin/true \
		>"$work/out" 2>"$work/err" </dev/null
	rc=$?
	local calls
	calls=$(grep -E '^[0-9]+ +[a-z_0-9]+\(' "$work/trace")
	if [ "$rc" = 125 ] && grep -q '^mountplan-exec: ' "$work/err" && [ -z "$calls" ]; then
		ok "$name: refused ($(head -1 "$work/err" | cut -c1-110))"
	else
		not_ok "$name: refused with 125, a message, no syscall" "exit $rc" \
			"stderr: $(cat "$work/err")" "syscalls: $calls" \
			"mpb_open says: $(grep "^$name	" "$work/list" | cut -f2)"
	fi
}

for name in $corpus; do
	refused "$name" "$work/corpus/$name.mpb"
done
for name in $unsafe_cases; do
	refused "unsafe file: $name" "$unsafe/$name.mpb"
done

bad=
for name in $corpus; do
	timeout 20 "$MOUNTPLAN" dump "$work/corpus/$name.mpb" >/dev/null 2>"$work/err"
	rc=$?
	{ [ "$rc" = 1 ] || [ "$rc" = 2 ]; } && [ -s "$work/err" ] || bad="$bad $name(exit $rc)"
done
if [ -z "$bad" ]; then
	ok "mountplan dump refuses all $n_corpus corpus files (exit 1 or 2, a message)"
else
	not_ok "mountplan dump refuses every corpus file" "$bad"
fi

check_host_unchanged "$host_before"
done_testing
