# The TLSDESC sequence (R_AARCH64_TLSDESC_ADR_PAGE21, _LD64_LO12,
# _ADD_LO12, _CALL; aaelf64 §5.7.14) relaxed to local exec, as
# reference/reference.h documents: adrp x0 -> movz x0, #tpoff >> 16, lsl
# #16; ldr x1 -> movk x0, #tpoff & 0xffff; add and blr -> nop. Variant I:
# v's offset is 16 (TCB) + 8.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/desc.o %s
# The nops are read as little-endian words: in the LE run only
# (rtdyld-check's `*{4}` reads in the object's byte order).
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -check=%S/Inputs/tlsdesc-le.check %t/desc.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
#
# Malformed: an instruction the relaxation does not know under
# TLSDESC_ADR_PAGE21 (a nop where the adrp belongs) is an error.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TLSDESC_ADR_PAGE21 -D SYMBOL=tls -D OFFSET=0x4 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x4): {{.*}}R_AARCH64_TLSDESC_ADR_PAGE21

  .text
  .globl _main
  .p2align 2
_main:
# rtdyld-check: decode_operand(a, 1) = v[31:16]
a:
  adrp x0, :tlsdesc:v
# rtdyld-check: decode_operand(b, 2) = v[15:0]
b:
  ldr x1, [x0, #:tlsdesc_lo12:v]
c:
  add x0, x0, #:tlsdesc_lo12:v
  .tlsdesccall v
d:
  blr x1
  mrs x1, tpidr_el0
  add x0, x1, x0
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
w:
  .xword 1
  .globl v
v:
  .xword 2
