# R_AARCH64_MOVW_PREL_G0/G0_NC/G1_NC/G2_NC/G3: 16-bit pieces of S + A - P
# into MOVZ/MOVK; the checked G0 requires -2^16 <= X < 2^16 and becomes
# MOVN for X < 0 (its immediate the inverted bits), MOVZ for X >= 0
# (aaelf64 §5.7.7).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/prel.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section prel.o,.text=0x20000 -map-section prel.o,.data=0x21000 %t/prel.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s \
# RUN:   -map-section be.o,.text=0x20000 -map-section be.o,.data=0x21000 %t/be.o
# `value` far below: X < -2^16 for G0, an error.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section prel.o,.text=0x20000 -map-section prel.o,.data=0x1000 %t/prel.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}prel.o:{{ ?}}(.text+0x0): relocation R_AARCH64_MOVW_PREL_G0 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_MOVW_PREL_G0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_MOVW_PREL_G0

  .text
  .globl _main
  .p2align 2
# value - g0 = 0x1000 (MOVZ).
# rtdyld-check: decode_operand(g0, 1) = (value - g0)[15:0]
g0:
  movz x0, #:prel_g0:value
# g0 - back = -0x4 (MOVN, immediate ~X = 3).
# rtdyld-check: decode_operand(back, 1) = 3
back:
  movz x1, #:prel_g0:g0
# The unchecked pieces of value - nc (a MOVK each).
# rtdyld-check: decode_operand(nc, 2) = (value - nc)[15:0]
nc:
  movk x2, #:prel_g0_nc:value
# rtdyld-check: decode_operand(nc1, 2) = (value - nc1)[31:16]
nc1:
  movk x2, #:prel_g1_nc:value
_main:
  ret

  .data
  .p2align 3
value:
  .xword 0
