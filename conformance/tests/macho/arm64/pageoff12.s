# ARM64_RELOC_PAGEOFF12: the low 12 bits of S + A (<mach-o/arm64/reloc.h>;
# r_pcrel 0, r_length 2, extern), written into an ADD immediate as they
# are, or into a load/store's unsigned offset divided by its access size
# (1, 2, 4, 8 or 16 bytes: the instruction's size bits, and the SIMD 128-bit
# form), which only the instruction says. A target not aligned to the
# access is an error naming the relocation (LLVM 19's RuntimeDyld only
# asserts it, and its release build truncates the offset).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/pageoff12.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -map-section pageoff12.o,__text=0x10bc0 \
# RUN:   -map-section pageoff12.o,__data=0x7654320 %t/pageoff12.o
# __data placed 8 bytes off 16: the 16-byte access is misaligned.
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -map-section pageoff12.o,__text=0x10bc0 \
# RUN:   -map-section pageoff12.o,__data=0x7654328 %t/pageoff12.o 2>&1 | FileCheck %s --check-prefix=ALIGN
# ALIGN: error: {{.*}}pageoff12.o:{{ ?}}(__text+0x14): relocation ARM64_RELOC_PAGEOFF12 {{.*}}16-byte access
#
# Malformed: not on an ADD or a load/store (a B); r_length 3.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=4 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_PAGEOFF12 at file offset 0x140 {{.*}}ADD
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=4 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D CONTENT=0000009100000091 -o %t/len.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/len.o 2>&1 | FileCheck %s --check-prefix=LENGTH
# LENGTH: error: len.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_PAGEOFF12 {{.*}}r_length 3

  .text
  .globl _main
_main:
  adrp x0, var@PAGE
# rtdyld-check: decode_operand(add1, 2) = var[11:0]
add1:
  add x1, x0, var@PAGEOFF
# rtdyld-check: decode_operand(ldrb1, 2) = var[11:0]
ldrb1:
  ldrb w1, [x0, var@PAGEOFF]
# rtdyld-check: decode_operand(ldrh1, 2) = var[11:1]
ldrh1:
  ldrh w1, [x0, var@PAGEOFF]
# rtdyld-check: decode_operand(ldrw1, 2) = var[11:2]
ldrw1:
  ldr w1, [x0, var@PAGEOFF]
# rtdyld-check: decode_operand(ldrq1, 2) = var[11:4]
ldrq1:
  ldr q1, [x0, var@PAGEOFF]
# rtdyld-check: decode_operand(strx1, 2) = var[11:3]
strx1:
  str x1, [x0, var@PAGEOFF]
  ret

  .data
  .globl var
  .p2align 4
  .quad 0, 0
var:
  .quad 0, 0
