# jitload-rtdyld's command line, as llvm-rtdyld's: where -verify places
# sections, what -print-alloc-requests prints, -entry/-args, and the errors
# for impossible requests.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-pc-linux -filetype=obj -o %t/opts.o %s
#
# Default placement: from 4096, code first, then data, each allocation on
# its own pages.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%S/Inputs/opts-default.check %t/opts.o
# -target-addr-start and -target-section-sep.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -target-addr-start=0x100000 -target-section-sep=0x10000 \
# RUN:   -check=%S/Inputs/opts-sep.check %t/opts.o
# A mapped section stays put; the others go around it (here: below it).
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section opts.o,.data=0x3000 \
# RUN:   -check=%S/Inputs/opts-mapped.check %t/opts.o
# -target-addr-end: no room, a clear error (llvm-rtdyld ignores it).
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -target-addr-end=0x1fff %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=END
# END: error: no room for a block of 0x1000 bytes {{.*}}-target-addr-end 0x1fff
#
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -verify -print-alloc-requests %t/opts.o | FileCheck %s --check-prefix=ALLOC
# ALLOC-DAG: allocateCodeSection(Size = 14, Alignment = 16, SectionName = .text)
# ALLOC-DAG: allocateDataSection(Size = 12, Alignment = 4, SectionName = .data)
#
# -entry and -args: the entry gets argc and argv, argv[0] the first input.
# RUN: llvm-rtdyld -triple=x86_64-pc-linux -execute -entry=count_args %t/opts.o -args a b c
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -execute -entry=count_args %t/opts.o -args a b
# RUN: not llvm-rtdyld -execute -entry=nosuch %t/opts.o 2>&1 | FileCheck %s --check-prefix=ENTRY
# ENTRY: error: no definition for 'nosuch'
#
# Errors, each naming what is wrong.
# RUN: not llvm-rtdyld -verify %t/opts.o 2>&1 | FileCheck %s --check-prefix=TRIPLE
# TRIPLE: error: -triple required when running in -verify mode.
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section nosuch.o,.text=0x1000 %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=NOFILE
# NOFILE: error: no file named nosuch.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section opts.o,.nosuch=0x1000 %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=NOSECTION
# NOSECTION: error: no section named ".nosuch" in file opts.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -map-section opts.o.text=0x1000 %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=BADMAP
# BADMAP: error: invalid section specification 'opts.o.text=0x1000'
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -dummy-extern=foo %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=BADEXTERN
# BADEXTERN: error: invalid dummy symbol specification 'foo'
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify -check=%S/Inputs/no-rules.check %t/opts.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=NORULES
# NORULES: no-rules.check: no rules with prefix '# rtdyld-check:'
# NORULES: error: some checks in '{{.*}}no-rules.check' failed
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/nosuch.o 2>&1 | FileCheck %s --check-prefix=NOINPUT
# NOINPUT: error: unable to read input '{{.*}}nosuch.o'
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %s 2>&1 | FileCheck %s --check-prefix=NOTOBJ
# NOTOBJ: error: {{.*}}rtdyld-options.s{{.*}}not an object file
# RUN: not llvm-rtdyld -nosuch-option %t/opts.o 2>&1 | FileCheck %s --check-prefix=OPTION
# OPTION: unknown option '-nosuch-option'

  .text
  .globl count_args
  .p2align 4
# Returns 0 when argc is 4 and argv[0] ends in ".o".
count_args:
  cmpl $4, %edi
  jne 1f
  xorl %eax, %eax
  retq
1:
  movl $1, %eax
  retq

  .data
  .p2align 2
value:
  .long 1, 2, 3
