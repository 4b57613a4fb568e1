#!/bin/sh
# Through the user's door: `jitload diff` runs the reference on RISC-V
# objects (RV64 and RV32) compiled by clang-19; the reference's column must
# say "loaded" for a good object (C with a call, a global through the GOT,
# thread-local variables in the general-dynamic and TLSDESC forms) and
# "rejected (overflow)" for an lui whose %hi does not fit on RV64. Only the
# reference's answer is checked: the engine's RISC-V support is another
# branch's.
# usage: riscv-door-test.sh JITLOAD CLANG
set -eu
jitload=$1
clang=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'extern int g; extern int ext(int);\n__thread int t;\nint f(int x) { t += x; return ext(x) + g + t; }\n' > "$dir/good.c"
printf '  .text\n  lui a0, %%hi(v)\n  addi a0, a0, %%lo(v)\n' > "$dir/bad.s"
for target in riscv64:rv64gc riscv32:rv32gc; do
  triple=${target%%:*}-linux-gnu
  for flags in "-O2 -fPIC" "-O1 -fPIC -mtls-dialect=desc" "-O0 -mno-relax"; do
    "$clang" --target=$triple -march=${target##*:} $flags -c "$dir/good.c" -o "$dir/good.o"
    out=$("$jitload" diff "$dir/good.o" --oracle none --json --extern g=0x12345678 --extern ext=0x10001000 | head -1)
    echo "$triple $flags good: $out"
    echo "$out" | grep -q '"reference": "loaded: ' || { echo "FAIL: the reference did not load the good $triple object"; exit 1; }
  done
  "$clang" --target=$triple -c "$dir/bad.s" -o "$dir/bad.o"
  out=$("$jitload" diff "$dir/bad.o" --oracle none --json --extern v=0x7ffff800 | head -1)
  echo "$triple bad: $out"
  if [ "$triple" = riscv64-linux-gnu ]; then
    echo "$out" | grep -q '"reference": "rejected (overflow): .*R_RISCV_HI20 out of range' ||
      { echo "FAIL: the reference did not report the RV64 overflow"; exit 1; }
  else  # RV32: every address has a lui/addi pair (modulo 2^32)
    echo "$out" | grep -q '"reference": "loaded: ' || { echo "FAIL: the reference did not load the RV32 object"; exit 1; }
  fi
done
echo ok
