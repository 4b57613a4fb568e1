#!/usr/bin/env bash
# RISC-V through the user's door: `jitload load` on RV64 and RV32 objects
# compiled by clang-19 at every code model, PIC and not, with and without
# linker relaxation (each must load and resolve, and its report must name
# RISC-V relocations); a JAL out of reach is an error naming R_RISCV_JAL;
# a malformed ELF32 header is refused naming the field and its expectation.
# usage: riscv-commands.sh JITLOAD CLANG
set -u
jitload=$1
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat > t.c <<'C'
extern int ext_var;
extern int ext_fn(int);
static int local_arr[16];
int global_counter = 5;
__thread int tls_var = 3;
static __thread int tls_local;
int get(int i) { return local_arr[i & 15] + global_counter + ext_var; }
int call(int x) { return ext_fn(x) + get(x); }
int tls(void) { tls_local++; return tls_var + tls_local; }
int sw(int x) { switch (x) { case 0: return 1; case 1: return 7; case 2: return 9; case 3: return 11; case 4: return 2; default: return 0; } }
int loop(int n) { int s = 0; for (int i = 0; i < n; i++) { if (i & 1) s += i; else s -= ext_fn(i); } return s; }
C
for target in riscv64-linux-gnu riscv32-unknown-elf; do
  for flags in "-O0" "-O2" "-O2 -mno-relax" "-O2 -fPIC" "-O2 -fPIC -mno-relax" "-O1 -fno-pic -mcmodel=medlow" \
               "-O3 -fno-pic -mcmodel=medany -mno-relax" "-O2 -fPIC -mtls-dialect=desc" "-O2 -fPIC -ftls-model=initial-exec"; do
    checks=$((checks + 1))
    if ! "$clang" --target=$target $flags -c t.c -o t.o 2>cc.err; then
      fail "$target $flags: clang: $(cat cc.err)"
      continue
    fi
    if ! "$jitload" load t.o --extern-default 0x10000 --base 0x20000000 --report json > out.json 2> err.txt; then
      fail "$target $flags: jitload load: $(head -c 400 err.txt)"
      continue
    fi
    grep -q '"outcome":"loaded"' out.json || fail "$target $flags: report does not say loaded"
    grep -q 'R_RISCV_' out.json || fail "$target $flags: report names no R_RISCV_ relocation"
  done
done

# A JAL whose target is 2 MiB away: out of its ±1 MiB reach.
printf '.text\n.insn j JAL, ra, far\n' > jal.s
"$clang" --target=riscv64-linux-gnu -c jal.s -o jal.o
checks=$((checks + 1))
if "$jitload" load jal.o --extern far=0x20200000 --base 0x20000000 > /dev/null 2> err.txt; then
  fail "an out-of-range JAL loaded"
else
  grep -q 'relocation R_RISCV_JAL out of range' err.txt || fail "the JAL error does not name it: $(cat err.txt)"
fi

# ELF32: e_shentsize (offset 46) set to ELF64's 64.
"$clang" --target=riscv32-unknown-elf -O2 -c t.c -o t32.o
printf '\x40\x00' | dd of=t32.o bs=1 seek=46 conv=notrunc status=none
checks=$((checks + 1))
if "$jitload" load t32.o > /dev/null 2> err.txt; then
  fail "an ELF32 object with e_shentsize 64 loaded"
else
  grep -q 'e_shentsize is 64, expected 40' err.txt || fail "the ELF32 header error: $(cat err.txt)"
fi

echo "riscv-commands: $checks checks, $fails failures"
[ "$fails" -eq 0 ]
