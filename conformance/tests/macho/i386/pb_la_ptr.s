# GENERIC_RELOC_PB_LA_PTR (<mach-o/reloc.h>, "prebound lazy pointer"):
# scattered, absolute, 4 bytes. The field holds a prebound address that
# is not trusted; what the lazy pointer must hold is r_value (in the file,
# the address of the code that binds it) moved with the section holding
# it — dyld's reset of a prebound lazy pointer, *field = r_value + slide.
# The field's contents are ignored. LLVM 19 refuses the type ("Relocation
# type not implemented yet!"); llvm-mc never emits it (cctools' as did),
# so the objects are written in YAML (Inputs/pair.yaml: a PB_LA_PTR at
# __text+0 whose field holds 0xdeadbeef, and a VANILLA to _g at +8).
# RUN: rm -rf %t && mkdir -p %t
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D VALUE=0x12 \
# RUN:   -D CONTENT=efbeadde000000000000000000000000 -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 \
# RUN:   -D ADDRESS2=8 -o %t/lazy.o
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s -dummy-extern _g=0x7000 \
# RUN:   -map-section lazy.o,__text=0x100000 -map-section lazy.o,__data=0x200000 %t/lazy.o
# rtdyld-check: *{4}_f = section_addr(lazy.o, __data) + 2
# rtdyld-check: *{4}(_f + 8) = _g
# Edge: r_value at the end of its section (__data is 4 bytes at 0x10)
# is that section's end.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D VALUE=0x14 \
# RUN:   -D CONTENT=efbeadde000000000000000000000000 -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 \
# RUN:   -D ADDRESS2=8 -o %t/end.o
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%S/Inputs/pb-end-check.txt -dummy-extern _g=0x7000 \
# RUN:   -map-section end.o,__text=0x100000 -map-section end.o,__data=0x200000 %t/end.o
#
# Overflow: __data placed at 2^32 does not fit the pointer.
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -dummy-extern _g=0x7000 \
# RUN:   -map-section lazy.o,__text=0x100000 -map-section lazy.o,__data=0x100000000 %t/lazy.o 2>&1 | \
# RUN:   FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}lazy.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PB_LA_PTR {{.*}}out of range
#
# Malformed: not scattered; pc-relative; 2 bytes; r_value in no section.
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D SCATTERED=false -D SYMBOL=2 -D TYPE2=0 \
# RUN:   -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/notsc.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/notsc.o 2>&1 | FileCheck %s --check-prefix=NOTSC
# NOTSC: error: notsc.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PB_LA_PTR at file offset 0x170 {{.*}}not scattered
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D PCREL=true -D TYPE2=0 \
# RUN:   -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/pcrel.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/pcrel.o 2>&1 | FileCheck %s --check-prefix=PCREL
# PCREL: error: pcrel.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PB_LA_PTR at file offset 0x170 is pc-relative
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D LENGTH=1 -D TYPE2=0 \
# RUN:   -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/len.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/len.o 2>&1 | FileCheck %s --check-prefix=LEN
# LEN: error: len.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PB_LA_PTR at file offset 0x170 has r_length 1
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=3 -D ADDRESS=0 -D VALUE=0x15 -D TYPE2=0 \
# RUN:   -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/nowhere.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/nowhere.o 2>&1 | FileCheck %s --check-prefix=NOWHERE
# NOWHERE: error: nowhere.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_PB_LA_PTR at file offset 0x170 {{.*}}no loaded section
