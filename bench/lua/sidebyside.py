#!/usr/bin/env python3
"""Wall-clock times of lua5.4 and Kiln Lua VM binaries side by side (interleaved per
benchmark, so the machine's load drifts equally over the rows); prints ratios to lua5.4
and their geometric means. Usage: bench/lua/sidebyside.py VM... (from the repository root).
Sizes are about a quarter of `make bench`'s (lua5.4 takes 0.1-2 s), for quick before/after
comparisons of VM binaries; Havlak is left out (it alone takes minutes). A row whose
output or exit status differs from lua5.4's is marked."""
import math, os, subprocess, sys, time
root = os.getcwd()
shared = os.path.join(root, "..", "shared", "benchmarks", "lua")
BENCH = [("Bounce", 400), ("CD", 100), ("DeltaBlue", 3000), ("Json", 25),
         ("List", 1000), ("Mandelbrot", 500), ("NBody", 250000), ("Permute", 500),
         ("Queens", 250), ("Richards", 25), ("Sieve", 1500), ("Storage", 250), ("Towers", 150),
         ("binary-trees", 13), ("fannkuch-redux", 9), ("n-body", 500000), ("queen", 10),
         ("spectral-norm", 500)]
vms = ["lua5.4"] + [os.path.abspath(v) for v in sys.argv[1:]]
logs = {v: [] for v in vms}
print("%-16s %7s" % ("benchmark", "size") + "".join(" %22s" % os.path.basename(v) for v in vms))
for name, size in BENCH:
    extra = os.path.join(shared, "extra", name + ".lua")
    if os.path.exists(extra):
        cwd, args = os.path.join(shared, "extra"), [name + ".lua", str(size)]
    else:
        cwd, args = os.path.join(shared, "awfy"), [os.path.join(root, "bench/lua/awfy_driver.lua"), name, "1", str(size)]
    times, outs = [], []
    for v in vms:
        t0 = time.time()
        p = subprocess.run([v] + args, cwd=cwd, capture_output=True)
        times.append(time.time() - t0)
        outs.append((p.returncode, p.stdout))
    ok = all(o == outs[0] for o in outs) and outs[0][0] == 0
    for v, t in zip(vms, times):
        logs[v].append(t / times[0])
    print("%-16s %7s" % (name, size) + "".join(" %10.2fs %9.2fx" % (t, t / times[0]) for t in times) + ("" if ok else "  OUTPUT DIFFERS"), flush=True)
print("%-24s" % "geometric mean" + "".join(" %22.2fx" % math.exp(sum(map(math.log, logs[v])) / len(logs[v])) for v in vms))
