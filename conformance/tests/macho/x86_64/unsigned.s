# X86_64_RELOC_UNSIGNED: S + A, 64 or 32 bits (<mach-o/x86_64/reloc.h>,
# r_pcrel 0, r_length 3 or 2); the addend is the field's contents. A
# non-extern entry names a section: its field holds an address of the object
# file's, which moves with that section.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/unsigned.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern ext=0x12345678 \
# RUN:   -dummy-extern big=0x100000000 -map-section unsigned.o,__data=0x200000 \
# RUN:   -map-section unsigned.o,__text=0x100000 -map-section unsigned.o,__const=0x300000 %t/unsigned.o
# Execution: `_main` adds the words a pointer and a 32-bit absolute reach.
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -execute %t/unsigned.o
#
# A 32-bit field takes [-2^31, 2^32): 2^32 does not fit.
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -dummy-extern ext=0x12345678 \
# RUN:   -dummy-extern big=0x100000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation X86_64_RELOC_UNSIGNED out of range
#
# Malformed: the field straddles the end of its section.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=false -D ADDRESS=4 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x4): relocation X86_64_RELOC_UNSIGNED at file offset {{.*}}outside its section
# Malformed: two fields sharing bytes (a 64-bit word at 0, a 32-bit one at 4).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D TYPE2=0 -D ADDRESS2=4 \
# RUN:   -D LENGTH2=2 -o %t/overlap.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/overlap.o 2>&1 | FileCheck %s --check-prefix=OVERLAP
# OVERLAP: error: overlap.o:{{ ?}}(__text+0x4): relocation X86_64_RELOC_UNSIGNED at file offset 0x148 has a field that overlaps

  .text
  .globl _main
_main:
  movq ptr(%rip), %rax
  movl (%rax), %eax
  subl $0x5678, %eax
  retq

  .data
# rtdyld-check: *{8}ptr = value
ptr:
  .quad value
# An extern symbol with an addend.
# rtdyld-check: *{8}ext64 = ext + 16
ext64:
  .quad ext + 16
# A 32-bit field, extern.
  .weak_reference ext
# rtdyld-check: *{4}ext32 = ext - 4
ext32:
  .long ext - 4
# Non-extern: a local label in another section, with an offset.
# rtdyld-check: *{8}local64 = section_addr(unsigned.o, __const) + 8
local64:
  .quad Lconst + 4
.ifdef FAR
far32:
  .long big
.endif

  .section __TEXT,__const
  .long 0
Lconst:
  .long 0x5678
value:
  .long 0x5678
