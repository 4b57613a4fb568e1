#!/bin/sh
# Regenerates the object-bytes seed corpus: small relocatable ELF x86-64,
# AArch64 (LE and BE), RISC-V (RV64, RV32) and LoongArch64 objects, and
# Mach-O x86-64, arm64, i386 and ARM ones (macho-CPU-*.o; < 4 KiB each) covering the
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
# __mod_init_func. Adding a CPU is one line `macho_seeds ARCH [TRIPLE]`
# with its $tmp/macho-ARCH.s (arm64's, i386's and ARM's are below).
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
# i386: VANILLA (extern, non-extern, scattered; absolute and pc-relative),
# SECTDIFF and LOCAL_SECTDIFF with their PAIRs (4 and 2 bytes), TLV,
# .zerofill, __mod_init_func; PB_LA_PTR, which llvm-mc never emits, is a
# scattered VANILLA retyped after assembly (retype, below).
cat > "$tmp/macho-i386.s" <<'S'
.text
.globl _f
_f:
  calll _ext                       # VANILLA pc-relative, extern
  .p2align 4, 0x90                 # (fields 16 bytes apart: each one checked alone)
  calll Lfar                       # VANILLA pc-relative, non-extern (another section)
  .p2align 4, 0x90
  movl _ext_data, %eax             # VANILLA, extern
  .p2align 4, 0x90
  movl _ext_data+8, %eax           # VANILLA, extern with an addend
  .p2align 4, 0x90
  movl Lstr, %ecx                  # VANILLA, non-extern
  .p2align 4, 0x90
  movl _d+4, %edx                  # VANILLA, scattered (a symbol + offset)
  .p2align 4, 0x90
  movl _tv@TLVP, %eax              # TLV
  calll *(%eax)
  .p2align 4, 0x90
  movl _buf, %esi                  # zerofill
  retl
.section __TEXT,__cstring,cstring_literals
Lstr: .asciz "hello"
.data
.globl _d
_d:
  .long 0, 0                       # (the PAIRs' r_address 0 lands here)
  .long _ext + 8                   # VANILLA, extern
  .long 0
  .long Lstr                       # VANILLA, non-extern
  .long 0
  .long _f - _d                    # SECTDIFF + PAIR
  .long Lstr - _d                  # LOCAL_SECTDIFF + PAIR
  .short _f - _d                   # SECTDIFF + PAIR, 2 bytes
  .short 0
  .long 0
  .long Lstr + 2                   # VANILLA, scattered
  .long 0
  .long Lfar + 1                   # becomes PB_LA_PTR (below)
.zerofill __DATA,__bss,_buf,64,4
.section __DATA,__mod_init_func,mod_init_funcs
  .long _f
.section __TEXT,__text2,regular,pure_instructions
Lfar:
  jmp _ext                         # VANILLA pc-relative
.subsections_via_symbols
S
cat > "$tmp/macho-arm.s" <<'S'
  .syntax unified
  .text
  .globl _f
  .align 2
  .code 32
_f:
  bl _ext                                  @ BR24, extern (through a stub)
  bl Lfar                                  @ BR24, non-extern (another section)
  movw r0, :lower16:_ext_data              @ HALF (ARM, lower) + PAIR, extern
  movt r0, :upper16:_ext_data              @ HALF (ARM, upper) + PAIR
  movw r1, :lower16:(_g - (LPC + 8))       @ HALF_SECTDIFF + PAIR
  movt r1, :upper16:(_g - (LPC + 8))
LPC:
  add r1, pc, r1
  movw r2, :lower16:Ldat                   @ HALF, non-extern
  movt r2, :upper16:Ldat
  blx _tf                                  @ BR24 (BLX), to a Thumb function
  bx lr
  .code 16
  .thumb_func _tf
  .globl _tf
_tf:
  bl _ext                                  @ THUMB_RELOC_BR22, extern
  bl _tl                                   @ THUMB_RELOC_BR22, local
  blx _f                                   @ THUMB_RELOC_BR22 (BLX), to ARM
  movw r0, :lower16:(Ldat + 4)             @ HALF (Thumb), scattered
  movt r0, :upper16:(Ldat + 4)
  movw r1, :lower16:(Ldat - (LPC2 + 4))    @ HALF_SECTDIFF (Thumb)
  movt r1, :upper16:(Ldat - (LPC2 + 4))
LPC2:
  add r1, pc
  bx lr
  .thumb_func _tl
_tl:
  bx lr
  .section __TEXT,__text2,regular,pure_instructions
  .align 2
  .code 32
Lfar:
  bx lr
  .data
  .align 2
Ldat:
  .long 0, 0                               @ (the PAIRs' r_address 0 lands here)
  .long _ext + 8                           @ VANILLA, extern (fields 8 bytes apart: each checked alone)
  .long 0
  .globl _g
_g:
  .long Lfar                               @ VANILLA, non-extern
  .long 0
  .long _g + 4 - _f                        @ SECTDIFF + PAIR
  .long Lfar - _g                          @ SECTDIFF, becomes LOCAL_SECTDIFF (below)
  .long Ldat + 2                           @ VANILLA, scattered
  .long 0
  .long Lfar + 2                           @ becomes PB_LA_PTR (below)
  .long 0
  .long _tf                                @ VANILLA to a Thumb function (odd)
.zerofill __DATA,__bss,_buf,64,4
.section __DATA,__mod_init_func,mod_init_funcs
  .long _f
.subsections_via_symbols
S
macho_c() { arch=$1; name=$2; src=$3; shift 3
  $CC -c --target=$triple "$@" "$tmp/$src.c" -o "$out/macho-$arch-$name.o"; }
# macho_seeds NAME [TRIPLE]: the seeds macho-NAME-*.o (TRIPLE: NAME-apple-macosx10.15).
macho_seeds() { arch=$1; triple=${2:-$1-apple-macosx10.15}
  macho_c "$arch" calls-O1 calls -O1 $nu
  if [ "$arch" = arm ]; then
    # armv7 iOS: Thumb by default, SjLj exceptions (unwind tables change
    # nothing) and no thread-locals; so the ARM encoding (BR24, ARM
    # HALF_SECTDIFF) and -mdynamic-no-pic's absolute movw/movt (HALF)
    # take calls-eh's and tlv-O1's places.
    macho_c "$arch" calls-arm calls -O1 -marm $nu
    macho_c "$arch" calls-nopic calls -O1 -mdynamic-no-pic $nu
  else
    macho_c "$arch" calls-eh calls -O1
    macho_c "$arch" tlv-O1 tls -O1 $nu
  fi
  macho_c "$arch" common-O0 common -O0 -fcommon $nu
  macho_c "$arch" ctor-O1 ctor -O1 $nu
  if [ -f "$tmp/macho-$arch.s" ]; then
    $MC -filetype=obj -triple="$triple" "$tmp/macho-$arch.s" -o "$out/macho-$arch-s-relocs.o"
  fi
}
macho_seeds x86_64
macho_seeds arm64
# retype FILE FROM TO: the one scattered entry whose first word is FROM
# (little-endian hex) gets TO (its r_type changed); anything but exactly
# one match fails.
retype() { perl -0777 -pi -e 'BEGIN{($f,$t)=map{pack "H*",$_} splice @ARGV,0,2} $n=s/\Q$f\E/$t/g; $n==1 or die "retype: $n matches\n"' "$2" "$3" "$1"; }
macho_seeds i386
retype "$out/macho-i386-s-relocs.o" 300000a0 300000a3   # __data+0x30 VANILLA -> PB_LA_PTR
macho_seeds arm armv7-apple-ios
retype "$out/macho-arm-s-relocs.o" 280000a0 280000a4    # __data+0x28 VANILLA -> PB_LA_PTR
retype "$out/macho-arm-s-relocs.o" 1c0000a2 1c0000a3    # __data+0x1c SECTDIFF -> LOCAL_SECTDIFF
for f in "$out"/*.o; do
  size=$(wc -c < "$f")
  if [ "$size" -ge 4096 ]; then echo "make-seeds: $f is $size bytes (>= 4 KiB): dropped" >&2; rm -f "$f"; fi
done
ls -l "$out"
