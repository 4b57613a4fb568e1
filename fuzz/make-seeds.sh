#!/bin/sh
# Regenerates the object-bytes seed corpus: small relocatable ELF x86-64,
# AArch64 (LE and BE) and RISC-V (RV64, RV32) objects (< 4 KiB each) covering the relocation families the loader
# handles. Usage: fuzz/make-seeds.sh [OUTDIR]  (default corpora/object-bytes/seeds)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/corpora/object-bytes/seeds}
CC=${CC:-clang-19}
MC=${MC:-llvm-mc-19}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# C seeds: code generation's own choice of relocations, at two code models.
cat > "$tmp/calls.c" <<'C'
extern int ext(int);
extern int ext_data;
static int counter;
int table[4] = {1, 2, 3, 4};
int *ptr = &table[2];
int f(int x) { counter += x; return ext(x) + ext_data + table[x & 3] + *ptr; }
C
cat > "$tmp/tls.c" <<'C'
__thread int tls_counter;
static __thread int tls_local = 5;
extern __thread int tls_ext;
int bump(void) { return ++tls_counter + tls_local + tls_ext; }
C
cat > "$tmp/common.c" <<'C'
int common_a;
char common_buf[64];
const char *msg = "hello";
int get(void) { return common_a + common_buf[3] + msg[1]; }
C
for src in calls tls common; do
  for flags in "-O1" "-O2 -fPIC" "-O0 -mcmodel=large"; do
    tag=$(echo "$flags" | tr -d ' =-' )
    $CC -c -fcommon -fno-asynchronous-unwind-tables $flags "$tmp/$src.c" -o "$out/c-$src-$tag.o"
  done
done
# One with unwind tables (.eh_frame and its PC32 relocations).
$CC -c -O1 "$tmp/calls.c" -o "$out/c-calls-eh.o"

# Assembly seeds: one relocation type each, the ones C rarely emits.
asm() { printf '%s\n' "$2" > "$tmp/$1.s"; $MC -filetype=obj -triple=x86_64-pc-linux "$tmp/$1.s" -o "$out/s-$1.o"; }
asm abs64    '.data
.quad ext+8
.quad local
local: .quad 0'
asm pc32     '.text
lea ext(%rip), %rax
lea ext-0x40(%rip), %rcx
call ext@PLT
jmp local
local: ret'
asm abs32    '.text
movl $ext, %eax
movq $ext+4, %rax
.data
.long ext
.quad ext - .'
asm gotpcrel '.text
movq ext@GOTPCREL(%rip), %rax
movq ext@GOTPCREL(%rip), %rcx
call *ext@GOTPCREL(%rip)
.quad _GLOBAL_OFFSET_TABLE_ - .'
asm tls-le   '.text
movq %fs:0, %rax
leaq tv@TPOFF(%rax), %rax
movl %fs:tv@TPOFF, %eax
movq tv2@GOTTPOFF(%rip), %rax
.section .tbss,"awT",@nobits
.globl tv
tv: .zero 8
tv2: .zero 8'
asm sections '.section .text.a,"ax",@progbits
.p2align 6
a: call b
.section .text.b,"ax",@progbits
b: ret
.section .rodata,"a",@progbits
.p2align 4
.quad a
.quad b
.bss
.p2align 8
.zero 100'
# AArch64, little- and big-endian (on BE data is big-endian, instructions
# little-endian): the data relocations the harness checks (ABS64, PREL32,
# ABS32, PREL64 — each in range of the fixed scenario's addresses) and the
# small code model's CALL26, ADR_PREL_PG_HI21, ADD_ABS_LO12_NC.
cat > "$tmp/a64.s" <<'S'
.data
.globl x
x: .quad y+8
.word y - .
.word z
.quad z - .
.text
f: bl g
adrp x0, y
add x0, x0, :lo12:y
ret
S
$MC -filetype=obj -triple=aarch64-linux-gnu "$tmp/a64.s" -o "$out/a64-le-data-text.o"
$MC -filetype=obj -triple=aarch64_be-linux-gnu "$tmp/a64.s" -o "$out/a64-be-data-text.o"
# RISC-V, RV64 and RV32 (little-endian, RELA): compiled C under linker
# relaxation (CALL_PLT + RELAX, PCREL_HI20/LO12 pairs by label, ADD/SUB and
# SET6/SUB6 runs in .eh_frame), PIC (GOT_HI20, TLS_GD_HI20, TLS_GOT_HI20),
# -mno-relax, and one assembly seed for what C rarely emits (ULEB128 pairs,
# TLSDESC, compressed branches, SET8/16/32, 32_PCREL).
rv() { triple=$1; name=$2; src=$3; shift 3
  $CC -c --target=$triple "$@" "$tmp/$src.c" -o "$out/$name.o"; }
nu=-fno-asynchronous-unwind-tables
rv riscv64-linux-gnu rv64-calls-O1 calls -O1 $nu
rv riscv64-linux-gnu rv64-calls-eh calls -O1
rv riscv64-linux-gnu rv64-tls-O2fPIC tls -O2 -fPIC $nu
rv riscv32-linux-gnu rv32-calls-O1norelax calls -O1 -mno-relax $nu
rv riscv32-linux-gnu rv32-common-O2fPIC common -O2 -fPIC -fcommon $nu
cat > "$tmp/rv.s" <<'S'
.text
f:  c.beqz a0, 1f
    call g
    tail ext
1:  .Ltd: auipc a0, %tlsdesc_hi(tv)
    lw a1, %tlsdesc_load_lo(.Ltd)(a0)
    addi a0, a0, %tlsdesc_add_lo(.Ltd)
    jalr t0, 0(a1), %tlsdesc_call(.Ltd)
    c.j f
g:  ret
.data
    .uleb128 g - f
    .byte g - f
    .2byte g - f
    .word g - f
    .word ext - .
    .quad ext + 8
.section .tbss,"awT",@nobits
tv: .zero 8
S
$MC -filetype=obj -triple=riscv64 -mattr=+c,+relax "$tmp/rv.s" -o "$out/rv64-s-labels.o"
$MC -filetype=obj -triple=riscv32 -mattr=+c,+relax "$tmp/rv.s" -o "$out/rv32-s-labels.o"
for f in "$out"/*.o; do
  size=$(wc -c < "$f")
  if [ "$size" -ge 4096 ]; then echo "make-seeds: $f is $size bytes (>= 4 KiB): dropped" >&2; rm -f "$f"; fi
done
ls -l "$out"
