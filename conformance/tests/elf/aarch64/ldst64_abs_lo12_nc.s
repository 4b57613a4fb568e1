# R_AARCH64_LDST{8,16,32,64,128}_ABS_LO12_NC: (S + A) & 0xfff, scaled by
# the access size, into a load/store's imm12 (aaelf64 §5.7.9). The low
# bits a scaled access cannot hold must be zero: an unaligned address is
# an error on jitload's loaders (LLVM's asserts only; its release build
# drops the bits).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/ldst.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/ldst.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: the last aligned slot of a page (offset 0xff0 for all sizes).
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section ldst.o,.data=0x20ff0 %t/ldst.o
# Misaligned for the 64-bit load (value + 4 is not a multiple of 8): an
# error naming the relocation.
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj --defsym MISALIGN=1 -o %t/mis.o %s
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/mis.o 2>&1 | FileCheck %s --check-prefix=ALIGN
# ALIGN: error: {{.*}}mis.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_AARCH64_LDST64_ABS_LO12_NC
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_LDST64_ABS_LO12_NC -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_LDST64_ABS_LO12_NC

  .text
  .globl _main
  .p2align 2
_main:
  adrp x0, value
# rtdyld-check: decode_operand(l8, 2) = value[11:0]
l8:
  ldrb w1, [x0, :lo12:value]
# rtdyld-check: decode_operand(l16, 2) = value[11:1]
l16:
  ldrh w1, [x0, :lo12:value]
# rtdyld-check: decode_operand(l32, 2) = value[11:2]
l32:
  ldr w1, [x0, :lo12:value]
# rtdyld-check: decode_operand(l64, 2) = value[11:3]
l64:
  ldr x1, [x0, :lo12:value]
# rtdyld-check: decode_operand(l128, 2) = value[11:4]
l128:
  ldr q1, [x0, :lo12:value]
.ifdef MISALIGN
  ldr x1, [x0, :lo12:value+4]
.endif
  ret

  .data
  .p2align 4
value:
  .xword 0x1234, 0
