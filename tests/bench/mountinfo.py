#!/usr/bin/env python3
"""tests/bench/mountinfo.py TABLE.json OUT: a plan's predicted table
(`mountplan table --format=json`) written as a /proc/PID/mountinfo, so
that `mountplan verify` of the plan against it compares every mount
(conditional mounts included).  Used by tests/bench/commands.sh (verify
at scale) and tests/fuzz/run.sh (fuzz_mountinfo's seeds)."""
import json, sys
rows = json.load(open(sys.argv[1]))
ids = {}
with open(sys.argv[2], "w") as out:
    for i, r in enumerate(rows):
        ids[r["target"]] = 100 + i
        parent = 99
        t = r["target"]
        while t != "/":
            t = t.rsplit("/", 1)[0] or "/"
            if t in ids:
                parent = ids[t]
                break
        opts = ",".join(o for o in r["options"] if o in ("ro", "rw", "nosuid", "nodev", "noexec", "relatime", "noatime", "strictatime", "nodiratime")) or "rw"
        if not opts.startswith("r"):
            opts = "rw," + opts
        prop = {"shared": "shared:1", "slave": "master:1"}.get(r["propagation"], "")
        fields = "%d %d 0:%d / %s %s%s - %s %s rw\n" % (
            100 + i, parent, 50 + i, r["target"].replace(" ", "\\040"), opts,
            " " + prop if prop else "", r["type"] or "ext4", r["source"] or "none")
        out.write(fields.replace("  ", " "))
