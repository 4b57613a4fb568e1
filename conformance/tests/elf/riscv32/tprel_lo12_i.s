# R_RISCV_TPREL_LO12_I: TPREL & 0xfff into an I-type immediate, no range of
# its own (psABI "Local Exec"). v at TP offset 0x1800: lo = 0x800 (-2048).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/le.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_LO12_I -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_LO12_I

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
# rtdyld-check: decode_operand(ld, 2)[11:0] = 0x800
# rtdyld-check: decode_operand(ld, 2)[11:0] = v[11:0]
ld:
  lw a0, %tprel_lo(v)(a5)
# rtdyld-check: decode_operand(ad, 2)[11:0] = (v + 4)[11:0]
ad:
  addi a1, a5, %tprel_lo(v + 4)
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
