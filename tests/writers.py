#!/usr/bin/python3
"""tests/writers.py: every writer of the compiler against hostile strings.

Hostile strings (newlines, quotes, YAML and JSON syntax, C0/C1 control
characters, DEL, U+2028, NUL, backslashes, bytes that are not UTF-8) are
put into every string field of an OCI config, a plan, and a mount table;
each output is then read back with a real parser (python3's yaml and json)
or checked line by line:
  - import-oci: the plan parses with PyYAML and holds exactly the config's
    entries, each string verbatim (a path cleaned, as runc does); or import-oci refuses (exit 1, nothing
    written) and every diagnostic names the JSON field that held the string;
  - JSON outputs (diagnostics, SARIF, table, diff, verify, export-oci) parse
    with json.loads and give back the strings;
  - text outputs (diagnostics, table, dump, diff, verify) keep one line per
    item, hold no control character but tab, and are valid UTF-8.
Prints TAP.
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

TOP_BUILD = os.environ.get("top_builddir", ".")
MOUNTPLAN = os.environ.get("MOUNTPLAN", os.path.join(TOP_BUILD, "mountplan"))

# Strings a config or plan author could write to confuse a writer.
HOSTILE = [
    "rprivate\nmounts:\n  - {target: /host, type: bind, source: /, options: [rw]}",
    "/x\n  - target: /injected",
    "/a: b",
    "/a #comment",
    '/q"uote\'s',
    "/back\\slash\\n",
    "/ctl\x01\x02\x1b[31m\x7f",
    "/c1\u0085\u009b",
    "/sep\u2028\u2029",
    "/emoji\U0001F600",
    "/tab\there",
    "/cr\rhere",
    "- /dash",
    "&anchor",
    "*alias",
    "!!binary",
    "---",
    "...",
    "{[,]}",
    "/long" + "x" * 5000,
]

results = []


def tap(ok, desc, detail=""):
    results.append((ok, desc, detail))


def run(args, stdin=None):
    p = subprocess.run([MOUNTPLAN] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def clean_text(b):
    """None when b is valid UTF-8 text with no control character but tab
    and newline (and no C1 control); else why not."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError as e:
        return "not UTF-8: %s" % e
    for ch in s:
        if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7f <= ord(ch) < 0xa0:
            return "control character U+%04X in %r" % (ord(ch), s[:300])
    return None


def base_config(work):
    os.makedirs(os.path.join(work, "rootfs"), exist_ok=True)
    return {
        "ociVersion": "1.0.2",
        "hostname": "h",
        "root": {"path": "rootfs", "readonly": True},
        "process": {"cwd": "/", "user": {"uid": 0, "gid": 0, "umask": 18}},
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "nodev", "size=1m"]},
            {"destination": "/data", "type": "bind", "source": "/srv",
             "options": ["rbind", "ro"]},
        ],
        "linux": {
            "rootfsPropagation": "rslave",
            "devices": [{"path": "/dev/fuse", "type": "c", "major": 10,
                         "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}],
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
        },
    }


# (JSON field name as import-oci names it, setter) for every string field.
def fields():
    def setter(path):
        def f(c, v):
            o = c
            for k in path[:-1]:
                o = o[k]
            o[path[-1]] = v
        return f
    return [
        ("linux.rootfsPropagation", setter(["linux", "rootfsPropagation"])),
        ("hostname", setter(["hostname"])),
        ("root.path", setter(["root", "path"])),
        ("process.cwd", setter(["process", "cwd"])),
        ("mounts[1].destination", setter(["mounts", 1, "destination"])),
        ("mounts[1].type", setter(["mounts", 1, "type"])),
        ("mounts[2].source", setter(["mounts", 2, "source"])),
        ("mounts[1].options[2]", setter(["mounts", 1, "options", 2])),
        ("linux.devices[0]", setter(["linux", "devices", 0, "path"])),
        ("linux.maskedPaths[0]", setter(["linux", "maskedPaths", 0])),
        ("linux.readonlyPaths[0]", setter(["linux", "readonlyPaths", 0])),
    ]


def strings(doc):
    """Every string in a parsed document, keys and values."""
    if isinstance(doc, str):
        return [doc]
    if isinstance(doc, dict):
        return [s for k, v in doc.items() for s in strings(k) + strings(v)]
    if isinstance(doc, list):
        return [s for v in doc for s in strings(v)]
    return []


# Fields import-oci writes as clean absolute paths (runc and crun clean
# them; a relative bind source is taken from the bundle, config.json's
# directory): the string is in the plan in that form.
PATH_FIELDS = ("mounts[1].destination", "mounts[2].source", "linux.devices[0]",
               "linux.maskedPaths[0]", "linux.readonlyPaths[0]")


def as_imported(field, h, work):
    """The string h of field as import-oci writes it into the plan."""
    if field not in PATH_FIELDS:
        return h
    if field == "mounts[2].source" and not h.startswith("/"):
        h = os.path.realpath(work) + "/" + h
    parts = []
    for c in h.split("/"):
        if c == "..":
            parts = parts[:-1]
        elif c not in ("", "."):
            parts.append(c)
    return "/" + "/".join(parts)


def import_oci(work):
    cfg_path = os.path.join(work, "config.json")
    out_path = os.path.join(work, "plan.yaml")
    bad = []
    n_ok = n_refused = 0
    for field, put in fields():
        for h in HOSTILE + ["/nul\x00inside"]:
            c = base_config(work)
            put(c, h)
            with open(cfg_path, "w") as f:
                # ensure_ascii=False: libyaml, which reads config.json,
                # does not take JSON's surrogate-pair escapes (\ud83d\ude00)
                # (and takes no raw DEL or C1 control: escaped here)
                f.write("".join("\\u%04x" % ord(ch) if 0x7f <= ord(ch) < 0xa0 else ch
                                for ch in json.dumps(c, ensure_ascii=False)))
            with open(out_path, "w") as f:
                f.write("keep\n")
            rc, out, err = run(["import-oci", cfg_path, "-o", out_path, "--format=json"])
            text = open(out_path, "rb").read()
            what = "%s=%r" % (field, h[:60])
            if rc == 0:
                n_ok += 1
                try:
                    plan = yaml.safe_load(text)
                except yaml.YAMLError as e:
                    bad.append("%s: output does not parse: %s" % (what, e))
                    continue
                mounts = plan.get("mounts") or []
                if len(mounts) != 3 or set(plan) - {"mountplan", "name", "rootfs", "process",
                                                     "dev", "mounts", "devices", "symlinks",
                                                     "masks", "readonly"}:
                    bad.append("%s: entries changed: %r" % (what, plan))
                    continue
                if (as_imported(field, h, work) not in strings(plan) and field != "hostname"
                        and field != "root.path"):
                    bad.append("%s: the string is not in the plan verbatim" % what)
            elif rc == 1:
                n_refused += 1
                if text != b"keep\n":
                    bad.append("%s: refused but the output was written" % what)
                try:
                    diags = json.loads(err)
                except ValueError as e:
                    bad.append("%s: diagnostics are not JSON: %s %r" % (what, e, err[:200]))
                    continue
                for d in diags:
                    # The field, or (for a whole entry) its entry.
                    entry = field.split(".")[0] if field.startswith("mounts[") else field
                    if not (d["message"].startswith(field + ":") or
                            d["message"].startswith(entry + ":") or
                            d["message"].startswith(field.split("[")[0] + "[")):
                        bad.append("%s: diagnostic names another field: %s" % (what, d["message"][:200]))
            else:
                bad.append("%s: exit %d: %r" % (what, rc, err[:300]))
    tap(not bad, "import-oci: %d hostile strings in %d fields: the plan parses back with "
        "exactly the config's entries (%d) or is refused at the right field (%d)"
        % (len(HOSTILE) + 1, len(fields()), n_ok, n_refused), "\n".join(bad[:20]))

    # The attack of issue 8: a newline in rootfsPropagation adds a bind of /.
    c = base_config(work)
    c["linux"]["rootfsPropagation"] = HOSTILE[0]
    with open(cfg_path, "w") as f:
        json.dump(c, f, indent=1)
    rc, out, err = run(["import-oci", cfg_path])
    tap(rc == 1 and b"/host" not in out and
        b"linux.rootfsPropagation: unknown propagation" in err,
        "import-oci: a newline in linux.rootfsPropagation injects no mount "
        "(refused as an unknown propagation)", "exit %d\n%s%s" % (rc, out.decode(), err.decode()))


def hostile_plan(work, name, targets):
    """A plan with one tmpfs per hostile target and a bind with a hostile
    source; returns its path."""
    mounts = [{"target": "/" + t.lstrip("/")[:1000],
               "type": "tmpfs", "options": ["nosuid", "nodev", "size=1m"]}
              for t in targets]
    mounts.append({"target": "/srcbind", "type": "bind",
                   "source": "/srv/x\ny\t\x1b[31m\\\"'\x85\u2028"})
    plan = {"mountplan": 1, "name": name,
            "rootfs": {"path": os.path.join(work, "rootfs"), "readonly": True},
            "mounts": mounts}
    path = os.path.join(work, name + ".yaml")
    with open(path, "w") as f:
        yaml.safe_dump(plan, f, allow_unicode=True, width=10**9)
    return path, mounts


def json_writers(work):
    plan_a, mounts = hostile_plan(work, "a", HOSTILE[1:])
    plan_b, _ = hostile_plan(work, "b", HOSTILE[1:8])
    want_targets = {m["target"] for m in mounts}
    mi = os.path.join(work, "mountinfo")
    with open(mi, "w") as f:
        # An extra mount whose path and source hold escaped newline, tab,
        # backslash and a byte that is not UTF-8 (the kernel's \ooo escapes).
        f.write("22 1 0:20 / / rw,relatime - tmpfs tmpfs rw\n"
                "36 22 0:32 / /inj\\012ected\\040x\\134\\011\\377\\033 rw,relatime shared:1 "
                "- tmpfs src\\012two rw\n")
    cases = [
        ("table --format=json", ["table", plan_a, "--format=json"], 0),
        ("check --format=json", ["check", plan_a, "--format=json"], None),
        ("check --format=sarif", ["check", plan_a, "--format=sarif"], None),
        ("diff --format=json", ["diff", plan_a, plan_b, "--format=json"], 1),
        ("export-oci", ["export-oci", plan_a], 0),
        ("verify --format=json", ["verify", plan_b, mi, "--format=json"], 1),
    ]
    for desc, args, want_rc in cases:
        rc, out, err = run(args)
        try:
            doc = json.loads(out.decode("utf-8"))
            bad = None
        except (ValueError, UnicodeDecodeError) as e:
            doc, bad = None, "does not parse: %s" % e
        if bad is None and want_rc is not None and rc != want_rc:
            bad = "exit %d, expected %d" % (rc, want_rc)
        if bad is None and desc.startswith("table"):
            got = {m["target"] for m in doc} - {"/"}
            if got != want_targets:
                bad = "targets differ: %r" % sorted(got ^ want_targets)[:5]
        if bad is None and desc == "export-oci":
            got = {m["destination"] for m in doc["mounts"]}
            if not want_targets <= got:
                bad = "destinations differ: %r" % sorted(want_targets - got)[:5]
        if bad is None and desc.startswith("verify"):
            paths = [d["path"] for d in doc["differences"]]
            if "/inj\nected x\\\t\ufffd\x1b" not in paths:
                bad = "the mount table's path did not come back: %r" % paths
        tap(bad is None, "%s: hostile strings give valid JSON holding them" % desc,
            (bad or "") + "\n" + out.decode("utf-8", "replace")[:500] + err.decode("utf-8", "replace")[:500])

    # export-oci --base: the base is read as YAML, where a plain scalar is
    # any text; only JSON literals may pass through unquoted.
    base = os.path.join(work, "base.json")
    with open(base, "w") as f:
        f.write('ociVersion: 1.0.2\nhostname: foo bar, "x" [1]\n'
                'annotations: {a: ~, b: , c: 0x1F, d: .inf, e: -0.5e3, f: 012, g: true}\n')
    rc, out, err = run(["export-oci", plan_b, "--base", base])
    try:
        doc = json.loads(out.decode("utf-8"))
        bad = None
        if doc.get("hostname") != 'foo bar, "x" [1]' or doc["annotations"] != {
                "a": None, "b": None, "c": "0x1F", "d": ".inf", "e": -0.5e3, "f": "012",
                "g": True}:
            bad = "values changed: %r %r" % (doc.get("hostname"), doc.get("annotations"))
    except (ValueError, UnicodeDecodeError) as e:
        bad = "does not parse: %s" % e
    tap(bad is None, "export-oci --base: plain YAML scalars that are no JSON literal become strings",
        (bad or "") + "\n" + out.decode("utf-8", "replace")[:300] + err.decode("utf-8", "replace")[:300])

    # Diagnostics as JSON for a file name that is not UTF-8, holds a
    # newline and a quote.
    name = os.path.join(work.encode(), b'bad\xff\n"name.yaml')
    with open(name, "wb") as f:
        f.write(b"mountplan: 1\nname: x\nrootfs: {path: /r}\nmounts: [{target: a, type: tmpfs}]\n")
    p = subprocess.run([MOUNTPLAN.encode(), b"compile", name, b"-o", b"/dev/null",
                        b"--format=json"], capture_output=True)
    try:
        doc = json.loads(p.stderr.decode("utf-8"))
        bad = None if doc and doc[0]["file"].endswith('bad\ufffd\n"name.yaml') else "file: %r" % doc
    except (ValueError, UnicodeDecodeError) as e:
        bad = "does not parse: %s: %r" % (e, p.stderr[:300])
    tap(bad is None, "diagnostics --format=json: a file name that is not UTF-8 gives valid JSON", bad or "")
    p = subprocess.run([MOUNTPLAN.encode(), b"compile", name, b"-o", b"/dev/null"],
                       capture_output=True)
    lines = p.stderr.split(b"\n")
    why = clean_text(p.stderr)
    tap(why is None and lines[0].count(b": error: ") == 1 and lines[0].endswith(b"]"),
        "diagnostics as text: a hostile file name stays on its line, escaped",
        (why or "") + "\n" + p.stderr.decode("utf-8", "replace"))
    return plan_a, plan_b, mi, len(mounts)


def text_writers(work, plan_a, plan_b, mi, n_mounts):
    mpb = os.path.join(work, "a.mpb")
    run(["compile", plan_a, "-o", mpb])
    cases = [
        # (description, args, expected line count or None)
        ("table", ["table", plan_a], n_mounts + 2),          # header + / + mounts
        ("dump", ["dump", mpb], None),
        ("diff", ["diff", plan_a, plan_b], None),
        ("verify", ["verify", plan_b, mi], None),
        ("check", ["check", plan_a], None),
    ]
    for desc, args, n_lines in cases:
        rc, out, err = run(args)
        text = out + err
        why = clean_text(text)
        lines = out.decode("utf-8", "replace").splitlines()
        if why is None and n_lines is not None and len(lines) != n_lines:
            why = "%d lines, expected %d" % (len(lines), n_lines)
        if why is None and desc == "dump":
            ops = [l for l in lines if l[:4].strip().isdigit()]
            if len(ops) != len(lines) - 1:
                why = "a line that is no op: %r" % [l for l in lines[1:] if l not in ops][:3]
        if why is None and desc == "verify" and not any(
                l.startswith("/inj\\nected x\\\\\\t\\xff\\x1b: extra") for l in lines):
            why = "the extra mount is not one escaped line: %r" % lines
        tap(why is None, "%s as text: hostile strings stay on their line, escaped" % desc,
            (why or "") + "\n" + text.decode("utf-8", "replace")[:800])


def main():
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "rootfs"))
        import_oci(work)
        a, b, mi, n = json_writers(work)
        text_writers(work, a, b, mi, n)
    print("1..%d" % len(results))
    failed = 0
    for i, (ok, desc, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        if not ok:
            failed += 1
            for line in detail.splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
