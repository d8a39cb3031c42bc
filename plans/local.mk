# plans/ and schema/: shipped plans and the plan format's JSON Schema.
plansdir = $(pkgdatadir)/plans
dist_plans_DATA = \
	plans/bwrap-sandbox.yaml \
	plans/docker-2014-namespaces.yaml \
	plans/docker-2014-restrict.yaml \
	plans/docker-default.yaml \
	plans/gvisor-sandbox.yaml \
	plans/minimal.yaml \
	plans/nsinit.yaml \
	plans/overlay-root.yaml \
	plans/rootless.yaml \
	plans/runc-default.yaml
schemadir = $(pkgdatadir)/schema
dist_schema_DATA = schema/plan.schema.json

# The schema against every plan and a corpus of documents that must not
# validate (tests/schema/bad-*.yaml).
TESTS += tests/schema.sh
EXTRA_DIST += tests/schema.sh tests/schema
