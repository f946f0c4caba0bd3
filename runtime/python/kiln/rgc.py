"""Garbage collector control for RPy programs.

``collect()`` runs a full collection: under CPython ``gc.collect()``, in a translated
binary a major collection of the collector chosen with ``kiln translate --gc=``.
"""

import gc as _gc


def collect():
    """Run a full garbage collection."""
    _gc.collect()
