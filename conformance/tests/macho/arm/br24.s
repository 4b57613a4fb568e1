# ARM_RELOC_BR24 (<mach-o/arm/reloc.h>): an ARM B/BL/BLX's imm24 << 2,
# relative to P + 8. A branch to a global function (extern to a name bound
# at resolve or to a global definition, addend 0) goes through a stub of
# the caller's mode, in reach or not (RuntimeDyld's policy, README "Mach-O
# i386 and ARM objects"): an ARM caller's stub is `ldr pc, [pc, #-4]`
# (0xe51ff004) then the target word, odd for a Thumb function; the branch
# becomes BL to it (a B keeps its condition). One stub per (symbol,
# caller's mode), made in relocation-table order (llvm-mc writes the table
# last entry first); stub_addr(file/section, sym) answers the first one
# made for sym (README, "Mach-O i386 and ARM objects"). Other targets (N_PEXT, local, a nonzero
# addend) are branched to directly with ld64's interworking: BL to a Thumb
# function becomes BLX (H = bit 1 of the distance); non-extern keeps its
# form.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj -o %t/br24.o %s
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _near=0x100800 \
# RUN:   -dummy-extern _far=0x40000000 -dummy-extern _thumb_ext=0x100401 \
# RUN:   -map-section br24.o,__text=0x100000 -map-section br24.o,__text2=0x200000 %t/br24.o
#
# Overflow: a target with no stub (here __text2's N_PEXT function) beyond
# ±32 MiB: an error naming the relocation.
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj --defsym=FAR=1 -o %t/far.o %s
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify -dummy-extern _near=0x100800 -dummy-extern _far=0x40000000 \
# RUN:   -dummy-extern _thumb_ext=0x100401 -map-section far.o,__text=0x100000 \
# RUN:   -map-section far.o,__text2=0x8000000 %t/far.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}far.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_RELOC_BR24 {{.*}}out of range
# An ARM B (no link form) straight to a Thumb function (N_PEXT, in another
# section so that the assembler leaves a relocation: no stub) cannot
# switch modes.
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
# BL to an undefined function in reach: BL to its ARM stub, stub 2 (stub
# 0 is _tcaller's Thumb one for _near, below, first in the table).
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _near) + 16) = 0xe51ff004
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _near) + 20) = _near
# rtdyld-check: *{4}bl_near = 0xeb000000 | ((stub_addr(br24.o/__text, _near) + 16 - (bl_near + 8)) >> 2)[23:0]
bl_near:
  bl _near
# BL to a function 1 GiB away: the same (stub 4).
# rtdyld-check: stub_addr(br24.o/__text, _far) = stub_addr(br24.o/__text, _near) + 32
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _far)) = 0xe51ff004
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _far) + 4) = _far
# rtdyld-check: *{4}bl_far = 0xeb000000 | ((stub_addr(br24.o/__text, _far) - (bl_far + 8)) >> 2)[23:0]
bl_far:
  bl _far
# BL to a global Thumb function of this object: BL to its ARM stub, whose
# word is odd (the load interworks).
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _tf)) = 0xe51ff004
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _tf) + 4) = _tf
# rtdyld-check: (*{4}(stub_addr(br24.o/__text, _tf) + 4))[0:0] = 1
# rtdyld-check: *{4}bl_thumb = 0xeb000000 | ((stub_addr(br24.o/__text, _tf) - (bl_thumb + 8)) >> 2)[23:0]
bl_thumb:
  bl _tf
# BL to an undefined Thumb function (odd address): BL to the stub.
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _thumb_ext) + 4) = 0x100401
# rtdyld-check: *{4}bl_thumb_ext = 0xeb000000 | ((stub_addr(br24.o/__text, _thumb_ext) - (bl_thumb_ext + 8)) >> 2)[23:0]
bl_thumb_ext:
  bl _thumb_ext
# B (conditional) to a function bound by name: the same stub as bl_near
# (one per symbol and mode), the condition kept.
# rtdyld-check: *{4}b_near = 0x1a000000 | ((stub_addr(br24.o/__text, _near) + 16 - (b_near + 8)) >> 2)[23:0]
b_near:
  bne _near
# B to an undefined Thumb function: through its stub too (the load
# interworks; a direct B could not).
# rtdyld-check: *{4}b_thumb_ext = 0xea000000 | ((stub_addr(br24.o/__text, _thumb_ext) - (b_thumb_ext + 8)) >> 2)[23:0]
b_thumb_ext:
  b _thumb_ext
# BL to an N_PEXT (hidden) Thumb function: no stub, ld64's BLX.
# rtdyld-check: *{4}bl_hidden = 0xfa000000 | ((((_htf - 1) - (bl_hidden + 8)) >> 1)[0:0] << 24) | (((_htf - 1) - (bl_hidden + 8)) >> 2)[23:0]
bl_hidden:
  bl _htf
# A nonzero addend: no stub (it holds the symbol only): direct.
# rtdyld-check: *{4}bl_addend = 0xeb000000 | ((_near + 8 - (bl_addend + 8)) >> 2)[23:0]
bl_addend:
  bl _near+8
# Non-extern (a local label in another section): direct, the form kept.
# rtdyld-check: *{4}bl_local = 0xeb000000 | ((section_addr(br24.o, __text2) + 4 - (bl_local + 8)) >> 2)[23:0]
bl_local:
  bl Llocal
.ifdef FAR
  bl _f2
.endif
.ifdef BTHUMB
  b _htf2
.endif
  bx lr

  .thumb_func _tf
  .globl _tf
  .code 16
  .align 2
_tf:
  bx lr
# A Thumb caller of _near in the same object: a second stub for _near, a
# Thumb one (`ldr.w pc, [pc, #0]`, 0xf000f8df), reached by Thumb BL (hw2
# bit 12 set) from P + 4. Last in the source, first in the table: stub 0,
# the one stub_addr answers.
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _near)) = 0xf000f8df
# rtdyld-check: *{4}(stub_addr(br24.o/__text, _near) + 4) = _near
# rtdyld-check: (*{2}(t_near + 2))[12:12] = 1
# rtdyld-check: (*{2}t_near)[10:0] = ((stub_addr(br24.o/__text, _near) - (t_near + 4)) >> 12)[10:0]
# rtdyld-check: (*{2}(t_near + 2))[10:0] = ((stub_addr(br24.o/__text, _near) - (t_near + 4)) >> 1)[10:0]
  .globl _tcaller
  .thumb_func _tcaller
_tcaller:
t_near:
  bl _near
  bx lr

  .thumb_func _htf
  .globl _htf
  .private_extern _htf
  .align 2
_htf:
  bx lr

  .section __TEXT,__text2,regular,pure_instructions
  .code 32
  .align 2
  .globl _f2
  .private_extern _f2
_f2:
  nop
Llocal:
  bx lr
.ifdef BTHUMB
  .thumb_func _htf2
  .globl _htf2
  .private_extern _htf2
  .code 16
_htf2:
  bx lr
.endif
