# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -mattr=+relax -filetype=obj -o %t/align.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=f=0x10001000 %t/align.o
# R_LARCH_ALIGN: kept, not relaxed (reference.h "LoongArch"): the NOPs the
# assembler put there stay and run as NOPs; every place keeps its offset.

  .text
  .globl _main
  .p2align 2
_main:
  call36 f
  .p2align 4
# rtdyld-check: *{4}(b - 4) = 0x03400000
# rtdyld-check: decode_operand(b, 0) = _main - b
b:
  b _main
# The marker written out (there without -mattr=+relax too): 4 bytes of
# padding, a nop that stays.
# rtdyld-check: *{4}pad = 0x03400000
pad:
  .reloc ., R_LARCH_ALIGN, 4
  nop
