# A local-exec access to an undefined thread-local symbol (its TP offset
# comes from the scenario: -dummy-extern).
  .text
  .p2align 2
  .globl _main
_main:
  lui a5, %tprel_hi(e)
  add a5, a5, tp, %tprel_add(e)
  lw a0, %tprel_lo(e)(a5)
  ret
  .section .tbss,"awT",@nobits
  .zero 8
