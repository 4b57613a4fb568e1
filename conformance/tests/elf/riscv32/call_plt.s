# R_RISCV_CALL_PLT: S + A - P into an auipc + jalr pair (hi = (X + 0x800) >> 12,
# lo = X & 0xfff), checked on RV64 -2^31 <= X + 0x800 < 2^31 (psABI
# "Procedure Calls"; CALL and CALL_PLT are interchangeable). A call to a
# symbol outside this object that does not reach goes through a 24-byte
# stub (reference.h "RISC-V"); one to this object's own symbol is an
# overflow error. (`call`, as the compiler writes it.)
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/call_plt.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0xf0000000 %t/call_plt.o
# Beyond 2 GiB on RV32: the auipc wraps modulo 2^32, so it reaches.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -dummy-extern=ext=0xf0000000 \
# RUN:   -map-section call_plt.o,.text=0x10000 -map-section call_plt.o,.text.far=0xc0000000 %t/call_plt.o
#
# Malformed: the 8-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_CALL_PLT -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_CALL_PLT

  .text
  .globl _main
  .p2align 2
# A call within reach: hi20 into the auipc, lo12 into the jalr at +4.
# rtdyld-check: decode_operand(_main, 1) = (far - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(_main + 4, 2)[11:0] = (far - _main)[11:0]
_main:
  call far
# On RV32 every address is within reach (modulo 2^32): no stub.
# rtdyld-check: decode_operand(call_ext, 1) = (ext - call_ext + 0x800)[31:12]
# rtdyld-check: decode_operand(call_ext + 4, 2)[11:0] = (ext - call_ext)[11:0]
call_ext:
  call ext
  ret

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  ret
