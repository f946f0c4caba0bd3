-- metatables: __index (table and function), __newindex, __call, arithmetic, comparison, __eq, __len, __concat, __tostring
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__sub(a, b) return Vec.new(a.x - b.x, a.y - b.y) end
function Vec.__mul(a, s) return Vec.new(a.x * s, a.y * s) end
function Vec.__unm(a) return Vec.new(-a.x, -a.y) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__lt(a, b) return a:len2() < b:len2() end
function Vec.__le(a, b) return a:len2() <= b:len2() end
function Vec.__len(a) return 2 end
function Vec.__tostring(a) return "(" .. a.x .. "," .. a.y .. ")" end
function Vec.__concat(a, b) return tostring(a) .. tostring(b) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4)
print(tostring(a + b), tostring(a - b), tostring(a * 2), tostring(-a), #a)
print(a == b, a == Vec.new(1, 2), a ~= b, a < b, a <= b, a > b, b >= a)
print(a .. b, a .. "!", "!" .. a)
local Base = {}
Base.__index = Base
function Base:hello() return "hello from " .. self.name end
local Derived = setmetatable({}, {__index = Base})
Derived.__index = Derived
local obj = setmetatable({name = "obj"}, Derived)
print(obj:hello(), obj.missing, rawget(obj, "hello"))
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
proxy.a = 1; proxy.b = 2; proxy.a = 10
print(proxy.a, proxy.b, table.concat(log, ","))
local default = setmetatable({}, {__index = function(t, k) return k * 2 end})
print(default[21], default[1.5])
local callable = setmetatable({}, {__call = function(self, x, y) return x + y end})
print(callable(3, 4))
print(getmetatable(obj) == Derived, getmetatable("abc").__index == string, getmetatable({}))
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
local chain = setmetatable({}, {__newindex = Base})
chain.x = 5
print(rawget(chain, "x"), Base.x)
local idx = setmetatable({}, {__index = {a = 1, b = 2}})
print(idx.a, idx.b, idx.c)
print(rawequal(a, a), rawequal(a, Vec.new(1, 2)), rawlen({1, 2, 3}), rawlen("abcd"))
