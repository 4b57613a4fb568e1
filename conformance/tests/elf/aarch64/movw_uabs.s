# R_AARCH64_MOVW_UABS_G0..G3 (and _NC): 16-bit pieces of S + A into
# MOVZ/MOVK's imm16 (aaelf64 §5.7.7); the checked forms (G0, G1, G2)
# require X < 2^16, 2^32, 2^48; G3 takes the top piece.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/movw.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/movw.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# A high address: every piece non-zero.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section movw.o,.data=0x123456789abc0 %t/movw.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_MOVW_UABS_G3 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_MOVW_UABS_G3

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(g3, 1) = value[63:48]
g3:
  movz x0, #:abs_g3:value
# rtdyld-check: decode_operand(g2, 2) = value[47:32]
g2:
  movk x0, #:abs_g2_nc:value
# rtdyld-check: decode_operand(g1, 2) = value[31:16]
g1:
  movk x0, #:abs_g1_nc:value
# rtdyld-check: decode_operand(g0, 2) = value[15:0]
g0:
  movk x0, #:abs_g0_nc:value
_main:
  ret

  .data
  .p2align 3
value:
  .xword 0
