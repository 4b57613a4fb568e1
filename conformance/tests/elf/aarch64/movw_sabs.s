# R_AARCH64_MOVW_SABS_G0/G1/G2: signed 16-bit pieces of S + A, checked
# -2^16 <= X < 2^16 (G0), 2^32 (G1), 2^48 (G2); the instruction becomes
# MOVN for X < 0 (its immediate the inverted bits) and MOVZ for X >= 0
# (aaelf64 §5.7.7).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/sabs.o %s
# A negative value: MOVN.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x1000 %t/sabs.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s -dummy-extern=ext=0x1000 %t/be.o
# Out of range for G0: ext - 0x11000 = -2^16 - 0x1000 when ext is 0.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify -dummy-extern=ext=0x0 %t/sabs.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}sabs.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_AARCH64_MOVW_SABS_G0 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_MOVW_SABS_G0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_MOVW_SABS_G0

  .text
  .globl _main
  .p2align 2
# ext - 0x3000 = -0x2000: MOVN with imm16 = 0x1fff (bit 30 clear: MOVN).
# rtdyld-check: decode_operand(g1, 1) = 0
g1:
  movz x0, #:abs_g1_s:ext - 0x3000
# rtdyld-check: decode_operand(g0, 1) = 0x1fff
g0:
  movz x0, #:abs_g0_s:ext - 0x3000
# A positive value: MOVZ with the bits.
# rtdyld-check: decode_operand(pos, 1) = 0x1234
pos:
  movz x0, #:abs_g0_s:ext + 0x234
# The edge: ext - 0x11000 = -2^16 exactly (MOVN #0xffff); one below once
# ext is 0 (see RANGE).
# rtdyld-check: decode_operand(far, 1) = 0xffff
far:
  movz x0, #:abs_g0_s:ext - 0x11000
  ret
