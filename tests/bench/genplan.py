#!/usr/bin/python3
"""genplan.py N [--mutate]: print a valid plan of N entries for the
compiler benchmark: the mounts, devices, links, masks and read-only paths
of a container (proc, sysfs, /dev as runc sets them up), then groups of
mounts nested three deep (tmpfs, binds of host data, with options), each
group with a masked path and a read-only tree (with writable holes, or
one read-only leaf).  It compiles without warnings and plan-check finds
nothing: the benchmark measures the commands, not the printing of
findings.  Deterministic: the same N gives the same plan.

--mutate prints the same plan changed as a review would see it: about 1%
of the group entries changed (an option dropped or added, a source
moved, a size changed), some removed and some added (test/bench's
diff-against-a-change row)."""
import sys

HEAD = """\
mountplan: 2
name: bench-%d
rootfs:
  readonly: true
  propagation: rslave
mounts:
  - {target: /proc, type: proc, source: proc, options: [nosuid, nodev, noexec]}
  - {target: /dev, type: tmpfs, source: tmpfs, options: [nosuid, noexec, strictatime, mode=755, size=65536k]}
  - {target: /dev/pts, type: devpts, source: devpts, options: [nosuid, noexec, newinstance, ptmxmode=0666, mode=0620, gid=5]}
  - {target: /dev/shm, type: tmpfs, source: shm, options: [nosuid, noexec, nodev, mode=1777, size=65536k]}
  - {target: /sys, type: sysfs, source: sysfs, options: [nosuid, noexec, nodev, ro]}
"""
HEAD_ENTRIES = 5
DEVICES = """\
devices:
  - {path: /dev/null, type: c, major: 1, minor: 3, mode: 0666}
  - {path: /dev/zero, type: c, major: 1, minor: 5, mode: 0666}
  - {path: /dev/full, type: c, major: 1, minor: 7, mode: 0666}
  - {path: /dev/tty, type: c, major: 5, minor: 0, mode: 0666}
  - {path: /dev/random, type: c, major: 1, minor: 8, mode: 0666}
  - {path: /dev/urandom, type: c, major: 1, minor: 9, mode: 0666}
symlinks:
  - {path: /dev/ptmx, target: pts/ptmx}
  - {path: /dev/fd, target: /proc/self/fd}
  - {path: /dev/stdin, target: /proc/self/fd/0}
  - {path: /dev/stdout, target: /proc/self/fd/1}
  - {path: /dev/stderr, target: /proc/self/fd/2}
"""
DEVICE_ENTRIES = 11
STANDARD_MASKS = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                  "/proc/latency_stats", "/proc/timer_list",
                  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                  "/sys/firmware", "/sys/devices/virtual/powercap"]
STANDARD_READONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                     "/proc/sysrq-trigger"]


def leaf(g, c, k, mutate):
    """The entry of leaf k of child c of group g: a read-only bind of host
    data (odd k) or a small tmpfs (even k); None when --mutate removes
    it."""
    # a change in 1% of the leaves, 0.25% removed: picked by a stride
    pick = (g * 80 + c * 8 + k) % 401 if mutate else -1
    if pick == 13:
        return None
    t = "/g%d/c%d/l%d" % (g, c, k)
    if k % 2:
        src, opts = "/srv/data/%d" % k, "[rbind, rro, nosuid, nodev]"
        if pick == 29:
            src = "/srv/other/%d" % k
        elif pick == 47:
            opts = "[rbind, rro, nodev]"
        return ("  - target: %s\n    type: bind\n    source: %s\n"
                "    options: %s\n" % (t, src, opts))
    size = "128k" if pick == 61 else "64k"
    opts = "[nosuid, nodev, size=%s]" % size
    if pick == 73:
        opts = "[nosuid, nodev, noexec, size=%s]" % size
    return ("  - target: %s\n    type: tmpfs\n    options: %s\n" % (t, opts))


def main():
    n = int(sys.argv[1])
    mutate = sys.argv[2:] == ["--mutate"]
    out = sys.stdout
    out.write(HEAD % n)
    made = HEAD_ENTRIES + DEVICE_ENTRIES + len(STANDARD_MASKS) + \
        len(STANDARD_READONLY)
    groups = n // 93 + 1
    masks, readonly = [], []
    # Each group: a tmpfs at /g<i>, ten tmpfs children, each with eight
    # binds or tmpfs below; a mask in a bind, a read-only child with the
    # tmpfs below it as writable holes (even groups) or one read-only
    # tmpfs leaf (odd groups).
    for g in range(groups):
        if made >= n:
            break
        # odd groups write their root after its children (the order pass
        # must move it first)
        root = ("  - target: /g%d\n    type: tmpfs\n"
                "    options: [nosuid, nodev, mode=755, size=1m]\n" % g)
        if g % 2 == 0:
            out.write(root)
        made += 1
        for c in range(10):
            if made >= n:
                break
            out.write("  - target: /g%d/c%d\n    type: tmpfs\n"
                      "    options: nosuid,nodev,noexec,size=512k\n" % (g, c))
            made += 1
            for k in range(8):
                if made >= n:
                    break
                e = leaf(g, c, k, mutate)
                if e:
                    out.write(e)
                made += 1
            if mutate and (g * 10 + c) % 150 == 7:  # an added mount
                out.write("  - target: /g%d/c%d/new\n    type: bind\n"
                          "    source: /srv/new\n"
                          "    options: [rbind, rro, nosuid, nodev]\n" % (g, c))
        if g % 2 == 1:
            out.write(root)
        if made < n:
            masks.append("/g%d/c0/l1/secret" % g)
            made += 1
        if made < n:
            if g % 2:
                readonly.append("/g%d/c9/l0" % g)
            else:
                holes = ", ".join("/g%d/c9/l%d" % (g, k) for k in range(0, 8, 2))
                readonly.append("{path: /g%d/c9, writable: [%s]}" % (g, holes))
            made += 1
    out.write(DEVICES)
    out.write("masks:\n")
    for m in STANDARD_MASKS + masks:
        out.write("  - %s\n" % m)
    out.write("readonly:\n")
    for r in STANDARD_READONLY + readonly:
        out.write("  - %s\n" % r)


main()
