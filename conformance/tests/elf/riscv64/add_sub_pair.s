# ADD32 and SUB32 on one field, as the assembler writes a label difference
# across relaxable code (`.word .Lb - .La` with -mrelax): V + S1 - S2, each
# applied in table order; two composing relocations on one field are not
# an overlap (reference.h "RISC-V"). Also the ADD64/SUB64, ADD16/SUB16 and
# ADD8/SUB8 pairs.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -mattr=+relax -filetype=obj -o %t/pair.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345678 %t/pair.o
# An ADD32 and a 32-bit word on the same bytes do overlap: refused.
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/overlap.o %S/Inputs/add-overlap.s
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/overlap.o 2>&1 | FileCheck %s --check-prefix=OVERLAP
# OVERLAP: error: overlap.o:{{ ?}}(.data+0x0): relocation R_RISCV_{{.*}}: its field overlaps that of R_RISCV_

  .text
  .globl _main
  .p2align 2
_main:
.La:
  call ext
.Lb:
  ret

  .data
  .p2align 3
# rtdyld-check: *{4}d32 = 8
d32:
  .word .Lb - .La
# rtdyld-check: *{8}d64 = 8
d64:
  .quad .Lb - .La
# rtdyld-check: *{2}d16 = 8
d16:
  .2byte .Lb - .La
# rtdyld-check: *{1}d8 = 8
d8:
  .byte .Lb - .La
# Three on one field compose too, in table order: 0x100 + 8 + .La.
# rtdyld-check: *{4}d3 = (0x100 + 8 + _main)[31:0]
  .reloc d3, R_RISCV_ADD32, .Lb
  .reloc d3, R_RISCV_SUB32, .La
  .reloc d3, R_RISCV_ADD32, .La
d3:
  .word 0x100
