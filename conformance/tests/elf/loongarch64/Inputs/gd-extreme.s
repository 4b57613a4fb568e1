# General dynamic in the extreme code model (as clang-19 -mcmodel=extreme -fPIC writes it).
  .text
  pcalau12i $a0, %gd_pc_hi20(v)
  addi.d $t8, $zero, %got_pc_lo12(v)
  lu32i.d $t8, %got64_pc_lo20(v)
  lu52i.d $t8, $t8, %got64_pc_hi12(v)
  add.d $a0, $t8, $a0
  .section .tbss,"awT",@nobits
v:
  .zero 8
