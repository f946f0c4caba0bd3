-- closures and upvalues: shared, per-iteration, nested, counters
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print(get(), inc(), get())
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
local gs = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j * 10
  gs[j] = function() k = k + 1; return k end
end
print(gs[1](), gs[1](), gs[2](), gs[3]())
local function outer()
  local x = 1
  local function mid()
    local function inner() x = x * 2; return x end
    return inner
  end
  return mid(), function() return x end
end
local f, g = outer()
f(); f()
print(g())
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20))
local a = {}
for _, name in ipairs({"x", "y"}) do a[name] = function() return name end end
print(a.x(), a.y())
local shared
do
  local v = 5
  shared = {get = function() return v end, set = function(nv) v = nv end}
end
shared.set(42)
print(shared.get())
local t = {}
function t.f(x) return x + 1 end
function t:m(x) return self.base + x end
t.base = 100
print(t.f(1), t:m(2), t.m(t, 3))
