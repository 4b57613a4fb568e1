# ARM64_RELOC_SUBTRACTOR + ARM64_RELOC_UNSIGNED: a pair on one field,
# minuend - subtrahend + the field's addend (<mach-o/arm64/reloc.h>: the
# SUBTRACTOR names the subtrahend and must be followed by an UNSIGNED
# naming the minuend, same r_address and r_length). Either half may be
# extern (a symbol) or not (a section, the field holding file addresses).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/subtractor.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s %t/subtractor.o
# The sections moved apart: the differences follow.
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -map-section subtractor.o,__data=0x100000 \
# RUN:   -map-section subtractor.o,_a=0x900000 -map-section subtractor.o,_b=0x200000 %t/subtractor.o
# A 32-bit difference out of range: [-2^31, 2^32) is what fits.
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -map-section subtractor.o,__data=0x100000 \
# RUN:   -map-section subtractor.o,_a=0x100000000 -map-section subtractor.o,_b=0x300000000 %t/subtractor.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}subtractor.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_UNSIGNED out of range
#
# Malformed: a SUBTRACTOR followed by something else, or by nothing.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=1 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D TYPE2=2 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad{{2?}}.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_SUBTRACTOR {{.*}}ARM64_RELOC_UNSIGNED
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=1 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D TYPE2=0 -D LENGTH2=2 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=1 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -o %t/bad3.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/bad3.o 2>&1 | FileCheck %s --check-prefix=LAST
# LAST: error: bad3.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_SUBTRACTOR {{.*}}ARM64_RELOC_UNSIGNED

  .data
# Extern - extern, 64 bits.
# rtdyld-check: *{8}d1 = a1 - b1 + 4
d1:
  .quad a1 - b1 + 4
# Non-extern - non-extern (assembler-local labels), 64 bits.
# rtdyld-check: *{8}d2 = (section_addr(subtractor.o, _a) + 4) - section_addr(subtractor.o, _b) + 8
d2:
  .quad La - Lb + 8
# Extern - non-extern, 32 bits.
# rtdyld-check: *{4}d3 = (a1 - section_addr(subtractor.o, _b) + 12)[31:0]
d3:
  .long a1 - Lb + 12
# Non-extern - extern, 32 bits.
# rtdyld-check: *{4}d4 = ((section_addr(subtractor.o, _a) + 4) - b1 - 16)[31:0]
d4:
  .long La - b1 - 16

  .section __DATA,_a
a1:
  .long 0
La:
  .long 0
  .section __DATA,_b
Lb:
  .long 0
b1:
  .long 0
.subsections_via_symbols
