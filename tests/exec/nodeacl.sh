#!/bin/bash
# tests/exec/nodeacl.sh: a device node the plan makes in a directory of the
# image never carries a POSIX ACL that lets a user the plan never named
# open it.  The image's /dev (no tmpfs over it) has a default ACL granting
# uid 1000 read-write ("user:1000:rw-"), which the kernel copies into
# every node made there; with the planned mode 0660 the ACL's mask is rw,
# so uid 1000 could open a root-only device.  Cases, each with the new
# mount API and the mount(2) fallback (which removes the ACL by the path
# of the host's /proc, as on a kernel before removexattrat):
#   made      a node made by mknod in that /dev, and one in a directory
#             the executor makes there (the directory takes the default
#             ACL, and so would the node): no access ACL, mode 0660
#   image     the image's own node with the planned numbers, mode 0600 and
#             an access ACL for uid 1000: no ACL, mode 0660
# runc on this host is shown (a TAP comment, not asserted): it keeps the
# ACL.  A control: nodes on the plan's tmpfs /dev (runc-default) cost no
# ACL call (strace).  The host's mount table is the same afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
PY=${PYTHON3:-python3}
plan 8

# acl OP PATH [UID]: set-default (a default ACL on directory PATH granting
# UID rw), set (an access ACL on node PATH granting UID rw), show (PATH's
# access ACL as "tag:perm:id ...", or "none").
acl() {
	"$PY" - "$@" <<'PYEOF'
import os, struct, sys
op, path = sys.argv[1], sys.argv[2]
name = "system.posix_acl_" + ("default" if op == "set-default" else "access")
if op != "show":
    ents = [(1, 6, 0xffffffff), (2, 6, int(sys.argv[3])), (4, 6, 0xffffffff),
            (0x10, 6, 0xffffffff), (0x20, 0, 0xffffffff)]
    os.setxattr(path, name, struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in ents),
                follow_symlinks=False)
    sys.exit(0)
try:
    b = os.getxattr(path, name, follow_symlinks=False)
    print(" ".join("%d:%o:%d" % struct.unpack("<HHI", b[i:i + 8]) for i in range(4, len(b), 8)))
except OSError as e:
    print("none" if e.errno == 61 else e.strerror)
PYEOF
}

printf 'mountplan: 1\nname: node-acl\ndevices:\n  - {path: /dev/disk0, type: c, major: 1, minor: 3, mode: 0660}\n  - {path: /dev/sub/disk1, type: c, major: 1, minor: 3, mode: 0660}\n' \
	>"$work/acl.yaml"
"$MOUNTPLAN" compile -o "$work/acl.mpb" "$work/acl.yaml" 2>"$work/cerr" ||
	{ not_ok "compile the plan" "$(cat "$work/cerr")"; done_testing; exit; }

# image_root SETUP: a fresh copy of the rootfs in $work/img whose /dev has
# the default ACL; SETUP "image" adds the image's own /dev/disk0.
image_root() {
	rm -rf "$work/img" && cp -a "$work/rootfs" "$work/img" && acl set-default "$work/img/dev" 1000 &&
		if [ "$1" = image ]; then
			mknod -m 0600 "$work/img/dev/disk0" c 1 3 && acl set "$work/img/dev/disk0" 1000
		fi
}

# the peer: runc makes the node in the image's /dev (no tmpfs there)
if command -v runc >/dev/null && image_root made && mkdir -p "$work/bundle" &&
   mv "$work/img" "$work/bundle/rootfs" && (cd "$work/bundle" && runc spec) &&
   "$PY" - "$work/bundle/config.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["mounts"] = [m for m in c["mounts"] if not m["destination"].startswith("/dev")]
c["linux"]["devices"] = [{"path": "/dev/disk0", "type": "c", "major": 1, "minor": 3,
                          "fileMode": 0o660, "uid": 0, "gid": 0}]
json.dump(c, open(sys.argv[1], "w"))
PYEOF
then
	(cd "$work/bundle" && runc run "nodeacl-$$" >/dev/null 2>&1 </dev/null)
	echo "# the peer: runc $(runc --version | head -1 | cut -d' ' -f3): /dev/disk0's ACL: $(acl show "$work/bundle/rootfs/dev/disk0")"
fi

for how in new fallback; do
	exec_for $how
	for setup in made image; do
		image_root $setup || { not_ok "$how: set up the image ($setup)"; continue; }
		ns_exec /dev/null "${run[@]}" --rootfs "$work/img" "$work/acl.mpb" -- /bin/true
		a0=$(acl show "$work/img/dev/disk0") a1=$(acl show "$work/img/dev/sub/disk1")
		m0=$(stat -c '%a %F %t:%T' "$work/img/dev/disk0" 2>&1)
		m1=$(stat -c '%a %F %t:%T' "$work/img/dev/sub/disk1" 2>&1)
		if [ $setup = made ]; then
			what="a node made in the image's /dev, and one in a directory made there, whose default ACL grants uid 1000 rw"
		else
			what="the image's own node (0600, an ACL granting uid 1000 rw)"
		fi
		if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$a0" = none ] && [ "$a1" = none ] &&
		   [ "$m0" = "660 character special file 1:3" ] && [ "$m1" = "$m0" ]; then
			ok "$how: $what: no access ACL, mode 0660"
		else
			not_ok "$how: $what: no access ACL, mode 0660" "exit $rc; disk0: $m0, ACL $a0; sub/disk1: $m1, ACL $a1" \
				"$(cat "$work/err")"
		fi
	done
done
# a directory the executor made keeps the image's default (what the
# kernel gives it, as mkdir(1) would): only nodes are the plan's to own
check "a control: the directory the executor made took the image's default ACL" \
	[ "$(acl show "$work/img/dev/sub")" != none ]

# the ACL is only looked at where one can be: nodes on the plan's own
# tmpfs /dev (runc-default) cost no call
if command -v strace >/dev/null; then
	"$MOUNTPLAN" compile -o "$work/rd.mpb" "$top_srcdir/plans/runc-default.yaml" 2>/dev/null
	image_root made
	# removexattrat (466) by number: strace before 6.13 has no name for it
	acl='removexattr|syscall_0x1d2\('
	traced_run "$acl" "$work/img" "$work/rd.mpb"
	check "runc-default over that image: nodes on its tmpfs /dev, no ACL call (exit $rc, $calls calls)" \
		[ "$rc" = 0 -a "$calls" = 0 ]
	traced_run "$acl" "$work/img" "$work/acl.mpb"
	check "a control: the plan over the image's /dev removes the ACLs (exit $rc, one call per node: $calls)" \
		[ "$rc" = 0 -a "$calls" = 2 ]
else
	ok "runc-default: no ACL call # SKIP strace not installed"
	ok "a control: ACL calls # SKIP strace not installed"
fi

check_host_unchanged "$host_before"
done_testing
