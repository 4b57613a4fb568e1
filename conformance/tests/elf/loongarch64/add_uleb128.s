# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -mattr=+relax -filetype=obj -o %t/add_uleb128.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=f=0x10001000 %t/add_uleb128.o
# R_LARCH_ADD_ULEB128 then R_LARCH_SUB_ULEB128 at one ULEB128 (label
# differences under -mattr=+relax): V + S1 + A1 - S2 - A2 written in the
# length the assembler gave it, an overflow error when it does not fit
# (reference.h "LoongArch"); each must have its partner.
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/lone.o %S/Inputs/uleb-lone.s
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/lone.o 2>&1 | FileCheck %s --check-prefix=LONE
# LONE: error: lone.o:{{ ?}}(.data+0x0): relocation R_LARCH_ADD_ULEB128
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_ADD_ULEB128 -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_LARCH_ADD_ULEB128

  .text
  .p2align 2
a:
  call36 f
  .space 120
b:
  nop
  .data
# 128 bytes: two ULEB128 bytes (0x80 0x01).
# rtdyld-check: *{2}w = 0x0180
w:
  .uleb128 b - a
# rtdyld-check: *{1}w1 = 0x7f
w1:
  .uleb128 b - a - 1
# The pair written out (so that it is there without -mattr=+relax too),
# on a two-byte ULEB128 holding 0.
# rtdyld-check: *{2}w2 = 0x0180
w2:
  .reloc ., R_LARCH_ADD_ULEB128, b
  .reloc ., R_LARCH_SUB_ULEB128, a
  .byte 0x80, 0x00
