# R_RISCV_TPREL_HI20: (TPREL + 0x800) >> 12 into a lui, TPREL = S + A the
# thread-pointer offset, checked on RV64 -2^31 <= TPREL + 0x800 < 2^31
# (psABI "Local Exec"). TLS variant I with a TCB of 0 bytes here: the block
# starts at tp, so v (0x1800 into .tbss) is at TP offset 0x1800
# (reference.h "RISC-V").
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/le.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TPREL_HI20
# Not thread-local: an error.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_HI20 -D OFFSET=0x0 -o %t/notls.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/notls.o 2>&1 | FileCheck %s --check-prefix=NOTLS
# NOTLS: error: notls.o:{{ ?}}(.text+0x0): relocation R_RISCV_TPREL_HI20 {{.*}}'target'{{.*}} not thread-local

  .text
  .globl _main
  .p2align 2
# rtdyld-check: v = 0x1800
# rtdyld-check: decode_operand(_main, 1) = 2
# rtdyld-check: decode_operand(_main, 1) = (v + 0x800)[31:12]
_main:
  lui a5, %tprel_hi(v)
  add a5, a5, tp, %tprel_add(v)
  lw a0, %tprel_lo(v)(a5)
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
