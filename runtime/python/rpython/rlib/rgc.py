"""``rpython.rlib.rgc`` for Kiln: ``collect``, ``disable``, ``enable``, ``isenabled``."""

from kiln.rgc import collect, disable, enable, isenabled  # noqa: F401
