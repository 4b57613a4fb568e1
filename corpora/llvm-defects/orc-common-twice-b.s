# The second object of orc-common-twice-a.s: a smaller common 'big'.
  .text
  .globl get
  .type get,@function
get:
  movl big+4(%rip), %eax
  retq
  .comm big,8,4
