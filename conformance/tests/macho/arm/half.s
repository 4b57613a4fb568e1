# ARM_RELOC_HALF (<mach-o/arm/reloc.h>): movw/movt, ARM or Thumb. r_length
# bit 0 says which half (1: upper, movt), bit 1 the encoding (1: Thumb);
# the ARM_RELOC_PAIR after it carries the other half in its r_address, so
# the pair stands for the whole 32-bit S + A. Extern, non-extern
# (section-relative: the word is an address of the object file) and
# scattered (r_value's section) forms; a Thumb function's address keeps
# its low bit.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj -o %t/half.o %s
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _ext=0x12345678 \
# RUN:   -map-section half.o,__text=0x100000 -map-section half.o,__data=0x2ffff0 %t/half.o
# Edge: __data at 0xfffff000, +0x12345 wraps past 2^32 in the word...
# which is an overflow of the 32-bit address (an error naming it).
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify -dummy-extern _ext=0x12345678 \
# RUN:   -map-section half.o,__text=0x100000 -map-section half.o,__data=0xfffff000 %t/half.o 2>&1 | \
# RUN:   FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}half.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation ARM_RELOC_HALF {{.*}}out of range

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 32
_main:
# ARM, extern.
# rtdyld-check: (*{4}a_lo)[19:16] = (_ext)[15:12]
# rtdyld-check: (*{4}a_lo)[11:0] = (_ext)[11:0]
a_lo:
  movw r0, :lower16:_ext
# rtdyld-check: (*{4}a_hi)[19:16] = (_ext)[31:28]
# rtdyld-check: (*{4}a_hi)[11:0] = (_ext)[27:16]
a_hi:
  movt r0, :upper16:_ext
# ARM, non-extern with an addend: the carry from the low half reaches
# the upper one (0x2ffff0 + 0x12345 = 0x312335).
# rtdyld-check: (*{4}n_lo)[19:16] = 0x2
# rtdyld-check: (*{4}n_lo)[11:0] = 0x335
n_lo:
  movw r1, :lower16:(Ld + 0x12345)
# rtdyld-check: (*{4}n_hi)[19:16] = 0x0
# rtdyld-check: (*{4}n_hi)[11:0] = 0x31
n_hi:
  movt r1, :upper16:(Ld + 0x12345)
  bx lr

  .thumb_func _tf
  .globl _tf
  .code 16
  .align 2
_tf:
# Thumb, extern: imm16 = imm4:i:imm3:imm8.
# rtdyld-check: (*{2}t_lo)[3:0] = (_ext)[15:12]
# rtdyld-check: (*{2}t_lo)[10:10] = (_ext)[11:11]
# rtdyld-check: (*{2}(t_lo + 2))[14:12] = (_ext)[10:8]
# rtdyld-check: (*{2}(t_lo + 2))[7:0] = (_ext)[7:0]
t_lo:
  movw r0, :lower16:_ext
# rtdyld-check: (*{2}t_hi)[3:0] = (_ext)[31:28]
# rtdyld-check: (*{2}(t_hi + 2))[7:0] = (_ext)[23:16]
t_hi:
  movt r0, :upper16:_ext
# Thumb, a Thumb function's address: the low bit set.
# rtdyld-check: (*{2}(t_fn + 2))[7:0] = (_tf)[7:0]
# rtdyld-check: (_tf)[0:0] = 1
t_fn:
  movw r0, :lower16:_tf
  movt r0, :upper16:_tf
  bx lr

  .data
Ld:
  .long 0
