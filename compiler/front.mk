# The front end: load (YAML) and shape (plan model).
libplan_a_SOURCES +=
