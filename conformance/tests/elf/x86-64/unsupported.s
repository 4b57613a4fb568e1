# Relocation types a loader of relocatable objects does not apply — the
# dynamic ones (COPY, GLOB_DAT, JUMP_SLOT, RELATIVE, IRELATIVE), TLS
# descriptors, and a number no psABI assigns — are rejected with an error
# that names the type (or its number) and where it is, never ignored and
# never a crash.
# RUN: rm -rf %t && mkdir -p %t
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_COPY -D OFFSET=0 -o %t/copy.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/copy.o 2>&1 | FileCheck %s --check-prefix=COPY
# COPY: error: copy.o:{{ ?}}(.text+0x0): relocation R_X86_64_COPY
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_GLOB_DAT -D OFFSET=0 -o %t/glob_dat.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/glob_dat.o 2>&1 | FileCheck %s --check-prefix=GLOB_DAT
# GLOB_DAT: error: glob_dat.o:{{ ?}}(.text+0x0): relocation R_X86_64_GLOB_DAT
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_JUMP_SLOT -D OFFSET=0 -o %t/jump_slot.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/jump_slot.o 2>&1 | FileCheck %s --check-prefix=JUMP_SLOT
# JUMP_SLOT: error: jump_slot.o:{{ ?}}(.text+0x0): relocation R_X86_64_JUMP_SLOT
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_RELATIVE -D OFFSET=0 -o %t/relative.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/relative.o 2>&1 | FileCheck %s --check-prefix=RELATIVE
# RELATIVE: error: relative.o:{{ ?}}(.text+0x0): relocation R_X86_64_RELATIVE
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_IRELATIVE -D OFFSET=0 -o %t/irelative.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/irelative.o 2>&1 | FileCheck %s --check-prefix=IRELATIVE
# IRELATIVE: error: irelative.o:{{ ?}}(.text+0x0): relocation R_X86_64_IRELATIVE
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=R_X86_64_TLSDESC -D OFFSET=0 -D SYMBOL=tls -o %t/tlsdesc.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/tlsdesc.o 2>&1 | FileCheck %s --check-prefix=TLSDESC
# TLSDESC: error: tlsdesc.o:{{ ?}}(.text+0x0): relocation R_X86_64_TLSDESC
# RUN: yaml2obj %S/Inputs/reloc-outside.yaml -D TYPE=0xf0 -D OFFSET=0 -o %t/unknown.o
# RUN: not llvm-rtdyld -triple=x86_64-pc-linux -verify %t/unknown.o 2>&1 | FileCheck %s --check-prefix=UNKNOWN
# UNKNOWN: error: unknown.o:{{ ?}}(.text+0x0): relocation {{.*}}{{0xf0|240}}
