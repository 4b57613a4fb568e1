# R_X86_64_PC16: S + A - P into a signed 16-bit word (psABI Table 4.10):
# reach -32768..32767.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/pc16.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/pc16.o
# The edge: field - target = 0x8000 exactly.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s \
# RUN:   -map-section pc16.o,.text=0x1000 -map-section pc16.o,.data=0x9000 %t/pc16.o
#
# Out of range by one byte, and with 64 KiB between sections.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify \
# RUN:   -map-section pc16.o,.text=0x1000 -map-section pc16.o,.data=0x9001 %t/pc16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -target-section-sep=0x10000 %t/pc16.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pc16.o:{{ ?}}(.data+0x0): relocation R_X86_64_PC16 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PC16 -D OFFSET=7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_X86_64_PC16

  .text
target:
  retq

  .data
# rtdyld-check: *{2}field = (target - field)[15:0]
# rtdyld-check: *{2}(field + 2) = (target + 0x100 - (field + 2))[15:0]
field:
  .short target - .
  .short target + 0x100 - .
