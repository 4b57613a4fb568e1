# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/b26.o %s
# R_LARCH_B26: S + A - P in 26 signed word bits (±128 MiB), a multiple of 4;
# a call to a symbol bound by name beyond that goes through a stub
# (reference.h "LoongArch": pcaddu12i $t8, 0; ld.d $t8, $t8, 16; jirl
# $zero, $t8, 0; nop; the 8-byte target). farext is always about 2^47 away;
# .text is placed below the loaders' default area, where the stubs go,
# so that they are within reach.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section b26.o,.text=0x1000000 -map-section b26.o,.text.far=0x8fffffc -dummy-extern=ext=0x1001000 -dummy-extern=farext=0x7f0000001000 %t/b26.o
# A local symbol one word beyond 128 MiB: no stub, an overflow error.
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify -map-section b26.o,.text=0x1000000 -map-section b26.o,.text.far=0x9000000 -dummy-extern=ext=0x1001000 -dummy-extern=farext=0x7f0000001000 %t/b26.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}b26.o:{{ ?}}(.text+0x0): relocation R_LARCH_B26 {{.*}}out of range
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_B26 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_B26

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 0) = far - _main
_main:
  bl far
# rtdyld-check: decode_operand(call, 0) = ext - call
call:
  bl ext
# rtdyld-check: decode_operand(fcall, 0) = stub_addr(b26.o/.text, farext) - fcall
# rtdyld-check: *{8}(stub_addr(b26.o/.text, farext) + 16) = farext
# rtdyld-check: *{4}stub_addr(b26.o/.text, farext) = 0x1c000014
# rtdyld-check: *{4}(stub_addr(b26.o/.text, farext) + 4) = 0x28c04294
# rtdyld-check: *{4}(stub_addr(b26.o/.text, farext) + 8) = 0x4c000280
fcall:
  bl farext
  ret

  .section .text.far,"ax",@progbits
far:
  ret
