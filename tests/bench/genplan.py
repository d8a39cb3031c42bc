#!/usr/bin/python3
"""genplan.py N: print a valid plan of N entries (mounts nested three deep,
with options, binds, masks and read-only paths) for the
compiler benchmark.  Deterministic: the same N gives the same plan."""
import sys


def main():
    n = int(sys.argv[1])
    out = sys.stdout
    out.write("mountplan: 1\nname: bench-%d\n" % n)
    out.write("rootfs:\n  readonly: true\n")
    out.write("mounts:\n")
    groups = n // 93 + 1
    made = 0
    masks, readonly = [], []
    # Each group: a tmpfs at /g<i>, ten tmpfs children, each with eight
    # binds or tmpfs below; masks and read-only paths on separate leaves.
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
                      "    options: nosuid,nodev,noexec\n" % (g, c))
            made += 1
            for leaf in range(8):
                if made >= n:
                    break
                if leaf % 2:
                    out.write("  - target: /g%d/c%d/l%d\n    type: bind\n"
                              "    source: /srv/data/%d\n"
                              "    options: [rbind, ro, nosuid]\n"
                              % (g, c, leaf, leaf))
                else:
                    out.write("  - target: /g%d/c%d/l%d\n    type: tmpfs\n"
                              "    options: [size=64k]\n" % (g, c, leaf))
                made += 1
        if g % 2 == 1:
            out.write(root)
        if made < n:
            masks.append("/g%d/secret" % g)
            made += 1
        if made < n:
            readonly.append("/g%d/c9" % g)
            made += 1
    out.write("masks:\n")
    for m in masks:
        out.write("  - %s\n" % m)
    out.write("readonly:\n")
    for r in readonly:
        out.write("  - %s\n" % r)


main()
