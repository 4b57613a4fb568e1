# R_RISCV_RVC_BRANCH: S + A - P into a CB-type immediate (c.beqz/c.bnez:
# offset[8|4:3] in bits 12:10, offset[7:6|2:1|5] in bits 6:2), checked
# -2^8 <= X < 2^8 and a multiple of 2 (psABI table "Relocation types").
# The assembler turns a c.beqz/c.j to another section into a 32-bit
# branch, so the instruction is written raw under an explicit .reloc; the
# checks read its bits (the checker's disassembler runs without the C
# extension).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -mattr=+c -filetype=obj -o %t/cb.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cb.o,.text=0x10000 \
# RUN:   -map-section cb.o,.text.far=0x100aa %t/cb.o
# The edges: 254 forward, -256 backward.
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cb.o,.text=0x10000 \
# RUN:   -map-section cb.o,.text.far=0x100fe %t/cb.o
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s -map-section cb.o,.text=0x10000 \
# RUN:   -map-section cb.o,.text.far=0xff00 %t/cb.o
# One beyond (256): an overflow error.
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify -map-section cb.o,.text=0x10000 \
# RUN:   -map-section cb.o,.text.far=0x10100 %t/cb.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}cb.o:{{ ?}}(.text+0x0): relocation R_RISCV_RVC_BRANCH out of range
#
# Malformed: the 2-byte field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_RVC_BRANCH -D OFFSET=0x7 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x7): relocation R_RISCV_RVC_BRANCH

  .text
  .globl _main
  .p2align 2
# c.beqz a0, far: the opcode bits kept, the offset's bits placed.
# rtdyld-check: (*{2}_main)[15:13] = 6
# rtdyld-check: (*{2}_main)[9:7] = 2
# rtdyld-check: (*{2}_main)[1:0] = 1
# rtdyld-check: (*{2}_main)[12:12] = (far - _main)[8:8]
# rtdyld-check: (*{2}_main)[11:10] = (far - _main)[4:3]
# rtdyld-check: (*{2}_main)[6:5] = (far - _main)[7:6]
# rtdyld-check: (*{2}_main)[4:3] = (far - _main)[2:1]
# rtdyld-check: (*{2}_main)[2:2] = (far - _main)[5:5]
_main:
  .reloc ., R_RISCV_RVC_BRANCH, far
  .2byte 0xc101
  .2byte 0x8082

  .section .text.far,"ax",@progbits
  .p2align 1
far:
  .2byte 0x8082
