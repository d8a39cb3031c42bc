# Round trips: simulate (predicted table), verify, diff, OCI import/export.
