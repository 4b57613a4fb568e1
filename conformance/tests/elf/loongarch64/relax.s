# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -mattr=+relax -filetype=obj -o %t/relax.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section relax.o,.text=0x200ff0 %t/relax.o
# R_LARCH_RELAX beside la.pcrel's PCALA_HI20/LO12: kept, nothing relaxed
# (reference.h "LoongArch"); the pair still reaches var.

  .text
  .globl _main
  .p2align 2
# rtdyld-check: (_main & 0xfffffffffffff000) + (decode_operand(_main, 1) << 12) + decode_operand(_main + 4, 2) = var
_main:
  .reloc ., R_LARCH_RELAX, 0
  la.pcrel $a0, var
  ret
  .data
  .zero 0x900
var:
  .quad 1
