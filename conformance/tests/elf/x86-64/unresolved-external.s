# External symbols under -verify come from -dummy-extern (and -dylib
# libraries) only, as in llvm-rtdyld 19: never from the host process, whose
# addresses change from run to run. One that nothing defines ends the run
# with llvm-rtdyld's message and status 1, before any check. -execute
# resolves against the process. An undefined weak reference is 0 (gABI),
# where llvm-rtdyld refuses it too.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/ext.o %s
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s %t/ext.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=MISSING
# MISSING: Could not find definition for "abs"
# MISSING-NOT: rtdyld-check
# With -dummy-extern the checks run and pass.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%s -dummy-extern=abs=0x7f0000abc000 %t/ext.o
# -execute finds abs in the C library: _main returns abs(-5) - 5 = 0.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute %t/ext.o
# A name the process does not define either.
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -defsym NOSUCH=1 -o %t/nosuch.o %s
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -execute %t/nosuch.o 2>&1 | FileCheck %s --check-prefix=NOSUCH
# NOSUCH: Could not find definition for "jitload_no_such_symbol"

  .text
  .globl _main
_main:
  subq $8, %rsp
  movl $-5, %edi
# rtdyld-check: decode_operand(call_abs, 0) = stub_addr(ext.o/.text, abs) - next_pc(call_abs)
call_abs:
  callq abs@PLT
  addq $8, %rsp
  subl $5, %eax
.ifdef NOSUCH
  callq jitload_no_such_symbol@PLT
.endif
# An undefined weak reference: 0 under -verify and -execute alike.
# rtdyld-check: *{8}got_addr(ext.o/.text, weak_undef) = 0
  movq weak_undef@GOTPCREL(%rip), %rcx
  retq
  .weak weak_undef
