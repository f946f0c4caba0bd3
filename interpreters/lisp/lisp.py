"""A small Scheme interpreter written in RPy.

Usage: lisp.py PROGRAM.scm

The program text is read with ``kiln.os.read_file``, turned into data by the reader
(reader.py), and then each top-level form in turn is compiled to an AST (compiler.py)
and evaluated (interp.py). Output goes to fd 1 with ``kiln.os.write``.

An error in the program (syntax, unbound variable, wrong type, wrong argument count,
``(error ...)``) is a ``LispError``: it stops the run, prints ``error: <message>`` on
stderr and exits with status 1. A recursion deeper than the stack allows is reported
the same way. Output written before the error stays written.

Modules: objects.py (values, frames, errors), reader.py, compiler.py, interp.py (the AST
nodes and the evaluation loop), primitives.py (the builtin procedures).
"""

from kiln.os import read_file, write

from compiler import compile_toplevel
from objects import LispError
from reader import read_program
import primitives  # noqa: F401  (installs the builtins in the global environment)


def run_program(source):
    """Read the program text ``source`` and evaluate its top-level forms in order."""
    forms = read_program(source)
    for w_form in forms:
        compile_toplevel(w_form).eval(None)


def entry_point(argv):
    if len(argv) != 2:
        write(2, "usage: lisp PROGRAM.scm\n")
        return 2
    path = argv[1]
    try:
        source = read_file(path)
    except OSError:
        write(2, "error: cannot read " + path + "\n")
        return 1
    try:
        run_program(source)
    except LispError as e:
        write(2, "error: " + str(e) + "\n")
        return 1
    except RecursionError:
        write(2, "error: recursion too deep\n")
        return 1
    return 0


if __name__ == "__main__":
    import sys

    # Every Lisp call that is not a tail call nests a few Python calls; allow deep
    # recursion under CPython (3.11 and later do not use the C stack for these).
    sys.setrecursionlimit(200000)
    sys.exit(entry_point(sys.argv))
