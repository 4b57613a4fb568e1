# R_X86_64_PC8: S + A - P into a signed byte (psABI Table 4.10): reach
# -128..127, e.g. jrcxz to another section.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/pc8.o %s
# Backwards and forwards, each at the edge of the range.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -map-section pc8.o,.text.a=0x10000 -map-section pc8.o,.text.b=0x1007e %t/pc8.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -map-section pc8.o,.text.a=0x10081 -map-section pc8.o,.text.b=0x10000 %t/pc8.o
#
# Out of range by one byte (target - P = -129), and by a page (the default
# layout puts each section on its own page).
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -map-section pc8.o,.text.a=0x10000 -map-section pc8.o,.text.b=0x1007f %t/pc8.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/pc8.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pc8.o:{{ ?}}(.text.b+0x{{[0-9a-f]+}}): relocation R_X86_64_PC8 out of range
#
# Malformed: a field one byte past the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PC8 -D OFFSET=8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_X86_64_PC8

  .section .text.a,"ax",@progbits
target:
  retq

  .section .text.b,"ax",@progbits
# rtdyld-check: decode_operand(jump, 0) = target - next_pc(jump)
jump:
  jrcxz target
# rtdyld-check: *{1}field = (target - field)[7:0]
field:
  .byte target - .
