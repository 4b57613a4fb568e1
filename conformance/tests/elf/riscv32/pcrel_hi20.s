# R_RISCV_PCREL_HI20: (S + A - P + 0x800) >> 12 into an auipc, checked on
# RV64 -2^31 <= X + 0x800 < 2^31; no stub (psABI "PC-Relative Symbol
# Addresses").
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/pcrel_hi20.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel_hi20.o,.text=0x10000 \
# RUN:   -map-section pcrel_hi20.o,.data=0x12345ff0 %t/pcrel_hi20.o
# On RV32 it wraps (modulo 2^32): data at 0xfffff000 is reached from 0x10000.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section pcrel_hi20.o,.text=0x10000 \
# RUN:   -map-section pcrel_hi20.o,.data=0xfffff000 %t/pcrel_hi20.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_PCREL_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (data - _main + 0x800)[31:12]
_main:
.Lhi:
  auipc a0, %pcrel_hi(data)
  addi a0, a0, %pcrel_lo(.Lhi)
# With an addend: the high part takes it.
# rtdyld-check: decode_operand(hi8, 1) = (data + 8 - hi8 + 0x800)[31:12]
hi8:
  auipc a1, %pcrel_hi(data + 8)
  ret

  .data
  .p2align 4
data:
  .quad 0
