# R_AARCH64_ADR_PREL_PG_HI21: Page(S + A) - Page(P) into ADRP's 21-bit
# page count, checked -2^32 <= X < 2^32 (aaelf64 §5.7.9); completed by
# R_AARCH64_ADD_ABS_LO12_NC, (S + A) & 0xfff into ADD's imm12 (no check).
# An ADRP beyond ±4 GiB is an error (never an assert: LLVM #71963).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/adrp.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s %t/adrp.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify -check=%s %t/be.o
# The edge: `value` on the last page forward in reach, Page(P) + 2^32 - 4096.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify -check=%s \
# RUN:   -map-section adrp.o,.text=0x10000 -map-section adrp.o,.data=0x10000f008 %t/adrp.o
# One page beyond.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify \
# RUN:   -map-section adrp.o,.text=0x10000 -map-section adrp.o,.data=0x100010008 %t/adrp.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}adrp.o:{{ ?}}(.text+0x0): relocation R_AARCH64_ADR_PREL_PG_HI21 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_ADR_PREL_PG_HI21 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_ADR_PREL_PG_HI21

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (value[63:12] - _main[63:12])[20:0]
_main:
  adrp x0, value
# rtdyld-check: decode_operand(lo, 2) = value[11:0]
lo:
  add x0, x0, :lo12:value
  ret

  .data
  .p2align 3
  .xword 0
value:
  .xword 0x1234
