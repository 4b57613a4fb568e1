# R_AARCH64_ABS32: S + A into a 32-bit data word, checked
# -2^31 <= X < 2^32 (aaelf64 §5.7.6), in the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/abs32.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/abs32.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: `_main + 0xf` lands on 2^32 - 1 exactly.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section abs32.o,.text=0xfffffff0 %t/abs32.o
# One byte beyond: 2^32.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify -map-section abs32.o,.text=0xfffffff1 %t/abs32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}abs32.o:{{ ?}}(.data+0x0): relocation R_AARCH64_ABS32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ABS32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_ABS32

  .text
  .globl _main
  .p2align 4
_main:
  ret

  .data
  .p2align 2
# rtdyld-check: *{4}word = (_main + 0xf)[31:0]
word:
  .word _main + 0xf
