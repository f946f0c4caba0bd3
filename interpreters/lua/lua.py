"""A Lua 5.4 VM written in RPy.

Usage: lua.py [SCRIPT [ARGS...]]   (no SCRIPT: the program is read from stdin)

The script is parsed (lexer.py, parser.py), compiled to register bytecode
(compiler.py) and run by the dispatch loop (interp.py, with the value operations of
operations.py) with the standard library (lib*.py, lstrings.py). As lua5.4, an uncaught error prints ``lua: <message>`` and a
traceback line on stderr and exits with status 1.
"""

from kiln.os import read as os_read
from kiln.os import read_file, write

from interp import call_function
from objects import A_TOSTRING, get_metamethod
from operations import RtError, flush_out, state, tostring, tostring_basic
from lib import load_source
from libutil import ExitProgram
from objects import LuaError, W_Int, W_Str, W_Table


def report(msg):
    flush_out()
    write(2, "lua: " + msg + "\nstack traceback:\n\t[C]: in ?\n")


def error_message(w_value):
    if isinstance(w_value, W_Str):
        return w_value.value
    if isinstance(w_value, W_Int) or w_value.typename() == "number":
        return tostring_basic(w_value)
    w_h = get_metamethod(w_value, A_TOSTRING)
    if w_h.typename() != "nil":
        try:
            return tostring(w_value)
        except LuaError:
            pass
        except RtError:
            pass
    return "(error object is a %s value)" % w_value.typename()


def read_stdin():
    parts = []
    while True:
        data = os_read(0, 65536)
        if data == "":
            break
        parts.append(data)
    return "".join(parts)


def run(argv):
    if len(argv) < 2:
        script = "stdin"
        source = read_stdin()
        script_index = 0
    else:
        script = argv[1]
        script_index = 1
        try:
            source = read_file(script)
        except OSError:
            flush_out()
            write(2, "lua: cannot open " + script + "\n")
            return 1
    w_arg = W_Table()
    w_arg.setint(-1, W_Str("lua"))
    for i in range(len(argv)):
        if i >= script_index:
            w_arg.set(W_Int(i - script_index), W_Str(argv[i]))
    state.globals.setstr("arg", w_arg)
    state.script = script
    args = []
    for i in range(script_index + 1, len(argv)):
        args.append(W_Str(argv[i]))
    try:
        w_main = load_source(source, script)
        call_function(w_main, args)
    except LuaError as e:
        report(error_message(e.w_value))
        return 1
    except RtError as e:
        report(e.msg)
        return 1
    except RecursionError:
        report("stack overflow")
        return 1
    except ExitProgram as e:
        flush_out()
        return e.status
    flush_out()
    return 0


def entry_point(argv):
    return run(argv)


if __name__ == "__main__":
    import sys

    sys.setrecursionlimit(100000)
    sys.exit(entry_point(sys.argv))
