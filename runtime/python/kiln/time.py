"""Clocks for RPy programs.

``time()`` is the wall-clock time in seconds since the Unix epoch; ``clock()`` is a
monotonic, high-resolution counter in seconds for measuring intervals (only differences
between two calls are meaningful).
"""

import time as _time


def time():
    """Return the wall-clock time in seconds since the epoch, as a float."""
    return _time.time()


def clock():
    """Return a monotonic performance counter in seconds, as a float."""
    return _time.perf_counter()
