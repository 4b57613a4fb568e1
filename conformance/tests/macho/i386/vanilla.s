# GENERIC_RELOC_VANILLA (<mach-o/reloc.h>): S + A, or S + A - (P + W) when
# pc-relative (W = 2^r_length, the field's width: a pc-relative field is
# relative to its own end). Four forms: extern (an extern pc-relative
# field holds A minus its end's file address), non-extern (the field holds
# an address of the object file, in the section r_symbolnum names),
# scattered (the same, but the section is the one holding r_value: `_d+4`
# stays in _d's section) and 1- and 2-byte fields.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=i386-apple-macosx10.15 -filetype=obj -o %t/vanilla.o %s
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _low=0x1234 -dummy-extern _byte=0x41 -map-section vanilla.o,__text=0x100000 \
# RUN:   -map-section vanilla.o,__data=0x200000 -map-section vanilla.o,__const=0x300000 %t/vanilla.o
# Edge: a pc-relative 4-byte field reaches any 32-bit address (modulo
# 2^32): from 0xfff00000 to 0x12345678 the distance is below -2^31.
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _low=0x1234 -dummy-extern _byte=0x41 -map-section vanilla.o,__text=0xfff00000 \
# RUN:   -map-section vanilla.o,__data=0x200000 -map-section vanilla.o,__const=0x300000 %t/vanilla.o
#
# Overflow: an absolute 4-byte field takes [-2^31, 2^32); 2^32 does not fit.
# RUN: llvm-mc -triple=i386-apple-macosx10.15 -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _low=0x1234 -dummy-extern _byte=0x41 -dummy-extern _big=0x100000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation GENERIC_RELOC_VANILLA {{.*}}out of range
# A 2-byte field takes [-2^15, 2^16): _ext (0x12345678) does not fit.
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _low=0x12345678 -dummy-extern _byte=0x41 -dummy-extern _big=0 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE16
# RANGE16: error: {{.*}}far.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation GENERIC_RELOC_VANILLA {{.*}}out of range
#
# Malformed: the field straddles the end of its section (__text is 16 bytes).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D ADDRESS=0xe -D SCATTERED=false -D EXTERN=true -D SYMBOL=1 \
# RUN:   -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0xe): relocation GENERIC_RELOC_VANILLA at file offset 0x170 {{.*}}outside its section
# Malformed: a scattered entry whose r_value is in no section.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D ADDRESS=0 -D VALUE=0x100 -D TYPE2=0 -D SCATTERED2=false \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/nowhere.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/nowhere.o 2>&1 | FileCheck %s --check-prefix=NOWHERE
# NOWHERE: error: nowhere.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_VANILLA at file offset 0x170 {{.*}}r_value {{.*}}no loaded section
# Malformed: 8 bytes (r_length 3): i386 has no 64-bit field.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D ADDRESS=0 -D LENGTH=3 -D SCATTERED=false -D EXTERN=true -D SYMBOL=1 \
# RUN:   -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/len3.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/len3.o 2>&1 | FileCheck %s --check-prefix=LEN3
# LEN3: error: len3.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_VANILLA at file offset 0x170 has r_length 3
# Malformed: two fields sharing bytes (4 bytes at 0 and 4 bytes at 2).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D ADDRESS=0 -D SCATTERED=false -D EXTERN=true -D SYMBOL=1 \
# RUN:   -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=2 -o %t/overlap.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/overlap.o 2>&1 | FileCheck %s --check-prefix=OVERLAP
# OVERLAP: error: overlap.o:{{ ?}}(__text+0x2): relocation GENERIC_RELOC_VANILLA at file offset 0x178 has a field that overlaps

  .text
  .globl _main
_main:
# Extern, pc-relative.
# rtdyld-check: *{4}(call_ext + 1) = (_ext - (call_ext + 5))[31:0]
call_ext:
  calll _ext
# Non-extern, absolute: a label in __data.
# rtdyld-check: *{4}(mov_data + 1) = _d
mov_data:
  movl _d, %eax
# Scattered, absolute: _d + 4 and _d + 0x20 (beyond __data's end: the
# section is the one holding _d, r_value).
# rtdyld-check: *{4}(mov_d4 + 1) = _d + 4
mov_d4:
  movl _d+4, %eax
# rtdyld-check: *{4}(mov_far + 1) = _d + 0x20
mov_far:
  movl _d+0x20, %eax
# Non-extern, pc-relative: a label in another section.
# rtdyld-check: *{4}(call_const + 1) = (section_addr(vanilla.o, __const) + 4 - (call_const + 5))[31:0]
call_const:
  calll Lconst
# Scattered, pc-relative: a label plus an offset, in another section.
# rtdyld-check: *{4}(call_const8 + 1) = (section_addr(vanilla.o, __const) + 12 - (call_const8 + 5))[31:0]
call_const8:
  calll Lconst+8
  retl

  .data
  .globl _d
_d:
  .long 1
# rtdyld-check: *{4}p_ext = _ext
p_ext:
  .long _ext
# rtdyld-check: *{4}p_ext4 = _ext + 4
p_ext4:
  .long _ext+4
# rtdyld-check: *{4}p_extm = _ext - 0x78
p_extm:
  .long _ext-0x78
# rtdyld-check: *{4}p_main = _main
p_main:
  .long _main
# 2- and 1-byte absolute fields.
# rtdyld-check: *{2}p_low16 = _low
p_low16:
  .short _low
# (a 1-byte field cannot hold an addend that does not fit it: the
# assembler keeps its low byte)
# rtdyld-check: *{1}p_low8 = _byte + 1
p_low8:
  .byte _byte + 1
.ifdef FAR
  .p2align 2
p_big:
  .long _big
p_low:
  .short _low
.endif

  .section __TEXT,__const
  .long 0
Lconst:
  .long 0x5678
  .long 0x9abc
  .long 0
