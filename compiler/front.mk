# The front end: load (YAML) and shape (plan model).
libplan_a_SOURCES += \
	compiler/node.h compiler/load.c compiler/shape.c compiler/plan.c
