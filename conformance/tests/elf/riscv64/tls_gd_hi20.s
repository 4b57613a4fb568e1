# R_RISCV_TLS_GD_HI20 (general and local dynamic, `la.tls.gd` then a call
# to __tls_get_addr): there is no dynamic linker, so the sequence is relaxed
# to local exec (reference.h "RISC-V"): the auipc becomes `lui rd,
# %hi(TPREL)`, its PCREL_LO12_I writes %lo(TPREL) into the addi, and the
# call to __tls_get_addr becomes `add a0, a0, tp; nop` (a tail call, `tail
# __tls_get_addr`: `add a0, a0, tp; ret`). v is at TP offset 0x1800.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/gd.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s %t/gd.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GD_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLS_GD_HI20
# Not on an auipc (the nop at .text+0): no rewrite is defined.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GD_HI20 -D OFFSET=0x0 -D SYMBOL=tls -o %t/insn.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/insn.o 2>&1 | FileCheck %s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLS_GD_HI20 {{.*}}instruction

  .text
  .globl _main
  .p2align 2
# lui a0, 2 (0x1800 + 0x800 = 0x2000).
# rtdyld-check: *{4}_main = 0x00002537
# rtdyld-check: decode_operand(lo, 2)[11:0] = 0x800
# add a0, a0, tp; nop
# rtdyld-check: *{4}call = 0x00450533
# rtdyld-check: *{4}(call + 4) = 0x00000013
_main:
  auipc a0, %tls_gd_pcrel_hi(v)
lo:
  addi a0, a0, %pcrel_lo(_main)
call:
  call __tls_get_addr@plt
  lw a0, 0(a0)
  ret
# The tail call: add a0, a0, tp; ret
# rtdyld-check: *{4}(tcall + 8) = 0x00450533
# rtdyld-check: *{4}(tcall + 12) = 0x00008067
tcall:
  auipc a0, %tls_gd_pcrel_hi(v)
  addi a0, a0, %pcrel_lo(tcall)
  tail __tls_get_addr@plt

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
