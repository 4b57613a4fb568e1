# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/tls_desc_pc_lo12.o %s
# R_LARCH_TLS_DESC_PC_LO12: TLS descriptors rewritten to local exec (reference.h "LoongArch"):
# a0 ends holding v's TP offset, as the descriptor call returns it.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s %t/tls_desc_pc_lo12.o
# On a nop, not the sequence's instruction: an error of that relocation.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_DESC_PC_LO12 -D OFFSET=0x0 -D SYMBOL=tls -o %t/insn.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/insn.o 2>&1 | FileCheck %s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation R_LARCH_TLS_DESC_PC_LO12
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_DESC_PC_LO12 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_TLS_DESC_PC_LO12

  .text
  .globl _main
  .p2align 2
# pcalau12i -> nop; addi.d -> nop; ld.d -> lu12i.w $a0, 1 (0x14000024);
# jirl -> ori $a0, $a0, 0x800 (0x03a00084); the add.d with tp stays.
# rtdyld-check: *{4}_main = 0x03400000
# rtdyld-check: *{4}(_main + 4) = 0x03400000
# rtdyld-check: *{4}(_main + 8) = 0x14000024
# rtdyld-check: *{4}(_main + 12) = 0x03a00084
# rtdyld-check: *{4}(_main + 16) = 0x00108884
_main:
  pcalau12i $a0, %desc_pc_hi20(v)
  addi.d $a0, $a0, %desc_pc_lo12(v)
  ld.d $ra, $a0, %desc_ld(v)
  jirl $ra, $ra, %desc_call(v)
  add.d $a0, $a0, $tp
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
