# Local dynamic (aaelf64 §5.7.12): R_AARCH64_TLSLD_ADD_DTPREL_HI12 (bits
# [23:12], checked 0 <= X < 2^24) and _LO12_NC into ADD's imm12,
# TLSLD_MOVW_DTPREL_G1/G0_NC into MOVZ/MOVK, TLSLD_LDST32_DTPREL_LO12
# (checked X < 2^12, scaled by 4), and the TLS descriptor of
# _TLS_MODULE_BASE_ that clang-19 emits for the module's base (with
# -mllvm -aarch64-elf-ldtls-generation=1). In the static model the module's
# base is the thread pointer, so DTPREL is TPREL and _TLS_MODULE_BASE_ is
# 0 (reference/reference.h, "AArch64"): the descriptor relaxes to movz/movk
# of 0 and each DTPREL field holds the variable's TP offset (variant I:
# 16 for the TCB, then its place in the block).
# (LLVM 19's RuntimeDyld aborts on these types: "Relocation type not
# implemented yet!" -- checked against the psABI only.)
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/ld.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/ld.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
#
# Out of range: a DTPREL_HI12 of a variable 16 MiB into the block.
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/far.o 2>&1 | FileCheck %s --check-prefix=FAR
# FAR: R_AARCH64_TLSLD_ADD_DTPREL_HI12 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TLSLD_ADD_DTPREL_HI12 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_TLSLD_ADD_DTPREL_HI12

  .text
  .globl _main
  .p2align 2
_main:
# rtdyld-check: decode_operand(base, 1) = 0
base:
  adrp x0, :tlsdesc:_TLS_MODULE_BASE_
# rtdyld-check: decode_operand(base_lo, 2) = 0
base_lo:
  ldr x1, [x0, :tlsdesc_lo12:_TLS_MODULE_BASE_]
  add x0, x0, :tlsdesc_lo12:_TLS_MODULE_BASE_
  .tlsdesccall _TLS_MODULE_BASE_
  blr x1
  mrs x8, tpidr_el0
  add x0, x8, x0
# rtdyld-check: decode_operand(hi, 2) = v[23:12]
hi:
  add x2, x0, #:dtprel_hi12:v, lsl #12
# rtdyld-check: decode_operand(lo, 2) = v[11:0]
lo:
  add x2, x2, #:dtprel_lo12_nc:v
# rtdyld-check: decode_operand(g1, 1) = v[31:16]
g1:
  movz x3, #:dtprel_g1:v
# rtdyld-check: decode_operand(g0, 2) = v[15:0]
g0:
  movk x3, #:dtprel_g0_nc:v
# rtdyld-check: decode_operand(ld, 2) = v[11:0] >> 2
ld:
  ldr w4, [x0, :dtprel_lo12:v]
# rtdyld-check: decode_operand(first, 2) = 16
first:
  add x5, x0, #:dtprel_lo12_nc:w
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
w:
  .zero 8
.ifdef FAR
  .zero 0x1000000
.endif
v:
  .zero 8
