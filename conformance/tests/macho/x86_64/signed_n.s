# X86_64_RELOC_SIGNED_1, _2, _4: a signed displacement followed by a 1-,
# 2- or 4-byte immediate (<mach-o/x86_64/reloc.h>). The field is still
# relative to its own end, P + 4: for an extern entry the assembler has
# folded the immediate's size into the stored addend, and for a non-extern
# one it cancels out (the field holds the distance from the instruction's
# end to an address of the object file).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/signed_n.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s %t/signed_n.o
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s \
# RUN:   -map-section signed_n.o,__text=0x10000 -map-section signed_n.o,__data=0x7fff0000 %t/signed_n.o
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/signed_n.o
#
# Malformed: each type on a field past its section's end.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=6 -D LENGTH=2 -D PCREL=true -D ADDRESS=5 -o %t/bad1.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad1.o 2>&1 | FileCheck %s --check-prefix=BAD1
# BAD1: error: bad1.o:{{ ?}}(__text+0x5): relocation X86_64_RELOC_SIGNED_1
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=7 -D LENGTH=2 -D PCREL=true -D ADDRESS=5 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(__text+0x5): relocation X86_64_RELOC_SIGNED_2
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=8 -D LENGTH=2 -D PCREL=true -D ADDRESS=5 -o %t/bad4.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad4.o 2>&1 | FileCheck %s --check-prefix=BAD4
# BAD4: error: bad4.o:{{ ?}}(__text+0x5): relocation X86_64_RELOC_SIGNED_4

  .text
  .globl _main
# Execution: store through each form, then check what was stored.
_main:
  movb $0x11, byte(%rip)
  movw $0x2222, half(%rip)
  movl $0x33333333, word(%rip)
  movl word(%rip), %eax
  subl $0x33333333, %eax
  retq

# SIGNED_1 (extern `byte`): the displacement is followed by a 1-byte immediate.
# rtdyld-check: decode_operand(s1, 3) = byte - next_pc(s1)
s1:
  movb $1, byte(%rip)
# SIGNED_2 (extern `half`), a 2-byte immediate.
# rtdyld-check: decode_operand(s2, 3) = half - next_pc(s2)
s2:
  movw $1, half(%rip)
# SIGNED_4 (extern `word`), a 4-byte immediate.
# rtdyld-check: decode_operand(s4, 3) = word - next_pc(s4)
s4:
  movl $1, word(%rip)
# The non-extern forms: an assembler-local label.
# rtdyld-check: decode_operand(n1, 3) = (section_addr(signed_n.o, __data) + 8) - next_pc(n1)
n1:
  movb $1, Lhere(%rip)
# rtdyld-check: decode_operand(n4, 3) = (section_addr(signed_n.o, __data) + 8) - next_pc(n4)
n4:
  movl $1, Lhere(%rip)

  .data
  .globl byte, half, word
byte:
  .byte 0
  .byte 0
half:
  .short 0
word:
  .long 0
Lhere:
  .long 0
