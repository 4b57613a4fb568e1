# R_AARCH64_JUMP26: S + A - P, bits [27:2] into B's imm26, checked
# -2^27 <= X < 2^27 (aaelf64 §5.7.8); the same reach and veneer rule as
# CALL26 (reference/reference.h).
# RUN: rm -rf %t && mkdir -p %t/be
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/jump26.o %s
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 %t/jump26.o
# RUN: llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/jump26.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 %t/be/jump26.o
# The edge: `far` at _main + 2^27 - 4 (the stub area then follows the
# loader's own placement, within reach of .text).
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section jump26.o,.text=0x10000 -map-section jump26.o,.text.far=0x800fffc %t/jump26.o
# One word beyond: a symbol of this object, so an overflow error.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section jump26.o,.text=0x10000 -map-section jump26.o,.text.far=0x8010000 %t/jump26.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}jump26.o:{{ ?}}(.text+0x0): relocation R_AARCH64_JUMP26 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_JUMP26 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_JUMP26

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 0)[25:0] = (far - _main)[27:2]
_main:
  b far
# rtdyld-check: decode_operand(jump_ext, 0)[25:0] = (stub_addr(jump26.o/.text, ext) - jump_ext)[27:2]
# rtdyld-check: *{8}(stub_addr(jump26.o/.text, ext) + 8) = ext
jump_ext:
  b ext

  .section .text.far,"ax",@progbits
  .p2align 2
far:
  ret
