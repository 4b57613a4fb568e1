# R_X86_64_PC32: S + A - P into a signed 32-bit word (psABI Table 4.10):
# the ±2 GiB reach of RIP-relative code.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/pc32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/pc32.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/pc32.o
# The edge: `back` (at .data + 8) reaches .text's start 2^31 bytes back.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -map-section pc32.o,.text=0x1000 -map-section pc32.o,.data=0x80000ff8 %t/pc32.o
#
# Out of range by one byte, and by 4 GiB.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -map-section pc32.o,.text=0x1000 -map-section pc32.o,.data=0x80000ff9 %t/pc32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-BACK
# RANGE-BACK: error: {{.*}}pc32.o:{{ ?}}(.data+0x8): relocation R_X86_64_PC32 out of range
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section pc32.o,.data=0x100001000 %t/pc32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE-FAR
# RANGE-FAR: error: {{.*}}pc32.o:{{ ?}}(.{{text|data}}+0x{{[0-9a-f]+}}): relocation R_X86_64_PC32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PC32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_PC32

  .text
  .globl _main
# Execution: read `value` RIP-relatively; 0 when it is 0x5678.
# rtdyld-check: decode_operand(_main, 4) = value - next_pc(_main)
_main:
  movl value(%rip), %eax
  subl $0x5678, %eax
  retq

  .data
value:
  .long 0x5678
  .long 0
# rtdyld-check: *{4}back = (_main - back)[31:0]
back:
  .long _main - .
