"""A Brainfuck interpreter written in RPy.

Usage: bf.py PROGRAM.b

The program text is read with ``kiln.os.read_file``; every character other than the
eight commands ``> < + - . , [ ]`` is a comment. The interpreter first keeps only the
commands, as a string (the program), and precomputes, for every bracket, the position of
its partner, so a jump is a single list lookup. It then runs the commands on a tape of
30,000 cells:

- cells hold 0..255 and wrap around (8-bit arithmetic);
- ``.`` writes the cell's character with ``kiln.os.write(1, ...)``, one call per
  character, like the classic RPython tutorial interpreter (the translated runtime
  buffers fd 1 itself);
- ``,`` reads one character with ``kiln.os.read(0, 1)`` and leaves the cell unchanged at
  end of input;
- moving the pointer outside the tape is an error in the program, and its effect is
  undefined.

The interpreter carries the JIT hints of the RPython tutorial: a ``JitDriver`` whose
greens are the position and the program (the command string and the bracket partners)
and whose reds are the tape and the pointer, a ``get_printable_location`` for the JIT
log, an ``@elidable`` bracket lookup, and a ``can_enter_jit`` at the back jump of ``]``
(the JIT counts, and enters compiled loops, only after it). The program is a string, as in the tutorial:
a string never changes, so the JIT reads a command at a constant position of the
constant program as a constant, and the dispatch on it disappears from the trace (a list
could be changed by anyone, so its items are read at run time). ``kiln translate --jit``
makes a VM with a JIT from the hints; without ``--jit`` (and under CPython) they do
nothing.

The code keeps to the RPy subset of the second language level: functions, ints, str
indexing, ``len`` and ``join``, lists (indexing, ``append``, ``[0] * n``), ``while`` and
``for ... in range`` loops.
"""

from kiln.jit import JitDriver, elidable
from kiln.os import read, read_file, write

TAPE_SIZE = 30000

COMMANDS = "><+-.,[]"


def get_location(pc, code, targets):
    """Where the interpreter is, for the JIT log: the position and its command."""
    return "#%d %s" % (pc, code[pc])


jitdriver = JitDriver(greens=["pc", "code", "targets"], reds=["ptr", "tape"], get_printable_location=get_location)


@elidable
def get_matching_bracket(targets, pc):
    """The position of the partner of the bracket at ``pc``; ``targets`` never changes
    once the program runs, so the JIT may fold the lookup for a constant ``pc``."""
    return targets[pc]


def parse(source):
    """Return the commands of ``source`` as a string, dropping every other character."""
    code = []
    for i in range(len(source)):
        c = source[i]
        if c in COMMANDS:
            code.append(c)
    return "".join(code)


def match_brackets(code, targets):
    """Store each bracket's partner position in ``targets``.

    Return -1 when every bracket is matched, or else the position of the first bracket
    without a partner.
    """
    n = len(code)
    # The positions of the '[' still open, as a stack held in a list and a depth.
    open_positions = [0] * n
    depth = 0
    for pc in range(n):
        op = code[pc]
        if op == "[":
            open_positions[depth] = pc
            depth += 1
        elif op == "]":
            if depth == 0:
                return pc
            depth -= 1
            start = open_positions[depth]
            targets[start] = pc
            targets[pc] = start
    if depth > 0:
        return open_positions[depth - 1]
    return -1


def run(code, targets):
    """Execute the commands ``code`` with the bracket partners ``targets``."""
    tape = [0] * TAPE_SIZE
    ptr = 0
    pc = 0
    while pc < len(code):
        jitdriver.jit_merge_point(pc=pc, code=code, targets=targets, ptr=ptr, tape=tape)
        op = code[pc]
        if op == "+":
            tape[ptr] = (tape[ptr] + 1) & 255
        elif op == "-":
            tape[ptr] = (tape[ptr] - 1) & 255
        elif op == ">":
            ptr += 1
        elif op == "<":
            ptr -= 1
        elif op == "[":
            if tape[ptr] == 0:
                pc = get_matching_bracket(targets, pc)
        elif op == "]":
            if tape[ptr] != 0:
                pc = get_matching_bracket(targets, pc)
                # A back jump of the bf program: with --jit, the JIT counts (and enters
                # compiled loops) only at the merge point after this.
                jitdriver.can_enter_jit(pc=pc, code=code, targets=targets, ptr=ptr, tape=tape)
        elif op == ".":
            write(1, chr(tape[ptr]))
        elif op == ",":
            s = read(0, 1)
            if len(s) > 0:
                tape[ptr] = ord(s[0]) & 255
        pc += 1


def entry_point(argv):
    if len(argv) != 2:
        write(2, "usage: bf PROGRAM.b\n")
        return 2
    code = parse(read_file(argv[1]))
    targets = [0] * len(code)
    bad = match_brackets(code, targets)
    if bad >= 0:
        if code[bad] == "[":
            write(2, "bf: unmatched '['\n")
        else:
            write(2, "bf: unmatched ']'\n")
        return 1
    run(code, targets)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
