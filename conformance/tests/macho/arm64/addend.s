# ARM64_RELOC_ADDEND: the addend of the entry right after it, on the same
# field (<mach-o/arm64/reloc.h>: "must be followed by PAGE21 or
# PAGEOFF12"; llvm-mc also puts one before a BRANCH26), in its r_symbolnum
# (24 bits, signed; r_pcrel 0, r_length 2, r_extern 0). It writes nothing.
# An instruction holds no addend of its own: without an ADDEND it is 0.
# (llvm-mc 19 encodes a negative ADDEND with its sign bits spilling over
# r_pcrel, r_length, r_extern and r_type, making an entry of type 15 naming
# symbol 0xfffff8: both loaders refuse such an object; not used here.)
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/addend.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -dummy-extern _ext=0x200000 \
# RUN:   -map-section addend.o,__text=0x10bc0 -map-section addend.o,__data=0x7654fe0 %t/addend.o
# A branch to _ext + 8 with _ext out of reach: the veneer jumps to _ext
# itself, so it cannot serve; an error naming the relocation (as for ELF's
# CALL26 with an addend).
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _ext=0x7f0000000000 \
# RUN:   -map-section addend.o,__text=0x10bc0 -map-section addend.o,__data=0x7654fe0 %t/addend.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=FAR
# FAR: error: {{.*}}addend.o:{{ ?}}(__text+0x10): relocation ARM64_RELOC_BRANCH26 {{.*}}out of range
#
# Malformed: an ADDEND last in the table; followed by an UNSIGNED; followed
# by an entry on another field.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=10 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -D EXTERN=false -D SYMBOL=16 -o %t/last.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/last.o 2>&1 | FileCheck %s --check-prefix=LAST
# LAST: error: last.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_ADDEND at file offset 0x140 {{.*}}followed
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=10 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -D EXTERN=false -D SYMBOL=16 \
# RUN:   -D TYPE2=0 -D LENGTH2=3 -o %t/unsigned.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/unsigned.o 2>&1 | FileCheck %s --check-prefix=UNSIGNED
# UNSIGNED: error: unsigned.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_UNSIGNED at file offset 0x148 follows an {{(ARM64_RELOC_)?}}ADDEND
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=10 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -D EXTERN=false -D SYMBOL=16 \
# RUN:   -D TYPE2=2 -D LENGTH2=2 -D PCREL2=true -D ADDRESS2=4 -o %t/other.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/other.o 2>&1 | FileCheck %s --check-prefix=OTHER
# OTHER: error: other.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_ADDEND at file offset 0x140 {{.*}}own field

  .text
  .globl _main
_main:
# An addend that crosses into the next page (_var is 16 bytes before a
# page boundary): the ADRP's page is that of _var + 16.
# rtdyld-check: decode_operand(adrp1, 1) = ((_var + 16)[32:12] - adrp1[32:12])
adrp1:
  adrp x0, _var@PAGE+16
# rtdyld-check: decode_operand(add1, 2) = (_var + 16)[11:0]
add1:
  add x0, x0, _var@PAGEOFF+16
# rtdyld-check: decode_operand(adrp2, 1) = ((_var + 8)[32:12] - adrp2[32:12])
adrp2:
  adrp x1, _var@PAGE+8
# rtdyld-check: decode_operand(ldr2, 2) = (_var + 8)[11:3]
ldr2:
  ldr x1, [x1, _var@PAGEOFF+8]
# rtdyld-check: decode_operand(bl1, 0)[25:0] = ((_ext + 8) - bl1)[27:2]
bl1:
  bl _ext+8
  ret

  .data
  .globl _var
  .p2align 4
  .quad 1, 2
_var:
  .quad 3, 4, 5
