-- Runs one Are-We-Fast-Yet benchmark the way its harness does (require the module,
-- call inner_benchmark_loop `outer` times, assert its verification), but prints one
-- deterministic line instead of the harness's timings, so that every implementation's
-- output can be compared. Run it from the awfy directory (require searches ./?.lua):
--   cd ../shared/benchmarks/lua/awfy && VM /path/to/awfy_driver.lua Name outer inner
local name, outer, inner = arg[1], tonumber(arg[2]), tonumber(arg[3])
local bench = require(name:lower())
for _ = 1, outer do
    assert(bench:inner_benchmark_loop(inner), name .. ": verification failed")
end
print(("%s: %d x %d verified"):format(name, outer, inner))
