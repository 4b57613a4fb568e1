# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/tls_le64_lo20.o %s
# R_LARCH_TLS_LE64_LO20: local exec, TPREL = S + A (S the TP offset; reference.h "LoongArch":
# variant I, TCB 0) in the absolute pieces' fields. A thread-local type on
# an ordinary symbol is an error naming it.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s %t/tls_le64_lo20.o
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_LE64_LO20 -D OFFSET=0x0 -o %t/nottls.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/nottls.o 2>&1 | FileCheck %s --check-prefix=NOTTLS
# NOTTLS: error: nottls.o:{{ ?}}(.text+0x0): relocation R_LARCH_TLS_LE64_LO20{{.*}}not thread-local
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_LE64_LO20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_TLS_LE64_LO20

  .text
  .globl _main
  .p2align 2
# v is at TP offset 0x1800 (variant I, TCB 0: the block starts at tp).
# rtdyld-check: (decode_operand(_main, 1) << 12) | decode_operand(lo, 2)[11:0] = 0x1800
_main:
  lu12i.w $a0, %le_hi20(v)
lo:
  ori $a0, $a0, %le_lo12(v)
  add.d $a0, $a0, $tp
# rtdyld-check: ((decode_operand(x, 1) << 12) | decode_operand(xlo, 2)[11:0])[31:0] | (decode_operand(xl20, 2)[19:0] << 32) | (decode_operand(xh12, 2)[11:0] << 52) = 0x1800
x:
  lu12i.w $a0, %le_hi20(v)
xlo:
  ori $a0, $a0, %le_lo12(v)
xl20:
  lu32i.d $a0, %le64_lo20(v)
xh12:
  lu52i.d $a0, $a0, %le64_hi12(v)
  add.d $a0, $a0, $tp
# The _R forms (lu12i.w; add.d with tp, TLS_LE_ADD_R a marker; a
# sign-extending addi.d): (TPREL + 0x800) >> 12 and TPREL[11:0].
# rtdyld-check: (decode_operand(r, 1) << 12) + decode_operand(rlo, 2) = 0x1800
r:
  .reloc ., R_LARCH_TLS_LE_HI20_R, v
  lu12i.w $a0, 0
  .reloc ., R_LARCH_TLS_LE_ADD_R, v
  add.d $a0, $a0, $tp
rlo:
  .reloc ., R_LARCH_TLS_LE_LO12_R, v
  addi.d $a0, $a0, 0
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
