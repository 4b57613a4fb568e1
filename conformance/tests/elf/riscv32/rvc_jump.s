# R_RISCV_RVC_JUMP: S + A - P into a CJ-type immediate (c.j:
# offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2), checked -2^11 <= X < 2^11
# and a multiple of 2 (psABI table "Relocation types").
# The assembler turns a c.beqz/c.j to another section into a 32-bit
# branch, so the instruction is written raw under an explicit .reloc; the
# checks read its bits (the checker's disassembler runs without the C
# extension).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -mattr=+c -filetype=obj -o %t/cj.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cj.o,.text=0x10000 \
# RUN:   -map-section cj.o,.text.far=0x10556 %t/cj.o
# The edges: 2046 forward, -2048 backward.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cj.o,.text=0x10000 \
# RUN:   -map-section cj.o,.text.far=0x107fe %t/cj.o
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cj.o,.text=0x10000 \
# RUN:   -map-section cj.o,.text.far=0xf800 %t/cj.o
# One beyond (2048): an overflow error.
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section cj.o,.text=0x10000 \
# RUN:   -map-section cj.o,.text.far=0x10800 %t/cj.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}cj.o:{{ ?}}(.text+0x0): relocation R_RISCV_RVC_JUMP out of range
#
# Malformed: the 2-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_RVC_JUMP -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_RISCV_RVC_JUMP

  .text
  .globl _main
  .p2align 2
# c.j far: the opcode bits kept, the offset's bits placed.
# rtdyld-check: (*{2}_main)[15:13] = 5
# rtdyld-check: (*{2}_main)[1:0] = 1
# rtdyld-check: (*{2}_main)[12:12] = (far - _main)[11:11]
# rtdyld-check: (*{2}_main)[11:11] = (far - _main)[4:4]
# rtdyld-check: (*{2}_main)[10:9] = (far - _main)[9:8]
# rtdyld-check: (*{2}_main)[8:8] = (far - _main)[10:10]
# rtdyld-check: (*{2}_main)[7:7] = (far - _main)[6:6]
# rtdyld-check: (*{2}_main)[6:6] = (far - _main)[7:7]
# rtdyld-check: (*{2}_main)[5:3] = (far - _main)[3:1]
# rtdyld-check: (*{2}_main)[2:2] = (far - _main)[5:5]
_main:
  .reloc ., R_RISCV_RVC_JUMP, far
  .2byte 0xa001
  .2byte 0x8082

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  .2byte 0x8082
