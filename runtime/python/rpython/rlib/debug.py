"""``rpython.rlib.debug`` for Kiln: ``make_sure_not_resized``."""

from kiln.objectmodel import make_sure_not_resized  # noqa: F401
