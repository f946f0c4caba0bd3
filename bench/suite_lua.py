"""The lua suite: the Lua VM translated by Kiln (with and without --jit) against
lua5.4 and luajit on the Are-We-Fast-Yet and Benchmarks Game programs."""

import os
import shutil

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)


def lua_argv(directory, argv):
    """Run argv in directory (the AWFY modules are found through ./?.lua)."""
    return ["sh", "-c", 'cd "$0" && exec "$@"', directory] + argv


def prepare_lua(suite, bench_dir):
    suite.transposed = True
    awfy = os.path.normpath(os.path.join(LUA_SHARED, "awfy"))
    extra = os.path.normpath(os.path.join(LUA_SHARED, "extra"))
    if not os.path.isdir(awfy) or not os.path.isdir(extra):
        raise SetupError("the Lua benchmarks are not in %s" % os.path.normpath(LUA_SHARED))
    build = [KILN, "translate", LUA_PY, "--opt=2", "-o", LUA_KILN_BINARY]
    kiln = Implementation("kiln Lua VM (no JIT)", [build])
    kiln.unavailable = translate_timed(build, LUA_KILN_BINARY, suite, kiln.name)
    jit_build = [KILN, "translate", LUA_PY, "--jit", "--opt=2", "-o", LUA_KILN_JIT_BINARY]
    jit = Implementation("kiln Lua VM --jit", [jit_build])
    jit.unavailable = translate_timed(jit_build, LUA_KILN_JIT_BINARY, suite, jit.name)
    lua54 = Implementation("lua5.4")
    if shutil.which("lua5.4") is None:
        raise SetupError("lua5.4 not installed: it is the reference of the lua suite")
    luajit = Implementation("luajit")
    if shutil.which("luajit") is None:
        luajit.unavailable = "luajit not installed"
    binary = os.path.join(ROOT, LUA_KILN_BINARY)
    jit_binary = os.path.join(ROOT, LUA_KILN_JIT_BINARY)
    for name, inner in LUA_AWFY:
        for impl, vm in ((kiln, binary), (jit, jit_binary), (lua54, "lua5.4"), (luajit, "luajit")):
            impl.argv_for[name] = lua_argv(awfy, [vm, LUA_DRIVER, name, "1", str(inner)])
    for name, size in LUA_EXTRA:
        for impl, vm in ((kiln, binary), (jit, jit_binary), (lua54, "lua5.4"), (luajit, "luajit")):
            impl.argv_for[name] = lua_argv(extra, [vm, name + ".lua", size])
    suite.description = [
        "The Lua 5.4 VM written in RPy (`interpreters/lua/`, see its README) translated by",
        "Kiln (`--opt=2`, incminimark), on the 14 Are-We-Fast-Yet benchmarks",
        "(`../shared/benchmarks/lua/awfy`, one outer iteration of the harness's usual inner",
        "iterations, through `bench/lua/awfy_driver.lua`, which asserts each benchmark's",
        "verification) and the 5 Benchmarks Game programs of `../shared/benchmarks/lua/extra`.",
        "**Ratios are relative to lua5.4** (time / lua5.4's; lower is faster); every output",
        "must equal lua5.4's. The `--jit` row is the same VM translated with `--jit`.",
    ]
    suite.speedups = [(kiln.name, jit.name)]
    suite.impls = [lua54, kiln, jit, luajit]
    suite.reference = lua54.name


def lua_benchmarks():
    result = [Benchmark(name, "%s %d" % (name, inner)) for name, inner in LUA_AWFY]
    result += [Benchmark(name, "%s %s" % (name, size)) for name, size in LUA_EXTRA]
    return result
