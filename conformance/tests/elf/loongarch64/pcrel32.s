# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/pcrel32.o %s
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x20000000 %t/pcrel32.o
# The edge: X = 2^31 - 1 in both words (ext - 4 - 0x10000000, ext -
# 0x10000004), then one beyond, an overflow error.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x90000003 %t/pcrel32.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section pcrel32.o,.data=0x10000000 -dummy-extern=ext=0x90000004 %t/pcrel32.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pcrel32.o:{{ ?}}(.data+0x0): relocation R_LARCH_32_PCREL {{.*}}out of range
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_32_PCREL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_32_PCREL

# R_LARCH_32_PCREL: S + A - P, signed 32 bits.
  .data
  .p2align 2
# (llvm-mc writes `.word ext - .` as an ADD32/SUB32 pair: .reloc names the type.)
# rtdyld-check: *{4}w = (ext - 4 - w)[31:0]
w:
  .reloc ., R_LARCH_32_PCREL, ext-4
  .word 0
# rtdyld-check: *{4}w2 = (ext - w2)[31:0]
w2:
  .reloc ., R_LARCH_32_PCREL, ext
  .word 0
