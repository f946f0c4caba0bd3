-- the length operator on tables (well-defined borders) and strings
local t = {}
print(#t)
for i = 1, 10 do t[i] = i end
print(#t)
t[#t + 1] = 11
print(#t)
t[#t] = nil
print(#t)
local u = {1, 2, 3, nil}
print(#u)
local v = {n = 1, 10, 20}
print(#v)
local w = {}
w[1] = "a"; w[2] = "b"; w[3] = "c"
w[3] = nil; w[2] = nil
print(#w)
local big = {}
for i = 1, 1000 do big[i] = i end
for i = 1000, 501, -1 do big[i] = nil end
print(#big)
print(#"abc", #"", #{{}, {}})
local ins = {}
table.insert(ins, "a"); table.insert(ins, 1, "b"); table.insert(ins, 2, "c")
print(#ins, table.concat(ins, ","))
print(table.remove(ins), table.remove(ins, 1), #ins, ins[1])
print(table.remove({}), #ins)
local rev = {}
for i = 5, 1, -1 do rev[i] = i end
print(#rev)
local cnt = 0
for k, v in pairs({10, 20, 30, x = 1, y = 2}) do cnt = cnt + 1 end
print(cnt)
local keys = {}
for i, v in ipairs({1, 2, nil, 4}) do keys[#keys + 1] = i end
print(#keys)
local h = {}
h.a = 1; h.b = 2; h.c = 3
h.b = nil
local seen = {}
for k, v in pairs(h) do seen[#seen + 1] = k .. "=" .. v end
table.sort(seen)
print(table.concat(seen, " "))
local nk = next({})
print(nk, next({5}))
