// ELF64 relocatable objects for the reference loader: the gABI constants it
// needs (transcribed from the System V gABI, chapter 4 "Object Files"), and
// the one entry point the format dispatcher calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reference/reference.h"

namespace jitload::reference::elf {

// e_ident (gABI "ELF Identification")
constexpr uint8_t kElfClass32 = 1, kElfClass64 = 2;
constexpr uint8_t kElfData2Lsb = 1, kElfData2Msb = 2;
constexpr uint8_t kEvCurrent = 1;
// e_type
constexpr uint16_t kEtRel = 1;
// sh_type (gABI "Section Types")
constexpr uint32_t kShtNull = 0, kShtProgbits = 1, kShtSymtab = 2, kShtStrtab = 3, kShtRela = 4,
                   kShtHash = 5, kShtDynamic = 6, kShtNote = 7, kShtNobits = 8, kShtRel = 9,
                   kShtDynsym = 11, kShtInitArray = 14, kShtFiniArray = 15, kShtPreinitArray = 16,
                   kShtGroup = 17, kShtSymtabShndx = 18;
// sh_flags
constexpr uint64_t kShfWrite = 0x1, kShfAlloc = 0x2, kShfExecinstr = 0x4, kShfTls = 0x400;
// special section indexes
constexpr uint32_t kShnUndef = 0, kShnLoreserve = 0xff00, kShnAbs = 0xfff1, kShnCommon = 0xfff2,
                   kShnXindex = 0xffff;
// st_info
constexpr uint8_t kStbLocal = 0, kStbGlobal = 1, kStbWeak = 2;
constexpr uint8_t kSttNotype = 0, kSttObject = 1, kSttFunc = 2, kSttSection = 3, kSttFile = 4,
                  kSttCommon = 5, kSttTls = 6, kSttGnuIfunc = 10;

// Record sizes of ELF64.
constexpr uint64_t kEhdrSize = 64, kShdrSize = 64, kSymSize = 24, kRelaSize = 24;

// Limits of the reference (policy, not format): alignments above 1 MiB
// and objects needing more than 256 MiB of section memory are refused.
constexpr uint64_t kMaxAlign = uint64_t(1) << 20;
constexpr uint64_t kMaxTotal = uint64_t(1) << 28;

bool is_elf(std::span<const uint8_t> bytes);
Result load_elf(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario);
// The set `inputs` as one program; those marked in `rejected` (the
// dispatcher's: not ELF) have their results already and take no part.
// Positions (for "@K:" keys) are positions in `inputs`.
void load_elf_set(std::span<const Input> inputs, const Scenario& scenario, std::vector<Result>& results,
                  std::vector<bool>& rejected);

}  // namespace jitload::reference::elf
