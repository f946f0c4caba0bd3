"""Kiln's support package for RPy programs.

RPy code imports its hints and helpers from here: ``kiln.jit`` (JitDriver, promote,
elidable, ...), ``kiln.rarith`` (machine-word arithmetic), ``kiln.objectmodel``
(specialize, unrolling_iterable, ...), ``kiln.os`` and ``kiln.time`` (I/O and clocks on
plain values) and ``kiln.rgc`` (GC control).

This package is pure Python with no dependencies, so the same RPy source runs unmodified
under CPython (``PYTHONPATH=runtime/python python3 prog.py``). Under CPython every JIT hint
is a no-op; under ``kiln translate`` the toolchain recognises these names and gives them
their translated meaning. The behaviour here is the reference the translated binary is
tested against, so it follows the translated semantics wherever CPython's differ (for
example, machine-word wrapping in ``rarith``).
"""
