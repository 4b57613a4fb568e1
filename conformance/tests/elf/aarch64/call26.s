# R_AARCH64_CALL26: S + A - P, bits [27:2] into a BL's imm26, checked
# -2^27 <= X < 2^27 (aaelf64 §5.7.8). The rule both loaders follow
# (reference/reference.h): a branch within reach goes straight to its
# target; a branch to a symbol outside this object that does not reach
# goes through a 16-byte stub `ldr x16, #8; br x16; .xword S` (a veneer);
# one to a symbol of this object that does not reach is an overflow error.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=aarch64-linux-gnu -filetype=obj -o %t/call26.o %s
# (LLVM's RuntimeDyld sends every CALL26 through a stub of its own: under
# --param loader=llvm only loading and resolving are checked.)
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 %t/call26.o
# RUN: mkdir -p %t/be && llvm-mc -triple=aarch64_be-linux-gnu -filetype=obj -o %t/be/call26.o %s
# RUN: llvm-rtdyld -triple=aarch64_be-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 %t/be/call26.o
# The edge: `far` at _main + 2^27 - 4, the farthest a BL reaches forward.
# RUN: llvm-rtdyld -triple=aarch64-linux-gnu -verify %if loader-llvm %{%} %else %{-check=%s%} \
# RUN:   -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section call26.o,.text=0x10000 -map-section call26.o,.text.far=0x800fffc %t/call26.o
# One word beyond: a symbol of this object, so an overflow error.
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section call26.o,.text=0x10000 -map-section call26.o,.text.far=0x8010000 %t/call26.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}call26.o:{{ ?}}(.text+0x0): relocation R_AARCH64_CALL26 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_AARCH64_CALL26 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=aarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_AARCH64_CALL26

  .text
  .globl _main
  .p2align 2
# (Instruction words are little-endian on aarch64_be too: checked through
# decode_operand, since `*{4}` reads in the object's byte order.)
# rtdyld-check: decode_operand(_main, 0) = (far - _main) >> 2
_main:
  bl far
# `ext` is 2^47 away: through its stub, whose word holds ext (data: the
# object's byte order).
# rtdyld-check: decode_operand(call_ext, 0)[25:0] = (stub_addr(call26.o/.text, ext) - call_ext)[27:2]
# rtdyld-check: *{8}(stub_addr(call26.o/.text, ext) + 8) = ext
call_ext:
  bl ext
  ret

  .section .text.far,"ax",@progbits
  .p2align 2
far:
  ret
