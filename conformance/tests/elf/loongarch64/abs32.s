# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/abs32.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345678 %t/abs32.o
# The edge: ext + 4 = 0xffffffff, the largest value the field holds;
# 2^32 is an overflow error (reference.h "LoongArch": [-2^31, 2^32)).
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -dummy-extern=ext=0xfffffffb %t/abs32.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -dummy-extern=ext=0xfffffffc %t/abs32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}abs32.o:{{ ?}}(.data+0x4): relocation R_LARCH_32 {{.*}}out of range
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_32

# R_LARCH_32: S + A into a 32-bit word.
  .data
  .p2align 2
# rtdyld-check: *{4}w = ext
w:
  .word ext
# rtdyld-check: *{4}w4 = (ext + 4)[31:0]
w4:
  .word ext + 4
