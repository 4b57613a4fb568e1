# R_RISCV_64 (RV64) / R_RISCV_32 (RV32) of a thread-local symbol in a
# section that is not SHF_ALLOC: how clang-19 writes a RISC-V TLS
# variable's DWARF location (.debug_info, with -g). There it is the
# variable's offset in its TLS block: its TP offset here (reference.h
# "RISC-V"). In an allocated section the same relocation is an error: a
# thread-local variable has no address.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/dbg.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s %t/dbg.o
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/alloc.o %S/Inputs/tls-data-alloc.s
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/alloc.o 2>&1 | FileCheck %s --check-prefix=ALLOC
# ALLOC: error: alloc.o:{{ ?}}(.data+0x0): relocation R_RISCV_32 {{.*}}thread-local

  .text
  .globl _main
_main:
  ret

  .section .debug_info,"",@progbits
# rtdyld-check: *{8}w = 0x1804
w:
  .quad v + 4

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
