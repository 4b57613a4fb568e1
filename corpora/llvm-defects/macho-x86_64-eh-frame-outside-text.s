# LLVM defect (Mach-O x86-64, RuntimeDyldMachO::registerEHFrames): every
# FDE's pc_begin is moved by __text's displacement, whichever section its
# function is in. The assembler resolves pc_begin itself (a pc-relative
# distance between __eh_frame and the function's section, no relocation),
# so when the function is in another code section (__text2 here) and the
# sections are mapped apart, LLVM's FDE points into __text's neighbourhood.
# Rule (DWARF CFI as Apple's unwinder reads __eh_frame: pc_begin,
# DW_EH_PE_pcrel, is the address of the function the FDE describes; ld64
# keeps every FDE reaching its function): the field must keep reaching _g.
# The check states the rule; llvm-rtdyld-19 -verify fails it (jitload's
# loaders pass it): __text at 0x100000, __text2 at 0x300000.
        .text
        .globl  _f
_f:
        .cfi_startproc
        retq
        .cfi_endproc

        .section __TEXT,__text2,regular,pure_instructions
        .globl  _g
_g:
        .cfi_startproc
        nop
        retq
        .cfi_endproc

# _g's FDE pc_begin (the second FDE, after the 0x20-byte CIE and _f's FDE).
# rtdyld-check: *{8}(section_addr(macho-x86_64-eh-frame-outside-text.o, __eh_frame) + 0x40) = _g - (section_addr(macho-x86_64-eh-frame-outside-text.o, __eh_frame) + 0x40)
