# R_AARCH64_CONDBR19: S + A - P, bits [20:2] into B.cond's imm19, checked
# -2^20 <= X < 2^20 (aaelf64 §5.7.8). Out of reach is an error (no veneer
# for a conditional branch).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/condbr.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/condbr.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: `far` 2^20 - 4 bytes after the branch.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section condbr.o,.text=0x10000 -map-section condbr.o,.text.far=0x10fffc %t/condbr.o
# One word beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section condbr.o,.text=0x10000 -map-section condbr.o,.text.far=0x110000 %t/condbr.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}condbr.o:{{ ?}}(.text+0x0): relocation R_AARCH64_CONDBR19 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_CONDBR19 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_CONDBR19

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (far - _main)[20:2]
_main:
  b.eq far
  ret

  .section .text.far,"ax",@progbits
  .p2align 2
far:
  ret
