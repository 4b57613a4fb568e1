# R_X86_64_SIZE32: Z + A (psABI Table 4.10), Z the symbol's st_size,
# zero-extended: a value in [0, 2^32).
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/size32.o %s
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/size32.o
#
# Out of range: 24 + 0xffffffff >= 2^32.
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -defsym=HUGE=1 -o %t/huge.o %s
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/huge.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}huge.o:{{ ?}}(.data+0x{{[0-9a-f]+}}): relocation R_X86_64_SIZE32 out of range
#
# Malformed: the field straddles the end of .text.
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_SIZE32 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(.text+0x6): relocation R_X86_64_SIZE32

  .text
# rtdyld-check: decode_operand(mov, 1) = 28
mov:
  movl $object@SIZE + 4, %eax

  .data
# rtdyld-check: *{4}field = 24
# rtdyld-check: *{4}(field + 4) = 16
# rtdyld-check: *{4}(field + 8) = 0
field:
  .long object@SIZE
  .long object@SIZE - 8
  .long func@SIZE - 3
.ifdef HUGE
  .reloc ., R_X86_64_SIZE32, object + 0xffffffff
  .long 0
.endif

# Global, so the relocations name the symbols and not their sections.
  .globl object, func
  .type object, @object
object:
  .zero 24
  .size object, 24

  .text
  .type func, @function
func:
  nop
  nop
  retq
  .size func, . - func
