# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/tls_data.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s %t/tls_data.o
# R_LARCH_TLS_DTPREL32/64 (v's offset in its module: with one static block
# at tp, its TP offset), TLS_TPREL32/64 (the TP offset), TLS_DTPMOD32/64
# (1: the one module) (reference.h "LoongArch").
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_DTPREL64 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_TLS_DTPREL64

  .data
  .p2align 3
# rtdyld-check: *{8}d64 = 0x1808
d64:
  .reloc ., R_LARCH_TLS_DTPREL64, v+8
  .quad 0
# rtdyld-check: *{4}d32 = 0x1800
d32:
  .reloc ., R_LARCH_TLS_DTPREL32, v
  .word 0
# rtdyld-check: *{4}t32 = 0x1800
t32:
  .reloc ., R_LARCH_TLS_TPREL32, v
  .word 0
  .p2align 3
# rtdyld-check: *{8}t64 = 0x1800
t64:
  .reloc ., R_LARCH_TLS_TPREL64, v
  .quad 0
# rtdyld-check: *{8}m64 = 1
m64:
  .reloc ., R_LARCH_TLS_DTPMOD64, v
  .quad 0
# rtdyld-check: *{4}m32 = 1
m32:
  .reloc ., R_LARCH_TLS_DTPMOD32, v
  .word 0

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
