# ARM64_RELOC_UNSIGNED: S + A, 64 or 32 bits (<mach-o/arm64/reloc.h>,
# r_pcrel 0, r_length 3 or 2); the addend is the field's contents (the only
# arm64 form besides SUBTRACTOR that keeps it there). A non-extern entry
# names a section: its field holds an address of the object file's, which
# moves with that section (llvm-mc makes pointer-sized words to a local
# label non-extern).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/unsigned.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _big=0x100000000 -map-section unsigned.o,__data=0x200000 \
# RUN:   -map-section unsigned.o,__text=0x100000 -map-section unsigned.o,__const=0x300000 %t/unsigned.o
# llvm-mc makes even a local label's word extern (to its ltmpN section
# symbol); a non-extern entry (r_extern 0, section ordinal 1, __text) whose
# field holds the file address 4, from YAML:
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D EXTERN=false -D SYMBOL=1 \
# RUN:   -D CONTENT=0400000000000000 -o %t/ne.o
# RUN: echo '# rtdyld-''check: *{8}_f = section_addr(ne.o, __text) + 4' > %t/ne.check
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%t/ne.check -map-section ne.o,__text=0x5000 %t/ne.o
#
# A 32-bit field takes [-2^31, 2^32): 2^32 does not fit.
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _ext=0x12345678 \
# RUN:   -dummy-extern _big=0x100000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__data+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_UNSIGNED out of range
#
# Malformed: the field straddles the end of its section; r_pcrel 1.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=false -D ADDRESS=4 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x4): relocation ARM64_RELOC_UNSIGNED at file offset {{.*}}outside its section
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=true -D ADDRESS=0 -o %t/pcrel.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/pcrel.o 2>&1 | FileCheck %s --check-prefix=PCREL
# PCREL: error: pcrel.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_UNSIGNED at file offset 0x140 is pc-relative
# Malformed: two fields sharing bytes (a 64-bit word at 0, a 32-bit one at 4).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D LENGTH=3 -D PCREL=false -D ADDRESS=0 -D TYPE2=0 -D ADDRESS2=4 \
# RUN:   -D LENGTH2=2 -o %t/overlap.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/overlap.o 2>&1 | FileCheck %s --check-prefix=OVERLAP
# OVERLAP: error: overlap.o:{{ ?}}(__text+0x4): relocation ARM64_RELOC_UNSIGNED at file offset 0x148 has a field that overlaps

  .text
  .globl _main
_main:
  ret

  .data
# rtdyld-check: *{8}ptr = value
ptr:
  .quad value
# An extern symbol with an addend.
# rtdyld-check: *{8}ext64 = _ext + 16
ext64:
  .quad _ext + 16
# A 32-bit field, extern, negative addend.
# rtdyld-check: *{4}ext32 = _ext - 4
ext32:
  .long _ext - 4
# A local label in another section, with an offset.
# rtdyld-check: *{8}local64 = section_addr(unsigned.o, __const) + 8
local64:
  .quad Lconst + 4
.ifdef FAR
far32:
  .long _big
.endif

  .section __TEXT,__const
  .long 0
Lconst:
  .long 0x5678
value:
  .long 0x5678
