# R_RISCV_HI20: (S + A + 0x800) >> 12 into a U-type immediate (lui),
# checked on RV64 -2^31 <= S + A + 0x800 < 2^31 (psABI "Absolute
# Addresses"). The +0x800 makes the low part's sign extension come out right.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/hi20.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0x12345fff %t/hi20.o
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0x123457ff %t/hi20.o
# On RV32 every address has a lui/addi pair (modulo 2^32): 0xfffff800 gives hi 0.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0xfffff800 %t/hi20.o
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (ext + 0x800)[31:12]
# The pair gives ext back: hi << 12 plus the sign-extended low 12 bits.
# rtdyld-check: ((decode_operand(_main, 1) << 12) + decode_operand(lo, 2))[31:0] = ext[31:0]
_main:
  lui a0, %hi(ext)
lo:
  addi a0, a0, %lo(ext)
  ret
