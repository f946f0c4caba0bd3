"""The os and io libraries (stdin is read through a buffer, stdout through interp's)."""

from kiln.os import read as os_read, read_file
from kiln.time import clock as kiln_clock, time as kiln_time
from operations import RtError, W_Builtin, flush_out, state, tonumber_str, write_out
from lexer import is_alnum
from libutil import ExitProgram, fmt_g14, arg, bad_arg, check_int, check_str, one, register
from objects import W_Bool, W_Float, W_Int, W_Nil, W_Str, W_Table, w_nil, w_true


# ------------------------------------------------------------------ os, io


def o_clock(args):
    return one(W_Float(kiln_clock()))


def o_time(args):
    if len(args) > 0 and not isinstance(args[0], W_Nil):
        raise RtError("os.time with a table argument is not supported", 0)
    return one(W_Int(int(kiln_time())))


def o_exit(args):
    status = 0
    w = arg(args, 0)
    if isinstance(w, W_Bool):
        if not w.value:
            status = 1
    elif not isinstance(w, W_Nil):
        status = check_int(args, 0, "exit")
    raise ExitProgram(status)


def o_getenv(args):
    name = check_str(args, 0, "getenv")
    try:
        env = read_file("/proc/self/environ")
    except OSError:
        return one(w_nil)
    for entry in env.split("\0"):
        if entry.startswith(name + "="):
            return one(W_Str(entry[len(name) + 1:]))
    return one(w_nil)


def io_write_values(args, start):
    for i in range(start, len(args)):
        w = args[i]
        if isinstance(w, W_Str):
            write_out(w.value)
        elif isinstance(w, W_Int):
            write_out(str(w.value))
        elif isinstance(w, W_Float):
            write_out(fmt_g14(w.value))  # io.write uses "%.14g": no ".0"
        else:
            raise bad_arg(i - start, "write", "string expected, got " + w.typename())


def io_write(args):
    io_write_values(args, 0)
    return one(w_stdout)


def file_write(args):
    io_write_values(args, 1)
    return one(w_stdout)


class Stdin(object):
    def __init__(self):
        self.buf = ""
        self.pos = 0
        self.eof = False

    def fill(self):
        if self.eof:
            return False
        flush_out()
        data = os_read(0, 65536)
        if data == "":
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + data
        self.pos = 0
        return True

    def read_line(self, keep_nl):
        while True:
            k = self.buf.find("\n", self.pos)
            if k >= 0:
                end = k
                if keep_nl:
                    end = k + 1
                line = self.buf[self.pos:end]
                self.pos = k + 1
                return line
            if not self.fill():
                if self.pos >= len(self.buf):
                    return None
                line = self.buf[self.pos:]
                self.pos = len(self.buf)
                return line

    def read_all(self):
        while self.fill():
            pass
        s = self.buf[self.pos:]
        self.pos = len(self.buf)
        return s

    def peek(self):
        if self.pos >= len(self.buf):
            if not self.fill():
                return ""
        return self.buf[self.pos]

    def read_number(self):
        while True:
            c = self.peek()
            if c == " " or c == "\t" or c == "\n" or c == "\r":
                self.pos += 1
            else:
                break
        chars = []
        while True:
            c = self.peek()
            if c != "" and (is_alnum(c) or c == "." or c == "+" or c == "-"):
                chars.append(c)
                self.pos += 1
            else:
                break
        w_n = tonumber_str("".join(chars))
        if w_n is None:
            return w_nil
        return w_n

    def read_chars(self, n):
        while len(self.buf) - self.pos < n:
            if not self.fill():
                break
        if self.pos >= len(self.buf) and n > 0:
            return None
        s = self.buf[self.pos:self.pos + n]
        self.pos += len(s)
        return s


stdin = Stdin()


def read_formats(args, start):
    if len(args) <= start:
        line = stdin.read_line(False)
        if line is None:
            return one(w_nil)
        return one(W_Str(line))
    res = []
    for i in range(start, len(args)):
        w = args[i]
        if isinstance(w, W_Int):
            s = stdin.read_chars(w.value)
            if s is None:
                res.append(w_nil)
                break
            res.append(W_Str(s))
            continue
        fmt = check_str(args, i, "read")
        if fmt.startswith("*"):
            fmt = fmt[1:]
        if fmt.startswith("n"):
            w_n = stdin.read_number()
            res.append(w_n)
            if isinstance(w_n, W_Nil):
                break
        elif fmt.startswith("l") or fmt.startswith("L"):
            line = stdin.read_line(fmt.startswith("L"))
            if line is None:
                res.append(w_nil)
                break
            res.append(W_Str(line))
        elif fmt.startswith("a"):
            res.append(W_Str(stdin.read_all()))
        else:
            raise bad_arg(i, "read", "invalid format")
    return res


def io_read(args):
    return read_formats(args, 0)


def file_read(args):
    return read_formats(args, 1)


def file_lines(args):
    return one(lines_iter)


def b_lines_iter(args):
    line = stdin.read_line(False)
    if line is None:
        return one(w_nil)
    return one(W_Str(line))


def file_close(args):
    return one(w_true)


def file_flush(args):
    flush_out()
    return one(w_stdout)


def file_setvbuf(args):
    return one(w_true)



lines_iter = W_Builtin("lines_iter", b_lines_iter)
_file_meta = W_Table()
_file_methods = W_Table()
_file_meta.setstr("__index", _file_methods)
_file_meta.setstr("__name", W_Str("FILE*"))
for _name, _fn in [("write", file_write), ("read", file_read), ("lines", file_lines),
                   ("close", file_close), ("flush", file_flush), ("setvbuf", file_setvbuf)]:
    register(_file_methods, _name, _fn)
w_stdout = W_Table()
w_stdout.metatable = _file_meta
w_stdin = W_Table()
w_stdin.metatable = _file_meta
