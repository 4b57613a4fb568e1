# R_RISCV_CALL: S + A - P into an auipc + jalr pair (hi = (X + 0x800) >> 12,
# lo = X & 0xfff), checked on RV64 -2^31 <= X + 0x800 < 2^31 (psABI
# "Procedure Calls"; CALL and CALL_PLT are interchangeable). A call to a
# symbol outside this object that does not reach goes through a 24-byte
# stub (reference.h "RISC-V"); one to this object's own symbol is an
# overflow error. (Deprecated; written with .reloc.)
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/call.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0000000000 %t/call.o
# The edge: far at _main + 0x7ffff7fe, the farthest X with X + 0x800 < 2^31 (even).
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section call.o,.text=0x10000 -map-section call.o,.text.far=0x8000f7fe %t/call.o
# Two bytes beyond: this object's own symbol, so an overflow error (no stub).
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify -dummy-extern=ext=0x7f0000000000 \
# RUN:   -map-section call.o,.text=0x10000 -map-section call.o,.text.far=0x8000f800 %t/call.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}call.o:{{ ?}}(.text+0x0): relocation R_RISCV_CALL out of range
#
# Malformed: the 8-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_CALL -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_CALL

  .text
  .globl _main
  .p2align 2
# A call within reach: hi20 into the auipc, lo12 into the jalr at +4.
# rtdyld-check: decode_operand(_main, 1) = (far - _main + 0x800)[31:12]
# rtdyld-check: decode_operand(_main + 4, 2)[11:0] = (far - _main)[11:0]
_main:
  .reloc ., R_RISCV_CALL, far
  auipc ra, 0
  jalr ra, 0(ra)
# `ext` is 2^47 away: through its stub (auipc t3; ld t3, 16(t3); jr t3;
# nop; the 8-byte target).
# rtdyld-check: decode_operand(call_ext, 1) = (stub_addr(call.o/.text, ext) - call_ext + 0x800)[31:12]
# rtdyld-check: decode_operand(call_ext + 4, 2)[11:0] = (stub_addr(call.o/.text, ext) - call_ext)[11:0]
# rtdyld-check: *{4}stub_addr(call.o/.text, ext) = 0x00000e17
# rtdyld-check: *{4}(stub_addr(call.o/.text, ext) + 4) = 0x010e3e03
# rtdyld-check: *{4}(stub_addr(call.o/.text, ext) + 8) = 0x000e0067
# rtdyld-check: *{8}(stub_addr(call.o/.text, ext) + 16) = ext
call_ext:
  .reloc ., R_RISCV_CALL, ext
  auipc ra, 0
  jalr ra, 0(ra)
  ret

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  ret
