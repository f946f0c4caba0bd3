"""``rpython.jit.codewriter``: only ``policy`` (see ``rpython``)."""
