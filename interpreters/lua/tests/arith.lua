-- integer/float arithmetic and number formatting
print(1 + 2, 1 + 2.0, 7 // 2, 7.0 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, -7.5 % 2)
print(10 / 2, 1 / 3, 2 ^ 10, 2 ^ 0.5, 3 * 1.5, 100000000000000)
print(1e15, 1e16, 123456789012345678, 0.1, 1/0, -1/0, 2^63, -2^63)
print(math.maxinteger + 1 == math.mininteger, math.maxinteger * 2, math.mininteger // -1)
print(5 // 0.0, -5 // 0.0, 5 % math.huge, -5 % math.huge)
print(math.type(1), math.type(1.0), math.type("1"), math.type(2^31))
print(3 == 3.0, 1 < 1.5, -0.0 == 0.0, 0x10, 0xff, 0xA.8p1, 1e2, .5, 3., 0x7fffffffffffffff)
print(7 & 3, 7 | 8, 7 ~ 2, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 3.0 & 1)
print(tostring(1e100), tostring(-0.0), 2^53 + 1, 1e300 * 1e10, 255 // 16)
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(2^70))
print(math.abs(-4), math.abs(-4.5), math.max(1, 5, 3), math.min(2.5, 1), math.max(1, 2.0))
print(math.sqrt(16), math.pi, math.huge, -math.huge, math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3.5))
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.ult(1, -1))
print(tonumber("10"), tonumber("0x1F"), tonumber("  5.5  "), tonumber("1e3"), tonumber("z"), tonumber("10", 2), tonumber("ff", 16), tonumber("zz", 36))
print(tonumber(""), tonumber("5 5"), tonumber(nil), "10" + 5, "3" * "4", 10 .. 20, 1.5 .. "")
print(string.format("%d %5d %-5d| %05d %+d %x %X %o", 42, 42, 42, 42, 42, 255, 255, 8))
print(string.format("%f %.2f %10.3f %-10.1f| %e %.3e %g %g %g", 3.14159, 3.14159, 3.14159, 3.14159, 12345.678, 0.00012, 1e20, 0.0001, 123456789))
print(string.format("%5.1f %.0f %.0f %.0f %g %g", 2.25, 0.5, 1.5, 2.5, 2^53, 100))
for i = 10, 1, -3 do io.write(i, " ") end print()
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 1.0, 3 do io.write(i, " ") end print()
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()
for i = 3, 1 do print("never") end
local n = 0
for i = 1, 10 do n = n + i * i end
print(n, -n, - -n)
-- int/float mixes in the fast paths of the dispatch loop
local a, b, c = 7, 2.5, "3"
print(a / 2, a / b, b / a, 1 / 0, -1 / 0, 0/0 ~= 0/0, a + b, b + a, a - b, b - a, a * b, b * a)
print(a / c, c / a, a + c, math.maxinteger / 1, math.mininteger * 1.0, 3 / 3, 2^53 + 1)
print(pcall(function() return a / nil end))
print(pcall(function() return {} + 1.5 end))
