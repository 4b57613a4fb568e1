# R_RISCV_TPREL_LO12_S: TPREL & 0xfff into an S-type immediate, no range of
# its own (psABI "Local Exec").
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/le.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_LO12_S -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_LO12_S

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
# rtdyld-check: decode_operand(st, 2)[11:0] = v[11:0]
# rtdyld-check: (*{4}st)[31:25] = v[11:5]
# rtdyld-check: (*{4}st)[11:7] = v[4:0]
st:
  sw a0, %tprel_lo(v)(a5)
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
