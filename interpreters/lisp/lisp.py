"""A small Scheme interpreter written in RPy.

Usage: lisp.py PROGRAM.scm

The program text is read with ``kiln.os.read_file``, turned into data by the reader
(reader.py), and then each top-level form in turn is compiled to an AST (compiler.py)
and evaluated (interp.py). Output goes to fd 1 with ``kiln.os.write``.

An error while running a top-level form (unbound variable, wrong type, wrong argument
count, ``(error ...)``) is a ``LispError``: it prints ``error: <message>`` on stderr
and the interpreter goes on with the next form, as a REPL would; the exit status is then
1. A recursion deeper than the stack allows (RecursionError, which the translated
binary raises from its stack checks) is reported and survived the same way. A syntax
error stops the run before anything is evaluated.

Modules: objects.py (values, frames, errors), reader.py, compiler.py, interp.py (the AST
nodes and the evaluation loop), primitives.py (the builtin procedures).
"""

from kiln.os import read_file, write

from compiler import compile_toplevel
from objects import LispError
from reader import read_program
import primitives  # noqa: F401  (installs the builtins in the global environment)


def run_form(w_form):
    """Compile and evaluate one top-level form; report its error and return False if it
    fails."""
    try:
        compile_toplevel(w_form).eval(None)
    except LispError as e:
        write(2, "error: " + str(e) + "\n")
        return False
    except RecursionError:
        write(2, "error: recursion too deep\n")
        return False
    return True


def run_program(source):
    """Read the program text ``source`` and evaluate its top-level forms in order, going
    on after a form that fails; return the number of failed forms."""
    forms = read_program(source)
    failed = 0
    for w_form in forms:
        if not run_form(w_form):
            failed += 1
    return failed


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
        failed = run_program(source)
    except LispError as e:
        # The reader's errors: nothing was evaluated.
        write(2, "error: " + str(e) + "\n")
        return 1
    if failed > 0:
        return 1
    return 0


if __name__ == "__main__":
    import sys

    # Every Lisp call that is not a tail call nests a few Python calls; allow deep
    # recursion under CPython (3.11 and later do not use the C stack for these).
    sys.setrecursionlimit(200000)
    sys.exit(entry_point(sys.argv))
