-- Arithmetic and comparisons with a numeric literal operand (the VM's K forms:
-- ADDK SUBK MULK DIVK, LTKJ LEKJ GTKJ GEKJ and their negations), on either side,
-- against every kind of register operand: ints, floats, mixes, strings coerced to
-- numbers, NaN, metamethods (called with the operands in source order), and errors
-- (the message names the variable, as lua5.4's). Ints are compared with floats
-- below 2^53 only (README: what differs).

local function show(...)
  local t = table.pack(...)
  local parts = {}
  for i = 1, t.n do
    local v = t[i]
    -- NaN's sign prints differently (README: what differs)
    local s = v ~= v and "NaN" or tostring(v)
    parts[#parts + 1] = s .. ":" .. (math.type(v) or type(v))
  end
  print(table.concat(parts, " "))
end

local vals = {3, -7, 2.5, -0.0, 1/0, 0/0, "12", "0x10", "2.5", math.maxinteger, math.mininteger}
for _, x in ipairs(vals) do
  show(x + 1, 1 + x, x + 0.5, 0.5 + x, x - 2, x - 2.0, x * 3, 3 * x, x * 0.25, 0.25 * x)
  show(x / 2, 2 / x, x / 0.5, 1.0 / x, x / 0, 0 / x, -1 / x)
  local xn = tonumber(x)
  if xn then
    show(xn < 3, xn <= 3, xn > 3, xn >= 3, 3 < xn, 3 <= xn, 3 > xn, 3 >= xn)
    show(xn < 2.5, xn <= 2.5, xn > 2.5, xn >= 2.5, 2.5 < xn, 2.5 <= xn, 2.5 > xn, 2.5 >= xn)
    show(not (xn < 3), not (xn <= 2.5), not (3 < xn), not (2.5 >= xn))
    local n = 0
    if xn < 0 then n = n + 1 end
    if xn > 0 then n = n + 2 end
    if 0 >= xn then n = n + 4 end
    if 0 <= xn then n = n + 8 end
    if not (xn > -1) then n = n + 16 end
    print("branches", n)
  end
end
show(math.maxinteger + 1, 1 + math.maxinteger, math.mininteger - 1, math.mininteger * -1, -1 * math.mininteger)
show(2^52 < 4503599627370497, 4503599627370497 > 2^52, 1 < 1.5, 1.5 > 1)

-- loops that count with constants
local s, i = 0, 0
while i < 100 do s = s + i * 2; i = i + 1 end
repeat i = i - 3 until i <= 0
print(s, i)
local f = 0.0
while 10.0 > f do f = f + 0.75 end
print(f)

-- strings compared with numbers are errors; numbers' metamethods see the order
print(pcall(function () local x = "5"; return x < 10 end))
print(pcall(function () local x = "5"; return 10 <= x end))
local mt = {}
mt.__add = function (a, b) return "add(" .. tostring(type(a)) .. "," .. tostring(type(b)) .. ")" end
mt.__mul = function (a, b) return "mul(" .. type(a) .. "," .. type(b) .. ")" end
mt.__sub = function (a, b) return "sub(" .. type(a) .. "," .. type(b) .. ")" end
mt.__div = function (a, b) return "div(" .. type(a) .. "," .. type(b) .. ")" end
mt.__lt = function (a, b) return type(a) == "table" end
mt.__le = function (a, b) return type(b) == "table" end
local o = setmetatable({}, mt)
print(o + 1, 1 + o, o * 2.5, 2.5 * o, o - 1, o / 2, 2 / o)
print(o < 1, 1 < o, o <= 1, 1 <= o, o > 1, 1 > o, o >= 1.5, 1.5 >= o)

-- errors name the variable
local t = {}
print(pcall(function () return t.x + 1 end))
print(pcall(function () return 1 + t.y end))
print(pcall(function () return 2.5 * t.z end))
print(pcall(function () return t.w * 2 end))
print(pcall(function () local v; return v / 2 end))
print(pcall(function () local v; return 2 / v end))
print(pcall(function () return t.q - 1.5 end))
print(pcall(function () return t.r < 1 end))
print(pcall(function () return 1 <= t.r end))
print(pcall(function () return {} > 2.5 end))
print(pcall(function () return "a" + 1 end))
print(pcall(function () return 1 * "b" end))
