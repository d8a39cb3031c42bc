# plans/ and schema/: shipped plans and the plan format's JSON Schema.
plansdir = $(pkgdatadir)/plans
dist_plans_DATA =
schemadir = $(pkgdatadir)/schema
dist_schema_DATA =
