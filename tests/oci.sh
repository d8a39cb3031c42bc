#!/bin/bash
# tests/oci.sh: OCI import and export.  `runc spec`'s config.json is
# imported, compiled and exported again with --base: the mount fields come
# back equal (up to root.path made absolute and empty lists), and importing
# the export gives the same plan (mountplan diff: equal).  Each OCI field
# of the mapping round-trips; what a plan cannot express is an error at the
# JSON field's line:col (and nothing is written); what OCI cannot express
# is an export error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v runc >/dev/null || skip_all "runc not installed (Debian package runc)"
plan 26
PY=${PYTHON3:-/usr/bin/python3}
make_work
cd "$work" || exit 99
mkdir rootfs
runc spec || exit 99

"$MOUNTPLAN" import-oci config.json -o plan.yaml 2>err
check "runc spec's config imports" [ $? = 0 -a -s plan.yaml ]
"$MOUNTPLAN" compile plan.yaml -o plan.mpb 2>err
check "the imported plan compiles" [ $? = 0 ]
check "runc's implicit /dev became dev: standard" grep -qx 'dev: standard' plan.yaml
"$MOUNTPLAN" export-oci plan.yaml --base config.json >exported.json 2>err
check "the plan exports with --base" [ $? = 0 ]
mkdir norootfs && cp config.json norootfs/
(cd norootfs && "$MOUNTPLAN" import-oci config.json -o plan.yaml) 2>err
check "a relative root.path whose rootfs does not exist yet becomes a clean absolute path" \
	grep -qx "  path: \"$(realpath norootfs)/rootfs\"" norootfs/plan.yaml

# same_config A B: the OCI configs are equal up to root.path (made
# absolute), an empty options list and an empty linux.devices.
same_config() {
	"$PY" - "$1" "$2" <<'PY'
import json, os, sys
def norm(c, base):
    c = json.loads(json.dumps(c))
    p = c.get("root", {}).get("path")
    if p is not None:
        c["root"]["path"] = os.path.realpath(os.path.join(base, p))
    for m in c.get("mounts", []):
        if not m.get("options"):
            m.pop("options", None)
    if not c.get("linux", {}).get("devices"):
        c.get("linux", {}).pop("devices", None)
    return c
a = norm(json.load(open(sys.argv[1])), os.path.dirname(os.path.abspath(sys.argv[1])))
b = norm(json.load(open(sys.argv[2])), os.path.dirname(os.path.abspath(sys.argv[2])))
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        print("differs:", k, json.dumps(a.get(k))[:400], "->", json.dumps(b.get(k))[:400])
        sys.exit(1)
PY
}
if out=$(same_config config.json exported.json); then
	ok "export(import(config)) equals config"
else
	not_ok "export(import(config)) equals config" "$out"
fi
"$MOUNTPLAN" import-oci exported.json -o again.yaml 2>err && "$MOUNTPLAN" diff plan.yaml again.yaml >out 2>&1
check "import(export(plan)) is the same plan (mountplan diff: equal)" [ $? = 0 ]

# A config with every field of the mapping.
"$PY" - config.json full.json <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["readonly"] = False
c["process"]["cwd"] = "/tmp"
c["process"]["user"]["umask"] = 23
c["linux"]["rootfsPropagation"] = "rprivate"
c["linux"]["devices"] = [
    {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
    {"path": "/dev/loop9", "type": "b", "major": 7, "minor": 9, "fileMode": 384, "uid": 0, "gid": 6},
]
c["mounts"] += [
    {"destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "rro", "nosuid", "rslave"]},
    {"destination": "/cache", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "size=1m", "noatime"]},
    # an SELinux context with an MCS pair: one option, commas and all
    {"destination": "/ctx", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "context=\"system_u:object_r:container_file_t:s0:c715,c811\"", "size=1m"]},
    {"destination": "/idm", "type": "bind", "source": "/srv", "options": ["bind", "idmap"],
     "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
     "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]},
]
json.dump(c, open(sys.argv[2], "w"), indent="\t")
PY
"$MOUNTPLAN" import-oci full.json -o full.yaml 2>err && "$MOUNTPLAN" compile full.yaml -o full.mpb 2>>err
check "a config with every mapped field imports and compiles" [ $? = 0 ]
"$MOUNTPLAN" export-oci full.yaml --base full.json >full2.json 2>err
if out=$(same_config full.json full2.json); then
	ok "every mapped field round-trips"
else
	not_ok "every mapped field round-trips" "$out" "$(cat err)"
fi
"$MOUNTPLAN" table full.yaml >table 2>&1
check "the imported idmap bind is in the table as idmapped" grep -q '^/idm .*idmap' table

# linux.namespaces: a new pid and ipc namespace are the plan's (format 2),
# network and uts stay the caller's; joining a pid namespace (a path) is
# left to the caller with a note.  Export adds the plan's pid and ipc
# namespaces (base's stay, and a plan without them keeps base's).
check "runc spec's pid and ipc namespaces become namespaces: {pid: true, ipc: true}" \
	eval 'sed -n "/^namespaces:/,/^[a-z]/p" plan.yaml | grep -qx "  pid: true" &&
	sed -n "/^namespaces:/,/^[a-z]/p" plan.yaml | grep -qx "  ipc: true" &&
	! grep -q "network\|uts" plan.yaml && grep -qx "mountplan: 2" plan.yaml'
"$PY" - config.json joined.json <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"]["namespaces"] = [{"type": "pid", "path": "/proc/1/ns/pid"}, {"type": "mount"}]
json.dump(c, open(sys.argv[2], "w"), indent="\t")
PY
"$MOUNTPLAN" import-oci joined.json -o joined.yaml 2>joined.err
check "a pid namespace to join is the caller's: a note at its path, no namespaces: in the plan" \
	eval '[ $? = 0 ] && ! grep -q "^namespaces:" joined.yaml &&
	grep -q "^joined.json:[0-9]*:[0-9]*: note: linux.namespaces.path: joining the pid namespace is left to the caller" joined.err'
cat >ns.yaml <<'PLAN'
mountplan: 2
name: ns
namespaces: [pid, ipc, cgroup]
mounts: [{target: /proc, type: proc}]
PLAN
"$MOUNTPLAN" export-oci ns.yaml >ns.json 2>err
check "export without --base writes the plan's pid, ipc and cgroup namespaces" \
	eval '"$PY" -c "import json,sys; t=[n[\"type\"] for n in json.load(open(\"ns.json\"))[\"linux\"][\"namespaces\"]]; sys.exit(sorted(t) != [\"cgroup\", \"ipc\", \"pid\"])"'
"$PY" - config.json nopid.json <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] not in ("pid", "ipc")]
json.dump(c, open(sys.argv[2], "w"), indent="\t")
PY
"$MOUNTPLAN" export-oci ns.yaml --base nopid.json >ns2.json 2>err
check "export --base adds the plan's pid and ipc namespaces to a base without them, keeping base's others" \
	eval '"$PY" -c "import json,sys; t=[n[\"type\"] for n in json.load(open(\"ns2.json\"))[\"linux\"][\"namespaces\"]]; sys.exit(sorted(t) != sorted([\"pid\", \"ipc\", \"network\", \"uts\", \"mount\", \"cgroup\"]) or len(t) != 6)"'
"$MOUNTPLAN" import-oci ns2.json -o ns2.yaml 2>err && "$MOUNTPLAN" diff ns.yaml ns2.yaml >out 2>&1
check "import(export(plan with pid, ipc, cgroup)): the namespaces are the same (no namespaces change in diff)" \
	eval '! grep -q namespaces out'

# Errors at the JSON field.
"$PY" - config.json bad.json <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["mounts"][0]["options"] = ["nosiud"]
c["mounts"].append({"type": "tmpfs"})
c["linux"]["devices"] = [{"path": "/dev/x", "type": "q", "major": 1, "minor": 1}]
json.dump(c, open(sys.argv[2], "w"), indent="\t")
PY
echo keep >bad.yaml
"$MOUNTPLAN" import-oci bad.json -o bad.yaml 2>err
check "a config the plan cannot express: exit 1" [ $? = 1 ]
line=$(grep -n '"nosiud"' bad.json | cut -d: -f1)
check "an unknown option is reported at its JSON line:col" \
	grep -q "^bad.json:$line:5: error: mounts\[0\].options\[0\]: unknown option 'nosiud'" err
check "a mount without destination is named" grep -q 'error: mounts\[7\]: has no destination' err
check "a bad device type is named" grep -q 'error: linux.devices\[0\].type: must be c, b, u or p' err
check "nothing written on error" [ "$(cat bad.yaml)" = keep ]

# What OCI cannot express.
cat >hole.yaml <<'PLAN'
mountplan: 1
name: hole
mounts: [{target: /proc, type: proc}]
symlinks: [{path: /etc/mtab, target: /proc/self/mounts}]
readonly: [{path: /proc, writable: [/proc/1/attr]}]
PLAN
"$MOUNTPLAN" export-oci hole.yaml >out 2>err
rc=$?
if [ $rc = 1 ] && grep -q 'hole.yaml:5:37: error: OCI readonlyPaths have no writable holes' err &&
   grep -q 'OCI has no symlinks: /etc/mtab' err; then
	ok "export: a writable hole and a symlink are errors (exit 1)"
else
	not_ok "export: a writable hole and a symlink are errors (exit 1)" "exit $rc" "$(cat err)"
fi

# (v2) like-host devices: resolved on the exporting host (this one),
# with a warning; a missing node is an error, or left out with best-effort
cat >like.yaml <<'PLAN'
mountplan: 2
name: like
mounts: [{target: /dev, type: tmpfs}]
devices:
  - {like-host: /dev/tty, mode: 0620}
  - {like-host: /dev/no-such-node, best-effort: true}
PLAN
"$MOUNTPLAN" export-oci like.yaml >out 2>err
rc=$?
if [ $rc = 0 ] && grep -q '"path": "/dev/tty", "type": "c", "major": 5, "minor": 0, "fileMode": 400' out &&
   grep -q "like.yaml:5:17: warning: OCI has no host-derived devices: /dev/tty is exported with this host's c 5:0 mode 0620" err &&
   grep -q 'like.yaml:6:17: warning: OCI has no host-derived devices and like-host /dev/no-such-node: missing on this host: left out (best-effort)' err; then
	ok "export: like-host resolved on this host (warned), a missing best-effort node left out"
else
	not_ok "export: like-host resolved on this host" "exit $rc" "$(cat out err)"
fi
sed -i 's/, best-effort: true//' like.yaml
"$MOUNTPLAN" export-oci like.yaml >out 2>err
check "export: a missing like-host node without best-effort is an error (exit $?)" \
	grep -q 'like.yaml:6:17: error: OCI has no host-derived devices and like-host /dev/no-such-node: missing on this host' err
# the executor's rules (compiler/hostnode.c): a symlink anywhere in the
# host path is refused, for a node and for a glob's directory
ln -s /dev devlink
cat >like.yaml <<PLAN
mountplan: 2
name: like
mounts: [{target: /dev, type: tmpfs}]
devices:
  - {like-host: $PWD/devlink/null, path: /dev/null}
  - like-host: "$PWD/devlink/tt[y]"
PLAN
"$MOUNTPLAN" export-oci like.yaml >out 2>err
rc=$?
check "export: like-host through a symlinked host directory is refused, as mountplan-exec refuses it (exit $rc)" eval \
	'[ $rc = 1 ] && grep -q "like.yaml:5:17: error: OCI has no host-derived devices and like-host $PWD/devlink/null: the host path holds a symbolic link (refused) \[MP-OCI-EXPORT\]$" err &&
	 grep -q "like.yaml:6:16: error: OCI has no host-derived devices and like-host $PWD/devlink/tt\[y\]: the host directory path holds a symbolic link (refused) \[MP-OCI-EXPORT\]$" err'

# Valid JSON that libyaml alone refuses (compiler/json_read.c reads it):
# runc's and crun's own `spec` output (tab-indented), rewritten as JSON
# tools write it: Python's json.dump with an annotation holding a
# character beyond U+FFFF (written as a surrogate pair, \ud83d\ude00), an
# annotation key of 2000 characters, and a key whose ':' is on the next
# line.  Each imports to the same plan as the peer's own output.
mkdir crun && (cd crun && crun spec) || exit 99
for peer in runc crun; do
	dir=.; [ $peer = crun ] && dir=crun
	"$PY" - "$dir/config.json" "$dir/edited.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("annotations", {})["org.example.owner"] = "Zo\u00eb \U0001F600"
c["annotations"]["org.example." + "k" * 2000] = "long"
text = json.dumps(c, indent="\t")
assert "\\ud83d\\ude00" in text, text[:200]
text = text.replace('"ociVersion": ', '"ociVersion"\n\t: ', 1)
open(sys.argv[2], "w").write(text)
PYEOF
	"$MOUNTPLAN" import-oci "$dir/config.json" -o "$dir/own.yaml" 2>err &&
		"$MOUNTPLAN" import-oci "$dir/edited.json" -o "$dir/edited.yaml" 2>>err
	rc=$?
	check "$peer spec's config.json with a surrogate pair, a 2000-character key, a ':' on the next line imports, as the peer's own (exit $rc)" \
		eval '[ $rc = 0 ] && grep -q "^	" "$dir/config.json" && "$MOUNTPLAN" diff "$dir/own.yaml" "$dir/edited.yaml" >/dev/null'
done
done_testing
