# R_AARCH64_PREL16: S + A - P into a 16-bit data word, checked
# -2^15 <= X < 2^16 (aaelf64 §5.7.6), in the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/prel16.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section prel16.o,.text=0x10000 -map-section prel16.o,.data=0x11000 %t/prel16.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s \
# RUN:   -map-section be.o,.text=0x10000 -map-section be.o,.data=0x11000 %t/be.o
# The edge: `.text` exactly 2^15 bytes back from `back`.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section prel16.o,.text=0x10000 -map-section prel16.o,.data=0x18000 %t/prel16.o
# One byte beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section prel16.o,.text=0x10000 -map-section prel16.o,.data=0x18002 %t/prel16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}prel16.o:{{ ?}}(.data+0x0): relocation R_AARCH64_PREL16 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_PREL16 -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_AARCH64_PREL16

  .text
  .globl _main
  .p2align 4
_main:
  ret

  .data
  .p2align 1
# rtdyld-check: *{2}back = (_main - back)[15:0]
back:
  .hword _main - .
