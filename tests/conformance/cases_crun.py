"""tests/conformance/cases_crun.py: the mount and device cases of crun's
own suite, containers/crun tests/test_mounts.py and tests/test_devices.py,
re-expressed (conformance.py says what a case is).  crun's tests run its
`/init` helper; the checks here use busybox (stat, ls, readlink, grep)."""

from conformance import (Case, add_mount, add_namespace, drop_mounts, edit,
                         mapping, mount_of, userns)

C = "containers/crun"
M = "tests/test_mounts.py"
D = "tests/test_devices.py"
P = "tests/test_pid.py"

# helper_mount's three mounts with one option: a tmpfs, a directory bind
# and a file bind, each checked in the VFS options of /proc/self/mountinfo.
HELPER_SETUP = "mkdir -p src/dir && echo x >src/file"


def helper_mount(option):
    """A config function adding helper_mount's three mounts with option."""
    def run(c):
        add_mount(c, "/var/dir", "tmpfs", "tmpfs", [option])
        add_mount(c, "/var/bind", "bind", "@/src/dir", ["bind", option])
        add_mount(c, "/var/file", "bind", "@/src/file", ["bind", option])
    return run


def vfs_has(option, present=True):
    """A check: option is (or is not) among the VFS options of the three."""
    neg = "" if present else "!"
    return ("for m in /var/dir /var/bind /var/file; do %s has_opt $m %s || fail $m $(opts $m); done"
            % (neg, option))


def devices(*devs):
    """A config function setting linux.devices."""
    return lambda c: c["linux"].update(devices=list(devs))


CASES = [
    Case(C, M, "test_mount_symlink",
         setup="echo Rome >src/zone && ln -s zone src/localtime",
         config=lambda c: add_mount(c, "/etc/localtime", "bind", "@/src/localtime", ["bind", "ro"]),
         check="grep -q Rome /etc/localtime && has_opt /etc/localtime ro"),
    Case(C, M, "test_mount_fifo", setup="mkfifo src/a-fifo",
         config=lambda c: [add_mount(c, "/fifo%d" % i, "bind", "@/src/a-fifo", o + ["bind"])
                           for i, o in enumerate(([], ["ro"], ["rro"]))],
         check="for f in /fifo0 /fifo1 /fifo2; do [ -p $f ] || fail $f; done"),
    Case(C, M, "test_mount_unix_socket",
         setup="python3 -c 'import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(\"src/unix-socket\")'",
         config=lambda c: [add_mount(c, "/unix-socket%d" % i, "bind", "@/src/unix-socket", o + ["bind"])
                           for i, o in enumerate(([], ["ro"], ["rro"]))],
         check="for f in /unix-socket0 /unix-socket1 /unix-socket2; do [ -S $f ] || fail $f; done"),
    Case(C, M, "test_mount_tmpfs_permissions",
         setup="mkdir rootfs/test-tmpfs && chmod 0712 rootfs/test-tmpfs",
         config=lambda c: add_mount(c, "/test-tmpfs", "tmpfs", "tmpfs", ["ro"]),
         check='[ "$(stat -c %a /test-tmpfs)" = 712 ] || fail "$(stat -c %a /test-tmpfs)"'),
    Case(C, M, "test_mount_proc_mode", setup="chmod 0755 rootfs/proc",
         check='[ "$(stat -c %a /proc)" = 555 ] || fail "$(stat -c %a /proc)"'),
    Case(C, M, "test_mount_tmpfs_explicit_mode",
         setup="mkdir rootfs/test-tmpfs && chmod 0700 rootfs/test-tmpfs",
         config=lambda c: add_mount(c, "/test-tmpfs", "tmpfs", "tmpfs", ["mode=1777"]),
         check='[ "$(stat -c %a /test-tmpfs)" = 1777 ] || fail "$(stat -c %a /test-tmpfs)"'),
    Case(C, M, "test_mount_tmpfs_to_rootfs", refuse=True,
         config=lambda c: c["mounts"].insert(0, {"destination": "/", "type": "tmpfs",
                                                 "source": "tmpfs", "options": ["tmpcopyup"]})),
    Case(C, M, "test_ro_cgroup", name="test_ro_cgroup (cgroupns, cgroup mount)",
         config=edit(lambda c: add_namespace(c, "cgroup"),
                     lambda c: mount_of(c, "/sys").update(options=["nosuid", "noexec", "nodev", "ro"])),
         check="has_opt /sys ro || fail /sys $(opts /sys); has_opt /sys/fs/cgroup ro || fail $(opts /sys/fs/cgroup)"),
    Case(C, M, "test_ro_cgroup", name="test_ro_cgroup (no cgroupns, no cgroup mount)",
         config=lambda c: drop_mounts(c, "/sys/fs/cgroup"),
         check="has_opt /sys ro || fail /sys $(opts /sys)"),
    Case(C, M, "test_mount_symlink_not_existing",
         setup="echo Rome >src/zone && ln -s zone src/localtime",
         config=lambda c: add_mount(c, "/etc/not-existing", "bind", "@/src/localtime", ["bind", "ro"]),
         check="grep -q Rome /etc/not-existing && mnt /etc/not-existing >/dev/null"),
    Case(C, M, "test_mount_readonly_should_inherit_options_from_parent",
         setup="mkdir -p src/tmp src/etc",
         config=edit(lambda c: add_mount(c, "/test", "bind", "@/src/tmp", ["rbind", "nosuid", "noexec", "nodev"]),
                     lambda c: add_mount(c, "/test/world", "bind", "@/src/etc", ["rbind", "nosuid", "noexec", "nodev"]),
                     lambda c: c["linux"].update(readonlyPaths=["/test/world"])),
         check='[ "$(opts /test/world)" = ro,nosuid,nodev,noexec,relatime ] || fail "$(opts /test/world)"'),
    Case(C, M, "test_proc_readonly_should_inherit_options_from_parent",
         config=edit(lambda c: mount_of(c, "/proc").update(options=["nosuid", "noexec", "nodev"]),
                     lambda c: c["linux"].update(readonlyPaths=["/proc/bus"])),
         check='[ "$(opts /proc/bus)" = ro,nosuid,nodev,noexec,relatime ] || fail "$(opts /proc/bus)"'),
    Case(C, M, "test_copy_symlink", since="crun commit 2cc73907 (2023-10)", setup="ln -s point-to-nowhere src/a-broken-link",
         config=lambda c: add_mount(c, "/a/sym/link", "bind", "@/src/a-broken-link", ["rbind", "copy-symlink"]),
         check='[ "$(readlink /a/sym/link)" = point-to-nowhere ] || fail "$(ls -l /a/sym/link)"'),
    Case(C, M, "test_mount_path_with_multiple_slashes", setup="mkdir -p src/tmp",
         config=lambda c: add_mount(c, "/test//test", "bind", "@/src/tmp", ["rbind"]),
         check="mnt /test/test >/dev/null"),
]

for opt, present in (("ro", True), ("rro", True), ("rw", True), ("relatime", True),
                     ("noexec", True), ("exec", False), ("nosuid", True), ("suid", False),
                     ("nodev", True), ("dev", False)):
    neg = {"exec": "noexec", "suid": "nosuid", "dev": "nodev", "rro": "ro"}.get(opt, opt)
    CASES.append(Case(C, M, "test_mount_" + opt, setup=HELPER_SETUP, config=helper_mount(opt),
                      since="crun commit 5884fd4b (2024-02)" if opt == "rro" else None,
                      check=vfs_has(neg, present)))
CASES += [
    Case(C, M, "test_mount_strictatime", setup=HELPER_SETUP, config=helper_mount("strictatime"),
         check="for m in /var/dir /var/bind /var/file; do ! has_opt $m relatime || fail $m $(opts $m); done"),
    Case(C, M, "test_mount_sync", config=lambda c: add_mount(c, "/var/dir", "tmpfs", "tmpfs", ["sync"]),
         check="fs_opts /var/dir | tr , '\\n' | grep -qx sync || fail $(fs_opts /var/dir)"),
    Case(C, M, "test_mount_dirsync", config=lambda c: add_mount(c, "/var/dir", "tmpfs", "tmpfs", ["dirsync"]),
         check="fs_opts /var/dir | tr , '\\n' | grep -qx dirsync || fail $(fs_opts /var/dir)"),
    Case(C, M, "test_userns_bind_mount",
         setup="mkdir -p src/p/m && chmod 000 src/p && chown -R 1:1 rootfs",
         config=edit(lambda c: userns(c, 1, 10),
                     lambda c: add_mount(c, "/foo", "bind", "@/src/p/m", ["bind", "ro"])),
         check="mnt /foo >/dev/null"),
    Case(C, M, "test_userns_bind_mount_symlink",
         setup="mkdir -p src/p/m && printf hello >src/p/m/content && ln -s m src/p/s && chmod 000 src/p && chown -R 1:1 rootfs",
         config=edit(lambda c: userns(c, 1, 10),
                     lambda c: add_mount(c, "/foo", "bind", "@/src/p/s", ["bind", "ro"])),
         check='[ "$(cat /foo/content)" = hello ]'),
    Case(C, M, "test_idmapped_mounts",
         setup="mkdir -p src/idm && touch src/idm/file && chown -R 1:1 rootfs",
         config=edit(lambda c: userns(c, 1, 10),
                     lambda c: add_mount(c, "/foo", "bind", "@/src/idm", ["bind", "ro", "idmap"],
                                         uidMappings=mapping(0, 2, 10), gidMappings=mapping(0, 2, 10))),
         check='[ "$(stat -c %u:%g /foo/file)" = 1:1 ] || fail "$(stat -c %u:%g /foo/file)"'),
    Case(C, M, "test_cgroup_mount_without_netns",
         config=lambda c: c.update(mounts=[
             {"destination": "/proc", "type": "proc"},
             {"destination": "/sys", "type": "bind", "source": "/sys",
              "options": ["rprivate", "nosuid", "noexec", "nodev", "ro", "rbind"]},
             {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
              "options": ["rprivate", "nosuid", "noexec", "nodev", "rprivate", "relatime", "ro"]}]),
         check='[ "$(grep -c /sys/fs/cgroup /proc/self/mountinfo)" -ge 2 ]'),
    Case(C, M, "test_bind_mount_symlink_nofollow", since="crun commit 957a6518 (2025-05)",
         setup="printf inside-the-file >src/a-file && ln -s \"$PWD/src/a-file\" src/a-symlink && "
               "ln -s point-to-nowhere rootfs/target",
         config=lambda c: add_mount(c, "/target", "bind", "@/src/a-symlink",
                                    ["bind", "dest-nofollow", "src-nofollow"]),
         check='readlink /target | grep -q /src/a-file || fail "$(ls -l /target)"'),
    Case(C, M, "test_bind_mount_symlink_nofollow_procfs", refuse=True,
         setup="ln -s 'does not matter' src/a-symlink",
         config=lambda c: add_mount(c, "/proc/self", "bind", "@/src/a-symlink",
                                    ["bind", "dest-nofollow", "src-nofollow"])),
    Case(C, M, "test_bind_mount_file_nofollow",
         setup="printf content-of-file >src/a-file && ln -s point-to-nowhere rootfs/symlink",
         config=lambda c: add_mount(c, "/symlink", "bind", "@/src/a-file", ["bind", "dest-nofollow"]),
         check='[ "$(cat /symlink)" = content-of-file ]'),
    Case(C, M, "test_idmapped_mounts_without_userns",
         setup="mkdir -p src/idm && touch src/idm/file",
         config=lambda c: add_mount(c, "/foo", "bind", "@/src/idm", ["bind", "ro", "idmap"],
                                    uidMappings=mapping(0, 1000, 10), gidMappings=mapping(0, 1000, 10)),
         check='[ "$(stat -c %u:%g /foo/file)" = 1000:1000 ] || fail "$(stat -c %u:%g /foo/file)"'),
    Case(C, M, "test_mount_propagation_private", setup="mkdir src/mnt",
         config=edit(lambda c: c["linux"].update(rootfsPropagation="rprivate"),
                     lambda c: add_mount(c, "/mnt", "bind", "@/src/mnt", ["bind", "rprivate"])),
         check='! tags /mnt | grep -q shared: || fail "$(mnt /mnt)"', host_propagation="shared"),
    Case(C, M, "test_mount_no_leak_to_host", setup="mkdir src/mnt && chown -R 0:0 rootfs",
         config=edit(lambda c: userns(c, 0, 65536),
                     lambda c: add_mount(c, "/mnt", "bind", "@/src/mnt", ["rbind", "rprivate"],
                                         uidMappings=mapping(0, 0, 1), gidMappings=mapping(0, 0, 1))),
         check='! tags /mnt | grep -q shared: || fail "$(mnt /mnt)"', host_propagation="shared"),
    Case(C, M, "test_mount_propagation_slave", setup="mkdir src/usr",
         config=edit(lambda c: c["linux"].update(rootfsPropagation="rslave"),
                     lambda c: add_mount(c, "/mnt", "bind", "@/src/usr", ["bind", "rslave"])),
         check='tags /mnt | grep -q master: || fail "$(mnt /mnt)"', host_propagation="shared"),
    Case(C, M, "test_mount_propagation_shared", setup="mkdir src/usr",
         config=lambda c: add_mount(c, "/mnt", "bind", "@/src/usr", ["bind", "rshared"]),
         check='tags /mnt | grep -q shared: || fail "$(mnt /mnt)"', host_propagation="shared"),
    Case(C, M, "test_mount_tmpfs_size",
         config=lambda c: add_mount(c, "/sized-tmpfs", "tmpfs", "tmpfs", ["nosuid", "nodev", "size=64k"]),
         check="fs_opts /sized-tmpfs | tr , '\\n' | grep -qx size=64k || fail $(fs_opts /sized-tmpfs)"),
    Case(C, M, "test_mount_tmpfs_size_userns", setup="chown -R 100000:100000 rootfs",
         config=edit(lambda c: userns(c, 100000, 65536),
                     lambda c: add_mount(c, "/sized-tmpfs", "tmpfs", "tmpfs",
                                         ["nosuid", "nodev", "mode=1777", "size=128k"])),
         check="fs_opts /sized-tmpfs | tr , '\\n' | grep -qx size=128k || fail $(fs_opts /sized-tmpfs)"),
    Case(C, M, "test_mount_overlay_fs",
         setup="mkdir -p src/lower src/upper src/work rootfs/overlay-mnt && printf lower-data >src/lower/from-lower",
         config=lambda c: add_mount(c, "/overlay-mnt", "overlay", "overlay",
                                    ["lowerdir=@/src/lower", "upperdir=@/src/upper", "workdir=@/src/work"]),
         check='[ "$(cat /overlay-mnt/from-lower)" = lower-data ]'),
    Case(C, M, "test_no_proc", config=lambda c: drop_mounts(c, "/proc"),
         check="[ ! -e /proc/self ]"),
    Case(C, M, "test_no_proc_sysfs_cgroup", config=lambda c: drop_mounts(c, "/proc", "/sys", "/sys/fs/cgroup"),
         check="[ ! -e /proc/self ] && [ ! -e /sys/kernel ]"),
    Case(C, M, "test_rbind_with_bind_option",
         setup="mkdir -p src/tree/sub && mount -t tmpfs none src/tree/sub",
         config=lambda c: add_mount(c, "/mnt", "bind", "@/src/tree", ["rbind", "rprivate", "rw", "bind"]),
         check="mnt /mnt/sub >/dev/null || fail no /mnt/sub"),
    Case(C, D, "test_mode_device",
         config=devices({"path": "/dev/foo", "type": "b", "major": 1, "minor": 5, "uid": 10, "gid": 11,
                         "fileMode": 0o157}),
         check='[ "$(stat -c %a /dev/foo)" = 157 ] || fail "$(stat -c %a /dev/foo)"'),
    Case(C, D, "test_mode_device", name="test_mode_device (userns)", since="crun commit 87740ce8 (2024-01)", setup="chown -R 0:0 rootfs",
         config=edit(lambda c: userns(c, 0, 4294967295),
                     devices({"path": "/dev/foo", "type": "b", "major": 1, "minor": 5, "uid": 10, "gid": 11,
                              "fileMode": 0o157})),
         check='[ "$(stat -c %a /dev/foo)" = 157 ] || fail "$(stat -c %a /dev/foo)"'),
    # The default devices under a user namespace (full mapping): crun
    # binds the host's nodes and makes each bind nosuid and noexec (here
    # all six); checked on the mountinfo lines of the six.  mountplan-exec
    # makes them with mknod as its caller before it enters the namespace
    # (none bound: crun's test skips then, the case holds); bound (by
    # --userns, outside this runner) they keep the host /dev's flags,
    # where a node can neither run nor carry setuid bits (refused).
    Case(C, D, "test_userns_precreated_devices_flags", setup="chown -R 0:0 rootfs",
         config=lambda c: userns(c, 0, 4294967295),
         check="n=0; for p in /dev/null /dev/zero /dev/full /dev/tty /dev/random /dev/urandom; do "
               "mnt $p >/dev/null || continue; n=$((n+1)); has_opt $p nosuid && has_opt $p noexec || fail $p $(opts $p); done; "
               "echo bound: $n"),
    Case(C, D, "test_owner_device",
         config=devices({"path": "/dev/foo", "type": "b", "major": 1, "minor": 5, "uid": 10, "gid": 11}),
         check='[ "$(stat -c %u:%g /dev/foo)" = 10:11 ] || fail "$(stat -c %u:%g /dev/foo)"'),
    # test_pid: the process is pid 1 of the config's pid namespace (its
    # /proc/self/status says Pid: 1); for mountplan the pid namespace is the
    # plan's (import-oci maps linux.namespaces pid to namespaces: pid).
    Case(C, P, "test_pid",
         check='p=$(awk \'/^Pid:/ {print $2}\' /proc/$$/status); [ "$p" = 1 ] || fail "Pid: $p"; '
               '[ "$(head -c 10 /proc/1/cmdline | tr "\\0" " ")" = "/bin/sh -c" ] || '
               'fail "pid 1 is $(head -c 10 /proc/1/cmdline | tr "\\0" " ")"'),
    Case(C, D, "test_create_or_bind_mount_device",
         config=devices({"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 0o775,
                         "uid": 0, "gid": 0}),
         check="[ -c /dev/fuse ]"),
    Case(C, D, "test_mknod_device",
         config=devices({"path": "/foo-dev", "type": "b", "major": 10, "minor": 229},
                        {"path": "/subdir/foo-dev", "type": "b", "major": 10, "minor": 229}),
         check="[ -b /foo-dev ] && [ -b /subdir/foo-dev ]"),
    Case(C, D, "test_trailing_slash_mknod_device",
         config=devices({"path": "/mnt/", "type": "b", "major": 10, "minor": 229}),
         check="[ -b /mnt ]"),
    Case(C, D, "test_mknod_fifo_device",
         config=devices({"path": "/dev/testfifo", "type": "p", "fileMode": 0o660, "uid": 1, "gid": 2}),
         check='[ -p /dev/testfifo ] && [ "$(stat -c %a:%u:%g /dev/testfifo)" = 660:1:2 ]'),
    Case(C, D, "test_mknod_char_device",
         config=devices({"path": "/dev/testchar", "type": "c", "major": 251, "minor": 1, "fileMode": 0o640,
                         "uid": 3, "gid": 4}),
         check='[ -c /dev/testchar ] && [ "$(stat -c %a:%u:%g /dev/testchar)" = 640:3:4 ]'),
    # crun refuses a rootfs whose /dev is a link out of it; mountplan-exec
    # (like runc) follows it inside the root (doc/roundtrip.md, "Deliberate
    # difference"); for every runtime nothing outside may be populated.
    Case(C, D, "test_dev_symlink_does_not_populate_outside_rootfs", refuse=True,
         differs="mountplan-exec follows the link inside the root and populates nothing outside",
         setup="mkdir outside-dev && echo outside >outside-dev/ptmx && rm -rf rootfs/dev && "
               "ln -s \"$PWD/outside-dev\" rootfs/dev",
         config=lambda c: c["root"].update(readonly=True),
         after='[ "$(cat outside-dev/ptmx)" = outside ] && [ "$(ls outside-dev)" = ptmx ]'),
]

