"""``rpython.rlib.unroll`` for Kiln: ``unrolling_iterable``."""

from kiln.objectmodel import unrolling_iterable  # noqa: F401
