#!/bin/sh
# Through the user's door: `jitload diff` runs the reference on AArch64
# objects (LE and BE) assembled by clang-19; the reference's column must say
# "loaded" for a good object and "rejected (overflow)" for a MOVW_UABS_G0
# whose value needs more than 16 bits. Only the reference's answer is
# checked: the engine's AArch64 support is another branch's.
# usage: aarch64-door-test.sh JITLOAD CLANG
set -eu
jitload=$1
clang=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '  .text\n  .globl f\nf:\n  movz x0, #:abs_g1:v\n  movk x0, #:abs_g0_nc:v\n  bl g\n  adrp x1, :got:g\n  ret\n  .data\n  .quad v\n' > "$dir/good.s"
printf '  .text\n  movz x0, #:abs_g0:v\n' > "$dir/bad.s"
for target in aarch64-linux-gnu aarch64_be-linux-gnu; do
  "$clang" --target=$target -c "$dir/good.s" -o "$dir/good.o"
  "$clang" --target=$target -c "$dir/bad.s" -o "$dir/bad.o"
  out=$("$jitload" diff "$dir/good.o" --oracle none --json --extern v=0x12345678 --extern g=0x10001000 | head -1)
  echo "$target good: $out"
  echo "$out" | grep -q '"reference": "loaded: ' || { echo "FAIL: the reference did not load the good $target object"; exit 1; }
  out=$("$jitload" diff "$dir/bad.o" --oracle none --json --extern v=0x12345678 | head -1)
  echo "$target bad: $out"
  echo "$out" | grep -q '"reference": "rejected (overflow): .*R_AARCH64_MOVW_UABS_G0 out of range' ||
    { echo "FAIL: the reference did not report the $target overflow"; exit 1; }
done
echo ok
