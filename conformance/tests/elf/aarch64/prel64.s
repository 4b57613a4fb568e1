# R_AARCH64_PREL64: S + A - P into a 64-bit data word (aaelf64 §5.7.6, no
# overflow check), in the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/prel64.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/prel64.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# Far apart (2^40 bytes): still exact.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section prel64.o,.text=0x1000 -map-section prel64.o,.data=0x10000001000 %t/prel64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_PREL64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_PREL64

  .text
  .globl _main
  .p2align 4
_main:
  ret

  .data
  .p2align 3
# rtdyld-check: *{8}back = _main - back
back:
  .xword _main - .
