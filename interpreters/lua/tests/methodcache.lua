-- obj:m() looks methods up through __index chains; the VM caches the method per call
-- site and must see every change to the chain: a method redefined in the class or a
-- superclass, a field of the object shadowing the method (and removed again), a new
-- metatable, a changed __index, a superclass changed, and __index functions.
local Base = {}
Base.__index = Base
function Base.new(x) return setmetatable({x = x}, Base) end
function Base:get() return "base " .. self.x end
function Base:kind() return "base" end

local Sub = setmetatable({}, {__index = Base})
Sub.__index = Sub
function Sub.new(x) return setmetatable({x = x}, Sub) end
function Sub:get() return "sub " .. self.x end

local function call_all(objs)
  local out = {}
  for i = 1, #objs do
    local o = objs[i]
    out[#out + 1] = o:get() .. "/" .. o:kind()
  end
  return table.concat(out, " ")
end

local b, s = Base.new(1), Sub.new(2)
local objs = {b, s, b, s}
for round = 1, 3 do print(round, call_all(objs)) end

-- redefine a method in the class
function Sub:get() return "sub2 " .. self.x end
print("redefined", call_all(objs))
-- redefine one in the superclass, found through two levels
function Base:kind() return "base2" end
print("super redefined", call_all(objs))
-- a field of the object shadows the method, then goes away
s.kind = function() return "own" end
print("shadowed", call_all(objs))
s.kind = nil
print("unshadowed", call_all(objs))
-- an object with many fields (no Bloom filter help) and a shadowing one
local big = Sub.new(3)
for i = 1, 70 do big["f" .. i] = i end
objs[#objs + 1] = big
print("big", call_all(objs))
big.get = function(self) return "bigown" end
print("big shadowed", call_all(objs))
-- a new metatable for one object
setmetatable(b, Sub)
print("new metatable", call_all(objs))
-- the class's __index changed
local Other = {get = function(self) return "other" end, kind = function() return "okind" end}
Sub.__index = Other
print("new __index", call_all(objs))
Sub.__index = Sub
print("back", call_all(objs))
-- the superclass of Sub changed (its metatable)
local Base3 = {kind = function() return "base3" end}
setmetatable(Sub, {__index = Base3})
print("new super", call_all(objs))
-- the __index of Sub's metatable changed in place
getmetatable(Sub).__index = Base
print("super back", call_all(objs))
-- __index functions are not cached
local calls = 0
local F = setmetatable({}, {__index = function(t, k)
  calls = calls + 1
  return function(self) return "fn" .. calls end
end})
F.__index = F
local f = setmetatable({x = 9}, F)
local fo = {f, f, f}
for i = 1, 3 do
  local o = fo[i]
  print("fn", o:get(), o:kind())
end
-- a method removed from the class
Base.kind = nil
print(pcall(function() return call_all(objs) end))
-- rawset on the class
rawset(Base, "kind", function() return "raw" end)
print("rawset", call_all(objs))
-- objects with a metatable each ({__index = Class}, as the AWFY benchmarks make them)
local Animal = {}
function Animal:name() return "animal" end
function Animal:speak() return self:name() .. " speaks" end
local Dog = setmetatable({}, {__index = Animal})
function Dog.new() return setmetatable({}, {__index = Dog}) end
function Dog:name() return "dog" end
local Cat = setmetatable({}, {__index = Animal})
function Cat.new() return setmetatable({}, {__index = Cat}) end
local pets = {Dog.new(), Cat.new(), Dog.new(), Cat.new()}
local function speak_all()
  local out = {}
  for i = 1, #pets do out[i] = pets[i]:speak() end
  return table.concat(out, ", ")
end
print(speak_all())
function Cat:name() return "cat" end
print(speak_all())
function Animal:speak() return self:name() .. " sleeps" end
print(speak_all())
getmetatable(pets[1]).__index = Cat
print(speak_all())
setmetatable(Cat, {__index = {speak = function(self) return "new super " .. self:name() end}})
print(speak_all())
