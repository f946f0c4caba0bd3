#!/bin/sh
# Instruction counts (valgrind --tool=callgrind) of the translated Lua VM and of lua5.4
# on a few benchmarks at small sizes, and their ratio: unlike times, instruction counts
# do not depend on the machine's load.
#   bench/lua/icount.sh build/lua [Name inner]...   (from the repository root)
# With no benchmarks it runs a default set (AWFY through bench/lua/awfy_driver.lua, one
# outer iteration; the extra/ programs with their argument). NBody is left out: it verifies
# only at 1 and 250000 inner iterations (n-body in extra/ is the same program).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
vm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
shared="$root/../shared/benchmarks/lua"
[ $# -gt 0 ] || set -- Richards 3 DeltaBlue 300 Json 3 Havlak 1 Bounce 30 Mandelbrot 500 \
    Queens 30 Towers 10 CD 10 List 30 Permute 30 Sieve 30 Storage 10 \
    binary-trees 8 fannkuch-redux 7 n-body 20000 queen 7 spectral-norm 100
count() {  # count dir argv... -> prints the instruction count
    dir=$1; shift
    out=$(mktemp)
    (cd "$dir" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
        >/dev/null 2>"$out")
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out"
    rm -f "$out"
}
printf '%-16s %8s %14s %14s %7s\n' benchmark size lua5.4 kiln ratio
while [ $# -ge 2 ]; do
    name=$1; size=$2; shift 2
    if [ -f "$shared/extra/$name.lua" ]; then
        dir="$shared/extra"; args="$name.lua $size"
    else
        dir="$shared/awfy"; args="$root/bench/lua/awfy_driver.lua $name 1 $size"
    fi
    ref=$(count "$dir" lua5.4 $args)
    mine=$(count "$dir" "$vm" $args)
    printf '%-16s %8s %14s %14s %7.2f\n' "$name" "$size" "$ref" "$mine" \
        "$(echo "$mine / $ref" | bc -l)"
done
