"""Garbage collector control for RPy programs.

``collect()`` runs a full collection: under CPython ``gc.collect()``, in a translated
binary a major collection of the collector chosen with ``kiln translate --gc=``.

``disable()``, ``enable()`` and ``isenabled()`` are CPython's ``gc`` switches. As under
CPython, where reference counting goes on freeing memory while the cycle collector is
off, a translated program's collector keeps reclaiming memory after ``disable()``:
the switch is what ``isenabled()`` reports, and ``collect()`` still collects.
"""

import gc as _gc


def collect():
    """Run a full garbage collection."""
    _gc.collect()


def disable():
    """Turn automatic collection off (see the module's note)."""
    _gc.disable()


def enable():
    """Turn automatic collection back on."""
    _gc.enable()


def isenabled():
    """Whether automatic collection is on."""
    return _gc.isenabled()
