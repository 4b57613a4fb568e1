# X86_64_RELOC_GOT: other references to a GOT entry, G + A - (P + 4)
# (<mach-o/x86_64/reloc.h>): an instruction other than MOVQ, or a 32-bit
# pc-relative word in data (a personality pointer, `.long x@GOTPCREL`).
# Shares the one slot per symbol with GOT_LOAD.
# RUN: rm -rf %t && mkdir -p %t
# RUN: llvm-mc -triple=x86_64-apple-macosx10.15 -filetype=obj -o %t/got.o %s
# RUN: llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify -check=%s -dummy-extern _ext=0x7f0000001000 %t/got.o
#
# Malformed: GOT not pc-relative; the field past its section.
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=4 -D LENGTH=2 -D PCREL=false -D ADDRESS=0 -o %t/bad.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad.o 2>&1 | FileCheck %s --check-prefix=BAD
# BAD: error: bad.o:{{ ?}}(__text+0x0): relocation X86_64_RELOC_GOT {{.*}}is not pc-relative
# RUN: yaml2obj %S/Inputs/reloc.yaml -D TYPE=4 -D LENGTH=2 -D PCREL=true -D ADDRESS=7 -o %t/bad2.o
# RUN: not llvm-rtdyld -triple=x86_64-apple-macosx10.15 -verify %t/bad2.o 2>&1 | FileCheck %s --check-prefix=BAD2
# BAD2: error: bad2.o:{{ ?}}(__text+0x7): relocation X86_64_RELOC_GOT {{.*}}outside its section

  .text
# An ADD through the slot (not a MOVQ: X86_64_RELOC_GOT).
# rtdyld-check: *{8}(stub_addr(got.o/__text, _ext)) = _ext
# rtdyld-check: decode_operand(add, 5) = stub_addr(got.o/__text, _ext) - next_pc(add)
add:
  addq _ext@GOTPCREL(%rip), %rax
# GOT_LOAD to the same symbol: the same slot.
# rtdyld-check: decode_operand(load, 4) = stub_addr(got.o/__text, _ext) - next_pc(load)
load:
  movq _ext@GOTPCREL(%rip), %rax

  .data
# A 32-bit word in data, relative to its end like every pc-relative form:
# `.long x@GOTPCREL` is G - (P + 4). The compiler writes a personality
# pointer as `x@GOTPCREL+4`, so that DWARF's pc-relative reading (from the
# word's start) reaches the slot. ld64.lld-19 links both words so. Under
# --param loader=llvm these two checks fail with 0x4: RuntimeDyldMachO gives
# __data a slot of its own, right after __data, and 4 = G - (P + 4) is
# right by the same rule; the checks name jitload's slot, one per symbol
# (conformance/oracle/macho-gotpcrel-test.sh, ctest macho-x86_64-gotpcrel).
# rtdyld-check: *{4}word = (stub_addr(got.o/__text, _ext) - (word + 4))[31:0]
word:
  .long _ext@GOTPCREL
# rtdyld-check: *{4}personality = (stub_addr(got.o/__text, _ext) - personality)[31:0]
personality:
  .long _ext@GOTPCREL+4
