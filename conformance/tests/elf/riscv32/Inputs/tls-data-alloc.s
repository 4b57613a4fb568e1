# A data word holding a thread-local variable's address: it has none.
  .data
  .p2align 3
  .word v
  .section .tbss,"awT",@nobits
  .globl v
v:
  .zero 4
