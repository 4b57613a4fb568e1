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

// The record layouts of each class (gABI, "ELF Header", "Sections",
// "Symbol Table", "Relocation"): where each field sits and how wide the
// class's words are. ELF32 and ELF64 differ in word width and in field
// order (Elf32_Sym puts st_value before st_info; Elf64_Sym after st_shndx).
// The loader is instantiated per class with one of these as a constant, so
// an ELF64 load reads the same offsets it always has.
struct ElfClassLayout {
  u8 elf_class;
  const char* name;                 // "ELF64"
  u64 word;                         // bytes of an address, offset or size (Addr/Off/Xword)
  // Elf_Ehdr
  u64 ehdr_size, e_shoff, e_ehsize, e_shentsize, e_shnum, e_shstrndx;
  // Elf_Shdr
  u64 shdr_size, sh_name, sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize;
  // Elf_Sym
  u64 sym_size, st_name, st_value, st_size, st_info, st_other, st_shndx;
  // Elf_Rel / Elf_Rela: r_offset, r_info (a word), r_addend (a signed word)
  u64 rel_size, rela_size, r_offset, r_info, r_addend;
  // r_info: ELF64 sym << 32 | type; ELF32 sym << 8 | (u8)type.
  u32 r_sym_shift;
  u64 r_type_mask;
};
constexpr ElfClassLayout kElf64Layout = {
    ELFCLASS64, "ELF64", 8,
    64, 40, 52, 58, 60, 62,
    64, 0, 4, 8, 24, 32, 40, 44, 48, 56,
    24, 0, 8, 16, 4, 5, 6,
    16, 24, 0, 8, 16,
    32, 0xffffffff,
};
constexpr ElfClassLayout kElf32Layout = {
    ELFCLASS32, "ELF32", 4,
    52, 32, 40, 46, 48, 50,
    40, 0, 4, 8, 16, 20, 24, 28, 32, 36,
    16, 0, 4, 8, 12, 13, 14,
    8, 12, 0, 4, 8,
    8, 0xff,
};

}  // namespace jitload::elf
