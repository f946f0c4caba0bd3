-- field access at one site on tables of different layouts (the VM's inline caches),
-- after deletions and rehashing, method lookup through __index chains, __newindex
local function getx(t) return t.x end
local a = {x = 1, y = 2}
local b = {y = 3, x = 4}
local c = {z = 5}
print(getx(a), getx(b), getx(c), getx(a))
a.x = nil
print(getx(a), getx(b))
for i = 1, 50 do a["k" .. i] = i end
for i = 1, 50 do a["k" .. i] = nil end
a.x = 9
print(getx(a), getx(b), a.y)
local Class = {}
Class.__index = Class
function Class:get() return self.v end
local Sub = setmetatable({}, {__index = Class})
Sub.__index = Sub
local o1 = setmetatable({v = 1}, Class)
local o2 = setmetatable({v = 2}, Sub)
for i = 1, 3 do print(o1:get(), o2:get()) end
function Sub:get() return "sub" .. self.v end
print(o1:get(), o2:get())
Sub.get = nil
print(o2:get())
local guarded = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 10) end})
local function setx(t, v) t.x = v end
setx(guarded, 1)
setx(guarded, 2)
print(guarded.x)
guarded.x = nil
setx(guarded, 3)
print(guarded.x)
x = 1
local function gx() return x end
print(gx())
x = nil
print(gx())
x = 5
print(gx())
local fn = setmetatable({}, {__index = function(t, k) return k .. "?" end})
local function m(t) return t.name end
print(m(fn), m({name = "n"}), m(fn))
