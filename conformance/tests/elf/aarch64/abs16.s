# R_AARCH64_ABS16: S + A into a 16-bit data word, checked
# -2^15 <= X < 2^16 (aaelf64 §5.7.6), in the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/abs16.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section abs16.o,.text=0x1000 %t/abs16.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s -map-section be.o,.text=0x1000 %t/be.o
# The edge: `_main + 0xf` lands on 2^16 - 1 exactly.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section abs16.o,.text=0xfff0 %t/abs16.o
# One byte beyond: 2^16.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify -map-section abs16.o,.text=0xfff1 %t/abs16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}abs16.o:{{ ?}}(.data+0x0): relocation R_AARCH64_ABS16 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ABS16 -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_AARCH64_ABS16

  .text
  .globl _main
  .p2align 4
_main:
  ret

  .data
  .p2align 1
# rtdyld-check: *{2}word = (_main + 0xf)[15:0]
word:
  .hword _main + 0xf
