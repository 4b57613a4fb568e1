# ARM64_RELOC_PAGE21: ADRP's page distance, Page(S + A) - Page(P) with
# Page(x) = x & ~0xfff (<mach-o/arm64/reloc.h>; r_pcrel 1, r_length 2,
# extern), signed 21 bits of 4 KiB pages: ±4 GiB. Its partner,
# ARM64_RELOC_PAGEOFF12, writes the low 12 bits (pageoff12.s).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/page21.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -map-section page21.o,__text=0x10bc0 \
# RUN:   -map-section page21.o,__data=0x7654321 -dummy-extern _ext=0xfffff000 %t/page21.o
# Backwards, and to the last page that reaches: 4 GiB - 4 KiB ahead.
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -map-section page21.o,__text=0x10bc0 \
# RUN:   -map-section page21.o,__data=0x1000 -dummy-extern _ext=0x10000f000 %t/page21.o
#
# 4 GiB away: out of reach, an error naming the relocation.
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -map-section page21.o,__text=0x10bc0 \
# RUN:   -map-section page21.o,__data=0x1000 -dummy-extern _ext=0x100010000 %t/page21.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}page21.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM64_RELOC_PAGE21 {{.*}}out of range
#
# Malformed: not on an ADRP (a B); not pc-relative.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=3 -D LENGTH=2 -D PCREL=true -D ADDRESS=0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_PAGE21 at file offset 0x140 {{.*}}an ADRP
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=3 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -D CONTENT=0000009000000090 -o %t/pcrel.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/pcrel.o 2>&1 | FileCheck %s --check-prefix=PCREL
# PCREL: error: pcrel.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_PAGE21 {{.*}}is not pc-relative

  .text
  .globl _main
_main:
# rtdyld-check: decode_operand(adrp_data, 1) = (var[32:12] - adrp_data[32:12])
adrp_data:
  adrp x0, var@PAGE
# rtdyld-check: decode_operand(adrp_ext, 1) = (_ext[32:12] - adrp_ext[32:12])
adrp_ext:
  adrp x1, _ext@PAGE
  ret

  .data
  .globl var
  .p2align 3
var:
  .quad 0
