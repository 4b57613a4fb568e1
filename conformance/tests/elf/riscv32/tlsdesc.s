# The TLS descriptor forms (R_RISCV_TLSDESC_HI20, _LOAD_LO12, _ADD_LO12,
# _CALL; the lows name the auipc's label): relaxed to local exec by the
# psABI's "TLS Descriptors -> Local Exec Relaxation", without deleting
# bytes, in the form ld.lld-19 picks (reference.h "RISC-V"): auipc -> nop,
# load -> nop; then, long form, addi -> `lui a0, %hi(TPREL)` and jalr ->
# `addi a0, a0, %lo(TPREL)` (v, at TP offset 0x1810 after .tdata: lui a0,
# 2; addi a0, a0, -2032), or, when TPREL fits 12 bits, short form, addi -> nop and jalr
# -> `addi a0, zero, TPREL` (z, at TP offset 0x8: li a0, 8).
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv32-linux-gnu -filetype=obj -o %t/desc.o %s
# RUN: llvm-rtdyld -triple=riscv32-linux-gnu -verify -check=%s %t/desc.o
#
# Malformed: the field straddles the end of .text; a low that names no
# TLSDESC_HI20.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLSDESC_HI20 -D SYMBOL=tls -o %t/bad.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_RISCV_TLSDESC_HI20
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TLSDESC_CALL -D OFFSET=0x0 -o %t/nohi.o
# RUN: not llvm-rtdyld -triple=riscv32-linux-gnu -verify %t/nohi.o 2>&1 | FileCheck %s --check-prefix=NOHI
# NOHI: error: nohi.o:{{ ?}}(.text+0x0): relocation R_RISCV_TLSDESC_CALL{{.*}}0x0{{.*}} carries no {{.*}}TLSDESC_HI20

  .text
  .globl _main
  .p2align 2
# rtdyld-check: *{4}_main = 0x00000013
# rtdyld-check: *{4}load = 0x00000013
# rtdyld-check: *{4}add = 0x00002537
# rtdyld-check: *{4}call = 0x81050513
# rtdyld-check: v = 0x1810
_main:
  auipc a0, %tlsdesc_hi(v)
load:
  lw a1, %tlsdesc_load_lo(_main)(a0)
add:
  addi a0, a0, %tlsdesc_add_lo(_main)
call:
  jalr t0, 0(a1), %tlsdesc_call(_main)
  add a0, a0, tp
# The short form.
# rtdyld-check: *{4}short = 0x00000013
# rtdyld-check: *{4}sload = 0x00000013
# rtdyld-check: *{4}sadd = 0x00000013
# rtdyld-check: *{4}scall = 0x00800513
# rtdyld-check: z = 8
short:
  auipc a0, %tlsdesc_hi(z)
sload:
  lw a1, %tlsdesc_load_lo(short)(a0)
sadd:
  addi a0, a0, %tlsdesc_add_lo(short)
scall:
  jalr t0, 0(a1), %tlsdesc_call(short)
  add a0, a0, tp
  ret

  .section .tdata,"awT",@progbits
  .p2align 3
  .zero 8
  .globl z
z:
  .word 3

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
