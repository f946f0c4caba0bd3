"""``rpython.rlib.rgc`` for Kiln: ``collect``."""

from kiln.rgc import collect  # noqa: F401
