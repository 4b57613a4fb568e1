# GENERIC_RELOC_TLV (<mach-o/reloc.h>, "thread local variables"): `movl
# _x@TLVP, %eax; calll *(%eax)` — an absolute 4-byte field, extern, that
# holds the address of a slot holding the address of the TLV descriptor
# _x {thunk, key, offset} (ld64's form before it relaxes the movl to a
# leal): G + A, one slot per symbol. The descriptor's own words are plain
# VANILLA relocations (the thunk is __tlv_bootstrap). LLVM 19 refuses the
# type ("Unimplemented relocation: MachO::GENERIC_RELOC_TLV").
# Nothing runs it here (no 32-bit Darwin): the values are checked.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=i386-apple-macosx10.15 -filetype=obj -o %t/tlv.o %s
# RUN: llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -check=%s -dummy-extern __tlv_bootstrap=0x5000 \
# RUN:   -dummy-extern _y=0x6000 -map-section tlv.o,__text=0x100000 -map-section tlv.o,__thread_vars=0x200000 \
# RUN:   -map-section tlv.o,__thread_data=0x300000 %t/tlv.o
#
# Overflow: the slot's address must fit the 4-byte field: the GOT at 2^32.
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify -dummy-extern __tlv_bootstrap=0x5000 \
# RUN:   -dummy-extern _y=0x6000 -map-section 'tlv.o,<got>=0x100000000' %t/tlv.o 2>&1 | FileCheck %s --check-prefix=RANGE
# RANGE: error: {{.*}}tlv.o:{{ ?}}(__text+0x{{[0-9a-f]+}}): relocation GENERIC_RELOC_TLV {{.*}}out of range
#
# Malformed: not extern (a section-relative TLV names no descriptor);
# 2 bytes. (pc-relative is clang's PIC form: pic_x below.)
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=5 -D ADDRESS=0 -D SCATTERED=false -D SYMBOL=1 \
# RUN:   -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/notext.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/notext.o 2>&1 | FileCheck %s --check-prefix=NOTEXT
# NOTEXT: error: notext.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_TLV at file offset 0x170 {{.*}}not extern
# RUN: yaml2obj %S/Inputs/pair.yaml -D TYPE=5 -D ADDRESS=0 -D SCATTERED=false -D EXTERN=true -D SYMBOL=1 -D LENGTH=1 \
# RUN:   -D TYPE2=0 -D SCATTERED2=false -D EXTERN2=true -D SYMBOL2=1 -D ADDRESS2=8 -o %t/len.o
# RUN: not llvm-rtdyld -triple=i386-apple-macosx10.15 -verify %t/len.o 2>&1 | FileCheck %s --check-prefix=LEN
# LEN: error: len.o:{{ ?}}(__text+0x0): relocation GENERIC_RELOC_TLV at file offset 0x170 has r_length 1

  .text
  .globl _main
_main:
# clang's PIC form (-fPIC, the default): pc-relative, the field holding
# the distance from its end to the pic base, so it becomes the slot's
# address minus the pic base (ld64's pc-relative TLV load).
# rtdyld-check: *{4}(pic_x + 2) = (stub_addr(tlv.o/__text, _x) - pic_base)[31:0]
  calll pic_base
pic_base:
  popl %esi
pic_x:
  movl _x@TLVP-pic_base(%esi), %eax
# rtdyld-check: *{4}(load_x + 1) = stub_addr(tlv.o/__text, _x)
# rtdyld-check: *{4}(stub_addr(tlv.o/__text, _x)) = _x
load_x:
  movl _x@TLVP, %eax
  calll *(%eax)
# The same slot for the same symbol; another for _y (defined outside).
# rtdyld-check: *{4}(load_x2 + 1) = *{4}(load_x + 1)
load_x2:
  movl _x@TLVP, %eax
# rtdyld-check: *{4}(load_y + 1) = stub_addr(tlv.o/__text, _y)
# rtdyld-check: *{4}(stub_addr(tlv.o/__text, _y)) = _y
# rtdyld-check: stub_addr(tlv.o/__text, _y) - stub_addr(tlv.o/__text, _x) = 0xfffffffffffffffc
load_y:
  movl _y@TLVP, %eax
  retl

  .section __DATA,__thread_data,thread_local_regular
_x$tlv$init:
  .long 42

# The descriptor: {__tlv_bootstrap, 0, the initial value's address}.
  .section __DATA,__thread_vars,thread_local_variables
  .globl _x
# rtdyld-check: *{4}_x = __tlv_bootstrap
# rtdyld-check: *{4}(_x + 8) = section_addr(tlv.o, __thread_data)
_x:
  .long __tlv_bootstrap
  .long 0
  .long _x$tlv$init
