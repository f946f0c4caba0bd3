"""RPython's module names mapped onto Kiln's support package.

Sources written for RPython import ``rpython.rlib.jit``, ``rpython.rlib.objectmodel``,
``rpython.rlib.rarithmetic``, ``rpython.rlib.unroll``, ``rpython.rlib.debug`` and
``rpython.rlib.rgc``. These modules re-export the names Kiln provides (from ``kiln.*``),
so such sources run under CPython with ``PYTHONPATH=runtime/python`` and translate with
Kiln, which has the same modules built in. A name RPython has and Kiln does not is simply
absent: ``from rpython.rlib.jit import virtual_ref`` raises ``ImportError``, which code
that also runs without RPython may catch. The list of names is in ``docs/language.md``
("Porting from RPython").
"""
