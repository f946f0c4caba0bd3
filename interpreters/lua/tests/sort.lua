-- table.sort with and without a comparator
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"pear", "apple", "fig", "banana", "kiwi"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b end)
print(words[1], words[#words])
local recs = {}
for i = 1, 30 do recs[i] = {key = (i * 7) % 11, id = i} end
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
local out = {}
for i = 1, #recs do out[i] = recs[i].key .. ":" .. recs[i].id end
print(table.concat(out, " "))
local nums = {}
local seed = 42
for i = 1, 200 do seed = (seed * 1103515245 + 12345) % 2147483648; nums[i] = seed % 1000 end
table.sort(nums)
local ok = true
for i = 2, #nums do if nums[i - 1] > nums[i] then ok = false end end
print(ok, nums[1], nums[200])
local mixed = {3.5, 1, 2.25, -1, 0}
table.sort(mixed)
print(table.concat(mixed, " "))
print(pcall(table.sort, {1, "x", 2}))
local one = {1}
table.sort(one)
print(one[1])
