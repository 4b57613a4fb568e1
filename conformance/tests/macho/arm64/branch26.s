# ARM64_RELOC_BRANCH26: a B/BL's 26-bit word displacement, S + A - P
# (<mach-o/arm64/reloc.h>; r_pcrel 1, r_length 2, extern: the instruction
# holds no addend, an ARM64_RELOC_ADDEND before it does — addend.s). B/BL
# reach ±128 MiB; a call to a name bound at resolve time (undefined here, or
# a weak definition another object may preempt) goes through a veneer of
# the loader's own (ldr x16, #8; br x16; .quad target) when the target is
# farther; one veneer per symbol. A local target out of reach is an error.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=arm64-apple-macosx -filetype=obj -o %t/branch26.o %s
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -check=%s -dummy-extern _far=0x7f0000000000 \
# RUN:   -dummy-extern _near=0x100000 -map-section branch26.o,__text=0x200000 -map-section branch26.o,__text2=0x300000 \
# RUN:   %t/branch26.o
#
# A local target 128 MiB away: out of reach, no veneer (an error naming it).
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _far=0x7f0000000000 \
# RUN:   -dummy-extern _near=0x100000 -map-section branch26.o,__text=0x200000 -map-section branch26.o,__text2=0x8200000 \
# RUN:   %t/branch26.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}branch26.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_BRANCH26 {{.*}}out of range
# The last word that reaches: 128 MiB - 4 forward.
# RUN: llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _far=0x7f0000000000 \
# RUN:   -dummy-extern _near=0x100000 -map-section branch26.o,__text=0x200000 -map-section branch26.o,__text2=0x81ffffc \
# RUN:   %t/branch26.o
#
# Malformed: not on a B/BL (two NOPs); r_length 3; non-extern.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=2 -D LENGTH=2 -D PCREL=true -D ADDRESS=0 -D CONTENT=1f2003d51f2003d5 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_BRANCH26 at file offset 0x140 {{.*}}a B or BL
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=2 -D LENGTH=3 -D PCREL=true -D ADDRESS=0 -o %t/len.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify -dummy-extern _g=0x1000 %t/len.o 2>&1 | FileCheck %s --check-prefix=LENGTH
# LENGTH: error: len.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_BRANCH26 {{.*}}r_length 3
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=2 -D LENGTH=2 -D PCREL=true -D ADDRESS=0 -D EXTERN=false -o %t/ne.o
# RUN: not llvm-rtdyld -triple=arm64-apple-macosx -verify %t/ne.o 2>&1 | FileCheck %s --check-prefix=NONEXTERN
# NONEXTERN: error: ne.o:{{ ?}}(__text+0x0): relocation ARM64_RELOC_BRANCH26 {{.*}}not extern

  .text
  .globl _main
_main:
# A local function in another section: direct.
# rtdyld-check: decode_operand(bl_local, 0)[25:0] = (local - bl_local)[27:2]
bl_local:
  bl local
# An external out of reach: through its veneer, which jumps to it.
# rtdyld-check: decode_operand(bl_far, 0)[25:0] = (stub_addr(branch26.o/__text, _far) - bl_far)[27:2]
# rtdyld-check: *{8}(stub_addr(branch26.o/__text, _far) + 8) = _far
# rtdyld-check: *{4}stub_addr(branch26.o/__text, _far) = 0x58000050
# rtdyld-check: *{4}(stub_addr(branch26.o/__text, _far) + 4) = 0xd61f0200
bl_far:
  bl _far
# Both branches share the veneer.
# rtdyld-check: decode_operand(b_far, 0)[25:0] = (stub_addr(branch26.o/__text, _far) - b_far)[27:2]
b_far:
  b _far
# An external within reach, backwards: direct.
# rtdyld-check: decode_operand(bl_near, 0)[25:0] = (_near - bl_near)[27:2]
bl_near:
  bl _near
  ret

  .section __TEXT,__text2,regular,pure_instructions
local:
  ret
