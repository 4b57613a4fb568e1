# R_AARCH64_PLT32: S + A - P into a 32-bit data word, checked
# -2^31 <= X < 2^31 (aaelf64 §5.7.6); never through a stub
# (reference/reference.h). Data: the object's byte order.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/plt32.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/plt32.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: .text exactly 2^31 bytes back from `rel`.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section plt32.o,.text=0x1000 -map-section plt32.o,.data=0x80001000 %t/plt32.o
# One byte beyond (signed: -2^31 - 1 does not fit).
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section plt32.o,.text=0x1000 -map-section plt32.o,.data=0x80001001 %t/plt32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}plt32.o:{{ ?}}(.data+0x0): relocation R_AARCH64_PLT32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_PLT32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_PLT32

  .text
  .globl _main
  .globl fn
  .p2align 4
_main:
fn:
  ret

  .data
  .p2align 2
# rtdyld-check: *{4}rel = (fn - rel)[31:0]
rel:
  .word fn@PLT - .
