#!/bin/sh
# Regenerates the object-bytes seed corpus: small relocatable ELF x86-64,
# AArch64 (LE and BE), RISC-V (RV64, RV32) and LoongArch64 objects, and
# Mach-O x86-64 ones (macho-x86_64-*.o; < 4 KiB each) covering the
# relocation families the loaders handle. Usage: fuzz/make-seeds.sh [OUTDIR]  (default corpora/object-bytes/seeds)
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
# LoongArch64 (little-endian, RELA): compiled C at the normal model (B26,
# PCALA/GOT_PC pairs), under relaxation (ALIGN, B16/B21, ADD/SUB pairs in
# .eh_frame), PIC (GD TLS rewritten by the loaders), the extreme model (the
# 64-bit tails), and one assembly seed for what C rarely emits (ULEB128
# pairs, TLS descriptors, CALL36, absolute pieces, PCREL20_S2, 32/64_PCREL).
la() { name=$1; src=$2; shift 2
  $CC -c --target=loongarch64-linux-gnu "$@" "$tmp/$src.c" -o "$out/$name.o"; }
larelax="-Xclang -target-feature -Xclang +relax"
la la64-calls-O1 calls -O1 $nu
la la64-calls-eh calls -O1 $larelax
la la64-tls-O2fPIC tls -O2 -fPIC $nu
la la64-calls-extreme calls -O1 -mcmodel=extreme $nu
cat > "$tmp/la.s" <<'S'
.text
f:  beqz $a0, 1f
    bl g
    call36 ext
1:  pcalau12i $a0, %desc_pc_hi20(tv)
    addi.d $a0, $a0, %desc_pc_lo12(tv)
    ld.d $ra, $a0, %desc_ld(tv)
    jirl $ra, $ra, %desc_call(tv)
    lu12i.w $a1, %abs_hi20(ext)
    ori $a1, $a1, %abs_lo12(ext)
    lu32i.d $a1, %abs64_lo20(ext)
    lu52i.d $a1, $a1, %abs64_hi12(ext)
    .reloc ., R_LARCH_PCREL20_S2, g
    pcaddi $a2, 0
    b f
g:  ret
.data
    .uleb128 g - f
    .byte g - f
    .2byte g - f
    .word g - f
    .reloc ., R_LARCH_32_PCREL, ext
    .word 0
    .reloc ., R_LARCH_64_PCREL, ext
    .quad 0
    .quad ext + 8
.section .tbss,"awT",@nobits
tv: .zero 8
S
$MC -filetype=obj -triple=loongarch64 -mattr=+relax "$tmp/la.s" -o "$out/la64-s-labels.o"
# Mach-O (MH_OBJECT, little-endian): the same C at the relocation families
# clang-19 emits for Darwin (BRANCH, GOT_LOAD, SIGNED, UNSIGNED; __eh_frame
# and __compact_unwind with unwind tables; commons and zerofill; a
# constructor's __mod_init_func; TLV through __thread_vars), and one
# assembly file per CPU for what C rarely emits. x86-64: SIGNED_1/2/4,
# SUBTRACTOR pairs (extern and non-extern halves, 32 and 64 bits), GOT (a
# data word), non-extern BRANCH and SIGNED, __cstring, .zerofill,
# __mod_init_func. Adding a CPU is one line `macho_seeds ARCH` with its
# $tmp/macho-ARCH.s (arm64's is below; its seeds are made once the loaders
# take arm64 objects: `macho_seeds arm64`).
cat > "$tmp/ctor.c" <<'C'
extern int ext(int);
int ready;
__attribute__((constructor)) static void init(void) { ready = ext(1); }
__attribute__((destructor)) static void fini(void) { ext(ready); }
int use(void) { return ready; }
C
cat > "$tmp/macho-x86_64.s" <<'S'
.text
.globl _f
_f:
  callq _ext                       # BRANCH, extern
  callq Lhere                      # BRANCH to a local label: non-extern... (assembler resolves)
  movq _ext_data@GOTPCREL(%rip), %rax   # GOT_LOAD
  leaq _ext_data(%rip), %rcx       # SIGNED
  movb $1, _ext_data(%rip)         # SIGNED_1
  movw $2, _ext_data(%rip)         # SIGNED_2
  movl $4, _ext_data(%rip)         # SIGNED_4
  leaq Lstr(%rip), %rdx            # SIGNED, non-extern (a cstring literal)
  leaq _buf(%rip), %rsi            # zerofill
  callq Lfar                       # BRANCH, non-extern (another section)
Lhere:
  retq
.section __TEXT,__cstring,cstring_literals
Lstr: .asciz "hello"
.data
.globl _d
_d:
  .quad _ext + 8                   # UNSIGNED 64, extern
  .quad Lstr                       # UNSIGNED 64, non-extern
  .long _ext_data@GOTPCREL         # GOT (a data word)
  .quad _f - _d                    # SUBTRACTOR + UNSIGNED 64
  .long _f - _d                    # SUBTRACTOR + UNSIGNED 32
  .quad _f - Lstr
  .long Lstr - _d
.zerofill __DATA,__bss,_buf,64,4
.section __DATA,__mod_init_func,mod_init_funcs
  .quad _f
.section __TEXT,__text2,regular,pure_instructions
Lfar:
  jmp _ext                         # BRANCH
.subsections_via_symbols
S
# arm64: BRANCH26 (extern, to another section), PAGE21/PAGEOFF12 (ADD and
# a scaled load) with and without ADDEND, GOT_LOAD_PAGE21/PAGEOFF12,
# POINTER_TO_GOT (32-bit pc-relative and 64-bit), SUBTRACTOR pairs,
# .zerofill, __mod_init_func.
cat > "$tmp/macho-arm64.s" <<'S'
.text
.globl _f
_f:
  bl _ext                                  ; BRANCH26, extern
  adrp x0, _ext_data@GOTPAGE               ; GOT_LOAD_PAGE21
  ldr x0, [x0, _ext_data@GOTPAGEOFF]       ; GOT_LOAD_PAGEOFF12
  adrp x1, _local@PAGE                     ; PAGE21
  add x1, x1, _local@PAGEOFF               ; PAGEOFF12 (add)
  adrp x2, _buf@PAGE
  ldr w2, [x2, _buf@PAGEOFF]               ; PAGEOFF12 (a 4-byte load: scaled)
  adrp x3, _local@PAGE+16                  ; ADDEND + PAGE21
  ldr x3, [x3, _local@PAGEOFF+16]          ; ADDEND + PAGEOFF12
  bl Lfar                                  ; BRANCH26, another section
  b _ext
Lfar2:
  ret
.section __TEXT,__text2,regular,pure_instructions
Lfar:
  ret
.data
.p2align 3
.globl _local
_local:
  .quad _ext + 8                           ; UNSIGNED 64
  .quad _f - _local                        ; SUBTRACTOR + UNSIGNED 64
  .long _f - _local                        ; SUBTRACTOR + UNSIGNED 32
  .long _ext_data@GOT - .                  ; POINTER_TO_GOT (32-bit, pc-relative)
  .quad _ext_data@GOT                      ; POINTER_TO_GOT (64-bit)
  .quad Lfar2                              ; UNSIGNED, non-extern
.zerofill __DATA,__bss,_buf,64,4
.section __DATA,__mod_init_func,mod_init_funcs
  .quad _f
.subsections_via_symbols
S
macho_c() { arch=$1; name=$2; src=$3; shift 3
  $CC -c --target=$arch-apple-macosx10.15 "$@" "$tmp/$src.c" -o "$out/macho-$arch-$name.o"; }
macho_seeds() { arch=$1
  macho_c "$arch" calls-O1 calls -O1 $nu
  macho_c "$arch" calls-eh calls -O1
  macho_c "$arch" common-O0 common -O0 -fcommon $nu
  macho_c "$arch" ctor-O1 ctor -O1 $nu
  macho_c "$arch" tlv-O1 tls -O1 $nu
  if [ -f "$tmp/macho-$arch.s" ]; then
    $MC -filetype=obj -triple="$arch-apple-macosx10.15" "$tmp/macho-$arch.s" -o "$out/macho-$arch-s-relocs.o"
  fi
}
macho_seeds x86_64
macho_seeds arm64
for f in "$out"/*.o; do
  size=$(wc -c < "$f")
  if [ "$size" -ge 4096 ]; then echo "make-seeds: $f is $size bytes (>= 4 KiB): dropped" >&2; rm -f "$f"; fi
done
ls -l "$out"
