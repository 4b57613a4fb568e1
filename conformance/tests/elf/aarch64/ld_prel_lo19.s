# R_AARCH64_LD_PREL_LO19: S + A - P, bits [20:2] into LDR (literal)'s
# imm19, checked -2^20 <= X < 2^20 (aaelf64 §5.7.8).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/ldlit.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section ldlit.o,.text=0x10000 -map-section ldlit.o,.data=0x11000 %t/ldlit.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s \
# RUN:   -map-section be.o,.text=0x10000 -map-section be.o,.data=0x11000 %t/be.o
# The edge: `value` 2^20 - 4 bytes after the load.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section ldlit.o,.text=0x10000 -map-section ldlit.o,.data=0x10fffc %t/ldlit.o
# One word beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section ldlit.o,.text=0x10000 -map-section ldlit.o,.data=0x110000 %t/ldlit.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}ldlit.o:{{ ?}}(.text+0x0): relocation R_AARCH64_LD_PREL_LO19 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_LD_PREL_LO19 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_LD_PREL_LO19

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (value - _main)[20:2]
_main:
  ldr x0, value
  ret

  .data
  .p2align 3
value:
  .xword 0x1234
