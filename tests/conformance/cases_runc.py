"""tests/conformance/cases_runc.py: the mount cases of runc's own suite,
opencontainers/runc tests/integration/*.bats, re-expressed (conformance.py
says what a case is).  Where a runc test runs several containers, each run
is a case of its own (named after the test, with what differs)."""

from conformance import (Case, add_mount, add_namespace, drop_namespace, edit,
                         mount_of, userns)

R = "opencontainers/runc"
MOUNTS = "tests/integration/mounts.bats"
MASK = "tests/integration/mask.bats"
DEV = "tests/integration/dev.bats"
RECURSIVE = "tests/integration/mounts_recursive.bats"
IDMAP = "tests/integration/idmap.bats"
EXEC_TEST = "libcontainer/integration/exec_test.go"

# A host volume with a submount (mounts_recursive.bats' setup_volume).
VOLUME = ("mkdir -p src/vol && mount -t tmpfs none src/vol && echo foo >src/vol/foo && "
          "mkdir src/vol/subvol && mount -t tmpfs none src/vol/subvol && "
          "echo bar >src/vol/subvol/bar")

# The mount tree of mounts.bats' test_mount_order: binds through symlinks
# in the source tree, then binds whose sources are inside the container's
# own (already mounted) tree, then the whole tree on /final.
ORDER_SETUP = r"""
mkdir -p rootfs/mnt rootfs/final
for d in a/x b/y c/z; do mkdir -p src/$d; echo $d >src/$d/file; ln -s $(dirname $d) src/sym-$(dirname $d); done
"""


def order_config(idmap):
    """test_mount_order's mounts (bundle-relative host paths)."""
    def run(c):
        opts = ["rbind", "rprivate"] + (["idmap"] if idmap else [])
        maps = {}
        if idmap:
            maps = {"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                    "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}
        add_mount(c, "/mnt", "bind", "@/src/a", ["bind", "rprivate"])
        add_mount(c, "/mnt/x", "bind", "@/src/sym-b", ["bind", "rprivate"])
        add_mount(c, "/mnt/x/y", "bind", "@/src/c", ["bind", "rprivate"])
        add_mount(c, "/mnt/x/y/z", "bind", "@/src/sym-a", ["bind", "rprivate"])
        add_mount(c, "/mnt/x/y/z/x", "bind", "@/rootfs/mnt/x", opts, **maps)
        add_mount(c, "/mnt/x/y/z", "bind", "@/rootfs/mnt/x/y", opts, **maps)
        add_mount(c, "/final", "bind", "@/rootfs/mnt", opts, **maps)
    return run


def tmpfs(dest, options):
    """A config function adding a tmpfs at dest."""
    return lambda c: add_mount(c, dest, "tmpfs", "tmpfs", options)


CASES = [
    # TestIPCPrivate: the container's ipc namespace is not the host's (for
    # mountplan the plan's: import-oci maps linux.namespaces ipc).
    Case(R, EXEC_TEST, "TestIPCPrivate",
         setup="readlink /proc/1/ns/ipc >rootfs/host-ipc",
         check='[ "$(readlink /proc/self/ns/ipc)" != "$(cat /host-ipc)" ] || '
               'fail "the host ipc namespace $(cat /host-ipc)"'),
    Case(R, MOUNTS, "runc run [tmpcopyup]",
         setup="mkdir -p rootfs/dir1/dir2 && chmod 777 rootfs/dir1/dir2",
         config=tmpfs("/dir1", ["tmpcopyup"]),
         check='[ "$(stat -c %A /dir1/dir2)" = drwxrwxrwx ] || fail "$(stat -c %A /dir1/dir2)"'),
    Case(R, MOUNTS, "runc run [bind mount]",
         config=lambda c: add_mount(c, "/tmp/bind", None, ".", ["bind"]),
         check="ls /tmp/bind/config.json"),
    Case(R, MOUNTS, "runc run [ro tmpfs mount]",
         config=tmpfs("/mnt", ["ro", "nodev", "nosuid", "mode=755"]),
         check="has_opt /mnt ro || fail $(opts /mnt)"),
    Case(R, MOUNTS, "runc run [ro /dev mount]",
         config=lambda c: mount_of(c, "/dev")["options"].append("ro"),
         check="has_opt /dev ro || fail $(opts /dev); [ -c /dev/null ] && [ -e /dev/pts/ptmx ]"),
    Case(R, MOUNTS, "runc run [tmpfs mount with absolute symlink]",
         setup="mkdir -p rootfs/real/conf && ln -s /real/conf rootfs/conf",
         config=tmpfs("/conf/stack", ["ro", "nodev", "nosuid"]),
         check="mnt >/dev/null /real/conf/stack || fail no tmpfs on /real/conf/stack"),
    Case(R, MOUNTS, "runc run [/proc is a symlink]", refuse=True,
         setup="rm -rf rootfs/proc && mkdir -p rootfs/bad-proc && ln -sf /bad-proc rootfs/proc"),
    Case(R, MOUNTS, "runc run [setgid / + mkdirall]",
         setup="mkdir rootfs/setgid && chmod =7755 rootfs/setgid",
         config=tmpfs("/setgid/a/b/c", ["ro", "nodev", "nosuid"]),
         after='for d in a a/b a/b/c; do m=$(stat -c %a rootfs/setgid/$d); '
               '[ "$m" = 2755 ] || { echo "$d: $m"; exit 1; }; done'),
    Case(R, MOUNTS, "runc run [tmpfs mount mode= inherit]", since="runc commit 9a9719eeb (2025-11)",
         setup="mkdir rootfs/tmpfs && chmod =0710 rootfs/tmpfs",
         config=tmpfs("/tmpfs", ["rw", "nodev", "nosuid"]),
         check='[ "$(stat -c %a /tmpfs)" = 710 ] || fail "$(stat -c %a /tmpfs)"; '
               'fs_opts /tmpfs | tr , "\\n" | grep -qx mode=710 || fail "$(fs_opts /tmpfs)"'),
    Case(R, MOUNTS, "runc run [tmpfs mount explicit mode=]",
         setup="mkdir rootfs/tmpfs && chmod =0710 rootfs/tmpfs",
         config=tmpfs("/tmpfs", ["rw", "nodev", "nosuid", "mode=1500"]),
         check='[ "$(stat -c %a /tmpfs)" = 1500 ] || fail "$(stat -c %a /tmpfs)"',
         after='[ "$(stat -c %a rootfs/tmpfs)" = 710 ]'),
    Case(R, MOUNTS, "runc run [tmpfs mount mode=1777 default]",
         config=tmpfs("/non-existent/foo/bar/baz", ["rw", "nodev", "nosuid"]),
         check='[ "$(stat -c %a /non-existent/foo/bar/baz)" = 1777 ] || fail "$(stat -c %a /non-existent/foo/bar/baz)"',
         after='for d in non-existent non-existent/foo non-existent/foo/bar; do '
               '[ "$(stat -c %a rootfs/$d)" = 755 ] || { echo "$d: $(stat -c %a rootfs/$d)"; exit 1; }; done'),
    Case(R, MOUNTS, "runc run [ro /sys/fs/cgroup mounts]",
         config=lambda c: drop_namespace(c, "cgroup"),
         check="n=0; for f in $(awk '$5 ~ \"^/sys/fs/cgroup\" {print $5}' /proc/self/mountinfo | uniq); do "
               "n=$((n+1)); has_opt $f ro || fail $f $(opts $f); done; [ $n -gt 0 ]"),
    Case(R, MOUNTS, "runc run [ro /sys/fs/cgroup mounts + cgroupns]",
         config=lambda c: add_namespace(c, "cgroup"),
         check="n=0; for f in $(awk '$5 ~ \"^/sys/fs/cgroup\" {print $5}' /proc/self/mountinfo | uniq); do "
               "n=$((n+1)); has_opt $f ro || fail $f $(opts $f); done; [ $n -gt 0 ]"),
    Case(R, MOUNTS, "runc run [mount order, container bind-mount source]",
         setup=ORDER_SETUP, config=order_config(False),
         check='grep -q a/x /final/x/y/z/z/x/y/z/x/file || fail "$(cat /final/x/y/z/z/x/y/z/x/file)"'),
    Case(R, MOUNTS, "runc run [mount order, container bind-mount source] (userns)", since="runc 1.2 (mount source fds)",
         setup=ORDER_SETUP + "chown -R 100000:100000 rootfs src",
         config=edit(lambda c: userns(c, 100000, 65536), order_config(False)),
         check='grep -q a/x /final/x/y/z/z/x/y/z/x/file || fail "$(cat /final/x/y/z/z/x/y/z/x/file)"'),
    Case(R, MOUNTS, "runc run [mount order, container idmap source]",
         setup=ORDER_SETUP, config=order_config(True),
         check='grep -q a/x /final/x/y/z/z/x/y/z/x/file || fail "$(cat /final/x/y/z/z/x/y/z/x/file)"'),
    Case(R, MOUNTS, "runc run [bind mount through a dangling symlink component]",
         setup="rm -rf rootfs/etc/hosts rootfs/tmp/foo && ln -s /tmp/foo/bar rootfs/jump && "
               "ln -s /jump/baz/hosts rootfs/etc/hosts",
         config=lambda c: add_mount(c, "/etc/hosts", None, "./config.json", ["bind"]),
         check="mnt >/dev/null /tmp/foo/bar/baz/hosts && grep -q ociVersion /tmp/foo/bar/baz/hosts"),
    Case(R, MOUNTS, "runc run [bind mount through a trailing dangling symlink]",
         name="runc run [bind mount through a trailing dangling symlink] (file)",
         setup="rm -rf rootfs/etc/hosts rootfs/tmp/hosts && ln -s /tmp/hosts rootfs/etc/hosts",
         config=lambda c: add_mount(c, "/etc/hosts", None, "./config.json", ["bind"]),
         check="mnt >/dev/null /tmp/hosts && grep -q ociVersion /tmp/hosts"),
    Case(R, MOUNTS, "runc run [bind mount through a trailing dangling symlink]",
         name="runc run [bind mount through a trailing dangling symlink] (directory)",
         setup="rm -rf rootfs/etc/hosts rootfs/tmp/hosts && ln -s /tmp/hosts rootfs/etc/hosts",
         config=lambda c: add_mount(c, "/etc/hosts", None, ".", ["bind"]),
         check="mnt >/dev/null /tmp/hosts && [ -f /tmp/hosts/config.json ]"),
    Case(R, DEV, "runc run [redundant default /dev/tty]",
         config=lambda c: c["linux"].setdefault("devices", []).append(
             {"path": "/dev/tty", "type": "c", "major": 5, "minor": 0}),
         check='ls -lLn /dev/tty | grep -Eq "^crw-rw-rw- +1 +0 +0 +5, +0 " || fail "$(ls -lLn /dev/tty)"'),
    Case(R, DEV, "runc run [redundant default /dev/ptmx]",
         config=lambda c: c["linux"].setdefault("devices", []).append(
             {"path": "/dev/ptmx", "type": "c", "major": 5, "minor": 2}),
         check='ls -lLn /dev/ptmx | grep -Eq "^crw-rw-rw- +1 +0 +0 +5, +2 " || fail "$(ls -lLn /dev/ptmx)"'),
]

# mask.bats: every test masks /testdir and /testfile on top of the defaults.
MASK_SETUP = ("mkdir rootfs/testdir rootfs/testdir2 rootfs/testdir3 && "
              "echo 'Forbidden information!' >rootfs/testfile")


def masked(*extra):
    """mask.bats' setup: /testdir and /testfile masked, and extra paths."""
    return lambda c: c["linux"]["maskedPaths"].extend(["/testdir", "/testfile"] + list(extra))


CASES += [
    # The peers' "umount fails with EPERM" lines test the capability set,
    # not the mounts (mountplan-exec leaves capabilities to the caller).
    Case(R, MASK, "mask paths [file]", setup=MASK_SETUP, config=masked(),
         check='[ -z "$(cat /testfile)" ] || fail "content: $(cat /testfile)"; '
               'rm -f /testfile 2>/dev/null && fail removed; echo x >/testfile; [ -z "$(cat /testfile)" ] || fail written'),
    Case(R, MASK, "mask paths [directory]", setup=MASK_SETUP, config=masked(),
         check='[ -z "$(ls /testdir)" ] && touch /testdir/foo 2>&1 | grep -q "Read-only file system" && '
               '! rm -rf /testdir 2>/dev/null'),
    Case(R, MASK, "mask paths [duplicate paths]", setup=MASK_SETUP, since="runc commit abf70bab6 (2026)",
         config=masked("/testdir", "/testfile"),
         check='[ "$(mount | grep -c /testdir)" = 1 ] && [ "$(mount | grep -c /testfile)" = 1 ] || '
               'fail "$(mount | grep /test)"'),
    Case(R, MASK, "mask paths [prohibit symlink /proc]", refuse=True,
         setup=MASK_SETUP + " && rmdir rootfs/proc && ln -s /symlink rootfs/proc", config=masked()),
    Case(R, MASK, "mask paths [prohibit symlink /sys]", refuse=True,
         setup=MASK_SETUP + " && rmdir rootfs/sys && ln -s /symlink rootfs/sys", config=masked()),
    Case(R, MASK, "mask paths [directories share tmpfs]", setup=MASK_SETUP, since="runc commit 124772f35 (2026)",
         config=masked("/testdir2", "/testdir3"),
         check='set -- $(stat -c %d /testdir /testdir2 /testdir3); [ "$1" = "$2" ] && [ "$2" = "$3" ] || '
               'fail "devices $*"; touch /testdir2/foo 2>&1 | grep -q "Read-only file system"'),
    Case(R, MASK, "mask paths [directory with read-only rootfs]", setup=MASK_SETUP,
         config=edit(masked("/testdir2", "/testdir3"), lambda c: c["root"].update(readonly=True)),
         check='[ -z "$(ls /testdir)" ]'),
    Case(R, "tests/integration/mounts_propagation.bats", "runc run [rootfsPropagation shared]",
         config=lambda c: c["linux"].update(rootfsPropagation="shared"), host_propagation="shared",
         check='tags / | grep -q "shared:" || fail "$(mnt /)"'),
    Case(R, RECURSIVE, "runc run [rbind,ro mount is read-only but not recursively]", setup=VOLUME,
         config=lambda c: add_mount(c, "/mnt", None, "@/src/vol", ["rbind", "ro"]),
         check='touch /mnt/foo 2>&1 | grep -q "Read-only file system" && touch /mnt/subvol/bar'),
    Case(R, RECURSIVE, "runc run [rbind,rro mount is recursively read-only]", setup=VOLUME,
         config=lambda c: add_mount(c, "/mnt", None, "@/src/vol", ["rbind", "rro"]),
         check='touch /mnt/foo 2>&1 | grep -q "Read-only file system" && '
               'touch /mnt/subvol/bar 2>&1 | grep -q "Read-only file system"'),
    Case(R, RECURSIVE, "runc run [rbind,ro,rro mount is recursively read-only too]", setup=VOLUME,
         config=lambda c: add_mount(c, "/mnt", None, "@/src/vol", ["rbind", "ro", "rro"]),
         check='touch /mnt/foo 2>&1 | grep -q "Read-only file system" && '
               'touch /mnt/subvol/bar 2>&1 | grep -q "Read-only file system"'),
    Case(R, RECURSIVE, "runc run [ check rbind,r*atime mounts]", setup=VOLUME,
         config=lambda c: [add_mount(c, "/mnt%d" % i, None, "@/src/vol", ["rbind", o])
                           for i, o in enumerate(["rnoatime", "rstrictatime", "rrelatime"], 1)],
         check='for m in /mnt1 /mnt1/subvol; do opts $m | grep -q "^rw,noatime" || fail $m $(opts $m); done; '
               'for m in /mnt2 /mnt2/subvol; do opts $m | grep -Eq "^rw(,|$)" && ! has_opt $m relatime || fail $m $(opts $m); done; '
               'for m in /mnt3 /mnt3/subvol; do opts $m | grep -q "^rw,relatime" || fail $m $(opts $m); done'),
]

# idmap.bats (the cases without a container user namespace).
IDMAP_SETUP = ("mkdir -p src/idmap && touch src/idmap/file && chown 0:0 src/idmap/file && "
               "mkdir -p src/multi-1 src/multi-2 && touch src/multi-1/file src/multi-2/file")


def idmap_mount(dest, source, options, uid=(0, 100000, 65536), gid=(0, 100000, 65536)):
    """A config function adding an idmapped bind."""
    return lambda c: add_mount(c, dest, "bind", source, options,
                               uidMappings=[{"containerID": uid[0], "hostID": uid[1], "size": uid[2]}],
                               gidMappings=[{"containerID": gid[0], "hostID": gid[1], "size": gid[2]}])


CASES += [
    Case(R, IDMAP, "simple idmap mount [no userns]", setup=IDMAP_SETUP,
         config=idmap_mount("/tmp/mount-1", "@/src/idmap", ["bind", "idmap"]),
         check='[ "$(stat -c %u:%g /tmp/mount-1/file)" = 100000:100000 ] || fail "$(stat -c %u:%g /tmp/mount-1/file)"'),
    Case(R, IDMAP, "write to an idmap mount [no userns]", setup=IDMAP_SETUP,
         config=idmap_mount("/tmp/mount-1", "@/src/idmap", ["bind", "idmap"], uid=(0, 0, 65536),
                            gid=(0, 0, 65536)),
         check="touch /tmp/mount-1/written && [ \"$(stat -c %u /tmp/mount-1/written)\" = 0 ]"),
    Case(R, IDMAP, "idmap mount with propagation flag [userns]", name="idmap mount with propagation flag [no userns]", since="runc 1.2 (idmapped mounts)",
         setup=IDMAP_SETUP,
         config=idmap_mount("/tmp/mount-1", "@/src/idmap", ["bind", "shared", "idmap"]),
         check='[ "$(stat -c %u:%g /tmp/mount-1/file)" = 100000:100000 ] && tags /tmp/mount-1 | grep -q shared:'),
    Case(R, IDMAP, "multiple idmap mounts (different mappings) [no userns]", setup=IDMAP_SETUP,
         config=edit(idmap_mount("/tmp/mount-1", "@/src/multi-1", ["bind", "idmap"], uid=(0, 100000, 65536),
                                 gid=(0, 100000, 65536)),
                     idmap_mount("/tmp/mount-2", "@/src/multi-2", ["bind", "idmap"], uid=(0, 200000, 65536),
                                 gid=(0, 200000, 65536))),
         check='[ "$(stat -c %u:%g /tmp/mount-1/file)" = 100000:100000 ] && '
               '[ "$(stat -c %u:%g /tmp/mount-2/file)" = 200000:200000 ] || '
               'fail "$(stat -c %u:%g /tmp/mount-1/file /tmp/mount-2/file)"'),
    Case(R, IDMAP, "idmap mount (ridmap flag) [no userns]", since="runc 1.2 (ridmap)",
         setup=IDMAP_SETUP + " && mkdir -p src/idmap/sub && mount -t tmpfs none src/idmap/sub && touch src/idmap/sub/file",
         config=idmap_mount("/tmp/mount-1", "@/src/idmap", ["rbind", "ridmap"]),
         check='[ "$(stat -c %u:%g /tmp/mount-1/sub/file)" = 100000:100000 ] || fail "$(stat -c %u:%g /tmp/mount-1/sub/file)"'),
    Case(R, IDMAP, "idmap mount (idmap flag) [no userns]", name="idmap mount (implied by mappings) [no userns]",
         setup=IDMAP_SETUP,
         config=idmap_mount("/tmp/mount-1", "@/src/idmap", ["bind"]),
         check='[ "$(stat -c %u:%g /tmp/mount-1/file)" = 100000:100000 ] || fail "$(stat -c %u:%g /tmp/mount-1/file)"'),
]

# mounts_sshfs.bats: a bind of a host mount whose per-mount flags are set
# first (runc's setup_sshfs; its tmpfs fallback here, no FUSE needed): the
# flags the bind gives /mnt.  runc (1.1 here, and 1.2 on, by these tests)
# replaces the source's flags with the bind's own whenever the bind names
# one; mountplan keeps the source's and adds or clears only what the plan
# names (doc/roundtrip.md, "Deliberate difference: a bind keeps its
# source's flags"), so a host volume mounted nosuid, nodev, noexec or
# read-only stays so in the container unless the plan says suid, dev,
# exec or rw.
SSHFS = "tests/integration/mounts_sshfs.bats"


def sshfs_setup(host_flags):
    """setup_sshfs: src/fuse a tmpfs with every flag cleared, then host_flags
    set on the mount alone (remount of a bind)."""
    return ("mkdir -p src/fuse && mount -t tmpfs -o rw,suid,dev,exec tmpfs src/fuse && "
            "mount --bind -o remount,diratime,atime,strictatime src/fuse && "
            "mount --bind -o remount,%s src/fuse" % host_flags)


def sshfs_bind(bind_flags):
    """setup_sshfs_bind_flags: /mnt a bind of src/fuse with bind_flags."""
    return lambda c: add_mount(c, "/mnt", "bind", "@/src/fuse", bind_flags.split(","))


def sshfs_check(want=(), not_want=()):
    """The flags of /mnt in /proc/self/mounts (as the bats test greps them):
    each of want present, each of not_want absent."""
    pre = "f=,$(awk '$2 == \"/mnt\" { print $4 }' /proc/self/mounts),; "
    tests = ['case $f in *,%s,*) ;; *) fail "no %s: $f";; esac' % (w, w) for w in want]
    tests += ['case $f in *,%s,*) fail "%s: $f";; esac' % (w, w) for w in not_want]
    return pre + "; ".join(tests)


KEEPS = "mountplan keeps the source's flags the bind does not clear"
ATIME = ("mountplan gives atime and norelatime the kernel's default (relatime), as mount(8) says; "
         "nodiratime adds to the source's atime (runc's test marks its own result FIXME)")
CASES += [
    Case(R, SSHFS, "runc run [mount(8)-like behaviour: --bind with no options]",
         setup=sshfs_setup("ro,noexec,nosymfollow,nodiratime"), config=sshfs_bind("bind"),
         check=sshfs_check(("ro", "noexec", "nodiratime", "nosymfollow"), ("rw",))),
    Case(R, SSHFS, "runc run [mount(8)-unlike behaviour: --bind with clearing flag]",
         setup=sshfs_setup("ro,noexec,nosymfollow,nodiratime"), config=sshfs_bind("bind,dev"),
         check=sshfs_check(("rw", "nodiratime"), ("ro", "noexec", "nosymfollow")), differs=KEEPS),
    Case(R, SSHFS, "runc run [implied-rw bind mount of a ro fuse sshfs mount]",
         setup=sshfs_setup("ro"), config=sshfs_bind("bind,nosuid,nodev,rprivate"),
         check=sshfs_check(("rw", "nosuid", "nodev"), ("ro",)), differs=KEEPS),
    Case(R, SSHFS, "runc run [explicit-rw bind mount of a ro fuse sshfs mount]",
         setup=sshfs_setup("ro"), config=sshfs_bind("bind,rw,nosuid,nodev,rprivate"),
         check=sshfs_check(("rw", "nosuid", "nodev"), ("ro",))),
    Case(R, SSHFS, "runc run [dev,exec,suid,atime bind mount of a nodev,nosuid,noexec,noatime fuse sshfs mount]",
         setup=sshfs_setup("nosuid,nodev,noexec,noatime"), config=sshfs_bind("bind,dev,suid,exec,atime"),
         check=sshfs_check(("rw", "noatime"), ("ro", "nosuid", "nodev", "noexec")), differs=ATIME),
    Case(R, SSHFS, "runc run [ro bind mount of a nodev,nosuid,noexec fuse sshfs mount]",
         setup=sshfs_setup("rw,nodev,nosuid,noexec,noatime"), config=sshfs_bind("bind,ro"),
         check=sshfs_check(("ro",), ("nosuid", "nodev", "noexec")), differs=KEEPS),
    Case(R, SSHFS, "runc run [ro,symfollow bind mount of a rw,nodev,nosymfollow fuse sshfs mount]",
         setup=sshfs_setup("rw,nodev,nosymfollow"), config=sshfs_bind("bind,ro,symfollow"),
         check=sshfs_check(("ro",), ("rw", "nodev", "nosymfollow")), differs=KEEPS),
    Case(R, SSHFS, "runc run [ro,noexec bind mount of a nosuid,noatime fuse sshfs mount]",
         setup=sshfs_setup("nodev,nosuid,noatime"), config=sshfs_bind("bind,ro,exec"),
         check=sshfs_check(("ro", "noatime"), ("noexec", "nosuid", "nodev")), differs=KEEPS),
]
for bind_flags, want, not_want, differs in (("bind", ("noatime",), ("relatime",), None),
                                            ("bind,norelatime", ("noatime",), ("relatime",), ATIME),
                                            ("bind,atime", ("noatime",), ("relatime",), ATIME),
                                            ("bind,relatime", ("relatime",), ("noatime",), None),
                                            ("bind,nodiratime", ("nodiratime", "relatime"), ("noatime",), ATIME)):
    CASES.append(Case(R, SSHFS, "runc run [bind mount {no,rel,strict}atime semantics]",
                      name="runc run [bind mount {no,rel,strict}atime semantics] (noatime, %s)" % bind_flags,
                      setup=sshfs_setup("noatime"), config=sshfs_bind(bind_flags),
                      check=sshfs_check(want, not_want), differs=differs))
