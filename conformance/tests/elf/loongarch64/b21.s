# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/b21.o %s
# R_LARCH_B21: S + A - P, a count of 4-byte words in 21 signed bits (reach
# [-2^22, 2^22)), a multiple of 4 (psABI table; reference.h "LoongArch").
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section b21.o,.text=0x40000000 -map-section b21.o,.text.far=0x40001234 %t/b21.o
# The edges: the last word forward, the first backward.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section b21.o,.text=0x40000000 -map-section b21.o,.text.far=0x403ffffc %t/b21.o
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section b21.o,.text=0x40000000 -map-section b21.o,.text.far=0x3fc00000 %t/b21.o
# One word beyond: an overflow error.
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section b21.o,.text=0x40000000 -map-section b21.o,.text.far=0x40400000 %t/b21.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}b21.o:{{ ?}}(.text+0x0): relocation R_LARCH_B21 {{.*}}out of range
# Misaligned (far + 2): an error.
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section b21.o,.text=0x40000000 -map-section b21.o,.text.far=0x40001236 %t/b21.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=ALIGN
# ALIGN: error: {{.*}}b21.o:{{ ?}}(.text+0x0): relocation R_LARCH_B21
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_B21 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_B21

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (far - _main)
_main:
  beqz $a0, far
  ret

  .section .text.far,"ax",@progbits
far:
  ret
