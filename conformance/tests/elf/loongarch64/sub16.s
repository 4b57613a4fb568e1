# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -mattr=+relax -filetype=obj -o %t/sub16.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=f=0x10001000 %t/sub16.o
# R_LARCH_ADD16 then R_LARCH_SUB16 at one field (label differences under -mattr=+relax): V + S1
# + A1 - S2 - A2, modulo the field (reference.h "LoongArch"). Nothing is
# relaxed, so the difference is the assembled one.
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_ADD16 -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_LARCH_ADD16
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_SUB16 -D OFFSET=0x8 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(.text+0x8): relocation R_LARCH_SUB16

  .text
  .p2align 2
a:
  call36 f
  .space 8
b:
  nop
  .data
# rtdyld-check: *{2}w = (b - a)
w:
  .half b - a
# rtdyld-check: *{2}w2 = (b + 3 - a)
w2:
  .half b + 3 - a
