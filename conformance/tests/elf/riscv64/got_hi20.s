# R_RISCV_GOT_HI20: G + GOT - P (the symbol's slot) as an auipc's high
# part, its PCREL_LO12_I on the load; the addend must be 0 (psABI table;
# reference.h "RISC-V": one slot of the class's word per symbol, holding S).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/got.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got.o
# Malformed: a non-zero addend (the GOT has one slot per symbol).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT_HI20 -D OFFSET=0x0 -D ADDEND=8 -o %t/addend.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/addend.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x0): relocation R_RISCV_GOT_HI20{{.*}} addend 8{{.*}} not 0
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_GOT_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_GOT_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (got_addr(got.o/.text, ext) - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(ld1, 2)[11:0] = (got_addr(got.o/.text, ext) - _main)[11:0]
# rtdyld-check: *{8}got_addr(got.o/.text, ext) = ext
_main:
  auipc a0, %got_pcrel_hi(ext)
ld1:
  ld a0, %pcrel_lo(_main)(a0)
# A second use shares the slot; a local definition gets its own.
# rtdyld-check: decode_operand(again, 1) = (got_addr(got.o/.text, ext) - again + 0x800)[31:12]
again:
  auipc a1, %got_pcrel_hi(ext)
  ld a1, %pcrel_lo(again)(a1)
# rtdyld-check: *{8}got_addr(got.o/.text, value) = value
# rtdyld-check: decode_operand(ldv, 2)[11:0] = (got_addr(got.o/.text, value) - local)[11:0]
local:
  auipc a2, %got_pcrel_hi(value)
ldv:
  ld a2, %pcrel_lo(local)(a2)
  ret

  .data
  .globl value
  .p2align 3
value:
  .quad 1
