# R_X86_64_GOTPCREL64: G + GOT + A - P into 64 bits (psABI Table 4.10): the
# distance to a symbol's GOT slot from anywhere.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotpcrel64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/gotpcrel64.o
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=ext=0x7f0012345678 \
# RUN:   -map-section gotpcrel64.o,.got=0x800000000 %t/gotpcrel64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTPCREL64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTPCREL64

  .data
# rtdyld-check: *{8}field = got_addr(gotpcrel64.o/.data, ext) - field
# rtdyld-check: *{8}got_addr(gotpcrel64.o/.data, ext) = ext
# rtdyld-check: *{8}(field + 8) = got_addr(gotpcrel64.o/.data, data) + 8 - (field + 8)
# rtdyld-check: *{8}got_addr(gotpcrel64.o/.data, data) = data
field:
  .reloc field, R_X86_64_GOTPCREL64, ext
  .quad 0
  .reloc field + 8, R_X86_64_GOTPCREL64, data + 8
  .quad 0
# Global, so the assembler keeps the symbol (not .data + offset).
  .globl data
data:
  .quad 0
