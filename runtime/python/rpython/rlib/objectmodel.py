"""``rpython.rlib.objectmodel`` for Kiln: the helpers of ``kiln.objectmodel``."""

from kiln.objectmodel import (  # noqa: F401
    always_inline,
    compute_hash,
    compute_identity_hash,
    compute_unique_id,
    enforceargs,
    instantiate,
    not_rpython,
    specialize,
    unrolling_iterable,
    we_are_translated,
)
