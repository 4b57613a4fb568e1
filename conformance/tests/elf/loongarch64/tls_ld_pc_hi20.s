# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/tls_ld_pc_hi20.o %s
# R_LARCH_TLS_LD_PC_HI20 (general and local dynamic: LoongArch's local dynamic names the
# variable itself): no dynamic linker, so the sequence is rewritten to
# local exec (reference.h "LoongArch"), instruction by instruction.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s %t/tls_ld_pc_hi20.o
# Not on a pcalau12i (the nop at .text+0): no rewrite is defined.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_LD_PC_HI20 -D OFFSET=0x0 -D SYMBOL=tls -o %t/insn.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/insn.o 2>&1 | FileCheck %s --check-prefix=INSN
# INSN: error: insn.o:{{ ?}}(.text+0x0): relocation R_LARCH_TLS_LD_PC_HI20
# The extreme model's GD (GOT64_PC_LO20/HI12 of a thread-local symbol) has
# no rewrite: the object is refused, naming a relocation of the sequence.
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/x.o %S/Inputs/gd-extreme.s
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/x.o 2>&1 | FileCheck %s --check-prefix=EXTREME
# EXTREME: error: {{.*}}x.o:{{ ?}}(.text+0x{{[0-9a-f]+}}): relocation R_LARCH_GOT64_PC_
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_LD_PC_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_TLS_LD_PC_HI20

  .text
  .globl _main
  .p2align 2
# pcalau12i $a0 -> lu12i.w $a0, %le_hi20 (0x14000024: 0x1800 >> 12 = 1);
# addi.d $a0, $a0 -> ori $a0, $a0, 0x800 (0x03a00084); bl -> add.d $a0,
# $a0, $tp (0x00108884).
# rtdyld-check: *{4}_main = 0x14000024
# rtdyld-check: *{4}(_main + 4) = 0x03a00084
# rtdyld-check: *{4}(_main + 8) = 0x00108884
_main:
  pcalau12i $a0, %ld_pc_hi20(v)
  addi.d $a0, $a0, %got_pc_lo12(v)
  bl %plt(__tls_get_addr)
# The medium model's call36: add.d; nop, and a tail call: add.d; ret.
# rtdyld-check: *{4}(m + 8) = 0x00108884
# rtdyld-check: *{4}(m + 12) = 0x03400000
m:
  pcalau12i $a0, %ld_pc_hi20(v)
  addi.d $a0, $a0, %got_pc_lo12(v)
  pcaddu18i $ra, %call36(__tls_get_addr)
  jirl $ra, $ra, 0
# rtdyld-check: *{4}(t + 12) = 0x4c000020
t:
  pcalau12i $a0, %ld_pc_hi20(v)
  addi.d $a0, $a0, %got_pc_lo12(v)
  pcaddu18i $t8, %call36(__tls_get_addr)
  jirl $zero, $t8, 0

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
