# R_X86_64_GOTOFF64: S + A - GOT (psABI Table 4.10): a symbol's offset from
# the GOT, any distance.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/gotoff64.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/gotoff64.o
# Symbols below the GOT give negative offsets.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -map-section gotoff64.o,.got=0x700000000 %t/gotoff64.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GOTOFF64 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_GOTOFF64

  .text
# rtdyld-check: decode_operand(code, 1) = data + 4 - section_addr(gotoff64.o, .got)
code:
  movabsq $data@GOTOFF + 4, %rax

  .data
# rtdyld-check: *{8}field = code - section_addr(gotoff64.o, .got)
field:
  .quad code@GOTOFF
data:
  .quad 0
