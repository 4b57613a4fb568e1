# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/tls_ie_pc_hi20.o %s
# R_LARCH_TLS_IE_PC_HI20: initial exec through a GOT slot holding v's TP offset (reference.h
# "LoongArch"), the slot reached as the GOT forms reach theirs.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s %t/tls_ie_pc_hi20.o
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section tls_ie_pc_hi20.o,.text=0x200ff0 %t/tls_ie_pc_hi20.o
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_IE_PC_HI20 -D OFFSET=0x0 -o %t/nottls.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/nottls.o 2>&1 | FileCheck %s --check-prefix=NOTTLS
# NOTTLS: error: nottls.o:{{ ?}}(.text+0x0): relocation R_LARCH_TLS_IE_PC_HI20{{.*}}not thread-local
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_TLS_IE_PC_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_TLS_IE_PC_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{8}got_addr(tls_ie_pc_hi20.o/.text, v) = 0x1800
# rtdyld-check: (_main & 0xfffffffffffff000) + (decode_operand(_main, 1) << 12) + decode_operand(lo, 2) = got_addr(tls_ie_pc_hi20.o/.text, v)
_main:
  pcalau12i $a0, %ie_pc_hi20(v)
lo:
  ld.d $a0, $a0, %ie_pc_lo12(v)
  add.d $a0, $a0, $tp
# rtdyld-check: (x & 0xfffffffffffff000) + (decode_operand(x, 1) << 12) + ((decode_operand(xl20, 2)[19:0] << 32) | (decode_operand(xh12, 2)[11:0] << 52) | (decode_operand(xlo, 2) & 0xffffffff)) = got_addr(tls_ie_pc_hi20.o/.text, v)
x:
  pcalau12i $a0, %ie_pc_hi20(v)
xlo:
  addi.d $t8, $zero, %ie_pc_lo12(v)
xl20:
  lu32i.d $t8, %ie64_pc_lo20(v)
xh12:
  lu52i.d $t8, $t8, %ie64_pc_hi12(v)
  ldx.d $a0, $t8, $a0
# rtdyld-check: ((decode_operand(a, 1) << 12) | decode_operand(alo, 2)[11:0])[31:0] | (decode_operand(al20, 2)[19:0] << 32) | (decode_operand(ah12, 2)[11:0] << 52) = got_addr(tls_ie_pc_hi20.o/.text, v)
a:
  lu12i.w $a0, %ie_hi20(v)
alo:
  ori $a0, $a0, %ie_lo12(v)
al20:
  lu32i.d $a0, %ie64_lo20(v)
ah12:
  lu52i.d $a0, $a0, %ie64_hi12(v)
  ld.d $a0, $a0, 0
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
