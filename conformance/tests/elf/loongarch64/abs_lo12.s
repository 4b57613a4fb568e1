# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/abs_lo12.o %s
# R_LARCH_ABS_LO12: absolute pieces of S + A: [31:12] into lu12i.w, [11:0] into ori,
# [51:32] into lu32i.d, [63:52] into lu52i.d. Without the extreme tail
# (no ABS64_LO20 8 bytes on) S + A must be the sign extension of its low
# 32 bits (reference.h "LoongArch").
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=near=0x7ffff800 -dummy-extern=far=0x8765432112345fff %t/abs_lo12.o
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=near=0xffffffff80000000 -dummy-extern=far=0x80000000 %t/abs_lo12.o
# near at 2^31: an overflow error of the first ABS_HI20.
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -dummy-extern=near=0x80000000 -dummy-extern=far=0x1 %t/abs_lo12.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}abs_lo12.o:{{ ?}}(.text+0x0): relocation R_LARCH_ABS_HI20 {{.*}}out of range
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_ABS_LO12 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_ABS_LO12

  .text
  .globl _main
  .p2align 2
# The normal model: lu12i.w (sign-extending) + ori.
# rtdyld-check: (decode_operand(_main, 1) << 12) | decode_operand(lo, 2)[11:0] = near
_main:
  lu12i.w $a0, %abs_hi20(near)
lo:
  ori $a0, $a0, %abs_lo12(near)
# The extreme model: any 64-bit address.
# rtdyld-check: ((decode_operand(x, 1) << 12) | decode_operand(xlo, 2)[11:0])[31:0] | (decode_operand(xl20, 2)[19:0] << 32) | (decode_operand(xh12, 2)[11:0] << 52) = far
x:
  lu12i.w $a0, %abs_hi20(far)
xlo:
  ori $a0, $a0, %abs_lo12(far)
xl20:
  lu32i.d $a0, %abs64_lo20(far)
xh12:
  lu52i.d $a0, $a0, %abs64_hi12(far)
  ret
