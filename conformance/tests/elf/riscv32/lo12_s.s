# R_RISCV_LO12_S: (S + A) & 0xfff into an S-type immediate (stores:
# imm[11:5] in bits 31:25, imm[4:0] in bits 11:7), no range of its own
# (psABI "Absolute Addresses").
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/lo12s.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345ffc %t/lo12s.o
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0xfedcbabc %t/lo12s.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_LO12_S -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_LO12_S

  .text
  .globl _main
  .p2align 2
# sw a1, %lo(ext)(a0): the immediate split, the registers kept.
# rtdyld-check: decode_operand(_main, 2)[11:0] = ext[11:0]
# rtdyld-check: (*{4}_main)[31:25] = ext[11:5]
# rtdyld-check: (*{4}_main)[11:7] = ext[4:0]
# rtdyld-check: (*{4}_main)[24:12] = 0xb52
_main:
  sw a1, %lo(ext)(a0)
# rtdyld-check: decode_operand(st8, 2)[11:0] = (ext + 8)[11:0]
st8:
  sb a1, %lo(ext + 8)(a0)
  ret
