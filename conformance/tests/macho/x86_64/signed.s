# X86_64_RELOC_SIGNED: S + A - (P + 4), a signed 32-bit displacement from
# the end of the field (<mach-o/x86_64/reloc.h>; r_pcrel 1, r_length 2).
# Extern: A is the field's contents. Non-extern: the field holds the
# distance to an address of the object file, which moves with the section
# its entry names.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/signed.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern ext=0x7000 %t/signed.o
# Execution (without the undefined `ext`, which has no address here):
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj --defsym=EXEC=1 -o %t/exec.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/exec.o
# The exact edge: `value` (__data's start) 2^31 - 1 bytes past the end of
# _main's field (__text + 6).
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern ext=0x7000 \
# RUN:   -map-section signed.o,__text=0x1000 -map-section signed.o,__data=0x80001005 %t/signed.o
# One byte further: out of range.
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -dummy-extern ext=0x7000 \
# RUN:   -map-section signed.o,__text=0x1000 -map-section signed.o,__data=0x80001006 %t/signed.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}signed.o:{{ ?}}(__text+0x2): relocation X86_64_RELOC_SIGNED out of range
#
# Malformed: the field straddles the end of its section; the type without r_pcrel.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=1 -D LENGTH=2 -D PCREL=true -D ADDRESS=6 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x6): relocation X86_64_RELOC_SIGNED at file offset {{.*}}outside its section
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=1 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=PCREL
# PCREL: error: bad2.o:{{ ?}}(__text+0x0): relocation X86_64_RELOC_SIGNED {{.*}}is not pc-relative

  .text
  .globl _main
# Extern (a global): the field reaches `value`.
# rtdyld-check: decode_operand(_main, 4) = value - next_pc(_main)
_main:
  movl value(%rip), %eax
  subl $0x5678, %eax
  retq
# Non-extern (an assembler-local label): the same rule.
# rtdyld-check: decode_operand(local, 4) = (section_addr(signed.o, __data) + 4) - next_pc(local)
local:
  movl Lother(%rip), %eax
# An undefined symbol with an addend.
# rtdyld-check: decode_operand(extern, 4) = (ext + 8) - next_pc(extern)
.ifndef EXEC
extern:
  movl ext+8(%rip), %eax
.endif


  .data
  .globl value
value:
  .long 0x5678
Lother:
  .long 0
