# ARM_RELOC_BR24 (<mach-o/arm/reloc.h>): an ARM B/BL/BLX's imm24 << 2,
# relative to P + 8. Extern: the target's mode is its address's low bit
# (a Thumb function, N_ARM_THUMB_DEF, is odd): BL to a Thumb function
# becomes BLX (H = bit 1 of the distance), BLX to an ARM one becomes BL
# (ld64's interworking). Non-extern: the instruction's own form is kept.
# Beyond ±32 MiB a branch to a name bound at resolve (undefined, weak)
# goes through a stub `ldr pc, [pc, #-4]; .long target`.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj -o %t/br24.o %s
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _near=0x100800 \
# RUN:   -dummy-extern _far=0x40000000 -dummy-extern _thumb_ext=0x100401 \
# RUN:   -map-section br24.o,__text=0x100000 -map-section br24.o,__text2=0x200000 %t/br24.o
#
# Overflow: a non-preemptible target (here __text2's own function) beyond
# ±32 MiB has no stub: an error naming the relocation.
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify -dummy-extern _near=0x100800 -dummy-extern _far=0x40000000 \
# RUN:   -dummy-extern _thumb_ext=0x100401 -map-section far.o,__text=0x100000 \
# RUN:   -map-section far.o,__text2=0x8000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_RELOC_BR24 {{.*}}out of range
# An ARM B (no link form) to a Thumb function cannot switch modes.
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj --defsym=BTHUMB=1 -o %t/bthumb.o %s
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify -dummy-extern _near=0x100800 -dummy-extern _far=0x40000000 \
# RUN:   -dummy-extern _thumb_ext=0x100401 -map-section bthumb.o,__text=0x100000 %t/bthumb.o 2>&1 | FileCheck %s --check-prefix=BTHUMB
# BTHUMB: error: {{.*}}bthumb.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_RELOC_BR24 {{.*}}Thumb

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 32
_main:
# BL to an ARM function (extern, undefined, near): BL, direct.
# rtdyld-check: *{4}bl_near = 0xeb000000 | ((_near - (bl_near + 8)) >> 2)[23:0]
bl_near:
  bl _near
# BL to an ARM function 1 GiB away: through the stub.
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _far)) = 0xe51ff004
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _far) + 4) = _far
# rtdyld-check: *{4}bl_far = 0xeb000000 | ((stub_addr(br24.o/__text, _far) - (bl_far + 8)) >> 2)[23:0]
bl_far:
  bl _far
# BL to a Thumb function of this object: BLX, H = bit 1 of the distance.
# rtdyld-check: *{4}bl_thumb = 0xfa000000 | ((((_tf - 1) - (bl_thumb + 8)) >> 1)[0:0] << 24) | (((_tf - 1) - (bl_thumb + 8)) >> 2)[23:0]
bl_thumb:
  bl _tf
# BL to an undefined Thumb function (odd address): BLX.
# rtdyld-check: *{4}bl_thumb_ext = 0xfa000000 | (((0x100400 - (bl_thumb_ext + 8)) >> 1)[0:0] << 24) | ((0x100400 - (bl_thumb_ext + 8)) >> 2)[23:0]
bl_thumb_ext:
  bl _thumb_ext
# B (conditional or not) to an ARM function: the condition kept.
# rtdyld-check: *{4}b_near = 0x1a000000 | ((_near - (b_near + 8)) >> 2)[23:0]
b_near:
  bne _near
# Non-extern (a local label in another section): the form kept.
# rtdyld-check: *{4}bl_local = 0xeb000000 | ((section_addr(br24.o, __text2) + 4 - (bl_local + 8)) >> 2)[23:0]
bl_local:
  bl Llocal
.ifdef FAR
  bl _f2
.endif
.ifdef BTHUMB
  b _thumb_ext
.endif
  bx lr

  .thumb_func _tf
  .globl _tf
  .code 16
  .align 2
_tf:
  bx lr

  .section __TEXT,__text2,regular,pure_instructions
  .code 32
  .align 2
  .globl _f2
_f2:
  nop
Llocal:
  bx lr
