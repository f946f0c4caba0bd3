"""``rpython.jit``: only ``codewriter.policy``, for targets' ``jitpolicy`` (see ``rpython``)."""
