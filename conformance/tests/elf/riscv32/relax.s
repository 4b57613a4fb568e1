# R_RISCV_RELAX: marks an instruction a linker may relax; the reference
# relaxes nothing (reference.h "RISC-V"), so every instruction stays as
# assembled and its own relocation is applied: an auipc + jalr call stays
# a call (not a jal), lui + addi stay two instructions, and nothing moves.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -mattr=+relax -filetype=obj -o %t/relax.o %s
# RUN: llvm-readelf -r %t/relax.o | FileCheck %s --check-prefix=RELOCS
# RELOCS: R_RISCV_CALL_PLT
# RELOCS-NEXT: R_RISCV_RELAX
# RELOCS: R_RISCV_HI20
# RELOCS-NEXT: R_RISCV_RELAX
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345678 %t/relax.o

  .text
  .globl _main
  .p2align 2
# rtdyld-check: (*{4}_main)[11:0] = 0x097
# rtdyld-check: decode_operand(_main, 1) = (near - _main + 0x800)[31:12]
# rtdyld-check: (*{4}(_main + 4))[19:0] = 0x080e7
# rtdyld-check: decode_operand(_main + 4, 2)[11:0] = (near - _main)[11:0]
_main:
  call near
# rtdyld-check: decode_operand(hi, 1) = (ext + 0x800)[31:12]
# rtdyld-check: decode_operand(hi + 4, 2)[11:0] = ext[11:0]
hi:
  lui a0, %hi(ext)
  addi a0, a0, %lo(ext)
# rtdyld-check: near - _main = 16
near:
  ret
