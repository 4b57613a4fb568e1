# R_X86_64_PC64: S + A - P into a 64-bit word (psABI Table 4.10); every
# distance fits.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/pc64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/pc64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -map-section pc64.o,.data=0x7fff00001000 %t/pc64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_PC64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_PC64

  .text
target:
  retq

  .data
# rtdyld-check: *{8}field = target - field
# rtdyld-check: *{8}(field + 8) = target + 0x10 - (field + 8)
field:
  .quad target - .
  .quad target + 0x10 - .
