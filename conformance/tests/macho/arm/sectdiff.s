# ARM_RELOC_SECTDIFF / ARM_RELOC_LOCAL_SECTDIFF (4 bytes) and
# ARM_RELOC_HALF_SECTDIFF (a movw/movt half), each scattered and followed
# by a scattered ARM_RELOC_PAIR whose r_value is the subtrahend B (for
# HALF_SECTDIFF its r_address also holds the other half): A - B + k, each
# address moved with its own section. clang's PIC `movw r0,
# :lower16:(L_x - (LPC + 8))` is the HALF_SECTDIFF form.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=armv7-apple-ios -filetype=obj -o %t/sd.o %s
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s \
# RUN:   -map-section sd.o,__text=0x100000 -map-section sd.o,__data=0x2345678 %t/sd.o
# Edge: __data below __text (negative differences).
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s \
# RUN:   -map-section sd.o,__text=0x80000000 -map-section sd.o,__data=0x1000 %t/sd.o

  .syntax unified
  .text
  .globl _main
  .align 2
  .code 32
_main:
# HALF_SECTDIFF: the distance from LPC + 8 to _g.
# rtdyld-check: (*{4}pic_lo)[19:16] = (_g - (pic_hi + 12))[15:12]
# rtdyld-check: (*{4}pic_lo)[11:0] = (_g - (pic_hi + 12))[11:0]
pic_lo:
  movw r0, :lower16:(_g - (LPC + 8))
# rtdyld-check: (*{4}pic_hi)[19:16] = (_g - (pic_hi + 12))[31:28]
# rtdyld-check: (*{4}pic_hi)[11:0] = (_g - (pic_hi + 12))[27:16]
pic_hi:
  movt r0, :upper16:(_g - (LPC + 8))
LPC:
  add r0, pc, r0
# Thumb HALF_SECTDIFF, to a local label.
  .code 16
  .thumb_func _tf
  .globl _tf
_tf:
# rtdyld-check: (*{2}t_lo)[3:0] = (dat - (t_hi + 8))[15:12]
# rtdyld-check: (*{2}(t_lo + 2))[7:0] = (dat - (t_hi + 8))[7:0]
t_lo:
  movw r0, :lower16:(Ldat - (LPC2 + 4))
# rtdyld-check: (*{2}(t_hi + 2))[7:0] = (dat - (t_hi + 8))[23:16]
t_hi:
  movt r0, :upper16:(Ldat - (LPC2 + 4))
LPC2:
  add r0, pc
  bx lr

  .data
  .align 2
dat:
Ldat:
  .long 0
  .globl _g
_g:
  .long 0
# SECTDIFF (an external minuend) and LOCAL_SECTDIFF, 4 bytes.
# rtdyld-check: *{4}d1 = (_g + 4 - _main)[31:0]
d1:
  .long _g + 4 - _main
# rtdyld-check: *{4}d2 = (_main - dat)[31:0]
d2:
  .long _main - Ldat
