# R_RISCV_TLS_GOT_HI20 (initial exec, `la.tls.ie`): the high part of the
# PC-relative address of the symbol's TP-offset GOT slot; its PCREL_LO12_I
# on the load. Served through the slot, not rewritten (psABI "Initial
# Exec"; reference.h "RISC-V"). v is at TP offset 0x1800.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/ie.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/ie.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GOT_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLS_GOT_HI20
# Not thread-local: refused.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLS_GOT_HI20 -D OFFSET=0x0 -o %t/notls.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/notls.o 2>&1 | FileCheck %s --check-prefix=NOTLS
# NOTLS: error: notls.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLS_GOT_HI20{{.*}} 'target'{{.*}} not thread-local

  .text
  .globl _main
  .p2align 2
# rtdyld-check: v = 0x1800
# rtdyld-check: decode_operand(_main, 1) = (got_addr(ie.o/.text, v) - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(ld, 2)[11:0] = (got_addr(ie.o/.text, v) - _main)[11:0]
# rtdyld-check: *{4}got_addr(ie.o/.text, v) = 0x1800
_main:
  auipc a5, %tls_ie_pcrel_hi(v)
ld:
  lw a5, %pcrel_lo(_main)(a5)
  add a5, a5, tp
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
