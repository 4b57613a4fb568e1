# R_X86_64_SIZE64: Z + A into 64 bits (psABI Table 4.10), Z the symbol's
# st_size; no range to exceed.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/size64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/size64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_SIZE64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_SIZE64

  .data
# rtdyld-check: *{8}field = 0x1000
# rtdyld-check: *{8}(field + 8) = 0x1000 + 0x123456789
# rtdyld-check: *{8}(field + 16) = 0xffffffffffffffff
field:
  .quad big@SIZE
  .quad big@SIZE + 0x123456789
  .quad big@SIZE - 0x1001

  .bss
  .globl big
  .type big, @object
big:
  .zero 0x1000
  .size big, 0x1000
