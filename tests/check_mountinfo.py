#!/usr/bin/python3
"""check_mountinfo.py PLAN.yaml MOUNTINFO: check a container's
/proc/self/mountinfo (as printed by the payload) against what the plan
asks for.  Prints one '# ' line per problem and exits 1 when there is one.

Checked: every mount target is a mount point of the right type (bind:
any type; cgroup: cgroup, cgroup2 or the tmpfs holding v1 binds); 'ro'
or 'rro' options give a read-only mount; every read-only path that is a
mount point is read-only; every masked path that exists is covered (a
bind of /dev/null, seen by its mountinfo root, or a read-only tmpfs); a read-only rootfs gives a
read-only '/'."""
import sys
import yaml


def parse_mountinfo(path):
    mounts = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or not line[0].isdigit():
                continue
            left, right = line.split(" - ", 1)
            fields = left.split()
            point = fields[4].replace("\\040", " ")
            opts = fields[5].split(",")
            fstype = right.split()[0]
            # the last (top) mount wins; fields[3] is the mount's root
            # within its filesystem ("/null" for a bind of /dev/null)
            mounts[point] = (fstype, opts, fields[3])
    return mounts


def options(entry):
    o = entry.get("options", [])
    if isinstance(o, str):
        o = [w for w in o.split(",") if w]
    return o


def main():
    plan = yaml.safe_load(open(sys.argv[1]))
    mounts = parse_mountinfo(sys.argv[2])
    problems = []
    for m in plan.get("mounts", []) or []:
        t, typ, opts = m["target"], m["type"], options(m)
        if m.get("optional") and t not in mounts:
            continue
        if t not in mounts:
            problems.append("%s: not mounted" % t)
            continue
        fstype, mopts, _ = mounts[t]
        bindish = typ == "bind" or "bind" in opts or "rbind" in opts
        if not bindish and typ not in ("cgroup", "cgroup2") and fstype != typ:
            problems.append("%s: type %s, expected %s" % (t, fstype, typ))
        if typ in ("cgroup", "cgroup2") and fstype not in ("cgroup", "cgroup2", "tmpfs"):
            problems.append("%s: type %s, expected a cgroup mount" % (t, fstype))
        if ("ro" in opts or "rro" in opts) and "ro" not in mopts:
            problems.append("%s: not read-only" % t)
        for flag in ("nosuid", "nodev", "noexec"):
            if flag in opts and flag not in mopts:
                problems.append("%s: not %s" % (t, flag))
    for r in plan.get("readonly", []) or []:
        p = r if isinstance(r, str) else r["path"]
        if p in mounts and "ro" not in mounts[p][1]:
            problems.append("readonly %s: mounted read-write" % p)
    for k in plan.get("masks", []) or []:
        p = k if isinstance(k, str) else k["path"]
        if p in mounts:
            fstype, mopts, root = mounts[p]
            if root != "/":
                # a file mask: a bind of the container's /dev/null
                if not root.endswith("/null"):
                    problems.append("mask %s: covered by %s, not /dev/null" % (p, root))
            elif fstype == "tmpfs" and "ro" not in mopts:
                problems.append("mask %s: tmpfs not read-only" % p)
    rootfs = plan.get("rootfs") or {}
    if rootfs.get("readonly") and "ro" not in mounts.get("/", ("", [], "/"))[1]:
        problems.append("/: not read-only")
    if rootfs.get("type") and mounts.get("/", ("?",))[0] != rootfs["type"]:
        problems.append("/: type %s, expected a new %s" % (mounts.get("/", ("none",))[0], rootfs["type"]))
    for p in problems:
        print("# " + p)
    sys.exit(1 if problems else 0)


main()
