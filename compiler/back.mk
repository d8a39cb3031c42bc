# The back end: normalize, validate, order, lower, emit, dump; the driver.
libplan_a_SOURCES +=
