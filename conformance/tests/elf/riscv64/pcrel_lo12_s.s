# R_RISCV_PCREL_LO12_S: the low 12 bits of the value of the high part its
# label names, into an S-type immediate (imm[11:5] in bits 31:25, imm[4:0]
# in bits 11:7) (psABI "PC-Relative Symbol Addresses").
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/pcrel_lo12_s.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section pcrel_lo12_s.o,.text=0x10000 \
# RUN:   -map-section pcrel_lo12_s.o,.data=0x12345ff0 %t/pcrel_lo12_s.o
# The edge, as near as 16-byte-aligned data gets: X = 0x7ffff7f0, X + 0x800 = 2^31 - 16.
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s -map-section pcrel_lo12_s.o,.text=0x10000 \
# RUN:   -map-section pcrel_lo12_s.o,.data=0x8000f7f0 %t/pcrel_lo12_s.o
# Beyond 2 GiB: an overflow error on the high part; the low parts that
# take their value from it fail with it.
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify -map-section pcrel_lo12_s.o,.text=0x10000 \
# RUN:   -map-section pcrel_lo12_s.o,.data=0x80010000 %t/pcrel_lo12_s.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}pcrel_lo12_s.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_RISCV_{{PCREL_HI20|PCREL_LO12_S}} {{.*}}out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_S -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_PCREL_LO12_S
# Malformed: a label that carries no high part.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_PCREL_LO12_S -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_PCREL_LO12_S{{.*}}0x0{{.*}} carries no

  .text
  .globl _main
  .p2align 2
# rtdyld-check: decode_operand(_main, 1) = (data - _main + 0x800)[31:12]
_main:
.Lhi:
  auipc a0, %pcrel_hi(data)
# rtdyld-check: decode_operand(st, 2)[11:0] = (data - _main)[11:0]
# rtdyld-check: (*{4}st)[31:25] = (data - _main)[11:5]
# rtdyld-check: (*{4}st)[11:7] = (data - _main)[4:0]
st:
  sw a1, %pcrel_lo(.Lhi)(a0)
  ret

  .data
  .p2align 4
data:
  .quad 0
