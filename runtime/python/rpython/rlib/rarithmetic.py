"""``rpython.rlib.rarithmetic`` for Kiln: the machine-word helpers of ``kiln.rarith``."""

from kiln.rarith import (  # noqa: F401
    LONG_BIT,
    intmask,
    is_valid_int,
    maxint,
    ovfcheck,
    r_int,
    r_longlong,
    r_uint,
    r_ulonglong,
    string_to_int,
)
