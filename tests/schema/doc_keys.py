#!/usr/bin/python3
"""tests/schema/doc_keys.py SCHEMA DOC: the JSON Schema and
doc/plan-format.md name the same keys.  For each key table of the doc
(Top level, rootfs, process, mounts, devices, symlinks) and the mapping
forms of masks and readonly: the same keys as the schema's object, the
keys whose default is "required" exactly the schema's required ones,
additionalProperties false, and the backticked words of an enumeration
(with "each also with an r prefix" expanded) the schema's enum; a type
written "as for rootfs" / "as `device-policy`" uses the same definition.
Prints one line per mismatch; exit 1 when there is one."""
import json, re, sys
schema = json.load(open(sys.argv[1]))
doc = open(sys.argv[2], encoding="utf-8").read()
problems = []

def resolve(node):
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node

def section(title):
    m = re.search(r"^## %s\n(.*?)(?=^## |\Z)" % re.escape(title), doc, re.S | re.M)
    if not m:
        problems.append("doc has no section '## %s'" % title)
        return ""
    return m.group(1)

def rows(text):
    out = []
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z_-]+)` \|(.*)$", line)
        if m:
            cols = [c.strip() for c in m.group(2).split("|")]
            out.append((m.group(1), cols))
    return out

tables = {
    "Top level": schema,
    "rootfs": resolve(schema["properties"]["rootfs"]),
    "process": resolve(schema["properties"]["process"]),
    "mounts": schema["$defs"]["mount"],
    "devices": schema["$defs"]["device"],
    "symlinks": schema["$defs"]["symlink"],
}
for title, obj in tables.items():
    r = rows(section(title))
    keys = {k for k, _ in r}
    props = set(obj.get("properties", {}))
    if keys != props:
        problems.append("%s: doc keys %s, schema keys %s" % (title, sorted(keys - props), sorted(props - keys)))
    if obj.get("additionalProperties") is not False:
        problems.append("%s: additionalProperties is not false" % title)
    req_doc = {k for k, c in r if len(c) > 1 and c[1] == "required"}
    req_schema = set(obj.get("required", []))
    if req_doc != req_schema:
        problems.append("%s: required in doc %s, in schema %s" % (title, sorted(req_doc), sorted(req_schema)))
    for k, c in r:
        if k not in obj.get("properties", {}):
            continue
        if c[0].startswith("as "):
            # "as for rootfs" / "as `device-policy`": the same definition.
            ref = obj["properties"][k].get("$ref")
            named = re.findall(r"`([a-z-]+)`", c[0])
            if named:
                other = schema["properties"].get(named[0], {})
            else:
                other = resolve(schema["properties"][c[0].split()[-1]])["properties"].get(k, {})
            if not ref or ref != other.get("$ref"):
                problems.append("%s.%s: doc says '%s', schema uses %s, not %s" % (title, k, c[0], ref, other.get("$ref")))
            continue
        prop = resolve(obj["properties"][k])
        if "enum" not in prop:
            continue
        words = set(re.findall(r"`([a-z_-]+)`", c[0]))
        if "r` prefix" in c[0]:
            words |= {"r" + w for w in words if w != "r"}
            words.discard("r")
        if words != set(prop["enum"]):
            problems.append("%s.%s: doc words %s, schema enum %s" % (title, k, sorted(words), sorted(prop["enum"])))

for title, name in (("masks", "mask"), ("readonly", "readonly")):
    text = section(title)
    m = re.search(r"`\{([^`]*)\}`", text)
    keys = set(re.findall(r"([a-z-]+):", m.group(1))) if m else set()
    mapping = [o for o in schema["$defs"][name]["oneOf"] if o.get("type") == "object"]
    props = set(mapping[0]["properties"]) if mapping else set()
    if keys != props:
        problems.append("%s: doc mapping keys %s, schema %s" % (title, sorted(keys), sorted(props)))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
