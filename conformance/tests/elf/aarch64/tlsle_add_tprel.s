# R_AARCH64_TLSLE_ADD_TPREL_HI12 (TPREL(S + A) bits [23:12], checked
# 0 <= X < 2^24) and _LO12_NC (bits [11:0]) into ADD's imm12, and
# TLSLE_MOVW_TPREL_G1/G0_NC into MOVZ/MOVK (aaelf64 §5.7.12). TLS variant
# I: the block starts after the 16-byte TCB at the thread pointer, so
# TPREL is positive (reference/reference.h). A TLS symbol's value in
# rtdyld-check is its thread-pointer offset.
# (LLVM 19's RuntimeDyld aborts on these types: "Relocation type not
# implemented yet!" -- checked against the psABI only.)
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/le.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TLSLE_ADD_TPREL_HI12 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_TLSLE_ADD_TPREL_HI12

  .text
  .globl _main
  .p2align 2
_main:
  mrs x0, tpidr_el0
# rtdyld-check: decode_operand(hi, 2) = v[23:12]
hi:
  add x0, x0, #:tprel_hi12:v, lsl #12
# rtdyld-check: decode_operand(lo, 2) = v[11:0]
lo:
  add x0, x0, #:tprel_lo12_nc:v
# rtdyld-check: decode_operand(g1, 1) = v[31:16]
g1:
  movz x1, #:tprel_g1:v
# rtdyld-check: decode_operand(g0, 2) = v[15:0]
g0:
  movk x1, #:tprel_g0_nc:v
# The variant I layout: w's offset is 16 (the TCB) + its place in the block.
# rtdyld-check: decode_operand(first, 2) = 16
first:
  add x2, x0, #:tprel_lo12_nc:w
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
w:
  .xword 1
v:
  .xword 2
