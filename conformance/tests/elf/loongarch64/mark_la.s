# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/mark_la.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=x=0x12345678 %t/mark_la.o
# R_LARCH_MARK_LA and R_LARCH_MARK_PCREL: markers of the old stack-based
# scheme; nothing is written (reference.h "LoongArch"), though the symbol
# must still resolve.

  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{4}_main = 0x03400000
# rtdyld-check: *{4}(_main + 4) = 0x03400000
_main:
  .reloc ., R_LARCH_MARK_LA, x
  nop
  .reloc ., R_LARCH_MARK_PCREL, x
  nop
