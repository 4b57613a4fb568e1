# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/pcrel20_s2.o %s
# R_LARCH_PCREL20_S2: pcaddi, (S + A - P) / 4 in 20 signed bits (±2 MiB).
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcrel20_s2.o,.text=0x40000000 -map-section pcrel20_s2.o,.text.far=0x401ffffc %t/pcrel20_s2.o
# One word beyond: an overflow error.
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section pcrel20_s2.o,.text=0x40000000 -map-section pcrel20_s2.o,.text.far=0x40200000 %t/pcrel20_s2.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pcrel20_s2.o:{{ ?}}(.text+0x0): relocation R_LARCH_PCREL20_S2 {{.*}}out of range
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_PCREL20_S2 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_PCREL20_S2

  .text
  .globl _main
  .p2align 2
# rtdyld-check: _main + (decode_operand(_main, 1) << 2) = far
_main:
  .reloc ., R_LARCH_PCREL20_S2, far
  pcaddi $a0, 0
  ret

  .section .text.far,"ax",@progbits
far:
  ret
