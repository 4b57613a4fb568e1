# Thread-local storage, executed: every access model (local exec, initial
# exec in both psABI forms and through the GOT, general and local dynamic
# in the small and large code models, TPOFF64 data), on .tdata and .tbss,
# defined here and in a second object. _main returns 0, or the number of the
# first access that read a wrong value (kept in %edx until the end).
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: split-file %s %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/main.o %t/main.s
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/other.o %t/other.s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/main.o %t/other.o

#--- main.s
  .text
  .globl _main
_main:
  pushq %rbx
  leaq _GLOBAL_OFFSET_TABLE_(%rip), %rbx

# 1: local exec
  movl %fs:tdata@tpoff, %eax
  movl $1, %edx
  cmpl $0x11, %eax
  jne .Lfail

# 2: initial exec, form I (mov %fs:0; add x@gottpoff)
  movq %fs:0, %rax
  addq tdata2@gottpoff(%rip), %rax
  movl (%rax), %eax
  movl $2, %edx
  cmpl $0x22, %eax
  jne .Lfail

# 3: initial exec, form II (mov x@gottpoff; mov %fs:(%rax))
  movq tdata@gottpoff(%rip), %rax
  movq %fs:(%rax), %rax
  movl $3, %edx
  cmpl $0x11, %eax
  jne .Lfail

# 4: initial exec through the GOT, any register
  movq tdata2@gottpoff(%rip), %rcx
  movl %fs:(%rcx), %eax
  movl $4, %edx
  cmpl $0x22, %eax
  jne .Lfail

# 5: general dynamic, small code model
  .byte 0x66
  leaq tdata@tlsgd(%rip), %rdi
  .byte 0x66, 0x66, 0x48
  callq __tls_get_addr@PLT
  movl (%rax), %eax
  movl $5, %edx
  cmpl $0x11, %eax
  jne .Lfail

# 6: general dynamic, large code model
  leaq tdata2@tlsgd(%rip), %rdi
  movabsq $__tls_get_addr@PLTOFF, %rax
  addq %rbx, %rax
  callq *%rax
  movl (%rax), %eax
  movl $6, %edx
  cmpl $0x22, %eax
  jne .Lfail

# 7: local dynamic, small code model, .tbss (zero, then written)
  leaq tbss@tlsld(%rip), %rdi
  callq __tls_get_addr@PLT
  movl tbss@dtpoff(%rax), %ecx
  movl $7, %edx
  testl %ecx, %ecx
  jne .Lfail
  movl $0x77, tbss@dtpoff(%rax)
  movl %fs:tbss@tpoff, %ecx
  cmpl $0x77, %ecx
  jne .Lfail

# 8: local dynamic, large code model
  leaq tdata@tlsld(%rip), %rdi
  movabsq $__tls_get_addr@PLTOFF, %rax
  addq %rbx, %rax
  callq *%rax
  movl tdata2@dtpoff(%rax), %eax
  movl $8, %edx
  cmpl $0x22, %eax
  jne .Lfail

# 9: a TPOFF64 in data
  movq tpoff_word(%rip), %rax
  movl %fs:(%rax), %eax
  movl $9, %edx
  cmpl $0x11, %eax
  jne .Lfail

# 10: another object's variable, initial exec and general dynamic
  movq other_tls@gottpoff(%rip), %rax
  movl %fs:(%rax), %eax
  movl $10, %edx
  cmpl $0x33, %eax
  jne .Lfail
  .byte 0x66
  leaq other_tls@tlsgd(%rip), %rdi
  .byte 0x66, 0x66, 0x48
  callq __tls_get_addr@PLT
  movl (%rax), %eax
  movl $10, %edx
  cmpl $0x33, %eax
  jne .Lfail

  xorl %edx, %edx
.Lfail:
  movl %edx, %eax
  popq %rbx
  retq

  .data
tpoff_word:
  .quad tdata@tpoff

  .section .tdata,"awT",@progbits
  .globl tdata, tdata2
tdata:
  .long 0x11
tdata2:
  .long 0x22

  .section .tbss,"awT",@nobits
  .globl tbss
tbss:
  .zero 4

#--- other.s
  .section .tdata,"awT",@progbits
  .globl other_tls
  .p2align 3
other_tls:
  .long 0x33
