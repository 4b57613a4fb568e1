# R_RISCV_SET_ULEB128 then R_RISCV_SUB_ULEB128 on one ULEB128: (S1 + A1) -
# (S2 + A2), written in the length already in place (the psABI: the linker
# must not alter it; continuation bits kept), an overflow error when it
# does not fit 7 bits per byte. The two must come as a pair (SET
# immediately before SUB, same offset): either alone is malformed
# (reference.h "RISC-V"). This file is R_RISCV_SET_ULEB128's.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/set_uleb128.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section set_uleb128.o,.text=0x10000 \
# RUN:   -map-section set_uleb128.o,.text.far=0x11234 %t/set_uleb128.o
# The edge: 2^21 - 1 in three bytes; then 2^21 overflows.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section set_uleb128.o,.text=0x10000 \
# RUN:   -map-section set_uleb128.o,.text.far=0x20ffff %t/set_uleb128.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section set_uleb128.o,.text=0x10000 \
# RUN:   -map-section set_uleb128.o,.text.far=0x210000 %t/set_uleb128.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}set_uleb128.o:{{ ?}}(.data+0x0): relocation R_RISCV_SUB_ULEB128 out of range
# A negative difference (far below _main) does not fit an unsigned LEB either.
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section set_uleb128.o,.text=0x10000 \
# RUN:   -map-section set_uleb128.o,.text.far=0x8000 %t/set_uleb128.o 2>&1 | FileCheck %s --check-prefix=RANGE
#
# Malformed: outside the section, and unpaired.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_SET_ULEB128 -D OFFSET=0x8 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x8): relocation R_RISCV_SET_ULEB128
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_SET_ULEB128 -D OFFSET=0x0 -o %t/alone.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/alone.o 2>&1 | FileCheck %s --check-prefix=ALONE
# ALONE: error: alone.o:{{ ?}}(.text+0x0): relocation R_RISCV_SET_ULEB128{{:? .*(followed by|follow) .*}}_ULEB128

  .text
  .globl _main
_main:
  ret
  .section .text.far,"ax",@progbits
far:
  ret

  .data
# A three-byte ULEB128 (0x80 0x80 0x00, as an assembler pads it).
# rtdyld-check: *{1}w = 0x80 + (far - _main)[6:0]
# rtdyld-check: *{1}(w + 1) = 0x80 + (far - _main)[13:7]
# rtdyld-check: *{1}(w + 2) = (far - _main)[20:14]
  .reloc w, R_RISCV_SET_ULEB128, far
  .reloc w, R_RISCV_SUB_ULEB128, _main
w:
  .byte 0x80, 0x80, 0x00
# rtdyld-check: *{1}after = 0x55
after:
  .byte 0x55
