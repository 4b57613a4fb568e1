# R_AARCH64_ADR_PREL_LO21: S + A - P into ADR's 21-bit byte offset,
# checked -2^20 <= X < 2^20 (aaelf64 §5.7.9).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/adr.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section adr.o,.text=0x10000 -map-section adr.o,.data=0x11000 %t/adr.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s \
# RUN:   -map-section be.o,.text=0x10000 -map-section be.o,.data=0x11000 %t/be.o
# The edge: `value` 2^20 - 1 bytes after the ADR.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section adr.o,.text=0x10000 -map-section adr.o,.data=0x10fff8 %t/adr.o
# One byte beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section adr.o,.text=0x10000 -map-section adr.o,.data=0x10fff9 %t/adr.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}adr.o:{{ ?}}(.text+0x0): relocation R_AARCH64_ADR_PREL_LO21 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ADR_PREL_LO21 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_ADR_PREL_LO21

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (value - _main)[20:0]
_main:
  adr x0, value
  ret

  .data
  .p2align 3
  .byte 0, 0, 0, 0, 0, 0, 0
value:
  .byte 1
