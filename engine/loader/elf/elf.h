// ELF constants and record layouts, transcribed from the System V gABI
// (chapter 4, "Object Files") and the x86-64 psABI. Only what the loader
// reads. Records are decoded field by field through the bounds-checked
// Reader, never by casting file bytes to structs.
#pragma once

#include "engine/loader/core/base.h"

namespace jitload::elf {

// e_ident
constexpr u8 ELFMAG[4] = {0x7f, 'E', 'L', 'F'};
constexpr u8 ELFCLASS32 = 1, ELFCLASS64 = 2;
constexpr u8 ELFDATA2LSB = 1, ELFDATA2MSB = 2;
constexpr u8 EV_CURRENT = 1;

// e_type
constexpr u16 ET_REL = 1;

// e_machine
constexpr u16 EM_386 = 3, EM_MIPS = 8, EM_PPC64 = 21, EM_S390 = 22, EM_ARM = 40, EM_X86_64 = 62,
              EM_AARCH64 = 183, EM_RISCV = 243, EM_LOONGARCH = 258;

// section header types
constexpr u32 SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4,
              SHT_HASH = 5, SHT_DYNAMIC = 6, SHT_NOTE = 7, SHT_NOBITS = 8, SHT_REL = 9,
              SHT_DYNSYM = 11, SHT_INIT_ARRAY = 14, SHT_FINI_ARRAY = 15, SHT_PREINIT_ARRAY = 16,
              SHT_GROUP = 17, SHT_SYMTAB_SHNDX = 18, SHT_X86_64_UNWIND = 0x70000001;

// section header flags
constexpr u64 SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_MERGE = 0x10,
              SHF_STRINGS = 0x20, SHF_INFO_LINK = 0x40, SHF_GROUP = 0x200, SHF_TLS = 0x400;

// special section indexes
constexpr u16 SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2,
              SHN_XINDEX = 0xffff;

// symbol binding and type (st_info)
constexpr u8 STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STB_GNU_UNIQUE = 10;
constexpr u8 STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4,
             STT_COMMON = 5, STT_TLS = 6, STT_GNU_IFUNC = 10;

// ELF64 record sizes
constexpr u64 kEhdr64Size = 64;
constexpr u64 kShdr64Size = 64;
constexpr u64 kSym64Size = 24;
constexpr u64 kRela64Size = 24;
constexpr u64 kRel64Size = 16;  // SHT_REL: no r_addend, the addend is in the field

}  // namespace jitload::elf
