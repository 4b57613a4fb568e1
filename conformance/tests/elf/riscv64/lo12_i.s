# R_RISCV_LO12_I: (S + A) & 0xfff into an I-type immediate (addi, loads),
# no range of its own (its HI20 carries the check) (psABI "Absolute
# Addresses"). Several lows may share a high with different addends.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/lo12i.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345ffc %t/lo12i.o
# No edge: any address's low 12 bits fit.
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7fedcba98abc %t/lo12i.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_LO12_I -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_LO12_I

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 2)[11:0] = ext[11:0]
_main:
  addi a0, a0, %lo(ext)
# rtdyld-check: decode_operand(ld4, 2)[11:0] = (ext + 4)[11:0]
ld4:
  lw a1, %lo(ext + 4)(a0)
  ret
