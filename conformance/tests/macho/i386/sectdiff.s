# GENERIC_RELOC_SECTDIFF and GENERIC_RELOC_LOCAL_SECTDIFF (<mach-o/reloc.h>):
# scattered, each followed by a scattered GENERIC_RELOC_PAIR; the field is
# A - B + k, where A is the entry's r_value, B the PAIR's (both addresses
# of the object file) and k what the field holds beyond rA - rB. Each of A
# and B moves with the section holding it. (SECTDIFF's A is an external
# symbol, LOCAL_SECTDIFF's a local one: the same value.) 1-, 2- and 4-byte
# fields; negative differences.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=i386-apple-macosx10.15 -filetype=obj -o %t/sectdiff.o %s
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s \
# RUN:   -map-section sectdiff.o,__text=0x100000 -map-section sectdiff.o,__data=0x100400 \
# RUN:   -map-section sectdiff.o,__const=0x100100 %t/sectdiff.o
# Edge: __data below __text (negative distances), 2^31 apart.
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s \
# RUN:   -map-section sectdiff.o,__text=0x80100000 -map-section sectdiff.o,__data=0x100000 \
# RUN:   -map-section sectdiff.o,__const=0x80100100 %t/sectdiff.o
#
# Overflow: the 2-byte difference takes [-2^15, 2^16) (and the 1-byte
# one [-2^7, 2^8)): __data 0x10000 bytes away does not fit.
# RUN: llvm-mc -triple=i386-apple-macosx10.15 -filetype=obj --defsym=R16=1 -o %t/far.o %s
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify \
# RUN:   -map-section far.o,__text=0x100000 -map-section far.o,__data=0x10f000 \
# RUN:   -map-section far.o,__const=0x100100 %t/far.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify \
# RUN:   -map-section far.o,__text=0x100000 -map-section far.o,__data=0x120000 \
# RUN:   -map-section far.o,__const=0x100100 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation GENERIC_RELOC_LOCAL_SECTDIFF {{.*}}out of range
#
# Malformed (Inputs/pair.yaml: a LOCAL_SECTDIFF at 0xc and its PAIR by
# default): not scattered; pc-relative; the PAIR missing, not scattered,
# or of another r_length; the PAIR's r_value in no section.
# RUN: yaml2obj %S/Inputs/pair.yaml -D SCATTERED=false -D SYMBOL=2 -o %t/notsc.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/notsc.o 2>&1 | FileCheck %s --check-prefix=NOTSC
# NOTSC: error: notsc.o:{{ ?}}(__text+0xc): relocation GENERIC_RELOC_LOCAL_SECTDIFF at file offset 0x170 {{.*}}not scattered
# RUN: yaml2obj %S/Inputs/pair.yaml -D PCREL=true -o %t/pcrel.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/pcrel.o 2>&1 | FileCheck %s --check-prefix=PCREL
# PCREL: error: pcrel.o:{{ ?}}(__text+0xc): relocation GENERIC_RELOC_LOCAL_SECTDIFF at file offset 0x170 is pc-relative
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE2=0 -D ADDRESS2=0 -o %t/nopair.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/nopair.o 2>&1 | FileCheck %s --check-prefix=NOPAIR
# NOPAIR: error: nopair.o:{{ ?}}(__text+0xc): relocation GENERIC_RELOC_LOCAL_SECTDIFF at file offset 0x170 {{.*}}GENERIC_RELOC_PAIR
# RUN: yaml2obj %S/Inputs/pair.yaml -D LENGTH2=1 -o %t/len.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/len.o 2>&1 | FileCheck %s --check-prefix=NOPAIR2
# NOPAIR2: error: len.o:{{ ?}}(__text+0xc): relocation GENERIC_RELOC_LOCAL_SECTDIFF at file offset 0x170 {{.*}}GENERIC_RELOC_PAIR
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=2 -D VALUE2=0x40 -o %t/bvalue.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/bvalue.o 2>&1 | FileCheck %s --check-prefix=BVALUE
# BVALUE: error: bvalue.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PAIR at file offset 0x178 {{.*}}no loaded section
# The yaml's defaults load: __data - (__text + 0xc) (Inputs/pair-check.txt).
# RUN: yaml2obj %S/Inputs/pair.yaml -o %t/good.o
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%S/Inputs/pair-check.txt \
# RUN:   -map-section good.o,__text=0x100000 -map-section good.o,__data=0x200000 %t/good.o

  .text
  .globl _main
_main:
# LOCAL_SECTDIFF, 4 bytes: a local label in __data minus one in __text.
# rtdyld-check: *{4}(mov_local + 1) = (dat - _main)[31:0]
mov_local:
  movl Ldat - _main, %eax
# SECTDIFF: an external symbol's address minus a local one, plus 8.
# rtdyld-check: *{4}(mov_ext + 1) = (_g + 8 - _main)[31:0]
mov_ext:
  movl _g + 8 - _main, %eax
  retl
t1:
# A 2-byte and a 1-byte difference.
# rtdyld-check: *{2}short_diff = (section_addr(sectdiff.o, __const) - _main)[15:0]
short_diff:
  .short Lc - _main
# rtdyld-check: *{1}byte_diff = (section_addr(sectdiff.o, __const) + 4 - t1)[7:0]
byte_diff:
  .byte Lc2 - t1
.ifdef R16
  .short Ldat - _main
.endif

  .section __TEXT,__const
Lc:
  .long 0
Lc2:
  .long 0

  .data
# __data minus __text: negative when __data lies below.
dat:
Ldat:
  .long 0
  .globl _g
_g:
  .long 0
# rtdyld-check: *{4}neg = (_main - _g)[31:0]
neg:
  .long _main - _g
