-- string literals, escapes, long strings, string library basics
print("tab:\tend", 'quote\'s', "back\\slash", "nl:\\n", "\65\066\x43", "\u{48}\u{49}")
print("a\z
       b", #"\0abc", [[long
string]], [==[with ]] inside]==])
local s = "Hello, World"
print(#s, s:len(), s:upper(), s:lower(), s:sub(1, 5), s:sub(-5), s:sub(8, -1), s:sub(0), s:sub(20), s:sub(-100, 2))
print(s:byte(1), s:byte(-1), s:byte(1, 3), string.char(72, 105), s:rep(2, "|"), ("ab"):rep(3), ("x"):rep(0))
print(s:reverse(), s:find("World"), s:find("o", 6), s:find("xyz"), s:find("l+"), s:find(".", 1, true))
print(("%d items"):format(3), #"", "a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" .. "b" .. "c")
print(tostring(nil), tostring(true), tostring(12), tostring(1.25), type("x"), type(print), type(nil), type({}), type(2))
print(string.format("%q", 'he said "hi"\n\tok\0'), string.format("[%10s][%-10s][%.2s]", "abc", "abc", "abc"))
print(string.format("%s %s %s", 1, 2.0, true), string.format("%5s|%-5s|", 1, 2), string.format("%%"))
local parts = {}
for i = 1, 5 do parts[#parts + 1] = tostring(i) end
print(table.concat(parts, ", "), table.concat(parts), table.concat(parts, "-", 2, 4), table.concat({}, "x"))
print(("x"):byte(), ("\255"):byte(), #"\u{7F}")
