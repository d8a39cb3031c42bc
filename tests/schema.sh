#!/bin/bash
# tests/schema.sh: schema/plan.schema.json against the plans.  The
# schema names the keys, required keys and enumerations of
# doc/plan-format.md (tests/schema/doc_keys.py).  Every plan
# in plans/, every document the front end's tests call valid
# (tests/valid/*.yaml) and every tests/schema/good-*.yaml must validate;
# every tests/schema/bad-*.yaml (first line: what is wrong with it) must
# not.  The compiler must agree on the tests/schema documents: it compiles
# each good one and rejects each bad one (exit 1).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
"$PY" -c 'import yaml, jsonschema' 2>/dev/null ||
	skip_all "$PY lacks yaml or jsonschema (apt-get install python3-yaml python3-jsonschema)"
make_work
cd "$top_srcdir" || exit 1
good=$(ls plans/*.yaml tests/valid/*.yaml tests/schema/good-*.yaml 2>/dev/null)
bad=$(ls tests/schema/bad-*.yaml)
schema_docs=$(ls tests/schema/*.yaml)
plan $(( $(echo "$good" | wc -l) + $(echo "$bad" | wc -l) + 2 + $(echo "$schema_docs" | wc -l) ))

if out=$("$PY" tests/schema/doc_keys.py schema/plan.schema.json doc/plan-format.md 2>&1); then
	ok "the schema's keys, required keys and enumerations are doc/plan-format.md's"
else
	not_ok "the schema's keys, required keys and enumerations are doc/plan-format.md's" "$out"
fi

# One Python run validates every document; it prints "FILE<TAB>ERROR"
# per document, ERROR empty when the document validates.
"$PY" - schema/plan.schema.json $good $bad >"$work/results" 2>"$work/py.err" <<'PYEOF'
import json, sys
import jsonschema, yaml
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = yaml.safe_load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        msg = "" if not errors else "%s: %s" % (
            "/".join(str(p) for p in errors[0].absolute_path) or "(top)",
            errors[0].message)
    except yaml.YAMLError as e:
        msg = "YAML: %s" % str(e).replace("\n", " ")
    print("%s\t%s" % (path, msg.replace("\n", " ")[:300]))
PYEOF
if [ -s "$work/py.err" ] || [ ! -s "$work/results" ]; then
	not_ok "the schema is a valid draft 2020-12 schema and the validator runs" "$(cat "$work/py.err")"
else
	ok "the schema is a valid draft 2020-12 schema and the validator runs"
fi

# result FILE: the validator's error for FILE ("" when valid), or "missing".
result() {
	awk -F'\t' -v f="$1" '$1 == f { found = 1; print $2 } END { if (!found) print "missing" }' \
		"$work/results"
}

for f in $good; do
	r=$(result "$f")
	if [ -z "$r" ]; then ok "$f validates"; else not_ok "$f validates" "$r"; fi
done
for f in $bad; do
	why=$(sed -n '1s/^# *//p' "$f")
	r=$(result "$f")
	if [ -n "$r" ] && [ "$r" != missing ]; then
		ok "$f does not validate ($why): $r"
	else
		not_ok "$f does not validate ($why)"
	fi
done

# The compiler on the same documents.
for f in $schema_docs; do
	"$MOUNTPLAN" compile "$f" -o "$work/out.mpb" >"$work/err" 2>&1
	rc=$?
	case $f in
	*/good-*)
		if [ "$rc" = 0 ]; then ok "mountplan compiles $f"
		else not_ok "mountplan compiles $f" "exit $rc" "$(head -5 "$work/err")"; fi ;;
	*)
		if [ "$rc" = 1 ]; then ok "mountplan rejects $f"
		else not_ok "mountplan rejects $f" "exit $rc (want 1)" "$(head -5 "$work/err")"; fi ;;
	esac
done
done_testing
