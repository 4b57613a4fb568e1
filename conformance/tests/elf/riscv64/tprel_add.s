# R_RISCV_TPREL_ADD: marks the `add rd, rs, tp` of a local-exec sequence
# for relaxation; nothing is written (psABI "Local Exec"; nothing is
# relaxed, reference.h "RISC-V"): the add stays as assembled.
# (LLVM 19's RuntimeDyld stops at "Unsupported CPU type!" on RISC-V, so
# the file is not run with --param loader=llvm.)
# UNSUPPORTED: loader-llvm
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=riscv64-linux-gnu -filetype=obj -o %t/le.o %s
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify -check=%s %t/le.o
# On a symbol that is not thread-local it is still an error (L9).
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_RISCV_TPREL_ADD -D OFFSET=0x0 -D SYMBOL=tls -o %t/ok.o
# RUN: llvm-rtdyld -triple=riscv64-linux-gnu -verify %t/ok.o

  .text
  .globl _main
  .p2align 2
_main:
  lui a5, %tprel_hi(v)
# add a5, a5, tp, unchanged.
# rtdyld-check: *{4}add = 0x004787b3
add:
  add a5, a5, tp, %tprel_add(v)
  lw a0, %tprel_lo(v)(a5)
  ret

  .section .tbss,"awT",@nobits
  .p2align 3
  .zero 0x1800
  .globl v
v:
  .zero 8
