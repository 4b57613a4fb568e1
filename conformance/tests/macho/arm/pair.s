# ARM_RELOC_PAIR (<mach-o/arm/reloc.h>) and the malformed entries of
# ARM objects, on Inputs/pair.yaml (an extern HALF at __text+0 and its
# PAIR by default). A PAIR writes nothing; its r_address is the other
# half (or, after a SECTDIFF, nothing), never an offset.
# RUN: rm -rf %t && mkdir -p %t
# The default pair loads: movw gets _g's low half.
# RUN: yaml2obj %S/Inputs/pair.yaml -o %t/good.o
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _g=0x12345678 %t/good.o
# rtdyld-check: (*{4}_f)[11:0] = 0x678
# rtdyld-check: (*{4}_f)[19:16] = 0x5
# A PAIR whose r_extern is set, r_symbolnum 0xffffff: no symbol is named
# (the reference once read symbol 0xffffff for its report: a crash found
# by mutating clang objects' relocation tables).
# RUN: yaml2obj %S/Inputs/pair.yaml -D EXTERN2=true -o %t/extpair.o
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%s -dummy-extern _g=0x12345678 %t/extpair.o
# A PAIR's r_address far past the section: the upper half 0xfff0 (no error).
# RUN: yaml2obj %S/Inputs/pair.yaml -D ADDRESS2=0xfff0 -o %t/other.o
# RUN: llvm-rtdyld -triple=armv7-apple-ios -verify -check=%S/Inputs/other-check.txt -dummy-extern _g=0x12345678 %t/other.o
#
# A HALF without its PAIR (the next entry a BR24).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE2=5 -D ADDRESS2=8 -D PCREL2=true -D LENGTH2=2 -D EXTERN2=true -D SYMBOL2=1 \
# RUN:   -o %t/nopair.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/nopair.o 2>&1 | FileCheck %s --check-prefix=NOPAIR
# NOPAIR: error: nopair.o:{{ ?}}(__text+0x0): relocation ARM_RELOC_HALF at file offset 0x158 {{.*}}ARM_RELOC_PAIR
# A PAIR of another r_length.
# RUN: yaml2obj %S/Inputs/pair.yaml -D LENGTH2=1 -o %t/len.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/len.o 2>&1 | FileCheck %s --check-prefix=LEN
# LEN: error: len.o:{{ ?}}(__text+0x0): relocation ARM_RELOC_HALF at file offset 0x158 {{.*}}ARM_RELOC_PAIR
# A PAIR first (then a BR24).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=1 -D SYMBOL=16777215 -D EXTERN=false -D TYPE2=5 -D ADDRESS2=8 -D PCREL2=true \
# RUN:   -D LENGTH2=2 -D EXTERN2=true -D SYMBOL2=1 -o %t/alone.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/alone.o 2>&1 | FileCheck %s --check-prefix=ALONE
# ALONE: error: alone.o:{{ ?}}(__text+0x0): relocation ARM_RELOC_PAIR at file offset 0x158 follows no
# A BR24 that is not pc-relative; one that straddles the section's end.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=5 -D LENGTH=2 -D ADDRESS=8 -D TYPE2=0 -D LENGTH2=2 -D ADDRESS2=0xc \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -o %t/abs.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/abs.o 2>&1 | FileCheck %s --check-prefix=ABS
# ABS: error: abs.o:{{ ?}}(__text+0x8): relocation ARM_RELOC_BR24 at file offset 0x158 is not pc-relative
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=5 -D LENGTH=2 -D PCREL=true -D ADDRESS=0xe -D TYPE2=0 -D LENGTH2=2 \
# RUN:   -D ADDRESS2=0 -D EXTERN2=true -D SYMBOL2=1 -o %t/out.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/out.o 2>&1 | FileCheck %s --check-prefix=OUT
# OUT: error: out.o:{{ ?}}(__text+0xe): relocation ARM_RELOC_BR24 at file offset 0x158 {{.*}}outside its section
# A THUMB_BR22 on an instruction that is no Thumb BL/BLX (an ARM movw).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=6 -D LENGTH=2 -D PCREL=true -D TYPE2=0 -D LENGTH2=2 -D ADDRESS2=0xc \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -o %t/notbl.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/notbl.o 2>&1 | FileCheck %s --check-prefix=NOTBL
# NOTBL: error: notbl.o:{{ ?}}(__text+0x0): relocation ARM_THUMB_RELOC_BR22 at file offset 0x158 {{.*}}not {{.*}}Thumb BL
# The obsolete ARM_THUMB_32BIT_BRANCH (7).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=7 -D LENGTH=2 -D PCREL=true -D TYPE2=0 -D LENGTH2=2 -D ADDRESS2=0xc \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -o %t/obsolete.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/obsolete.o 2>&1 | FileCheck %s --check-prefix=OBSOLETE
# OBSOLETE: error: obsolete.o:{{ ?}}(__text+0x0): relocation ARM_THUMB_32BIT_BRANCH at file offset 0x158 {{.*}}obsolete
# A HALF_SECTDIFF that is not scattered.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=9 -D EXTERN=false -D SYMBOL=2 -o %t/notsc.o
# RUN: not llvm-rtdyld -triple=armv7-apple-ios -verify %t/notsc.o 2>&1 | FileCheck %s --check-prefix=NOTSC
# NOTSC: error: notsc.o:{{ ?}}(__text+0x0): relocation ARM_RELOC_HALF_SECTDIFF at file offset 0x158 {{.*}}not scattered
