# R_RISCV_ALIGN: the assembler's nop padding for a linker that deletes
# bytes. The reference deletes nothing (reference.h "RISC-V"): the padding
# stays (valid nops, so the code runs as assembled) and every label keeps
# its offset. With the C extension the padding is c.nop then nop.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -mattr=+relax,+c -filetype=obj -o %t/align.o %s
# RUN: llvm-readelf -r %t/align.o | FileCheck %s --check-prefix=RELOCS
# RELOCS: R_RISCV_ALIGN {{ *}}6
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/align.o

  .text
  .globl _main
  .p2align 3
_main:
  c.addi a0, 1
# 6 bytes of padding (the most an 8-byte alignment can need after a 2-byte
# instruction on a 2-byte grid): c.nop, nop.
# rtdyld-check: *{2}(_main + 2) = 0x0001
# rtdyld-check: *{4}(_main + 4) = 0x00000013
  .p2align 3
# rtdyld-check: target - _main = 8
# rtdyld-check: *{2}target = 0x8082
target:
  ret
