# R_RISCV_PCREL_LO12_I: the low 12 bits of the value of the high part its
# symbol (a label) names, into an I-type immediate (psABI "PC-Relative
# Symbol Addresses"; reference.h "RISC-V": paired by the auipc's place, not
# by table order). Here a low comes *before* its high part in the table,
# two lows share one high, and a low names a GOT_HI20.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/pcrel_lo12_i.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel_lo12_i.o,.text=0x10000 \
# RUN:   -map-section pcrel_lo12_i.o,.data=0x12345ff0 %t/pcrel_lo12_i.o
# On RV32 it wraps (modulo 2^32): data at 0xfffff000 is reached from 0x10000.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel_lo12_i.o,.text=0x10000 \
# RUN:   -map-section pcrel_lo12_i.o,.data=0xfffff000 %t/pcrel_lo12_i.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_I -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_PCREL_LO12_I
# Malformed: a label that carries no high part, and a non-zero addend.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_I -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_PCREL_LO12_I{{.*}}0x0{{.*}} carries no
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/addend.o %S/Inputs/lo12-addend.s
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/addend.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x4): relocation R_RISCV_PCREL_LO12_I{{.*}} addend 4{{.*}} not 0

  .text
  .globl _main
  .p2align 2
_main:
  j .Lthen
# The low, before its high part (in the code and in the table).
# rtdyld-check: decode_operand(early, 2)[11:0] = (data - hi)[11:0]
early:
  addi a0, a0, %pcrel_lo(hi)
  ret
.Lthen:
# rtdyld-check: decode_operand(hi, 1) = (data - hi + 0x800)[31:12]
hi:
  auipc a0, %pcrel_hi(data)
# A second low of the same high (a load).
# rtdyld-check: decode_operand(second, 2)[11:0] = (data - hi)[11:0]
second:
  lw a1, %pcrel_lo(hi)(a0)
  j early

  .data
  .p2align 4
data:
  .quad 0
