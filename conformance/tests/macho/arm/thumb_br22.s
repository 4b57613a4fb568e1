# ARM_THUMB_RELOC_BR22 (<mach-o/arm/reloc.h>): a Thumb-2 BL/BLX
# (S:J1:J2:imm10:imm11, ±16 MiB), relative to P + 4 for BL and to
# Align(P + 4, 4) for BLX. Extern: BL to an ARM function (even address)
# becomes BLX, BLX to a Thumb one BL (ld64's interworking); non-extern: the
# form kept. Beyond reach a name bound at resolve goes through the ARM
# stub, reached by BLX.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=thumbv7-apple-ios -filetype=obj -o %t/br22.o %s
# RUN: llvm-rtdyld -triple=thumbv7-apple-ios -verify -check=%s -dummy-extern _tnear=0x100801 \
# RUN:   -dummy-extern _anear=0x100a00 -dummy-extern _far=0x40000001 \
# RUN:   -map-section br22.o,__text=0x100000 %t/br22.o
# The low halfword of each field: 11110 S imm10; the high one 11 J1 x J2
# imm11 (x: 1 BL, 0 BLX). Checked through the offset they encode.
#
# Overflow: a non-preemptible target beyond ±16 MiB (no stub).
# RUN: llvm-mc -triple=thumbv7-apple-ios -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=thumbv7-apple-ios -verify -dummy-extern _tnear=0x100801 -dummy-extern _anear=0x100a00 \
# RUN:   -dummy-extern _far=0x40000001 -map-section far.o,__text=0x100000 \
# RUN:   -map-section far.o,__text2=0x8000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_THUMB_RELOC_BR22 {{.*}}out of range
# (Malformed entries: pair.s, on a YAML object.)

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 16
  .thumb_func _main
_main:
# BL to a Thumb function: BL (hw2 bit 12 set), from P + 4.
# rtdyld-check: (*{2}(bl_t + 2))[12:12] = 1
# rtdyld-check: (*{2}bl_t)[10:0] = ((0x100800 - (bl_t + 4)) >> 12)[10:0]
# rtdyld-check: (*{2}(bl_t + 2))[10:0] = ((0x100800 - (bl_t + 4)) >> 1)[10:0]
bl_t:
  bl _tnear
# BL to an ARM function: BLX (bit 12 clear), from Align(P + 4, 4).
# rtdyld-check: (*{2}(bl_a + 2))[12:12] = 0
# rtdyld-check: (*{2}(bl_a + 2))[10:0] = ((0x100a00 - ((bl_a + 4) & 0xfffffffc)) >> 1)[10:0]
bl_a:
  bl _anear
# Through the stub (1 GiB away): BLX to the ARM stub.
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _far)) = 0xe51ff004
# rtdyld-check: *{4}(stub_addr(br22.o/__text, _far) + 4) = 0x40000001
# rtdyld-check: (*{2}(bl_far + 2))[12:12] = 0
# rtdyld-check: (*{2}(bl_far + 2))[10:0] = ((stub_addr(br22.o/__text, _far) - ((bl_far + 4) & 0xfffffffc)) >> 1)[10:0]
bl_far:
  bl _far
# Non-extern BLX to a local ARM label in another section: kept BLX.
# rtdyld-check: (*{2}(blx_local + 2))[12:12] = 0
blx_local:
  blx Larm
.ifdef FAR
  bl _f2
.endif
  bx lr

  .section __TEXT,__text2,regular,pure_instructions
  .code 16
  .align 2
  .globl _f2
  .thumb_func _f2
_f2:
  bx lr
  .code 32
  .align 2
Larm:
  bx lr
