# R_AARCH64_TSTBR14: S + A - P, bits [15:2] into TBZ/TBNZ's imm14, checked
# -2^15 <= X < 2^15 (aaelf64 §5.7.8). Out of reach is an error.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/tbz.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/tbz.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: `far` 2^15 - 4 bytes after the branch.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section tbz.o,.text=0x10000 -map-section tbz.o,.text.far=0x17ffc %t/tbz.o
# One word beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section tbz.o,.text=0x10000 -map-section tbz.o,.text.far=0x18000 %t/tbz.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}tbz.o:{{ ?}}(.text+0x0): relocation R_AARCH64_TSTBR14 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_TSTBR14 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_TSTBR14

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 2) = (far - _main)[15:2]
_main:
  tbz x0, #3, far
  ret

  .section .text.far,"ax",@progbits
  .p2align 2
far:
  ret
