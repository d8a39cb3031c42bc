#!/bin/bash
# tests/check_sarif.sh: plan-check's JSON and SARIF outputs.  The JSON is
# one array of objects with fixed keys and types; the SARIF validates
# against the SARIF 2.1.0 schema (tests/data, python3-jsonschema), lists
# every rule with its help text, and holds the same findings as the JSON.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
SCHEMA=$top_srcdir/tests/data/sarif-schema-2.1.0.json
make_work
plan 10

# A run over several plans: rule findings, a compiler error, a file name
# that needs percent-encoding in a URI.
cp "$top_srcdir/tests/lint/device-memory-bad.yaml" "$work/with space.yaml"
printf 'mountplan: 1\nname: t\nmounts:\n  - target: relative\n    type: tmpfs\n' >"$work/error.yaml"
inputs=("$top_srcdir"/tests/lint/*-bad.yaml "$work/with space.yaml" "$work/error.yaml")
"$MOUNTPLAN" check --severity-threshold=note --format=json "${inputs[@]}" >"$work/out.json"
"$MOUNTPLAN" check --severity-threshold=note --format=sarif "${inputs[@]}" >"$work/out.sarif"
"$MOUNTPLAN" check --format=sarif "$top_srcdir/tests/lint/tmpfs-no-size-good.yaml" >"$work/empty.sarif"
"$MOUNTPLAN" check --list-rules | awk '{print $1}' >"$work/rules"

# py NAME SCRIPT: run a Python check; ok when it exits 0.
py() {
	local name=$1 msg
	if msg=$(cd "$work" && "$PY" -c "$2" 2>&1); then ok "$name"; else not_ok "$name" "$msg"; fi
}

py "JSON: an array of findings with file, line, column, severity, id, message" '
import json
d = json.load(open("out.json"))
assert isinstance(d, list) and len(d) > 30, len(d)
for x in d:
    assert set(x) == {"file", "line", "column", "severity", "id", "message"}, x
    assert isinstance(x["file"], str) and isinstance(x["message"], str)
    assert isinstance(x["line"], int) and isinstance(x["column"], int)
    assert x["line"] >= 1 and x["column"] >= 1, x
    assert x["severity"] in ("note", "warning", "error"), x
    assert x["id"].startswith(("PC-", "MP-")), x
assert any(x["id"].startswith("MP-") and x["severity"] == "error" for x in d)
'
# The schema file keeps the log object itself in definitions/Root and
# has no top-level reference to it, so validating against the file as it
# is would accept anything: validate against definitions/Root.
VALIDATOR='
import json, jsonschema
schema = json.load(open("'"$SCHEMA"'"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
root = cls(dict(schema, **{"$ref": "#/definitions/Root"}))
def problems(doc):
    return [e.message for e in root.iter_errors(doc)][:5]
'
py "SARIF: valid against the SARIF 2.1.0 schema" "$VALIDATOR"'
assert not problems(json.load(open("out.sarif"))), problems(json.load(open("out.sarif")))
'
py "SARIF without findings: valid, results empty" "$VALIDATOR"'
d = json.load(open("empty.sarif"))
assert not problems(d), problems(d)
assert d["runs"][0]["results"] == []
'
py "the schema check can fail: a bad level, a missing version are refused" "$VALIDATOR"'
d = json.load(open("out.sarif"))
d["runs"][0]["results"][0]["level"] = "bogus"
assert problems(d)
d = json.load(open("out.sarif"))
del d["version"]
assert problems(d)
'
py "SARIF: version 2.1.0, one run by plan-check" '
import json
d = json.load(open("out.sarif"))
assert d["version"] == "2.1.0" and len(d["runs"]) == 1
assert d["runs"][0]["tool"]["driver"]["name"] == "plan-check"
'
py "SARIF: tool.driver.rules holds every rule with its help text and page" '
import json
rules = json.load(open("out.sarif"))["runs"][0]["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
want = open("rules").read().split()
assert ids[:len(want)] == want, (ids, want)
for r in rules[:len(want)]:
    assert r["shortDescription"]["text"] and len(r["help"]["text"]) > 40, r["id"]
    assert r["help"]["markdown"].startswith("## " + r["id"]), r["id"]
    assert r["defaultConfiguration"]["level"] in ("note", "warning", "error")
assert "MP-PATH" in ids[len(want):], ids[len(want):]
'
py "SARIF: each result names its rule by id and index, with level and message" '
import json
run = json.load(open("out.sarif"))["runs"][0]
rules = run["tool"]["driver"]["rules"]
for r in run["results"]:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"], r
    assert r["level"] in ("note", "warning", "error") and r["message"]["text"], r
'
py "SARIF and JSON hold the same findings at the same places" '
import json, urllib.parse
j = sorted((x["file"], x["line"], x["column"], x["id"], x["severity"], x["message"])
           for x in json.load(open("out.json")))
s = []
for r in json.load(open("out.sarif"))["runs"][0]["results"]:
    loc = r["locations"][0]["physicalLocation"]
    s.append((urllib.parse.unquote(loc["artifactLocation"]["uri"]),
              loc["region"]["startLine"], loc["region"]["startColumn"],
              r["ruleId"], r["level"], r["message"]["text"]))
assert j == sorted(s), (len(j), len(s))
'
py "SARIF: a file name with a space is percent-encoded" '
import json
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.load(open("out.sarif"))["runs"][0]["results"]}
assert any(u.endswith("/with%20space.yaml") for u in uris), uris
assert not any(" " in u for u in uris)
'
py "JSON: the exact finding of one plan" '
import json
d = [x for x in json.load(open("out.json")) if x["file"].endswith("with space.yaml")]
assert [(x["line"], x["column"], x["id"], x["severity"]) for x in d] == \
    [(8, 6, "PC-DEVICE-MEMORY", "error")], d
assert "/dev/mem" in d[0]["message"]
'
done_testing
