-- varargs, multiple results, select, table.pack/unpack
local function f(...) return select("#", ...), ... end
print(f())
print(f(1, nil, 3))
print((f(1, 2, 3)))
local function g(a, b, ...) return a, b, select("#", ...) end
print(g(1))
print(g(1, 2, 3, 4))
local function mr() return 1, 2, 3 end
print(mr(), mr())
print(({mr(), mr()})[4], #{mr(), mr()}, #{mr(), (mr())})
local t = {mr()}
print(#t, table.unpack(t))
print(table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 3), table.unpack({"a", "b"}))
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(select(-1, "a", "b", "c"), select(2, "a", "b", "c"))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4.5))
local function pass(...) return ... end
print(pass(1, 2), pass(), pass(nil, nil))
local function count(...) local a = {...}; return #a end
print(count(1, 2, 3), string.format("%d-%d", mr()))
local a, b, c, d = mr()
print(a, b, c, d)
local x, y = 1
print(x, y)
