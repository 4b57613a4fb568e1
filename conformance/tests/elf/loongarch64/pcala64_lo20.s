# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/pcala64_lo20.o %s
# R_LARCH_PCALA64_LO20: the page rule (reference.h "LoongArch"): pcalau12i adds to P's
# page the page count of (S + A + 0x800) less P's, so that the
# sign-extended low 12 bits land on S + A; the extreme model's
# PCALA64_LO20/HI12 (at +8/+12) supply the upper 32 bits, correcting for
# both sign extensions. Each placement below is checked by what the whole
# sequence reaches.
# near pages, a far symbol with low bits 0xfff
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcala64_lo20.o,.text=0x200ff0 -map-section pcala64_lo20.o,.data=0x3ff000 -dummy-extern=far=0x7f0012345fff %t/pcala64_lo20.o
# data far below, the page distance negative
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcala64_lo20.o,.text=0x7ffff000 -map-section pcala64_lo20.o,.data=0x1000 -dummy-extern=far=0x1000 %t/pcala64_lo20.o
# a page distance with bit 31 set; far: a negative address
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcala64_lo20.o,.text=0x1000 -map-section pcala64_lo20.o,.data=0x7fffe000 -dummy-extern=far=0xffffffff80000800 %t/pcala64_lo20.o
# text high, far at low 12 bits 0x800
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcala64_lo20.o,.text=0x7f0000000ff8 -map-section pcala64_lo20.o,.data=0x7f0000800000 -dummy-extern=far=0x12345800 %t/pcala64_lo20.o
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_PCALA64_LO20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_PCALA64_LO20

  .text
  .globl _main
  .p2align 2
# The normal model: pcalau12i + a sign-extending addi.d.
# rtdyld-check: (_main & 0xfffffffffffff000) + (decode_operand(_main, 1) << 12) + decode_operand(lo, 2) = var
# rtdyld-check: (n2 & 0xfffffffffffff000) + (decode_operand(n2, 1) << 12) + decode_operand(lo2, 2) = var2
_main:
  pcalau12i $a0, %pc_hi20(var)
lo:
  addi.d $a0, $a0, %pc_lo12(var)
n2:
  pcalau12i $a1, %pc_hi20(var2)
lo2:
  ld.d $a1, $a1, %pc_lo12(var2)
# The extreme model: the 64-bit tail, its pcalau12i 8 and 12 bytes back.
# rtdyld-check: (x & 0xfffffffffffff000) + (decode_operand(x, 1) << 12) + ((decode_operand(xl20, 2)[19:0] << 32) | (decode_operand(xh12, 2)[11:0] << 52) | (decode_operand(xlo, 2) & 0xffffffff)) = far
x:
  pcalau12i $a0, %pc_hi20(far)
xlo:
  addi.d $t8, $zero, %pc_lo12(far)
xl20:
  lu32i.d $t8, %pc64_lo20(far)
xh12:
  lu52i.d $t8, $t8, %pc64_hi12(far)
  add.d $a0, $a0, $t8
  ret

  .data
  .p2align 3
# var's low 12 bits are 0x810 (>= 0x800: the low part is negative, the
# high part takes one page more); var2's 0x7f8.
  .zero 0x810
var:
  .quad 1
  .zero 0x7f8 - 0x818 + 0x1000
var2:
  .quad 2
