# ARM_THUMB_RELOC_BR22 (<mach-o/arm/reloc.h>): a Thumb-2 BL/BLX
# (S:J1:J2:imm10:imm11, ±16 MiB), relative to P + 4 for BL and to
# Align(P + 4, 4) for BLX. A branch to a global function — extern to a
# name bound at resolve or a global definition (addend 0), or non-extern
# landing on a global's address (llvm-mc resolves a Thumb call to a global
# of the same section that way) — goes through the Thumb stub for it,
# `ldr.w pc, [pc, #0]` (0xf000f8df) then the target word (odd for a Thumb
# function), reached by BL whatever the callee's mode (the load
# interworks; a B.W stays B.W). Other targets (N_PEXT, local) are direct:
# extern BL to an ARM function becomes BLX and back (ld64's interworking),
# a B.W cannot switch (an error); non-extern keeps its form.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=thumbv7-apple-ios -filetype=obj -o %t/br22.o %s
# RUN: llvm-rtdyld -triple=thumbv7-apple-ios -verify -check=%s -dummy-extern _tnear=0x100801 \
# RUN:   -dummy-extern _anear=0x100a00 -dummy-extern _far=0x40000001 \
# RUN:   -map-section br22.o,__text=0x100000 -map-section br22.o,__text2=0x200000 %t/br22.o
# The low halfword of each field: 11110 S imm10; the high one 11 J1 x J2
# imm11 (x: 1 BL, 0 BLX). Checked through the offset they encode.
#
# Overflow: a target with no stub (N_PEXT) beyond ±16 MiB.
# RUN: llvm-mc -triple=thumbv7-apple-ios -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=thumbv7-apple-ios -verify -dummy-extern _tnear=0x100801 -dummy-extern _anear=0x100a00 \
# RUN:   -dummy-extern _far=0x40000001 -map-section far.o,__text=0x100000 \
# RUN:   -map-section far.o,__text2=0x8000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_THUMB_RELOC_BR22 {{.*}}out of range
# A B.W cannot switch modes: straight to an ARM function (an addend, so
# no stub) it is an error naming the relocation.
# RUN: llvm-mc -triple=thumbv7-apple-ios -filetype=obj --defsym=BWARM=1 -o %t/bwarm.o %s
# RUN: not llvm-rtdyld -triple=thumbv7-apple-ios -verify -dummy-extern _tnear=0x100801 -dummy-extern _anear=0x100a00 \
# RUN:   -dummy-extern _far=0x40000001 -map-section bwarm.o,__text=0x100000 %t/bwarm.o 2>&1 | FileCheck %s --check-prefix=BWARM
# BWARM: error: {{.*}}bwarm.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_THUMB_RELOC_BR22 {{.*}}B.W to an ARM function
# (Malformed entries: pair.s, on a YAML object.)

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 16
  .thumb_func _main
_main:
# BL to an undefined Thumb function: BL (hw2 bit 12 set) to its Thumb
# stub, from P + 4.
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _tnear)) = 0xf000f8df
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _tnear) + 4) = 0x100801
# rtdyld-check: (*{2}(bl_t + 2))[12:12] = 1
# rtdyld-check: (*{2}bl_t)[10:0] = ((stub_addr(br22.o/__text, _tnear) - (bl_t + 4)) >> 12)[10:0]
# rtdyld-check: (*{2}(bl_t + 2))[10:0] = ((stub_addr(br22.o/__text, _tnear) - (bl_t + 4)) >> 1)[10:0]
bl_t:
  bl _tnear
# BL to an undefined ARM function: BL to its Thumb stub too (the stub's
# load switches to ARM by the word's clear low bit).
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _anear)) = 0xf000f8df
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _anear) + 4) = 0x100a00
# rtdyld-check: (*{2}(bl_a + 2))[12:12] = 1
# rtdyld-check: (*{2}(bl_a + 2))[10:0] = ((stub_addr(br22.o/__text, _anear) - (bl_a + 4)) >> 1)[10:0]
bl_a:
  bl _anear
# 1 GiB away: the same.
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _far)) = 0xf000f8df
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _far) + 4) = 0x40000001
# rtdyld-check: (*{2}(bl_far + 2))[12:12] = 1
# rtdyld-check: (*{2}(bl_far + 2))[10:0] = ((stub_addr(br22.o/__text, _far) - (bl_far + 4)) >> 1)[10:0]
bl_far:
  bl _far
# Non-extern BL to a global Thumb function of this section (llvm-mc's
# section-relative entry): through the global's Thumb stub, word odd.
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _tg)) = 0xf000f8df
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _tg) + 4) = _tg
# rtdyld-check: (*{4}(stub_addr(br22.o/__text, _tg) + 4))[0:0] = 1
# rtdyld-check: (*{2}(bl_g + 2))[10:0] = ((stub_addr(br22.o/__text, _tg) - (bl_g + 4)) >> 1)[10:0]
bl_g:
  bl _tg
# Non-extern BL to an N_PEXT Thumb function in another section: direct.
# rtdyld-check: (*{2}(bl_h + 2))[12:12] = 1
# rtdyld-check: (*{2}(bl_h + 2))[10:0] = (((_htg - 1) - (bl_h + 4)) >> 1)[10:0]
bl_h:
  bl _htg
# B.W (T4, hw2 10 J1 1 J2: clang's Thumb tail call) to a function bound
# by name: B.W to its Thumb stub, the form kept.
# rtdyld-check: (*{2}(bw_t + 2))[15:14] = 2
# rtdyld-check: (*{2}(bw_t + 2))[12:12] = 1
# rtdyld-check: (*{2}(bw_t + 2))[10:0] = ((stub_addr(br22.o/__text, _tnear) - (bw_t + 4)) >> 1)[10:0]
bw_t:
  b.w _tnear
# B.W to an N_PEXT Thumb function in another section: direct B.W.
# rtdyld-check: (*{2}(bw_h + 2))[15:14] = 2
# rtdyld-check: (*{2}(bw_h + 2))[10:0] = (((_htg - 1) - (bw_h + 4)) >> 1)[10:0]
bw_h:
  b.w _htg
# Non-extern BLX to a local ARM label in another section: kept BLX, direct.
# rtdyld-check: (*{2}(blx_local + 2))[12:12] = 0
# rtdyld-check: (*{2}(blx_local + 2))[10:0] = ((section_addr(br22.o, __text2) + 4 - ((blx_local + 4) & 0xfffffffc)) >> 1)[10:0]
blx_local:
  blx Larm
.ifdef FAR
  bl _f2
.endif
.ifdef BWARM
  b.w _anear+4
.endif
  bx lr

  .globl _tg
  .thumb_func _tg
_tg:
  bx lr

  .section __TEXT,__text2,regular,pure_instructions
  .code 16
  .align 2
  .globl _f2
  .private_extern _f2
  .thumb_func _f2
_f2:
  bx lr
  .code 32
  .align 2
Larm:
  bx lr
  .code 16
  .globl _htg
  .private_extern _htg
  .thumb_func _htg
_htg:
  bx lr
