# A TLS descriptor sequence for an undefined thread-local symbol (its TP
# offset comes from the scenario: -dummy-extern).
  .text
  .p2align 2
  .globl _main
_main:
  auipc a0, %tlsdesc_hi(e)
  ld a1, %tlsdesc_load_lo(_main)(a0)
  addi a0, a0, %tlsdesc_add_lo(_main)
  jalr t0, 0(a1), %tlsdesc_call(_main)
  ret
