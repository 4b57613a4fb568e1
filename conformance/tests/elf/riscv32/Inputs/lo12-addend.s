# A PCREL_LO12_I with a non-zero addend (the psABI requires 0): written
# with .reloc against the auipc's label.
  .text
  .p2align 2
hi:
  auipc a0, %pcrel_hi(d)
  .reloc ., R_RISCV_PCREL_LO12_I, hi + 4
  addi a0, a0, 0
  ret
  .data
d:
  .word 0
