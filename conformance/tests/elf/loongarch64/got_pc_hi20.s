# (LLVM 19's RuntimeDyld has no LoongArch, so the file is not run with
# --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=loongarch64-linux-gnu -filetype=obj -o %t/got_pc_hi20.o %s
# R_LARCH_GOT_PC_HI20: through the symbol's GOT slot (one per symbol, holding S; reference.h
# "LoongArch"), the slot's page as for PCALA, or its absolute address.
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -dummy-extern=ext=0x7f0012345678 %t/got_pc_hi20.o
# RUN: llvm-rtdyld -triple=loongarch64-linux-gnu -verify -check=%s -map-section got_pc_hi20.o,.text=0x200ff0 -dummy-extern=ext=0x800 %t/got_pc_hi20.o
# Malformed: a non-zero addend (the GOT has one slot per symbol).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_GOT_PC_HI20 -D OFFSET=0x0 -D ADDEND=8 -o %t/addend.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/addend.o 2>&1 | FileCheck %s --check-prefix=ADDEND
# ADDEND: error: addend.o:{{ ?}}(.text+0x0): relocation R_LARCH_GOT_PC_HI20{{.*}} addend 8{{.*}}not 0
#
# Malformed: the field lies outside .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_LARCH_GOT_PC_HI20 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=loongarch64-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_LARCH_GOT_PC_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{8}got_addr(got_pc_hi20.o/.text, ext) = ext
# rtdyld-check: *{8}got_addr(got_pc_hi20.o/.text, value) = value
# rtdyld-check: (_main & 0xfffffffffffff000) + (decode_operand(_main, 1) << 12) + decode_operand(lo, 2) = got_addr(got_pc_hi20.o/.text, ext)
_main:
  pcalau12i $a0, %got_pc_hi20(ext)
lo:
  ld.d $a0, $a0, %got_pc_lo12(ext)
# A second use shares the slot.
# rtdyld-check: (again & 0xfffffffffffff000) + (decode_operand(again, 1) << 12) + decode_operand(lo2, 2) = got_addr(got_pc_hi20.o/.text, ext)
again:
  pcalau12i $a1, %got_pc_hi20(ext)
lo2:
  ld.d $a1, $a1, %got_pc_lo12(ext)
# The extreme model.
# rtdyld-check: (x & 0xfffffffffffff000) + (decode_operand(x, 1) << 12) + ((decode_operand(xl20, 2)[19:0] << 32) | (decode_operand(xh12, 2)[11:0] << 52) | (decode_operand(xlo, 2) & 0xffffffff)) = got_addr(got_pc_hi20.o/.text, value)
x:
  pcalau12i $a0, %got_pc_hi20(value)
xlo:
  addi.d $t8, $zero, %got_pc_lo12(value)
xl20:
  lu32i.d $t8, %got64_pc_lo20(value)
xh12:
  lu52i.d $t8, $t8, %got64_pc_hi12(value)
  ldx.d $a0, $t8, $a0
# The absolute forms (GOT_HI20/LO12, GOT64_LO20/HI12): the slot's address.
# rtdyld-check: ((decode_operand(a, 1) << 12) | decode_operand(alo, 2)[11:0])[31:0] | (decode_operand(al20, 2)[19:0] << 32) | (decode_operand(ah12, 2)[11:0] << 52) = got_addr(got_pc_hi20.o/.text, ext)
a:
  lu12i.w $a0, %got_hi20(ext)
alo:
  ori $a0, $a0, %got_lo12(ext)
al20:
  lu32i.d $a0, %got64_lo20(ext)
ah12:
  lu52i.d $a0, $a0, %got64_hi12(ext)
  ld.d $a0, $a0, 0
  ret

  .data
  .globl value
  .p2align 3
value:
  .quad 1
