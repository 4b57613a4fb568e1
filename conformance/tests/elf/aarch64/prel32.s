# R_AARCH64_PREL32: S + A - P into a 32-bit data word, checked
# -2^31 <= X < 2^32 (aaelf64 §5.7.6), in the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/prel32.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/prel32.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: `back` (at .data + 0) reaches .text's start 2^31 bytes back.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section prel32.o,.text=0x1000 -map-section prel32.o,.data=0x80001000 %t/prel32.o
# One byte beyond (and by 8 GiB).
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section prel32.o,.text=0x1000 -map-section prel32.o,.data=0x100002000 %t/prel32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}prel32.o:{{ ?}}(.data+0x0): relocation R_AARCH64_PREL32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_PREL32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_PREL32

  .text
  .globl _main
  .p2align 4
_main:
  ret

  .data
  .p2align 2
# rtdyld-check: *{4}back = (_main - back)[31:0]
back:
  .word _main - .
