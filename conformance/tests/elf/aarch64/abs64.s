# R_AARCH64_ABS64: S + A into a 64-bit data word (aaelf64 §5.7.6, no
# overflow check), in the object's byte order: little-endian for aarch64,
# big-endian for aarch64_be.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/le.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: the top of the address space, no overflow possible.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s -map-section le.o,.text=0xfffffffffff00000 %t/le.o
#
# Malformed: the field straddles the end of .text (LE and BE).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ABS64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ABS64 -D DATA=ELFDATA2MSB -o %t/bad-be.o
# RUN: not llvm-rtdyld -triple=aarch64_be-linux-gnu -verify %t/bad-be.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad{{(-be)?}}.o:{{ ?}}(.text+0x6): relocation R_AARCH64_ABS64

  .text
  .globl _main
  .p2align 2
_main:
  ret

  .data
  .p2align 3
# rtdyld-check: *{8}word = _main + 0x10
word:
  .xword _main + 0x10
# rtdyld-check: *{8}neg = _main - 1
neg:
  .xword _main - 1
