"""``rpython.translator``: only ``driver``, for targets run under CPython (see ``rpython``)."""
