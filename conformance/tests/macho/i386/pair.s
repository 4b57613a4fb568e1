# GENERIC_RELOC_PAIR (<mach-o/reloc.h>): "only follows a
# GENERIC_RELOC_SECTDIFF" (or LOCAL_SECTDIFF); it writes nothing, its
# r_address is no offset, and its r_value is the subtrahend B of the entry
# before it (sectdiff.s checks the values). Here: a PAIR alone, after a
# VANILLA, and a SECTDIFF's PAIR whose r_address lies far past the section
# (allowed: it is not an offset). LLVM 19 reports any PAIR it meets alone as
# "Unhandled I386 scattered relocation type: 1".
# RUN: rm -rf %t && mkdir -p %t
# A PAIR as the first entry (Inputs/pair.yaml, swapped: PAIR, then VANILLA).
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=1 -D ADDRESS=0 -D VALUE=0xc -D TYPE2=0 -D SCATTERED2=false \
# RUN:   -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/alone.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/alone.o 2>&1 | FileCheck %s --check-prefix=ALONE
# ALONE: error: alone.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PAIR at file offset 0x170 {{.*}}follows no {{.*}}SECTDIFF
# A PAIR after a VANILLA.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=0 -D ADDRESS=8 -D SCATTERED=false -D EXTERN=true -D SYMBOL=1 -o %t/after.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/after.o 2>&1 | FileCheck %s --check-prefix=AFTER
# AFTER: error: after.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PAIR at file offset 0x178 {{.*}}follows no {{.*}}SECTDIFF
# A PAIR whose r_address is past the section: no error (it is no offset).
# RUN: yaml2obj %S/Inputs/pair.yaml -D ADDRESS2=0xfff0 -o %t/far.o
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s -map-section far.o,__text=0x100000 \
# RUN:   -map-section far.o,__data=0x100100 %t/far.o
# rtdyld-check: *{4}(_f + 0xc) = 0xf4
