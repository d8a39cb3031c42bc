"""tests/conformance/cases_runtime_tools.py: the mount, device, mask,
read-only-path, propagation and rootfs cases of runtime-tools' validation
suite, opencontainers/runtime-tools validation/*/*.go, re-expressed
(conformance.py says what a case is).  runtime-tools checks inside the
container with its runtimetest binary; the checks here do the same with
busybox."""

from conformance import Case, add_caps, add_mount, edit

T = "opencontainers/runtime-tools"

# validation/mounts: every mount gets these options (fs data on binds too).
DEFAULT_OPTIONS = ["nosuid", "strictatime", "mode=755", "size=1k"]
MOUNTS = [("/tmp/test-shared", "tmpfs", "tmpfs", ["shared"]),
          ("/tmp/test-slave", "tmpfs", "tmpfs", ["slave"]),
          ("/tmp/test-private", "tmpfs", "tmpfs", ["private"]),
          ("/mnt/etc-shared", None, "@/src/etc", ["bind", "shared"]),
          ("/mnt/etc-rshared", None, "@/src/etc", ["rbind", "rshared"]),
          ("/mnt/etc-slave", None, "@/src/etc", ["bind", "slave"]),
          ("/mnt/etc-rslave", None, "@/src/etc", ["rbind", "rslave"]),
          ("/mnt/etc-private", None, "@/src/etc", ["bind", "private"]),
          ("/mnt/etc-rprivate", None, "@/src/etc", ["rbind", "rprivate"]),
          ("/mnt/etc-unbindable", None, "@/src/etc", ["bind", "unbindable"]),
          ("/mnt/etc-runbindable", None, "@/src/etc", ["rbind", "runbindable"])]


def mounts_config(c):
    """validation/mounts' mounts."""
    for d, t, s, o in MOUNTS:
        add_mount(c, d, t, s, DEFAULT_OPTIONS + o)


MOUNTS_CHECK = " && ".join(
    ["mnt %s >/dev/null && has_opt %s nosuid" % (d, d) for d, _, _, _ in MOUNTS] +
    ["tags /tmp/test-shared | grep -q shared:", "! tags /tmp/test-private | grep -q shared:",
     "tags /mnt/etc-shared | grep -q shared:", "tags /mnt/etc-unbindable | grep -q unbindable"])


def add_path_list(key, *paths):
    """A config function appending paths to linux.KEY."""
    return lambda c: c["linux"][key].extend(paths)


# validation/linux_rootfs_propagation: the container binds "/" (recursive)
# on /targetX, binds /testX on /mountX and looks for the file through
# /targetX; shared must show it, slave and private must not; unbindable
# must refuse the first bind with EINVAL.
PROPAGATION_CHECK = r"""
mkdir /target /mount /test && touch /test/example
mount -o rbind / /target || fail cannot bind /
mount -o rbind /test /mount || fail cannot bind /test
if [ -e /target/mount/example ]; then exposed=1; else exposed=0; fi
"""
UNBINDABLE_CHECK = r"""
mkdir /target
out=$(mount -o rbind / /target 2>&1) && fail "bound / though unbindable"
echo "$out" | grep -q "Invalid argument" || fail "$out"
"""


def propagation(mode):
    """A config function: rootfsPropagation mode and CAP_SYS_ADMIN."""
    return edit(lambda c: c["linux"].update(rootfsPropagation=mode),
                lambda c: add_caps(c, "CAP_SYS_ADMIN"))


def device_nodes(key):
    """checkMaskedDeviceNodes / checkReadonlyDeviceNodes: a block, a char
    and a FIFO node in the rootfs, masked or read-only."""
    return ("mknod rootfs/blk b 7 99 && mknod rootfs/chr c 1 3 && mkfifo rootfs/fifo",
            add_path_list(key, "/blk", "/chr", "/fifo"))


MASK_SETUP = "mkdir -p rootfs/masked-dir && touch rootfs/masked-dir/secret rootfs/masked-file"
RO_SETUP = "mkdir -p rootfs/readonly-dir && touch rootfs/readonly-file"

CASES = [
    Case(T, "validation/mounts/mounts.go", "mounts", setup="mkdir -p src/etc && touch src/etc/hosts",
         config=mounts_config, check=MOUNTS_CHECK),
    Case(T, "validation/linux_masked_paths/linux_masked_paths.go", "checkMaskedPaths",
         setup=MASK_SETUP, config=add_path_list("maskedPaths", "/masked-dir", "/masked-file"),
         check='[ -z "$(ls /masked-dir)" ] || fail "$(ls /masked-dir)"; touch /masked-dir/x 2>/dev/null && fail wrote; '
               '[ -z "$(cat /masked-file)" ] || fail content; echo x >/masked-file; [ -z "$(cat /masked-file)" ] || fail written'),
    Case(T, "validation/linux_masked_paths/linux_masked_paths.go", "checkMaskedDeviceNodes",
         setup=device_nodes("maskedPaths")[0], config=device_nodes("maskedPaths")[1],
         check="for p in /blk /chr /fifo; do mnt $p >/dev/null || fail $p not masked; "
               "[ -c $p ] && [ \"$(stat -c %t:%T $p)\" = 1:3 ] || fail $p $(stat -c %F:%t:%T $p); done"),
    Case(T, "validation/linux_readonly_paths/linux_readonly_paths.go", "checkReadonlyPaths",
         setup=RO_SETUP, config=add_path_list("readonlyPaths", "/readonly-dir", "/readonly-file"),
         check="! touch /readonly-dir/x 2>/dev/null && ! touch /readonly-file 2>/dev/null && "
               "has_opt /readonly-dir ro && has_opt /readonly-file ro"),
    Case(T, "validation/linux_readonly_paths/linux_readonly_paths.go", "checkReadonlyDeviceNodes",
         setup=device_nodes("readonlyPaths")[0], config=device_nodes("readonlyPaths")[1],
         check="for p in /blk /chr /fifo; do has_opt $p ro || fail $p $(opts $p); done"),
    Case(T, "validation/linux_rootfs_propagation/linux_rootfs_propagation.go", "shared",
         config=propagation("shared"), host_propagation="shared",
         check=PROPAGATION_CHECK + '[ $exposed = 1 ] || fail "not exposed: $(tags /)"'),
    Case(T, "validation/linux_rootfs_propagation/linux_rootfs_propagation.go", "slave",
         config=propagation("slave"), host_propagation="shared", check=PROPAGATION_CHECK + '[ $exposed = 0 ] || fail exposed'),
    Case(T, "validation/linux_rootfs_propagation/linux_rootfs_propagation.go", "private",
         config=propagation("private"), host_propagation="shared", check=PROPAGATION_CHECK + '[ $exposed = 0 ] || fail exposed'),
    Case(T, "validation/linux_rootfs_propagation/linux_rootfs_propagation.go", "unbindable",
         config=propagation("unbindable"), host_propagation="shared", check=UNBINDABLE_CHECK),
    Case(T, "validation/linux_devices/linux_devices.go", "linux_devices",
         config=lambda c: c["linux"].update(devices=[
             {"path": "/dev/test1", "type": "c", "major": 10, "minor": 666, "fileMode": 432, "uid": 0, "gid": 0},
             {"path": "/dev/test2", "type": "b", "major": 8, "minor": 666, "fileMode": 432, "uid": 0, "gid": 0},
             {"path": "/dev/test3", "type": "p", "major": 8, "minor": 666, "fileMode": 432}]),
         check='[ -c /dev/test1 ] && [ -b /dev/test2 ] && [ -p /dev/test3 ] && '
               '[ "$(stat -c %a:%t:%T /dev/test1)" = 660:a:29a ] && [ "$(stat -c %a:%t:%T /dev/test2)" = 660:8:29a ] '
               '|| fail "$(ls -l /dev/test1 /dev/test2 /dev/test3)"'),
    Case(T, "validation/root_readonly_true/root_readonly_true.go", "root_readonly_true",
         config=lambda c: c["root"].update(readonly=True),
         check="has_opt / ro && ! touch /x 2>/dev/null"),
    Case(T, "validation/linux_mount_label/linux_mount_label.go", "linux_mount_label",
         config=lambda c: c["linux"].update(mountLabel="system_u:object_r:svirt_sandbox_file_t:s0:c715,c811"),
         check="mnt /proc >/dev/null && mnt /dev >/dev/null"),
    Case(T, "validation/default/default.go", "default",
         check="for d in null zero full random urandom tty; do [ -c /dev/$d ] || fail /dev/$d; done; "
               "[ \"$(readlink /dev/fd)\" = /proc/self/fd ] && [ \"$(readlink /dev/stdin)\" = /proc/self/fd/0 ] && "
               "[ \"$(readlink /dev/ptmx)\" = pts/ptmx ] && mnt /dev/pts >/dev/null && mnt /dev/shm >/dev/null && "
               "has_opt /sys ro"),
]

# validation/linux_masked_paths and linux_readonly_paths beyond the simple
# cases: paths nested in one another (a masked directory hides the paths
# listed beneath it, which are then missing: skipped) and a path that is
# a symlink to itself (the runtime must fail).  Not re-expressed:
# checkMaskedRelPaths and checkReadonlyRelPaths, which want a relative
# path refused: runc 1.1.5, crun 1.8.1 and mountplan all take it from /
# (import-oci notes the cleaning, MP-OCI), so no peer here shows it.
NESTED = ("{d}-dir", "{d}-file", "{d}-dir/{d}-subdir", "{d}-dir/{d}-file", "{d}-dir/{d}-subdir/{d}-file")


def nested_setup(d, content):
    """checkMaskedPaths / checkReadonlyPaths: the tree, each file non-empty."""
    return ("mkdir -p rootfs/{d}-dir/{d}-subdir && touch rootfs/{d}-dir/{d}-subdir/tmp1 && "
            "for f in {d}-file {d}-dir/{d}-file {d}-dir/{d}-subdir/{d}-file; do echo {c} >rootfs/$f; done"
            ).format(d=d, c=content)


def nested_paths(d):
    return ["/" + p.format(d=d) for p in NESTED]


# runtimetest's testReadAccess / testWriteAccess, in busybox
ACCESS = r"""
readable() { if [ -d "$1" ]; then [ -n "$(ls -A "$1")" ]; else [ -n "$(head -c1 "$1" 2>/dev/null)" ]; fi; }
writable() { if [ -d "$1" ]; then t="$1/.w$$"; touch "$t" 2>/dev/null && rm -f "$t"; else (echo a >>"$1") 2>/dev/null; fi; }
"""
NESTED_CHECKS = {  # what each path, or its absence, must show
    "masked": "! [ -e $p ] || ! readable $p || fail $p readable",
    "readonly": "readable $p || fail $p unreadable; ! writable $p || fail $p writable"}
for kind, key, content in (("masked", "maskedPaths", "secrets"), ("readonly", "readonlyPaths", "immutable")):
    go = "validation/linux_%s_paths/linux_%s_paths.go" % (kind, kind)
    test = "check%sPaths" % kind.capitalize()
    CASES += [
        Case(T, go, test, name=test + " (nested)", setup=nested_setup(kind, content),
             config=add_path_list(key, *nested_paths(kind)),
             check=ACCESS + "for p in %s; do %s; done" % (" ".join(nested_paths(kind)), NESTED_CHECKS[kind])),
        Case(T, go, "check%sSymlinks" % kind.capitalize(), refuse=True,
             setup="ln -s ../{k}-symlink rootfs/{k}-symlink".format(k=kind),
             config=add_path_list(key, "/%s-symlink" % kind)),
    ]
