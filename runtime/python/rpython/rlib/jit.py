"""``rpython.rlib.jit`` for Kiln: the JIT hints of ``kiln.jit``."""

from kiln.jit import (  # noqa: F401
    JitDriver,
    assert_green,
    dont_look_inside,
    elidable,
    elidable_promote,
    hint,
    isconstant,
    isvirtual,
    look_inside,
    look_inside_iff,
    loop_invariant,
    oopspec,
    promote,
    promote_string,
    purefunction,
    set_param,
    unroll_safe,
    we_are_jitted,
)
