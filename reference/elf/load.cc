// The reference loader for relocatable ELF64 little-endian objects.
//
// A set of objects is one program (reference.h, "Sets"). Objects join it
// one by one in input order; each joining object goes through steps 1-4
// alone, then the whole program (the objects accepted so far and it)
// through linkage, 5 and 6; only the final program through 7.
//   1. header       size, magic, class, data, version, ET_REL, machine,
//                   e_ehsize, e_shentsize
//   2. sections     the table inside the file (extended numbering via
//                   section 0), each non-NOBITS section's bytes inside the
//                   file, alignment 0 or a power of two, names inside a
//                   NUL-terminated SHT_STRTAB; which sections load
//   3. symbols      one SHT_SYMTAB at most, entry size 24, size a multiple,
//                   sh_link a SHT_STRTAB, names inside it, section indexes
//                   real (or SHN_ABS/SHN_COMMON/SHN_UNDEF, SHN_XINDEX through
//                   SHT_SYMTAB_SHNDX, one entry per symbol), no local
//                   undefined, STT_TLS only in SHF_TLS sections, defined
//                   values inside loaded sections, common alignments
//                   powers of two
//   4. relocations  SHT_RELA tables whose target loads: entry size 24,
//                   sh_link the symbol table, symbol indexes in range
//   -- linkage      every object's definitions into one table, one per
//                   name (reference.h, "Linkage" L1-L4): no two strong
//                   ones, bar two GNU_UNIQUE
//   5. placement    the Scenario's rule (reference.h), object after object,
//                   each scanned (6) before its GOT and stubs are placed;
//                   then the one TLS block; then the commons' alignment (L4)
//   6. scan         per relocation: a supported type, its field inside its
//                   section, GOT slots and stubs it needs, TLS sequences;
//                   then no two fields overlapping
//   7. apply        per relocation: compute with the psABI formula, check
//                   the fit, write; record what happened
// An error in steps 1-6 rejects the joining object, which then contributes
// nothing. Errors in step 7 are recorded on the relocation, every other
// relocation is still applied, and the object's error is the first of them
// with their count.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include "reference/elf/aarch64.h"
#include "reference/elf/arch.h"
#include "reference/elf/elf.h"
#include "reference/elf/loongarch.h"
#include "reference/elf/riscv.h"
#include "reference/elf/x86-64.h"
#include "reference/reader.h"

namespace jitload::reference::elf {

namespace {

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char small[512];
  va_list ap;
  va_start(ap, f);
  int n = std::vsnprintf(small, sizeof small, f, ap);
  va_end(ap);
  if (n < 0) return std::string();
  if (size_t(n) < sizeof small) return std::string(small, size_t(n));
  std::string out(size_t(n) + 1, '\0');
  va_start(ap, f);
  std::vsnprintf(out.data(), out.size(), f, ap);
  va_end(ap);
  out.resize(size_t(n));
  return out;
}

unsigned long long ull(uint64_t v) { return (unsigned long long)v; }

bool power_of_two_or_zero(uint64_t v) { return (v & (v - 1)) == 0; }

uint64_t align_up(uint64_t v, uint64_t a) {
  if (a <= 1) return v;
  return (v + a - 1) / a * a;
}

// Where the fields of the headers, symbols and relocations sit, per class
// (gABI "ELF Header", "Section Header", "Symbol Table", "Relocation"):
// ELF32 and ELF64 order and size them differently.
struct ClassLayout {
  unsigned word;  // Elf_Addr / Elf_Off / Elf_Xword-sized fields: 4 or 8
  unsigned ehdr_size, e_shoff, e_ehsize, e_shentsize, e_shnum, e_shstrndx;
  unsigned shdr_size, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize;
  unsigned sym_size, st_value, st_size, st_info, st_shndx;
  unsigned rel_size, rela_size, r_info, r_addend;
  uint64_t r_type_mask;
  unsigned r_sym_shift;
};
constexpr ClassLayout kElf64Layout = {8,  64, 40, 52, 58, 60, 62, 64, 8, 24, 32, 40, 44, 48, 56,
                                      24, 8,  16, 4,  6,  16, 24, 8,  16, 0xffffffffull, 32};
constexpr ClassLayout kElf32Layout = {4,  52, 32, 40, 46, 48, 50, 40, 8, 16, 20, 24, 28, 32, 36,
                                      16, 4,  8,  12, 14, 8,  12, 4,  8,  0xffull, 8};

struct SectionHeader {
  uint64_t header_offset = 0;
  uint32_t name_offset = 0;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t addralign = 0;
  uint64_t entsize = 0;
  std::string name;
  bool loaded = false;
  bool tls = false;
  bool alloc = true;     // false: loaded only by Scenario::process_all_sections
  uint64_t address = 0;  // target address; TLS: the thread-pointer offset
  int64_t tp_offset = 0;
  std::vector<uint8_t> bytes;
};

struct ElfSymbol {
  uint64_t file_offset = 0;
  std::string name;
  uint8_t bind = 0;
  uint8_t type = 0;
  uint32_t section = 0;  // resolved section index, or kShnAbs / kShnCommon / kShnUndef
  uint64_t value = 0;
  uint64_t size = 0;
  uint64_t common_offset = 0;
};

struct RelaEntry {
  uint64_t file_offset = 0;
  uint32_t rela_section = 0;  // the SHT_RELA table
  uint32_t section = 0;       // the patched section
  uint64_t offset = 0;
  uint32_t type = 0;
  uint32_t symbol = 0;
  int64_t addend = 0;
  const x86_64::Row* row = nullptr;
  const aarch64::Row* a64 = nullptr;  // AArch64's row instead of `row`
  const riscv::Row* rv = nullptr;     // RISC-V's row instead of `row`
  // RISC-V: the entry a label form names (its high part), or a
  // SET_ULEB128's SUB_ULEB128; -1 when none.
  int pair = -1;
  unsigned uleb_length = 0;  // RISC-V ULEB128 fields: the length in place
  bool tls_gd_call = false;  // RISC-V, LoongArch: a call to __tls_get_addr, rewritten (reference.h)
  const loongarch::Row* la = nullptr;  // LoongArch's row instead of `row`
  bool la_wide = false;      // LoongArch: a high part of an extreme-model sequence (reference.h)
  uint64_t uleb_in_place = 0;  // LoongArch ADD_ULEB128: the value its field holds in the file
  int got_slot = -1;
  int stub = -1;
  const x86_64::TlsSequence* sequence = nullptr;
  uint64_t sequence_start = 0;
  bool consumed = false;
};

struct GotSlot {
  uint32_t symbol;
  bool tp_offset;  // holds the symbol's thread-pointer offset (GOTTPOFF)
};

// What a relocation's symbol stands for.
struct SymbolValue {
  bool ok = true;
  std::string error;
  ErrorKind kind = ErrorKind::Unresolved;  // of the error
  uint64_t S = 0;
  bool tls = false;
};

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// A scenario key of the form "@K:KEY" (reference.h, "Placement"): K and
// the position of the colon. False for a plain key.
bool object_key(const std::string& key, size_t& k, size_t& colon) {
  if (key.size() < 3 || key[0] != '@') return false;
  size_t i = 1;
  uint64_t value = 0;
  while (i < key.size() && key[i] >= '0' && key[i] <= '9') {
    if (value > (uint64_t(1) << 32)) return false;  // no input has that many objects
    value = value * 10 + uint64_t(key[i] - '0');
    i++;
  }
  if (i == 1 || i >= key.size() || key[i] != ':') return false;
  k = size_t(value);
  colon = i;
  return true;
}

class Object;

// Where a name is defined in the set: the object (its position among the
// objects being laid out) and the symbol's index in that object's table.
struct Definition {
  size_t object = 0;
  uint32_t symbol = 0;
};

// The set's symbol table (reference.h, "Linkage"): each name's one
// definition, chosen before anything is placed.
class Program {
 public:
  std::vector<std::unique_ptr<Object>> objects;  // accepted so far (and the joining one), input order
  std::map<std::string, Definition> chosen;
  // Every common definition of each name, in input order (L4's check).
  std::map<std::string, std::vector<Definition>> commons;

  const Definition* definition(const std::string& name) const {
    auto it = chosen.find(name);
    return it == chosen.end() ? nullptr : &it->second;
  }
};

// How a definition ranks (L1): strong beats common beats weak.
enum class Strength { Weak, Common, Strong };

class Object {
 public:
  Object(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario, size_t position)
      : bytes_(bytes), in_(bytes), name_(name), scenario_(scenario), position_(position) {
    result_.triple = triple_of(bytes);
  }

  // Steps 1-4: everything this object can tell about itself alone.
  bool read() { return read_header() && read_sections() && read_symbols() && read_relocations(); }

  void join(const Program* program, size_t index) {
    program_ = program;
    index_ = index;
  }

  // The result of an object rejected before relocation: its error only.
  // The rejection, moved out (the object is not used again): no copy of
  // the message per refused input.
  Result take_rejection() {
    Result r;
    r.triple = std::move(result_.triple);
    r.error = std::move(result_.error);
    return r;
  }
  const RefError& error() const { return result_.error; }
  const std::string& name() const { return name_; }
  const Arch* arch() const { return arch_; }
  size_t position() const { return position_; }

  // ---- linkage: what this object defines ---------------------------------
  // A definition (reference.h, "Linkage"): non-local, named, not a section
  // or file symbol, with an address (a loaded section, SHN_ABS, SHN_COMMON).
  bool is_definition(uint32_t index) const {
    const ElfSymbol& y = symbols_[index];
    if (y.bind == kStbLocal || y.type == kSttSection || y.type == kSttFile || y.name.empty() ||
        y.section == kShnUndef)
      return false;
    bool in_section = y.section != kShnAbs && y.section != kShnCommon;
    return !in_section || headers_[y.section].loaded;
  }
  uint32_t symbol_count() const { return uint32_t(symbols_.size()); }
  const ElfSymbol& symbol(uint32_t index) const { return symbols_[index]; }
  // A definition another object could take the name from (weak, common,
  // GNU_UNIQUE; gABI "Symbol Table": only a global definition is final).
  // A call to one may go through a stub, as a call to an undefined name
  // does: a loader that takes objects one at a time cannot know, when it
  // lays out its stubs, where the name will be bound, so the rule for stubs
  // treats such calls as external whatever the set finally chooses.
  bool preemptible_definition(uint32_t index) const {
    const ElfSymbol& y = symbols_[index];
    constexpr uint8_t kUnique = 10;  // STB_GNU_UNIQUE
    return is_definition(index) && (y.bind == kStbWeak || y.bind == kUnique || y.section == kShnCommon);
  }
  Strength strength(uint32_t index) const {
    const ElfSymbol& y = symbols_[index];
    if (y.section == kShnCommon) return Strength::Common;
    return y.bind == kStbWeak ? Strength::Weak : Strength::Strong;
  }

  // ---- 5. placement: see place() below ---------------------------------
  // The loaded SHF_TLS sections, in header index order (the Program lays
  // out the one block).
  std::vector<SectionHeader*> tls_sections() {
    std::vector<SectionHeader*> out;
    for (SectionHeader& h : headers_)
      if (h.loaded && h.tls) out.push_back(&h);
    return out;
  }

  // ---- 7. apply, and the result ----------------------------------------
  Result finish() {
    apply();
    report();
    // The first error's own diagnostic comes first (its shape is the
    // one every error has), then how many there were.
    if (relocation_errors_ > 1)
      result_.error.message += fmt(" [the first of %llu relocations that failed]", ull(relocation_errors_));
    result_.relocation_errors = relocation_errors_;
    result_.placed = true;
    result_.loaded = !failed_;
    return std::move(result_);  // called once, last: moved, not copied
  }

  // A symbol's value in this object, binding non-local names through the
  // set's table (L5, L6, L9).
  SymbolValue value_of(uint32_t index) const;
  // A symbol's value as this object alone gives it: its own definition.
  SymbolValue own_value(uint32_t index) const;

  // Does this object's non-local symbol `index` bind to a definition in
  // another entry (of this object or another) than itself?
  const Definition* bound_elsewhere(uint32_t index) const {
    if (index == 0 || !program_) return nullptr;
    const ElfSymbol& y = symbols_[index];
    if (y.section != kShnUndef && !is_definition(index)) return nullptr;
    if (y.bind == kStbLocal || y.name.empty()) return nullptr;
    const Definition* d = program_->definition(y.name);
    if (!d || (d->object == index_ && d->symbol == index)) return nullptr;
    return d;
  }

 private:
  // A GOT slot, and a stub's target word: the registry's size, or the
  // class's word when it has none (RISC-V: 4 on RV32, 8 on RV64).
  unsigned slot_size() const { return arch_->got_entry_size ? arch_->got_entry_size : c_.word; }

  bool fail(ErrorKind kind, uint64_t off, const std::string& message) {
    if (!failed_) {
      result_.error.kind = kind;
      result_.error.file_offset = off;
      result_.error.message = name_ + ": " + message;
      failed_ = true;
    }
    return false;
  }

  // "foo.o:(.text+0x1a): relocation R_X86_64_PC32 ..." without the object name.
  std::string where(const RelaEntry& r) const {
    return fmt("(%s+0x%llx): relocation %s", headers_[r.section].name.c_str(), ull(r.offset),
               arch_->type_name(r.type).c_str());
  }

  std::string symbol_name(uint32_t index) const {
    if (index == 0 || index >= symbols_.size()) return "";
    const ElfSymbol& y = symbols_[index];
    if (y.type == kSttSection && y.section < headers_.size()) return headers_[y.section].name;
    return y.name;
  }

  // ---- 1. header --------------------------------------------------------
  bool read_header() {
    if (!in_.has(0, 16)) return fail(ErrorKind::Malformed, 0, "file is smaller than an ELF identification");
    const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    for (int i = 0; i < 4; i++)
      if (in_.at(uint64_t(i)) != magic[i]) return fail(ErrorKind::Malformed, 0, "not an ELF file (bad magic)");
    if (in_.at(4) != kElfClass64 && in_.at(4) != kElfClass32)
      return fail(ErrorKind::Malformed, 4, fmt("EI_CLASS %u is neither ELFCLASS32 nor ELFCLASS64", in_.at(4)));
    if (in_.at(5) != kElfData2Lsb && in_.at(5) != kElfData2Msb)
      return fail(ErrorKind::Malformed, 5, fmt("EI_DATA %u is neither ELFDATA2LSB nor ELFDATA2MSB", in_.at(5)));
    if (in_.at(6) != kEvCurrent) return fail(ErrorKind::Malformed, 6, "unknown ELF version in e_ident");
    c_ = in_.at(4) == kElfClass64 ? kElf64Layout : kElf32Layout;
    if (!in_.has(0, c_.ehdr_size))
      return fail(ErrorKind::Malformed, 0, fmt("file is smaller than an ELF%u header", c_.word * 8));
    big_endian_ = in_.at(5) == kElfData2Msb;
    in_.set_big_endian(big_endian_);
    // The machine decides the rest: its table, its class and byte orders.
    uint16_t machine16 = 0;
    in_.u16(18, machine16);
    arch_ = find_arch(machine16);
    if (!arch_)
      return fail(ErrorKind::Unsupported, 18,
                  fmt("e_machine %u has no relocation table in the reference loader", machine16));
    if (arch_->elf_class != 0 && in_.at(4) != arch_->elf_class)
      return fail(ErrorKind::Unsupported, 4,
                  fmt("%s objects are %s; this one is ELFCLASS%u", arch_->name,
                      arch_->elf_class == kElfClass64 ? "ELFCLASS64" : "ELFCLASS32", in_.at(4) == kElfClass64 ? 64 : 32));
    if (big_endian_ ? !arch_->big_endian_ok : !arch_->little_endian_ok)
      return fail(ErrorKind::Unsupported, 5,
                  fmt("%s is not supported %s", arch_->name, big_endian_ ? "big-endian" : "little-endian"));
    uint16_t type = 0, machine = 0, ehsize = 0, shentsize = 0, shnum = 0, shstrndx = 0;
    in_.u16(16, type);
    in_.u16(18, machine);
    word(c_.e_shoff, shoff_);
    in_.u16(c_.e_ehsize, ehsize);
    in_.u16(c_.e_shentsize, shentsize);
    in_.u16(c_.e_shnum, shnum);
    in_.u16(c_.e_shstrndx, shstrndx);
    if (type != kEtRel) return fail(ErrorKind::Unsupported, 16, fmt("e_type %u is not ET_REL", type));
    (void)machine;
    if (ehsize != c_.ehdr_size)
      return fail(ErrorKind::Malformed, c_.e_ehsize, fmt("e_ehsize %u is not %u", ehsize, c_.ehdr_size));
    if (shoff_ != 0 && shentsize != c_.shdr_size)
      return fail(ErrorKind::Malformed, c_.e_shentsize, fmt("e_shentsize %u is not %u", shentsize, c_.shdr_size));
    shnum_ = shnum;
    shstrndx_ = shstrndx;
    return true;
  }

  // ---- 2. sections ------------------------------------------------------
  bool read_header_at(uint64_t index, SectionHeader& h) {
    // index < count, count <= file size / shdr_size: the product cannot overflow.
    uint64_t at = shoff_ + index * c_.shdr_size;
    if (!in_.has(at, c_.shdr_size))
      return fail(ErrorKind::Malformed, c_.e_shoff, fmt("section header %llu lies outside the file", ull(index)));
    h.header_offset = at;
    in_.u32(at + 0, h.name_offset);
    in_.u32(at + 4, h.type);
    word(at + c_.sh_flags, h.flags);
    word(at + c_.sh_offset, h.offset);
    word(at + c_.sh_size, h.size);
    in_.u32(at + c_.sh_link, h.link);
    in_.u32(at + c_.sh_info, h.info);
    word(at + c_.sh_addralign, h.addralign);
    word(at + c_.sh_entsize, h.entsize);
    return true;
  }

  bool read_sections() {
    if (shoff_ == 0) {
      if (shnum_ != 0) return fail(ErrorKind::Malformed, c_.e_shnum, "e_shnum is not 0 but there is no section table");
      return true;  // no sections: nothing to load
    }
    if (shoff_ > bytes_.size()) return fail(ErrorKind::Malformed, c_.e_shoff, "e_shoff lies outside the file");
    uint64_t count = shnum_;
    SectionHeader zero;
    if (!read_header_at(0, zero)) return false;
    if (count == 0) count = zero.size;  // extended numbering (gABI "Sections")
    if (count == 0)
      return fail(ErrorKind::Malformed, c_.e_shnum, "e_shnum is 0 and section 0 gives no count, yet e_shoff is set");
    if (count > (bytes_.size() - shoff_) / c_.shdr_size)
      return fail(ErrorKind::Malformed, c_.e_shnum, fmt("section table of %llu entries does not fit in the file", ull(count)));
    uint64_t strndx = shstrndx_;
    if (strndx == kShnXindex) strndx = zero.link;
    headers_.resize(count);
    for (uint64_t i = 0; i < count; i++)
      if (!read_header_at(i, headers_[i])) return false;
    if (strndx == 0 || strndx >= count)
      return fail(ErrorKind::Malformed, c_.e_shstrndx, fmt("e_shstrndx %llu is not a section", ull(strndx)));
    // Every section with bytes must have them inside the file.
    for (uint64_t i = 1; i < count; i++) {
      SectionHeader& h = headers_[i];
      if (h.type != kShtNobits && h.type != kShtNull && !in_.has(h.offset, h.size))
        return fail(ErrorKind::Malformed, h.header_offset + c_.sh_offset,
                    fmt("section %llu: contents [0x%llx, +0x%llx) lie outside the file", ull(i), ull(h.offset),
                        ull(h.size)));
      if (!power_of_two_or_zero(h.addralign))
        return fail(ErrorKind::Malformed, h.header_offset + c_.sh_addralign,
                    fmt("section %llu: alignment %llu is not a power of two", ull(i), ull(h.addralign)));
    }
    const SectionHeader& names = headers_[strndx];
    if (names.type != kShtStrtab)
      return fail(ErrorKind::Malformed, names.header_offset + 4, "the section name table is not SHT_STRTAB");
    Reader name_reader(bytes_.subspan(names.offset, names.size));
    for (uint64_t i = 1; i < count; i++) {
      SectionHeader& h = headers_[i];
      if (!name_reader.cstring(h.name_offset, h.name))
        return fail(ErrorKind::Malformed, h.header_offset,
                    fmt("section %llu: name offset 0x%x is not a string in the section name table", ull(i),
                        h.name_offset));
    }
    // Which sections load: allocatable contents. Metadata tables never
    // load; any other allocatable type is one the reference does not know.
    uint64_t total = 0;
    for (uint64_t i = 1; i < count; i++) {
      SectionHeader& h = headers_[i];
      if (!(h.flags & kShfAlloc)) {
        // Scenario::process_all_sections: contents that are not SHF_ALLOC
        // (debug info, notes, unwind tables) load too, at address 0 unless
        // mapped; metadata tables and unknown types still do not.
        if (!scenario_.process_all_sections ||
            (h.type != kShtProgbits && h.type != kShtNote && !arch_->loads_proc_section(h.type)))
          continue;
        h.alloc = false;
      } else {
        switch (h.type) {
        case kShtProgbits: case kShtNobits: case kShtNote: case kShtInitArray: case kShtFiniArray:
        case kShtPreinitArray:
          break;
        case kShtNull: case kShtSymtab: case kShtStrtab: case kShtRela: case kShtRel: case kShtHash:
        case kShtDynamic: case kShtDynsym: case kShtGroup: case kShtSymtabShndx:
          continue;
        default:
          if (arch_->loads_proc_section(h.type)) break;  // processor-specific, per machine
          return fail(ErrorKind::Unsupported, h.header_offset + 4,
                      fmt("section '%s' is allocatable but of unknown type 0x%x", h.name.c_str(), h.type));
        }
      }
      if (h.addralign > kMaxAlign)
        return fail(ErrorKind::Unsupported, h.header_offset + c_.sh_addralign,
                    fmt("section '%s': alignment %llu is above the limit of 1 MiB", h.name.c_str(),
                        ull(h.addralign)));
      if (h.size > kMaxTotal || total + h.size + h.addralign > kMaxTotal)
        return fail(ErrorKind::Limit, h.header_offset + c_.sh_size,
                    fmt("section '%s': the object needs more than the reference's limit of 256 MiB",
                        h.name.c_str()));
      total += h.size + h.addralign;
      h.loaded = true;
      h.tls = h.alloc && (h.flags & kShfTls) != 0;
    }
    total_ = total;
    return true;
  }

  // ---- 3. symbols -------------------------------------------------------
  bool read_symbols() {
    uint64_t symtab = 0;
    for (uint64_t i = 1; i < headers_.size(); i++)
      if (headers_[i].type == kShtSymtab) {
        if (symtab) return fail(ErrorKind::Malformed, headers_[i].header_offset, "more than one SHT_SYMTAB");
        symtab = i;
      }
    symtab_ = uint32_t(symtab);
    if (!symtab) return true;
    const SectionHeader& st = headers_[symtab];
    if (st.entsize != c_.sym_size)
      return fail(ErrorKind::Malformed, st.header_offset + c_.sh_entsize, fmt("symbol table entry size is not %u", c_.sym_size));
    if (st.size % c_.sym_size) return fail(ErrorKind::Malformed, st.header_offset + c_.sh_size, fmt("symbol table size is not a multiple of %u", c_.sym_size));
    if (st.link == 0 || st.link >= headers_.size() || headers_[st.link].type != kShtStrtab)
      return fail(ErrorKind::Malformed, st.header_offset + c_.sh_link, "symbol table's sh_link is not a SHT_STRTAB");
    uint64_t count = st.size / c_.sym_size;
    if (st.info > count)
      return fail(ErrorKind::Malformed, st.header_offset + c_.sh_info, "symbol table's sh_info exceeds its symbol count");
    const SectionHeader& strtab = headers_[st.link];
    Reader strings(bytes_.subspan(strtab.offset, strtab.size));
    // SHT_SYMTAB_SHNDX, if any, linked to this table.
    const SectionHeader* shndx = nullptr;
    for (uint64_t i = 1; i < headers_.size(); i++)
      if (headers_[i].type == kShtSymtabShndx && headers_[i].link == symtab) shndx = &headers_[i];
    // gABI: SHT_SYMTAB_SHNDX holds one entry per symbol.
    if (shndx && shndx->size / 4 < count)
      return fail(ErrorKind::Malformed, shndx->header_offset + c_.sh_size,
                  "SHT_SYMTAB_SHNDX has fewer entries than the symbol table");
    symbols_.resize(count);
    for (uint64_t i = 0; i < count; i++) {
      ElfSymbol& y = symbols_[i];
      uint64_t at = st.offset + i * c_.sym_size;
      y.file_offset = at;
      uint32_t name = 0;
      uint8_t info = 0;
      uint16_t section = 0;
      in_.u32(at, name);
      in_.u8(at + c_.st_info, info);
      in_.u16(at + c_.st_shndx, section);
      word(at + c_.st_value, y.value);
      word(at + c_.st_size, y.size);
      y.bind = info >> 4;
      y.type = info & 0xf;
      if (!strings.cstring(name, y.name))
        return fail(ErrorKind::Malformed, at, fmt("symbol %llu: name offset 0x%x is not a string", ull(i), name));
      // gABI bindings: local, global, weak; GNU adds unique (10). The OS and
      // processor ranges carry meanings the reference does not know.
      if (i != 0 && y.bind != kStbLocal && y.bind != kStbGlobal && y.bind != kStbWeak && y.bind != 10)
        return fail(ErrorKind::Unsupported, at + c_.st_info, fmt("symbol %llu '%s': unknown binding %u", ull(i), y.name.c_str(), y.bind));
      y.section = section;
      if (section == kShnXindex) {
        uint32_t ext = 0;
        if (!shndx || i >= shndx->size / 4 || !in_.u32(shndx->offset + i * 4, ext))
          return fail(ErrorKind::Malformed, at + c_.st_shndx, fmt("symbol %llu: SHN_XINDEX without a SHT_SYMTAB_SHNDX entry", ull(i)));
        if (ext == 0 || ext >= headers_.size())
          return fail(ErrorKind::Malformed, at + c_.st_shndx, fmt("symbol %llu: extended section index %u is not a section", ull(i), ext));
        y.section = ext;
      } else if (section >= kShnLoreserve) {
        if (section != kShnAbs && section != kShnCommon)
          return fail(ErrorKind::Unsupported, at + c_.st_shndx, fmt("symbol %llu: reserved section index 0x%x", ull(i), section));
      } else if (section >= headers_.size()) {
        return fail(ErrorKind::Malformed, at + c_.st_shndx,
                    fmt("symbol %llu '%s': section index %u is not a section", ull(i), y.name.c_str(), section));
      }
      if (i == 0) continue;
      // gABI: a local symbol is defined in this object, or it is nothing.
      if (y.section == kShnUndef && y.bind == kStbLocal)
        return fail(ErrorKind::Malformed, at, fmt("symbol %llu '%s' is local but undefined", ull(i), y.name.c_str()));
      // psABI §5.2: _GLOBAL_OFFSET_TABLE_ stands for the GOT, which is not
      // thread-local; an STT_TLS reference to it contradicts that.
      if (y.type == kSttTls && y.section == kShnUndef && y.name == "_GLOBAL_OFFSET_TABLE_")
        return fail(ErrorKind::Malformed, at + c_.st_info, "_GLOBAL_OFFSET_TABLE_ (the GOT) is typed STT_TLS");
      // gABI: an STT_TLS symbol lives in an SHF_TLS section (not SHN_ABS,
      // not SHN_COMMON); an STT_SECTION symbol names a section.
      if (y.type == kSttTls && y.section != kShnUndef &&
          (y.section == kShnAbs || y.section == kShnCommon || !(headers_[y.section].flags & kShfTls)))
        return fail(ErrorKind::Malformed, at,
                    fmt("thread-local symbol '%s' is not defined in an SHF_TLS section", y.name.c_str()));
      if (y.type == kSttSection && (y.section == kShnUndef || y.section == kShnAbs || y.section == kShnCommon))
        return fail(ErrorKind::Malformed, at, fmt("section symbol %llu does not name a section", ull(i)));
      if (y.section == kShnCommon && (y.value == 0 || !power_of_two_or_zero(y.value) || y.value > kMaxAlign))
        return fail(ErrorKind::Malformed, at + c_.st_value,
                    fmt("common symbol '%s': alignment %llu is not a power of two up to 1 MiB", y.name.c_str(),
                        ull(y.value)));
      bool in_section = y.section != kShnUndef && y.section != kShnAbs && y.section != kShnCommon;
      // A thread-local symbol lives in a thread-local section, or its
      // value means nothing (gABI STT_TLS; psABI TLS supplement §2).
      if (y.type == kSttTls && y.section != kShnUndef && !(in_section && (headers_[y.section].flags & kShfTls)))
        return fail(ErrorKind::Malformed, at + c_.st_info,
                    fmt("symbol '%s' is STT_TLS but not in a SHF_TLS section", y.name.c_str()));
      if (in_section && headers_[y.section].loaded && y.type != kSttSection && y.value > headers_[y.section].size)
        return fail(ErrorKind::Malformed, at + c_.st_value,
                    fmt("symbol '%s': value 0x%llx lies past the end of section '%s' (0x%llx bytes)",
                        y.name.c_str(), ull(y.value), headers_[y.section].name.c_str(),
                        ull(headers_[y.section].size)));
    }
    // IFUNC symbols (STT_GNU_IFUNC) defined here: each is reached through
    // a stub of ours, in symbol table order (reference.h).
    for (uint64_t i = 1; i < count; i++) {
      const ElfSymbol& y = symbols_[i];
      bool in_section = y.section != kShnUndef && y.section != kShnAbs && y.section != kShnCommon;
      if (y.type != kSttGnuIfunc || !in_section || !headers_[y.section].loaded) continue;
      // Its value is the resolver's address, and a thread-local section
      // has none (only thread-pointer offsets).
      if (headers_[y.section].flags & kShfTls)
        return fail(ErrorKind::Malformed, y.file_offset,
                    fmt("IFUNC symbol '%s' is defined in the thread-local section '%s'", y.name.c_str(),
                        headers_[y.section].name.c_str()));
      // Its resolver is called, so it lies in code (SHF_EXECINSTR).
      if (!(headers_[y.section].flags & kShfExecinstr))
        return fail(ErrorKind::Malformed, y.file_offset,
                    fmt("IFUNC symbol '%s' is defined in '%s', a section that is not code", y.name.c_str(),
                        headers_[y.section].name.c_str()));
      // RISC-V: no IFUNC stubs are defined (reference.h "RISC-V").
      if (arch_->machine == riscv::kMachine)
        return fail(ErrorKind::Unsupported, y.file_offset,
                    fmt("IFUNC symbol '%s': RISC-V has no IFUNC support here", y.name.c_str()));
      // LoongArch: none either (reference.h "LoongArch").
      if (arch_->machine == loongarch::kMachine)
        return fail(ErrorKind::Unsupported, y.file_offset,
                    fmt("IFUNC symbol '%s': LoongArch has no IFUNC support here", y.name.c_str()));
      ifuncs_.push_back(uint32_t(i));
    }
    // Common symbols, in symbol table order (reference.h). The commons of
    // one name (a definition the set holds) are one block, as ld and lld
    // merge them: the largest size, the strictest alignment, at the first
    // one's place; the others share it.
    std::unordered_map<std::string, uint32_t> first_of_name;
    std::vector<uint32_t> owner(count, 0);
    std::vector<std::pair<uint64_t, uint64_t>> block(count);  // size, alignment: the first of a name's
    for (uint32_t i = 1; i < count; i++) {
      const ElfSymbol& y = symbols_[i];
      if (y.section != kShnCommon) continue;
      owner[i] = is_definition(i) ? first_of_name.try_emplace(y.name, i).first->second : i;
      auto& [size, align] = block[owner[i]];
      size = std::max(size, y.size);
      align = std::max(align, y.value);
    }
    for (uint32_t i = 1; i < count; i++) {
      ElfSymbol& y = symbols_[i];
      if (y.section != kShnCommon) continue;
      has_common_ = true;
      if (owner[i] != i) {
        y.common_offset = symbols_[owner[i]].common_offset;
        continue;
      }
      auto [size, align] = block[i];
      common_size_ = align_up(common_size_, align);
      y.common_offset = common_size_;
      if (size > kMaxTotal || common_size_ + size > kMaxTotal || total_ + common_size_ + size > kMaxTotal)
        return fail(ErrorKind::Limit, y.file_offset + 16, "common symbols exceed the reference's limit of 256 MiB");
      common_size_ += size;
      if (align > common_align_) common_align_ = align;
    }
    return true;
  }

  // ---- 4. relocations ---------------------------------------------------
  bool read_relocations() {
    for (uint64_t i = 1; i < headers_.size(); i++) {
      const SectionHeader& rs = headers_[i];
      if (rs.type == kShtRel && !arch_->rel && rs.info < headers_.size() && headers_[rs.info].loaded)
        return fail(ErrorKind::Unsupported, rs.header_offset + 4,
                    fmt("section '%s': SHT_REL relocations are not used on %s", rs.name.c_str(), arch_->name));
      if (rs.type != kShtRela && rs.type != kShtRel) continue;
      bool rela = rs.type == kShtRela;
      if (rela && !arch_->rela && rs.info < headers_.size() && headers_[rs.info].loaded)
        return fail(ErrorKind::Unsupported, rs.header_offset + 4,
                    fmt("section '%s': SHT_RELA relocations are not used on %s", rs.name.c_str(), arch_->name));
      // SHT_REL on an architecture that takes it: the addend is implicit in
      // the field, which only the architecture's scan can decode; none of
      // the registered architectures takes SHT_REL (refused above).
      if (rs.info == 0 || rs.info >= headers_.size())
        return fail(ErrorKind::Malformed, rs.header_offset + c_.sh_info,
                    fmt("relocation section '%s': sh_info %u is not a section", rs.name.c_str(), rs.info));
      if (!headers_[rs.info].loaded) continue;  // relocates what is not loaded (debug info)
      const uint64_t entry = rela ? c_.rela_size : c_.rel_size;
      if (rs.entsize != entry || rs.size % entry)
        return fail(ErrorKind::Malformed, rs.header_offset + c_.sh_entsize,
                    fmt("relocation section '%s': entry size is not %llu or size not a multiple of it", rs.name.c_str(),
                        ull(entry)));
      uint64_t count = rs.size / entry;
      if (count && (symtab_ == 0 || rs.link != symtab_))
        return fail(ErrorKind::Malformed, rs.header_offset + c_.sh_link,
                    fmt("relocation section '%s': sh_link %u is not the symbol table", rs.name.c_str(), rs.link));
      relas_.reserve(relas_.size() + std::min<uint64_t>(count, bytes_.size() / entry));  // one allocation, not growth steps
      for (uint64_t j = 0; j < count; j++) {
        RelaEntry r;
        uint64_t at = rs.offset + j * entry;
        uint64_t info = 0, addend = 0;
        word(at, r.offset);
        word(at + c_.r_info, info);
        if (rela) word(at + c_.r_addend, addend);
        r.file_offset = at;
        r.rela_section = uint32_t(i);
        r.section = rs.info;
        // gABI "Relocation": ELF64_R_SYM/TYPE split 32:32, ELF32_R_SYM/TYPE 24:8.
        r.type = uint32_t(info & c_.r_type_mask);
        r.symbol = uint32_t(info >> c_.r_sym_shift);
        // An ELF32 addend is a signed 32-bit word.
        r.addend = c_.word == 4 ? int64_t(int32_t(uint32_t(addend))) : int64_t(addend);
        if (r.symbol >= symbols_.size() && r.symbol != 0)
          return fail(ErrorKind::Malformed, at + c_.r_info,
                      fmt("relocation at file offset 0x%llx: symbol index %u is out of range (%zu symbols)",
                          ull(at), r.symbol, symbols_.size()));
        relas_.push_back(r);
      }
    }
    return true;
  }

  // ---- 5. placement -----------------------------------------------------
 public:
  // The explicit address for `name` / section `index`, if the scenario has
  // one: "@K:name" / "@K:#N" for this object (K its input position) before
  // a plain "name" / "#N" (reference.h, "Placement").
  bool explicit_address(const std::string& name, uint64_t index, uint64_t& out) const {
    std::string by_index = "#" + std::to_string(index);
    for (int pass = 0; pass < 2; pass++)
      for (const auto& [key, address] : scenario_.section_addresses) {
        std::string k;
        if (!key_for_this_object(key, pass == 0, k)) continue;
        if (k == name || (index != 0 && k == by_index)) {
          out = address;
          return true;
        }
      }
    return false;
  }

  // Place the sections and the common block at `cursor` (which moves);
  // the TLS block is the Program's. Also gives each section its bytes.
  bool place(uint64_t& cursor) {
    // A name mapped explicitly must name one loaded section, not several.
    for (const auto& entry : scenario_.section_addresses) {
      std::string key;
      if (!key_for_this_object(entry.first, true, key) && !key_for_this_object(entry.first, false, key)) continue;
      if (key.empty() || key[0] == '#' || key[0] == '<') continue;
      int matches = 0;
      for (const SectionHeader& h : headers_)
        if (h.loaded && !h.tls && h.name == key) matches++;
      if (matches > 1)
        return fail(ErrorKind::Argument, kNoOffset,
                    fmt("the scenario maps '%s', but %d sections have that name", entry.first.c_str(), matches));
    }
    for (uint64_t i = 1; i < headers_.size(); i++) {
      SectionHeader& h = headers_[i];
      if (!h.loaded || h.tls) continue;
      uint64_t address = 0;
      if (explicit_address(h.name, i, address)) {
        h.address = address;
        continue;
      }
      if (!h.alloc) {
        h.address = 0;  // not part of the image: not placed
        continue;
      }
      h.address = align_up(cursor, h.addralign);
      cursor = h.address + h.size + scenario_.section_sep;
    }
    if (has_common_) {
      if (!explicit_address("<common symbols>", 0, common_address_)) {
        common_address_ = align_up(cursor, common_align_);
        cursor = common_address_ + common_size_ + scenario_.section_sep;
      }
    }
    // Contents: the file's bytes, or zeros.
    for (SectionHeader& h : headers_) {
      if (!h.loaded) continue;
      if (h.type == kShtNobits) h.bytes.assign(h.size, 0);
      else h.bytes.assign(bytes_.begin() + h.offset, bytes_.begin() + h.offset + h.size);
    }
    return true;
  }

 private:
  // Does scenario key `key` apply to this object? With `own`, only the
  // "@K:" form for this object's K; without, only the plain form. `out`:
  // the key without its "@K:".
  bool key_for_this_object(const std::string& key, bool own, std::string& out) const {
    size_t k = 0, colon = 0;
    if (!object_key(key, k, colon)) {
      if (own) return false;
      out = key;
      return true;
    }
    if (!own || k != position_) return false;
    out = key.substr(colon + 1);
    return true;
  }

 public:

  // ---- 6. scan ----------------------------------------------------------
  // One slot (stub) per symbol, numbered in order of first use. Found
  // through an index, not by walking the list: an object with n GOT or
  // call relocations to n names would otherwise cost n^2 (a hostile input
  // need only be large).
  int got_slot_for(uint32_t symbol, bool tp_offset) {
    auto [it, fresh] = got_index_.try_emplace(uint64_t(symbol) << 1 | uint64_t(tp_offset), int(got_.size()));
    if (fresh) got_.push_back(GotSlot{symbol, tp_offset});
    return it->second;
  }

  int stub_for(uint32_t symbol) {
    auto [it, fresh] = stub_index_.try_emplace(symbol, int(stubs_.size()));
    if (fresh) stubs_.push_back(symbol);
    return it->second;
  }

  bool symbol_is_tls(uint32_t index) const {
    if (index == 0) return false;
    const ElfSymbol& y = symbols_[index];
    if (y.type == kSttTls) return true;
    bool in_section = y.section != kShnUndef && y.section != kShnAbs && y.section != kShnCommon;
    return in_section && headers_[y.section].tls;
  }

  // Does `seq` sit around r's field? Compared against the file's bytes.
  bool sequence_matches(const RelaEntry& r, const x86_64::TlsSequence& seq, size_t position) const {
    const SectionHeader& h = headers_[r.section];
    if (r.offset < seq.field_at) return false;
    uint64_t start = r.offset - seq.field_at;
    if (start > h.size || seq.expect.size() > h.size - start) return false;
    for (size_t i = 0; i < seq.expect.size(); i++)
      if (!seq.skip[i] && bytes_[h.offset + start + i] != seq.expect[i]) return false;
    if (seq.call_at < 0) return true;
    // The call to __tls_get_addr: the next entry of the same table, at its
    // place in the sequence, of a type that fits the call's form.
    if (position + 1 >= relas_.size()) return false;
    const RelaEntry& call = relas_[position + 1];
    if (call.rela_section != r.rela_section) return false;
    if (call.offset != start + uint64_t(seq.call_at)) return false;
    bool type_ok = false;
    for (uint32_t t : seq.call_types)
      if (call.type == t) type_ok = true;
    if (!type_ok) return false;
    return call.symbol != 0 && symbols_[call.symbol].name == "__tls_get_addr";
  }

  // One scan per architecture, chosen by the registry's machine.
  bool scan() {
    if (arch_->machine == riscv::kMachine) riscv_prepass();
    if (arch_->machine == loongarch::kMachine) loongarch_prepass();
    for (size_t k = 0; k < relas_.size(); k++) {
      RelaEntry& r = relas_[k];
      if (r.consumed) continue;
      bool ok = false;
      switch (arch_->machine) {
        case x86_64::kMachine: ok = scan_x86_64(r, k); break;
        case aarch64::kMachine: ok = scan_aarch64(r, k); break;
        case riscv::kMachine: ok = scan_riscv(r, k); break;
        case loongarch::kMachine: ok = scan_loongarch(r, k); break;
        default:  // a registry line without its scan: the reference's own bug, reported as unsupported
          return fail(ErrorKind::Unsupported, r.file_offset, where(r) + ": no scan for this machine");
      }
      if (!ok) return false;
    }
    return no_overlapping_fields();
  }

  // The checks every architecture's scan makes of a relocation's field
  // (reference.h): its `width` bytes lie inside the section; a ULEB128
  // field (`uleb`) has contents and ends inside it within 10 bytes, its
  // length recorded.
  bool field_inside(RelaEntry& r, const SectionHeader& h, unsigned width, bool uleb) {
    if (!uleb) {
      if (r.offset > h.size || width > h.size - r.offset)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": its %u-byte field lies outside the section (0x%llx bytes)", width, ull(h.size)));
      return true;
    }
    if (r.offset >= h.size)
      return fail(ErrorKind::Malformed, r.file_offset,
                  where(r) + fmt(": its ULEB128 field lies outside the section (0x%llx bytes)", ull(h.size)));
    if (h.type == kShtNobits)
      return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
    r.uleb_length = elf::uleb_length(h.bytes, r.offset);
    if (!r.uleb_length)
      return fail(ErrorKind::Malformed, r.file_offset,
                  where(r) + ": the ULEB128 in place does not end within 10 bytes inside the section");
    return true;
  }

  // ... and of its symbol: not a local undefined one, and in a loaded
  // section when in a section.
  bool symbol_usable(const RelaEntry& r) {
    if (!r.symbol) return true;
    const ElfSymbol& y = symbols_[r.symbol];
    if (y.section == kShnUndef && y.bind == kStbLocal)
      return fail(ErrorKind::Malformed, r.file_offset, where(r) + fmt(": symbol %u is local and undefined", r.symbol));
    bool in_section = y.section != kShnUndef && y.section != kShnAbs && y.section != kShnCommon;
    if (in_section && !headers_[y.section].loaded)
      return fail(ErrorKind::Unsupported, r.file_offset,
                  where(r) + fmt(": refers to '%s' in section '%s', which is not loaded (not SHF_ALLOC)",
                                 symbol_name(r.symbol).c_str(), headers_[y.section].name.c_str()));
    return true;
  }

  // A GOT form: one slot per symbol, so the addend must be 0; a TLS one
  // (`tp`) names a thread-local symbol. Then its slot.
  bool take_got_slot(RelaEntry& r, bool tp) {
    if (r.addend != 0)
      return fail(ErrorKind::Unsupported, r.file_offset,
                  where(r) + fmt(": addend %lld is not 0; the GOT has one slot per symbol", (long long)r.addend));
    if (tp && r.symbol && !symbol_is_tls(r.symbol))
      return fail(ErrorKind::Unsupported, r.file_offset,
                  where(r) + fmt(": '%s' is not thread-local", symbol_name(r.symbol).c_str()));
    r.got_slot = got_slot_for(r.symbol, tp);
    return true;
  }

  // A ULEB128 pair (RISC-V SET/SUB_ULEB128, LoongArch ADD/SUB_ULEB128):
  // the first immediately followed, in the same table and at the same
  // place, by the second. `r` (entry k) is the first when `first`.
  bool pair_uleb(RelaEntry& r, size_t k, bool first, uint32_t first_type, uint32_t second_type,
                 const char* first_name, const char* second_name) {
    size_t j = first ? k + 1 : k - 1;
    bool paired = (first ? k + 1 < relas_.size() : k > 0) && relas_[j].rela_section == r.rela_section &&
                  relas_[j].offset == r.offset && relas_[j].type == (first ? second_type : first_type);
    if (!paired)
      return fail(ErrorKind::Malformed, r.file_offset,
                  where(r) + (first ? fmt(": is not immediately followed by an %s at the same offset", second_name)
                                    : fmt(": does not immediately follow an %s at the same offset", first_name)));
    r.pair = int(j);
    return true;
  }

  // x86-64's scan (reference.h, "GOT", "Stubs", "TLS").
  bool scan_x86_64(RelaEntry& r, size_t k) {
    {
      const SectionHeader& h = headers_[r.section];
      r.row = x86_64::find_row(r.type);
      if (!r.row)
        return fail(ErrorKind::Unsupported, r.file_offset, where(r) + " is not supported by the reference loader");
      if (!field_inside(r, h, r.row->width, false) || !symbol_usable(r)) return false;
      // A call may need a stub when its target is not in this object:
      // undefined here, or a definition of this object that the set
      // binds elsewhere (L5).
      bool external = r.symbol != 0 && (symbols_[r.symbol].section == kShnUndef || bound_elsewhere(r.symbol) ||
                                        preemptible_definition(r.symbol));
      switch (r.row->formula) {
        case x86_64::Formula::TlsGd:
        case x86_64::Formula::TlsLd: {
          if (h.type == kShtNobits)
            return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
          const auto& seqs = r.row->formula == x86_64::Formula::TlsGd ? x86_64::general_dynamic_sequences()
                                                                      : x86_64::local_dynamic_sequences();
          for (const x86_64::TlsSequence& seq : seqs)
            if (sequence_matches(r, seq, k)) {
              r.sequence = &seq;
              r.sequence_start = r.offset - seq.field_at;
              break;
            }
          if (!r.sequence)
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + ": is not part of a recognised TLS code sequence calling __tls_get_addr");
          if (r.row->formula == x86_64::Formula::TlsGd && r.addend != -4)
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + fmt(": addend %lld is not -4; the rewrite to local exec is defined for the "
                                       "compiler's sequence only", (long long)r.addend));
          relas_[k + 1].consumed = true;
          if (r.row->formula == x86_64::Formula::TlsGd && r.symbol && !symbol_is_tls(r.symbol))
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + fmt(": '%s' is not thread-local", symbol_name(r.symbol).c_str()));
          break;
        }
        case x86_64::Formula::GotTpOff:
          if (r.symbol && !symbol_is_tls(r.symbol))
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + fmt(": '%s' is not thread-local", symbol_name(r.symbol).c_str()));
          if (h.type != kShtNobits)
            for (const x86_64::TlsSequence& seq : x86_64::initial_exec_sequences())
              if (sequence_matches(r, seq, k)) {
                r.sequence = &seq;
                r.sequence_start = r.offset - seq.field_at;
                break;
              }
          if (r.sequence && r.addend != -4)
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + fmt(": addend %lld is not -4; the rewrite to local exec is defined for the "
                                       "compiler's sequence only", (long long)r.addend));
          if (!r.sequence) r.got_slot = got_slot_for(r.symbol, true);
          break;
        case x86_64::Formula::G_GOT_A_P:
        case x86_64::Formula::G_A:
          r.got_slot = got_slot_for(r.symbol, false);
          break;
        case x86_64::Formula::L_A_P:
          if (external) r.stub = stub_for(r.symbol);
          break;
        case x86_64::Formula::L_GOT_A:
          r.stub = stub_for(r.symbol);
          break;
        default:
          break;
      }
    }
    return true;
  }

  // AArch64's scan (reference.h, "AArch64"): which GOT slots and stubs
  // each relocation needs, and the TLSGD pairing. Checks: the type has a
  // row; its field lies inside the section; its symbol is not a local
  // undefined one and lies in a loaded section; GOT forms have addend 0;
  // a TLSGD_ADR_PAGE21 is followed, in the same table, by a
  // TLSGD_ADD_LO12_NC at the next word (which follows no other entry), and
  // that by a CALL26 to __tls_get_addr at the next word (which it consumes).
  bool scan_aarch64(RelaEntry& r, size_t k) {
    using aarch64::Formula;
    const SectionHeader& h = headers_[r.section];
    r.a64 = aarch64::find_row(r.type);
    if (!r.a64)
      return fail(ErrorKind::Unsupported, r.file_offset, where(r) + " is not supported by the reference loader");
    if (!field_inside(r, h, aarch64::field_size(*r.a64), false)) return false;
    // A NOBITS section is zero-filled memory, relocated as any other (as on
    // x86-64); only a TLS rewrite, which must read the instructions it
    // replaces, needs contents from the file.
    if (r.a64->enc == aarch64::Enc::Rewrite && h.type == kShtNobits)
      return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
    if (!symbol_usable(r)) return false;
    // As on x86-64: undefined here, bound elsewhere (L5), or a preemptible
    // definition of this object (preemptible_definition()).
    bool external = r.symbol != 0 && (symbols_[r.symbol].section == kShnUndef || bound_elsewhere(r.symbol) ||
                                      preemptible_definition(r.symbol));
    switch (r.a64->formula) {
      case Formula::G_P: case Formula::Page_G_P: case Formula::G: case Formula::G_PageGOT:
      case Formula::Page_GTP_P: case Formula::GTP: case Formula::GTP_P: {
        if (!take_got_slot(r, r.a64->tls)) return false;
        break;
      }
      case Formula::Call:
        if (external) r.stub = stub_for(r.symbol);
        break;
      // Local dynamic, the traditional call: adrp x0 (TLSLD_ADR_PAGE21),
      // add x0, x0 (TLSLD_ADD_LO12_NC, at +4), bl __tls_get_addr (CALL26
      // or JUMP26, at +8), each the next entry of the same table; the
      // three instructions become mrs x0, tpidr_el0; nop; nop and the two
      // following entries are consumed. Anything else is refused here.
      case Formula::TlsLdPage: {
        auto next_is = [&](size_t j, uint64_t at, auto pred) {
          return j < relas_.size() && relas_[j].rela_section == r.rela_section && relas_[j].offset == at &&
                 pred(relas_[j]);
        };
        bool paired =
            next_is(k + 1, r.offset + 4, [](const RelaEntry& e) { return e.type == 519; }) &&
            next_is(k + 2, r.offset + 8, [&](const RelaEntry& e) {
              return (e.type == 283 || e.type == 282) && e.symbol != 0 && symbols_[e.symbol].name == "__tls_get_addr";
            }) &&
            r.offset <= h.bytes.size() && h.bytes.size() - r.offset >= 12 &&
            aarch64::is_local_dynamic_call(uint32_t(load_le(h.bytes, r.offset, 4)),
                                           uint32_t(load_le(h.bytes, r.offset + 4, 4)),
                                           uint32_t(load_le(h.bytes, r.offset + 8, 4)));
        if (!paired)
          return fail(ErrorKind::Unsupported, r.file_offset,
                      where(r) + ": is not adrp x0 followed by its TLSLD_ADD_LO12_NC (add x0, x0) and a bl to "
                                 "__tls_get_addr; the rewrite to local exec is defined for that sequence only");
        relas_[k + 1].consumed = true;
        relas_[k + 2].consumed = true;
        break;
      }
      case Formula::TlsLdAdd:  // reached only when no TLSLD_ADR_PAGE21 consumed it
        return fail(ErrorKind::Unsupported, r.file_offset,
                    where(r) + ": does not follow a TLSLD_ADR_PAGE21 four bytes before it; the rewrite to local "
                               "exec is defined for the adrp/add/bl __tls_get_addr sequence only");
      // General dynamic, the traditional call: the adrp's entry must be
      // followed by its TLSGD_ADD_LO12_NC on the next word (whose own
      // check, below, wants the call after it): alone, its rewrite to
      // mrs x0 would leave whatever follows computing from the thread
      // pointer.
      case Formula::TlsGdPage: {
        bool paired = k + 1 < relas_.size() && relas_[k + 1].rela_section == r.rela_section &&
                      relas_[k + 1].offset == r.offset + 4 && relas_[k + 1].type == 514 /* TLSGD_ADD_LO12_NC */;
        if (!paired)
          return fail(ErrorKind::Unsupported, r.file_offset,
                      where(r) + ": is not followed by its TLSGD_ADD_LO12_NC at the next instruction; the rewrite "
                                 "to local exec is defined for the adrp/add/bl __tls_get_addr sequence only");
        break;
      }
      case Formula::TlsGdAdd: {
        bool after_page = k > 0 && relas_[k - 1].rela_section == r.rela_section &&
                          relas_[k - 1].offset + 4 == r.offset && relas_[k - 1].type == 513 /* TLSGD_ADR_PAGE21 */;
        if (!after_page)
          return fail(ErrorKind::Unsupported, r.file_offset,
                      where(r) + ": does not follow its TLSGD_ADR_PAGE21 at the previous instruction; the rewrite "
                                 "to local exec is defined for the adrp/add/bl __tls_get_addr sequence only");
        bool paired = k + 1 < relas_.size() && relas_[k + 1].rela_section == r.rela_section &&
                      relas_[k + 1].offset == r.offset + 4 && relas_[k + 1].type == 283 /* R_AARCH64_CALL26 */ &&
                      relas_[k + 1].symbol != 0 && symbols_[relas_[k + 1].symbol].name == "__tls_get_addr";
        if (!paired)
          return fail(ErrorKind::Unsupported, r.file_offset,
                      where(r) + ": is not followed by a call to __tls_get_addr at the next instruction; the "
                                 "rewrite to local exec is defined for the compiler's sequence only");
        relas_[k + 1].consumed = true;
        break;
      }
      default:
        break;
    }
    return true;
  }

  // RISC-V (reference.h, "RISC-V"). Before the scan: where each high part
  // sits (section, offset), for the label forms to find theirs.
  void riscv_prepass() {
    riscv_highs_.clear();
    for (size_t k = 0; k < relas_.size(); k++) {
      const RelaEntry& r = relas_[k];
      if (riscv::is_pcrel_high(r.type) || r.type == riscv::kTlsDescHi20)
        riscv_highs_.emplace(std::make_pair(r.section, r.offset), k);  // the first at a place stays
    }
  }

  // RISC-V's scan. Checks: the type has a row; its field lies inside the
  // section (a ULEB128 ends inside it, at most 10 bytes); a rewrite has
  // contents to read; its symbol is not a local undefined one and lies in
  // a loaded section; GOT_HI20 and TLS_GOT_HI20 have addend 0; a label
  // form (PCREL_LO12_I/S, TLSDESC_LOAD_LO12/ADD_LO12/CALL) has addend 0
  // and a symbol defined in this object at the place of a high part of
  // its kind (PCREL_HI20, GOT_HI20, TLS_GOT_HI20, TLS_GD_HI20 — this one
  // for PCREL_LO12_I only —, or TLSDESC_HI20); a SET_ULEB128 is followed
  // by its SUB_ULEB128 at the same place and a SUB_ULEB128 follows one.
  bool scan_riscv(RelaEntry& r, size_t k) {
    using riscv::Formula;
    const SectionHeader& h = headers_[r.section];
    r.rv = riscv::find_row(r.type);
    if (!r.rv)
      return fail(ErrorKind::Unsupported, r.file_offset, where(r) + " is not supported by the reference loader");
    if (!field_inside(r, h, riscv::field_size(*r.rv, c_.word * 8), r.rv->enc == riscv::Enc::Uleb)) return false;
    if (r.rv->enc == riscv::Enc::Rewrite && h.type == kShtNobits)
      return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
    // ALIGN's addend is the size of the nop padding at its place
    // (psABI "Relocation for Alignment"), which stays: it must lie inside
    // the section (reference.h).
    if (r.type == riscv::kAlign) {
      if (r.addend < 0)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": its padding size %lld is negative", (long long)r.addend));
      if (uint64_t(r.addend) > h.size - r.offset)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": its 0x%llx bytes of padding lie outside the section (0x%llx bytes)",
                                   ull(uint64_t(r.addend)), ull(h.size)));
    }
    if (!symbol_usable(r)) return false;
    bool external = r.symbol != 0 && (symbols_[r.symbol].section == kShnUndef || bound_elsewhere(r.symbol));
    if (r.rv->label) {
      // psABI table: "the addend must be 0"; the label is the high part's
      // own instruction, so it is this object's (never preempted).
      if (r.addend != 0)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": addend %lld is not 0 (the psABI requires 0: the symbol names the high part)",
                                   (long long)r.addend));
      const ElfSymbol* y = r.symbol ? &symbols_[r.symbol] : nullptr;
      bool in_section = y && y->section != kShnUndef && y->section != kShnAbs && y->section != kShnCommon;
      if (!in_section)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + ": its symbol is not a label in a section of this object (it must name the "
                               "instruction carrying the high part)");
      // The auipc and the instruction using its register are one piece of
      // code: the label must be in the low part's own section (reference.h).
      if (y->section != r.section)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": its label '%s' is in section '%s', not in the low part's own section",
                                   symbol_name(r.symbol).c_str(), headers_[y->section].name.c_str()));
      // A section symbol's place is its section's start, as its S is
      // (st_value is not read for one: value_of).
      const uint64_t label_at = y->type == kSttSection ? 0 : y->value;
      auto it = riscv_highs_.find({y->section, label_at});
      bool desc = r.rv->formula != Formula::PairLo;
      bool ok = it != riscv_highs_.end();
      if (ok) {
        uint32_t t = relas_[it->second].type;
        ok = desc ? t == riscv::kTlsDescHi20 : riscv::is_pcrel_high(t);
        if (ok && t == riscv::kTlsGdHi20 && r.type != riscv::kPcrelLo12I) ok = false;
      }
      if (!ok)
        return fail(ErrorKind::Malformed, r.file_offset,
                    where(r) + fmt(": its label '%s' (%s+0x%llx) carries no %s relocation", symbol_name(r.symbol).c_str(),
                                   headers_[y->section].name.c_str(), ull(label_at),
                                   desc ? "R_RISCV_TLSDESC_HI20"
                                        : "PCREL_HI20, GOT_HI20, TLS_GOT_HI20 or (for LO12_I) TLS_GD_HI20"));
      r.pair = int(it->second);
      return true;
    }
    switch (r.rv->formula) {
      case Formula::G_P: case Formula::GTP_P: {
        if (!take_got_slot(r, r.rv->formula == Formula::GTP_P)) return false;
        break;
      }
      case Formula::G_A_P:
        r.got_slot = got_slot_for(r.symbol, false);
        break;
      case Formula::Call:
        // The call of a general-dynamic sequence: there is no
        // __tls_get_addr in the static model, so a call to that name left
        // undefined here is rewritten (reference.h), whether or not this
        // object's GD high part is still recognisable.
        if (r.symbol && symbols_[r.symbol].name == "__tls_get_addr" && symbols_[r.symbol].section == kShnUndef) {
          if (h.type == kShtNobits)
            return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
          r.tls_gd_call = true;
        } else if (external) {
          r.stub = stub_for(r.symbol);
        }
        break;
      case Formula::SetUleb: case Formula::SubUleb:
        if (!pair_uleb(r, k, r.rv->formula == Formula::SetUleb, riscv::kSetUleb128, riscv::kSubUleb128,
                       "R_RISCV_SET_ULEB128", "R_RISCV_SUB_ULEB128"))
          return false;
        break;
      default:
        break;
    }
    return true;
  }


  // LoongArch (reference.h, "LoongArch"). Before the scan: the types at
  // each place, so that a high part finds the LO20 8 bytes on that makes
  // it an extreme-model sequence.
  void loongarch_prepass() {
    loongarch_types_.clear();
    for (const RelaEntry& r : relas_) loongarch_types_.insert({r.section, r.offset, r.type});
  }

  // LoongArch's scan. Checks: the type has a row (a GOT_PC_LO12 of a
  // thread-local symbol is general dynamic's low part; the extreme
  // model's GOT64_PC_LO20/HI12 of one have no rewrite: refused); its field
  // lies inside the section (a ULEB128 ends inside it, at most 10 bytes);
  // a rewrite has contents; its symbol is not a local undefined one and
  // lies in a loaded section; a TLS row's symbol is thread-local; the GOT
  // rows have addend 0; a call to an undefined __tls_get_addr is on bl (or
  // pcaddu18i; jirl $ra/$zero); an ADD_ULEB128 is immediately followed by
  // its SUB_ULEB128 at the same place and a SUB_ULEB128 follows one.
  bool scan_loongarch(RelaEntry& r, size_t k) {
    using loongarch::Formula;
    using loongarch::Enc;
    const SectionHeader& h = headers_[r.section];
    r.la = loongarch::find_row(r.type);
    if (!r.la)
      return fail(ErrorKind::Unsupported, r.file_offset, where(r) + " is not supported by the reference loader");
    if (r.symbol && symbol_is_tls(r.symbol)) {
      if (r.type == loongarch::kGotPcLo12) r.la = &loongarch_gd_low_;
      if (r.type == loongarch::kGot64PcLo20 || r.type == loongarch::kGot64PcHi12)
        return fail(ErrorKind::Unsupported, r.file_offset,
                    where(r) + ": general- or local-dynamic TLS of the extreme code model has no local-exec rewrite "
                               "in the reference loader");
    }
    if (!field_inside(r, h, loongarch::field_size(*r.la), r.la->enc == Enc::Uleb)) return false;
    if (r.la->enc == Enc::Uleb) r.uleb_in_place = elf::uleb_value(h.bytes, r.offset, r.uleb_length);
    if ((r.la->enc == Enc::Rewrite || r.la->composes) && h.type == kShtNobits)
      return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
    if (!symbol_usable(r)) return false;
    if (r.symbol) {
      if (r.la->tls && r.la->formula != Formula::None && !symbol_is_tls(r.symbol))
        return fail(ErrorKind::Unsupported, r.file_offset,
                    where(r) + fmt(": '%s' is not thread-local", symbol_name(r.symbol).c_str()));
    }
    if (r.la->wide) r.la_wide = loongarch_types_.count({r.section, r.offset + 8, r.la->wide}) != 0;
    // A stub for a call to a name bound at resolution: undefined here, bound
    // elsewhere, or a preemptible definition of this object (as AArch64's
    // CALL26: reference.h).
    bool external = r.symbol != 0 && (symbols_[r.symbol].section == kShnUndef || bound_elsewhere(r.symbol) ||
                                      preemptible_definition(r.symbol));
    switch (r.la->formula) {
      case Formula::Got: case Formula::TpGot: {
        if (!take_got_slot(r, r.la->formula == Formula::TpGot)) return false;
        break;
      }
      case Formula::Call:
        if (r.symbol && symbols_[r.symbol].section == kShnUndef && symbols_[r.symbol].name == "__tls_get_addr") {
          if (h.type == kShtNobits)
            return fail(ErrorKind::Malformed, r.file_offset, where(r) + ": patches a section without contents");
          uint32_t i = uint32_t(load_le(h.bytes, r.offset, 4));
          bool ok = r.type == loongarch::kB26 ? (i >> 26) == 0x15 : false;
          if (r.type == loongarch::kCall36) {
            uint32_t j = uint32_t(load_le(h.bytes, r.offset + 4, 4));
            ok = (i >> 25) == 0x0f && (j >> 26) == 0x13 && ((j & 31) == 1 || (j & 31) == 0);
          }
          if (!ok)
            return fail(ErrorKind::Unsupported, r.file_offset,
                        where(r) + ": a call to __tls_get_addr that is not bl (or pcaddu18i; jirl $ra/$zero): no "
                                   "local-exec rewrite is defined for it");
          r.tls_gd_call = true;
        } else if (external) {
          r.stub = stub_for(r.symbol);
        }
        break;
      case Formula::AddUleb: case Formula::SubUleb:
        if (!pair_uleb(r, k, r.la->formula == Formula::AddUleb, loongarch::kAddUleb128, loongarch::kSubUleb128,
                       "R_LARCH_ADD_ULEB128", "R_LARCH_SUB_ULEB128"))
          return false;
        break;
      default:
        break;
    }
    return true;
  }

  // Two relocations writing the same byte would make the result depend on
  // the order of application, which the psABI does not fix: refused. A
  // rewritten TLS sequence counts as one field covering all of it.
  bool no_overlapping_fields() {
    struct Range {
      uint32_t section;
      uint64_t from, to;
      size_t entry;
      bool composes = false;  // RISC-V ADD/SUB/SET: read-modify-write, in table order
    };
    std::vector<Range> ranges;
    for (size_t k = 0; k < relas_.size(); k++) {
      const RelaEntry& r = relas_[k];
      if (r.consumed || (!r.row && !r.a64 && !r.rv && !r.la)) continue;
      if (r.la) {
        // A SUB_ULEB128 shares its ADD_ULEB128's field (one pair).
        if (r.la->formula == loongarch::Formula::SubUleb) continue;
        unsigned width = r.la->enc == loongarch::Enc::Uleb ? r.uleb_length : loongarch::field_size(*r.la);
        if (width) ranges.push_back({r.section, r.offset, r.offset + width, k, r.la->composes});
        continue;
      }
      if (r.rv) {
        // A SUB_ULEB128 shares its SET_ULEB128's field (one pair, one write).
        if (r.rv->formula == riscv::Formula::SubUleb) continue;
        unsigned width = r.rv->enc == riscv::Enc::Uleb ? r.uleb_length : riscv::field_size(*r.rv, c_.word * 8);
        if (width) ranges.push_back({r.section, r.offset, r.offset + width, k, r.rv->composes});
        continue;
      }
      if (r.a64) {
        if (aarch64::field_size(*r.a64)) ranges.push_back({r.section, r.offset, r.offset + aarch64::field_size(*r.a64), k});
        continue;
      }
      if (r.sequence) ranges.push_back({r.section, r.sequence_start, r.sequence_start + r.sequence->expect.size(), k});
      else if (r.row->width) ranges.push_back({r.section, r.offset, r.offset + r.row->width, k});
    }
    auto before = [](const Range& a, const Range& b) {
      return a.section != b.section ? a.section < b.section : a.from < b.from;
    };
    // Tables list their entries in offset order, so the ranges are nearly
    // always strictly increasing already: then that is the one sorted order
    // and sorting would change nothing (a speed-up only; with equal starts
    // the sort runs as before).
    bool strictly_increasing = true;
    for (size_t i = 1; i < ranges.size() && strictly_increasing; i++)
      strictly_increasing = before(ranges[i - 1], ranges[i]);
    if (!strictly_increasing) std::sort(ranges.begin(), ranges.end(), before);
    for (size_t i = 1; i < ranges.size(); i++) {
      const Range& a = ranges[i - 1];
      const Range& b = ranges[i];
      if (a.section != b.section || b.from >= a.to) continue;
      // Label arithmetic on one field (ADD32 then SUB32, SET6 then SUB6):
      // each reads what the one before wrote, in its table's order, whatever
      // lies between them there; two tables of one section fix no order
      // between them (reference.h "RISC-V").
      if (a.composes && b.composes && a.from == b.from && a.to == b.to &&
          relas_[a.entry].rela_section == relas_[b.entry].rela_section)
        continue;
      const RelaEntry& later = relas_[std::max(a.entry, b.entry)];
      const RelaEntry& other = relas_[std::min(a.entry, b.entry)];
      return fail(ErrorKind::Malformed, later.file_offset,
                  where(later) + fmt(": its field overlaps that of %s at 0x%llx", arch_->type_name(other.type).c_str(),
                                     ull(other.offset)));
    }
    return true;
  }

  // After scan(): the GOT, the stubs and the IFUNC stubs at `cursor`
  // (which moves), each placed even when empty (reference.h).
  void layout_got_and_stubs(uint64_t& cursor) {
    if (!explicit_address("<got>", 0, got_address_)) {
      got_address_ = align_up(cursor, slot_size());
      cursor = got_address_ + got_.size() * slot_size() + scenario_.section_sep;
    }
    if (!explicit_address("<stubs>", 0, stubs_address_)) {
      stubs_address_ = align_up(cursor, 16);
      cursor = stubs_address_ + stubs_.size() * arch_->stub_size + scenario_.section_sep;
    }
    if (!explicit_address("<ifunc stubs>", 0, ifunc_address_)) {
      ifunc_address_ = align_up(cursor, 16);
      cursor = ifunc_address_ + ifuncs_.size() * arch_->stub_size + scenario_.section_sep;
    }
    got_bytes_.assign(got_.size() * slot_size(), 0);
    std::vector<uint8_t> one = arch_->stub_bytes(slot_size());
    for (size_t k = 0; k < stubs_.size(); k++) stub_bytes_.insert(stub_bytes_.end(), one.begin(), one.end());
    // An IFUNC stub here is a stand-in: the reference runs no resolver, so
    // its stub names the resolver (a jump to it) and stands for "the
    // function the resolver picks". What the comparison checks is that every
    // reference to the symbol reaches this one stub.
    for (size_t k = 0; k < ifuncs_.size(); k++) {
      const ElfSymbol& y = symbols_[ifuncs_[k]];
      ifunc_bytes_.insert(ifunc_bytes_.end(), one.begin(), one.end());
      store_ordered(ifunc_bytes_, k * arch_->stub_size + arch_->stub_target_at, headers_[y.section].address + y.value,
                    slot_size(), big_endian_);
    }
  }

  // ---- 7. apply ---------------------------------------------------------
 private:
  // Does v fit the field per `fit`? On failure, the message tail.
  static bool fits(uint64_t v, unsigned width, x86_64::Fit fit, std::string& why) {
    if (width == 8 || fit == x86_64::Fit::Any) return true;
    unsigned bits = width * 8;
    int64_t s = int64_t(v);
    int64_t smin = -(int64_t(1) << (bits - 1));
    int64_t smax = (int64_t(1) << (bits - 1)) - 1;
    uint64_t umax = (uint64_t(1) << bits) - 1;
    bool fits_signed = s >= smin && s <= smax;
    bool fits_unsigned = v <= umax;
    switch (fit) {
      case x86_64::Fit::Signed:
        if (fits_signed) return true;
        why = fmt("out of range: %lld is not in [%lld, %lld]", (long long)s, (long long)smin, (long long)smax);
        return false;
      case x86_64::Fit::Unsigned:
        if (fits_unsigned) return true;
        why = fmt("out of range: %lld is not in [0, %llu]", (long long)s, ull(umax));
        return false;
      case x86_64::Fit::SignedOrUnsigned:
        if (fits_signed || fits_unsigned) return true;
        why = fmt("out of range: %lld is not in [%lld, %llu]", (long long)s, (long long)smin, ull(umax));
        return false;
      case x86_64::Fit::Any:
        break;
    }
    return true;
  }

  void relocation_failed(Relocation& out, const RelaEntry& r, ErrorKind kind, const std::string& what) {
    std::string message = where(r) + " " + what;
    std::string sym = symbol_name(r.symbol);
    if (!sym.empty() && r.symbol && symbols_[r.symbol].section == kShnUndef) {
      message += "; references '" + sym + "'";
      // An undefined weak symbol nothing defines is 0 (L6): PC-relative
      // code reaches 0 only from the lowest 2 GiB (a -no-pie program; GNU
      // ld refuses such a reference in a PIE). The user needs to know.
      bool weak_zero = false;
      if (kind == ErrorKind::Overflow && symbols_[r.symbol].bind == kStbWeak) {
        SymbolValue sv = value_of(r.symbol);
        weak_zero = sv.ok && sv.S == 0;
      }
      if (weak_zero)
        message += ", an undefined weak symbol, so 0: PC-relative code reaches 0 only from the lowest 2 GiB, as in a "
                   "-no-pie program (GNU ld refuses this in a PIE); declare it with default visibility (reached "
                   "through the GOT)";
    }
    out.status = "error";
    out.error = name_ + ":" + message;
    relocation_errors_++;
    fail(kind, r.file_offset, message);
  }

  void fill_got() {
    for (size_t k = 0; k < got_.size(); k++) {
      SymbolValue v = value_of(got_[k].symbol);
      if (!v.ok) continue;  // the relocations using the slot report it
      store_ordered(got_bytes_, k * slot_size(), v.S, slot_size(), big_endian_);
    }
    for (size_t k = 0; k < stubs_.size(); k++) {
      SymbolValue v = value_of(stubs_[k]);
      if (!v.ok) continue;
      store_ordered(stub_bytes_, k * arch_->stub_size + arch_->stub_target_at, v.S, slot_size(), big_endian_);
    }
  }

  void apply() {
    fill_got();
    result_.relocations.reserve(relas_.size());
    for (const RelaEntry& r : relas_) {
      Relocation out;
      out.section_index = r.section;
      out.section = headers_[r.section].name;
      out.offset = r.offset;
      out.type = r.type;
      out.type_name = arch_->type_name(r.type);
      out.symbol_index = r.symbol;
      out.symbol = symbol_name(r.symbol);
      out.symbol_is_section = r.symbol != 0 && symbols_[r.symbol].type == kSttSection;
      out.addend = r.addend;
      out.file_offset = r.file_offset;
      apply_one(r, out);
      result_.relocations.push_back(std::move(out));
    }
  }

  void apply_one(const RelaEntry& r, Relocation& out) {
    using x86_64::Formula;
    SectionHeader& h = headers_[r.section];
    if (r.consumed) {
      out.status = "consumed";
      out.via = "tls";
      return;
    }
    switch (arch_->machine) {  // one apply per architecture
      case aarch64::kMachine: return apply_aarch64(r, out);
      case riscv::kMachine: return apply_riscv(r, out);
      case loongarch::kMachine: return apply_loongarch(r, out);
      case x86_64::kMachine: break;  // below
      default: return relocation_failed(out, r, ErrorKind::Unsupported, "has no apply for this machine");
    }
    const x86_64::Row& row = *r.row;
    // The symbol must resolve even when nothing is written (NONE): an
    // object that names an external needs it.
    SymbolValue sv = value_of(r.symbol);
    if (!sv.ok) return relocation_failed(out, r, sv.kind, sv.error);
    if (row.formula == Formula::None) {
      out.status = "none";
      return;
    }
    const uint64_t S = sv.S;
    const uint64_t A = uint64_t(r.addend);  // arithmetic modulo 2^64
    const uint64_t P = h.address + r.offset;
    const uint64_t GOT = got_address_;
    bool wants_tls = row.formula == Formula::TpOff || row.formula == Formula::GotTpOff ||
                     row.formula == Formula::TlsGd;
    if (!wants_tls && sv.tls && row.formula != Formula::TlsLd && row.formula != Formula::DtpMod &&
        row.formula != Formula::Z_A)
      return relocation_failed(out, r, ErrorKind::Unsupported,
                               fmt("uses the address of thread-local '%s', which has none",
                                   symbol_name(r.symbol).c_str()));
    if (wants_tls && r.symbol && !sv.tls)
      return relocation_failed(out, r, ErrorKind::Unsupported,
                               fmt("wants a thread-pointer offset but '%s' is not thread-local",
                                   symbol_name(r.symbol).c_str()));
    uint64_t value = 0;
    out.via = "direct";
    switch (row.formula) {
      case Formula::None:
        return;
      case Formula::S_A:  // S + A
        value = S + A;
        out.effective = S + A;
        break;
      case Formula::S_A_P:  // S + A - P
        value = S + A - P;
        out.effective = S + A;
        break;
      case Formula::L_A_P: {  // L + A - P; L = S when the displacement fits
        value = S + A - P;
        out.effective = S + A;
        std::string why;
        if (r.stub >= 0 && !fits(value, row.width, row.fit, why)) {
          uint64_t L = stubs_address_ + uint64_t(r.stub) * x86_64::kStubSize;
          value = L + A - P;
          out.via = "stub";
        }
        break;
      }
      case Formula::G_GOT_A_P: {  // G + GOT + A - P
        uint64_t slot = GOT + uint64_t(r.got_slot) * x86_64::kGotEntrySize;
        value = slot + A - P;
        out.effective = S;
        out.via = "got";
        break;
      }
      case Formula::G_A:  // G + A, G the slot's offset in the GOT
        value = uint64_t(r.got_slot) * x86_64::kGotEntrySize + A;
        out.effective = S;
        out.via = "got";
        break;
      case Formula::GOT_A_P:  // GOT + A - P
        value = GOT + A - P;
        out.effective = GOT + A;
        break;
      case Formula::S_A_GOT:  // S + A - GOT
        value = S + A - GOT;
        out.effective = S + A;
        break;
      case Formula::L_GOT_A: {  // L - GOT + A
        uint64_t L = stubs_address_ + uint64_t(r.stub) * x86_64::kStubSize;
        value = L - GOT + A;
        out.effective = S + A;
        out.via = "stub";
        break;
      }
      case Formula::Z_A: {  // Z + A
        // Z is the st_size of the definition the symbol binds to (L5),
        // in whichever object of the set. A name only the scenario
        // provides has no size (nor has _GLOBAL_OFFSET_TABLE_, which the
        // link editor would define).
        uint64_t Z = 0;
        if (r.symbol) {
          const ElfSymbol& y = symbols_[r.symbol];
          const Definition* d = y.name == "_GLOBAL_OFFSET_TABLE_" ? nullptr : bound_elsewhere(r.symbol);
          if (d) Z = program_->objects[d->object]->symbol(d->symbol).size;
          else if (y.section == kShnUndef)
            return relocation_failed(out, r, ErrorKind::Unsupported,
                                     fmt("needs the size of external '%s', which is not known",
                                         symbol_name(r.symbol).c_str()));
          else Z = y.size;
        }
        value = Z + A;
        out.effective = Z + A;
        out.via = "size";
        break;
      }
      case Formula::TpOff:  // S + A, S a thread-pointer offset
        value = S + A;
        out.effective = S + A;
        out.via = "tls";
        break;
      case Formula::DtpMod:  // one static TLS module: id 1
        value = 1;
        out.effective = 1;
        out.via = "module";
        break;
      case Formula::GotTpOff: {
        out.via = "tls";
        if (r.sequence) return relax(r, out, S + A + 4);
        uint64_t slot = GOT + uint64_t(r.got_slot) * x86_64::kGotEntrySize;
        value = slot + A - P;
        out.effective = S;
        // The slot holds S's thread-pointer offset.
        store_le(got_bytes_, uint64_t(r.got_slot) * x86_64::kGotEntrySize, S, 8);
        break;
      }
      case Formula::TlsGd:
        out.via = "tls";
        // x@tlsgd carries the PC-relative -4; x@tpoff wants x itself.
        return relax(r, out, S + A + 4);
      case Formula::TlsLd:
        out.via = "tls";
        return relax(r, out, 0);
    }
    std::string why;
    if (!fits(value, row.width, row.fit, why)) return relocation_failed(out, r, ErrorKind::Overflow, why);
    store_le(h.bytes, r.offset, value, row.width);
    out.status = "applied";
    out.value = value;
  }

  // AArch64: the symbol's value, then aarch64::apply (computes X, checks,
  // encodes). Thread-locality must match the row (L9).
  void apply_aarch64(const RelaEntry& r, Relocation& out) {
    SectionHeader& h = headers_[r.section];
    const aarch64::Row& row = *r.a64;
    SymbolValue sv = value_of(r.symbol);
    if (!sv.ok) return relocation_failed(out, r, sv.kind, sv.error);
    if (row.formula == aarch64::Formula::None) {
      out.status = "none";
      return;
    }
    if (!row.tls && sv.tls)
      return relocation_failed(out, r, ErrorKind::Unsupported,
                               fmt("uses the address of thread-local '%s', which has none",
                                   symbol_name(r.symbol).c_str()));
    if (row.tls && r.symbol && !sv.tls)
      return relocation_failed(out, r, ErrorKind::Unsupported,
                               fmt("wants a thread-pointer offset but '%s' is not thread-local",
                                   symbol_name(r.symbol).c_str()));
    aarch64::Fixup f;
    f.row = &row;
    f.S = sv.S;
    f.A = uint64_t(r.addend);
    f.P = h.address + r.offset;
    f.GOT = got_address_;
    if (r.got_slot >= 0) f.slot = got_address_ + uint64_t(r.got_slot) * slot_size();
    if (r.stub >= 0) {
      f.has_stub = true;
      f.L = stubs_address_ + uint64_t(r.stub) * arch_->stub_size;
    }
    f.big_endian = big_endian_;
    aarch64::Outcome o = aarch64::apply(f, h.bytes, r.offset);
    if (!o.ok) return relocation_failed(out, r, o.kind, o.why);
    out.status = o.status;
    out.via = o.via;
    out.value = o.value;
    out.effective = o.effective;
  }

  // RISC-V: the fixup of entry `e` (its symbol's value, P, its slot and
  // stub), the thread-locality of row and symbol checked (L9). False with
  // `kind`/`why` when the symbol has no value or the wrong locality.
  bool riscv_fixup(const RelaEntry& e, riscv::Fixup& f, ErrorKind& kind, std::string& why) const {
    const riscv::Row& row = *e.rv;
    // A relaxed call to __tls_get_addr calls nothing: its symbol needs no
    // value. A label names a place of this object, never a preemptible name
    // (reference.h "RISC-V"): its own definition, whatever the set chose
    // for the name and whatever its thread-locality (its value is the high
    // part's).
    SymbolValue sv = e.tls_gd_call ? SymbolValue() : row.label ? own_value(e.symbol) : value_of(e.symbol);
    if (!sv.ok) {
      kind = sv.kind;
      why = sv.error;
      return false;
    }
    if (row.formula != riscv::Formula::None && !row.label && !e.tls_gd_call) {
      kind = ErrorKind::Unsupported;
      // Debug info: clang writes a RISC-V thread-local variable's DWARF
      // location as R_RISCV_32/64 of the symbol in .debug_info (not
      // SHF_ALLOC); there it stands for the variable's offset in its TLS
      // block, which in the one static block is its TP offset
      // (reference.h "RISC-V").
      bool debug_tls = sv.tls && !headers_[e.section].alloc && row.formula == riscv::Formula::S_A &&
                       (row.enc == riscv::Enc::Data32 || row.enc == riscv::Enc::Data64);
      if (!row.tls && sv.tls && !debug_tls) {
        why = fmt("uses the address of thread-local '%s', which has none", symbol_name(e.symbol).c_str());
        return false;
      }
      if (row.tls && e.symbol && !sv.tls) {
        why = fmt("wants a thread-pointer offset but '%s' is not thread-local", symbol_name(e.symbol).c_str());
        return false;
      }
    }
    f.row = &row;
    f.S = sv.S;
    f.A = uint64_t(e.addend);
    f.P = headers_[e.section].address + e.offset;
    f.xlen = c_.word * 8;
    if (e.got_slot >= 0) f.slot = got_address_ + uint64_t(e.got_slot) * slot_size();
    if (e.stub >= 0) {
      f.has_stub = true;
      f.L = stubs_address_ + uint64_t(e.stub) * arch_->stub_size;
    }
    f.tls_gd_call = e.tls_gd_call;
    return true;
  }

  // RISC-V: a label form takes its high part's value (computed here, the
  // high part's own entry being applied wherever it sits in the table); a
  // SUB_ULEB128 takes its SET_ULEB128's S + A; then riscv::apply.
  void apply_riscv(const RelaEntry& r, Relocation& out) {
    SectionHeader& h = headers_[r.section];
    const riscv::Row& row = *r.rv;
    riscv::Fixup f;
    ErrorKind kind = ErrorKind::Unresolved;
    std::string why;
    if (!riscv_fixup(r, f, kind, why)) return relocation_failed(out, r, kind, why);
    if (row.label) {
      const RelaEntry& high = relas_[size_t(r.pair)];
      riscv::Fixup hf;
      if (!riscv_fixup(high, hf, kind, why))
        return relocation_failed(out, r, kind,
                                 fmt("takes its value from %s at 0x%llx, which has none: %s",
                                     arch_->type_name(high.type).c_str(), ull(high.offset), why.c_str()));
      riscv::Outcome ho = riscv::value(hf);
      if (!ho.ok)
        return relocation_failed(out, r, ho.kind,
                                 fmt("takes its value from %s at 0x%llx, which failed: %s",
                                     arch_->type_name(high.type).c_str(), ull(high.offset), ho.why.c_str()));
      // General dynamic's low part is rewritten to add %tprel_lo: only an
      // addi keeps that meaning (reference.h: any other instruction under a
      // rewrite is Unsupported, this entry alone).
      if (high.type == riscv::kTlsGdHi20) {
        uint32_t insn = uint32_t(load_le(h.bytes, r.offset, 4));
        if ((insn & 0x707f) != 0x13)
          return relocation_failed(out, r, ErrorKind::Unsupported,
                                   fmt("is on instruction 0x%08x, not the addi of its general-dynamic sequence: no "
                                       "rewrite to local exec is defined for it", insn));
      }
      f.pair_value = ho.value;
      f.pair_effective = ho.effective;
      f.pair_via = ho.via == "got" ? "got" : ho.via == "tls" ? "tls" : ho.via == "stub" ? "stub" : "direct";
    }
    if (row.formula == riscv::Formula::SubUleb) {
      const RelaEntry& set = relas_[size_t(r.pair)];
      SymbolValue sv = value_of(set.symbol);
      if (!sv.ok)
        return relocation_failed(out, r, sv.kind,
                                 fmt("subtracts from its R_RISCV_SET_ULEB128's S + A, which has no value: %s",
                                     sv.error.c_str()));
      f.set_S_A = sv.S + uint64_t(set.addend);
    }
    riscv::Outcome o = riscv::apply(f, h.bytes, r.offset);
    if (!o.ok) return relocation_failed(out, r, o.kind, o.why);
    out.status = o.status;
    out.via = o.via;
    out.value = o.value;
    out.effective = o.effective;
  }

  // LoongArch: the fixup (S, P, slot, stub), the thread-locality of row and
  // symbol checked (L9); a ULEB128 pair's running value; then
  // loongarch::apply.
  void apply_loongarch(const RelaEntry& r, Relocation& out) {
    using loongarch::Formula;
    SectionHeader& h = headers_[r.section];
    const loongarch::Row& row = *r.la;
    SymbolValue sv = r.tls_gd_call ? SymbolValue() : value_of(r.symbol);
    if (!sv.ok) return relocation_failed(out, r, sv.kind, sv.error);
    if (row.formula != Formula::None && !r.tls_gd_call) {
      // Debug info may locate a thread-local variable with R_LARCH_32/64 in
      // a section that is not SHF_ALLOC: its TP offset (reference.h).
      bool debug_tls = sv.tls && !headers_[r.section].alloc && row.formula == Formula::S_A &&
                       (row.enc == loongarch::Enc::Data32 || row.enc == loongarch::Enc::Data64);
      if (!row.tls && sv.tls && !debug_tls)
        return relocation_failed(out, r, ErrorKind::Unsupported,
                                 fmt("uses the address of thread-local '%s', which has none",
                                     symbol_name(r.symbol).c_str()));
      if (row.tls && r.symbol && !sv.tls)
        return relocation_failed(out, r, ErrorKind::Unsupported,
                                 fmt("wants a thread-pointer offset but '%s' is not thread-local",
                                     symbol_name(r.symbol).c_str()));
    }
    loongarch::Fixup f;
    f.row = &row;
    f.S = sv.S;
    f.A = uint64_t(r.addend);
    f.P = h.address + r.offset;
    f.wide = r.la_wide;
    f.tls_call = r.tls_gd_call;
    if (r.got_slot >= 0) f.slot = got_address_ + uint64_t(r.got_slot) * slot_size();
    if (r.stub >= 0) {
      f.has_stub = true;
      f.L = stubs_address_ + uint64_t(r.stub) * arch_->stub_size;
    }
    if (row.formula == Formula::AddUleb) f.uleb_base = r.uleb_in_place + sv.S + uint64_t(r.addend);
    if (row.formula == Formula::SubUleb) {
      const RelaEntry& add = relas_[size_t(r.pair)];
      SymbolValue av = value_of(add.symbol);
      if (!av.ok)
        return relocation_failed(out, r, av.kind,
                                 fmt("subtracts from its R_LARCH_ADD_ULEB128's V + S + A, which has no value: %s",
                                     av.error.c_str()));
      f.uleb_base = add.uleb_in_place + av.S + uint64_t(add.addend);
    }
    loongarch::Outcome o = loongarch::apply(f, h.bytes, r.offset);
    if (!o.ok) return relocation_failed(out, r, o.kind, o.why);
    out.status = o.status;
    out.via = o.via;
    out.value = o.value;
    out.effective = o.effective;
  }

  // Rewrite a TLS sequence to local exec; write tpoff where it wants one.
  void relax(const RelaEntry& r, Relocation& out, uint64_t tpoff) {
    SectionHeader& h = headers_[r.section];
    const x86_64::TlsSequence& seq = *r.sequence;
    for (size_t i = 0; i < seq.replace.size(); i++) h.bytes[r.sequence_start + i] = seq.replace[i];
    out.status = "relaxed";
    out.effective = seq.tpoff_at >= 0 ? tpoff : 0;
    if (seq.tpoff_at < 0) return;
    std::string why;
    if (!fits(tpoff, 4, x86_64::Fit::Signed, why)) return relocation_failed(out, r, ErrorKind::Overflow, why);
    store_le(h.bytes, r.sequence_start + uint64_t(seq.tpoff_at), tpoff, 4);
    out.value = tpoff;
  }

  // ---- the result -------------------------------------------------------
  static const char* kind_of(const SectionHeader& h) {
    if (h.tls) return h.type == kShtNobits ? "tbss" : "tls";
    if (h.flags & kShfExecinstr) return "code";
    if (h.type == kShtNobits) return "bss";
    if (!(h.flags & kShfWrite)) return "rodata";
    return "data";
  }

  // (Each Section and Symbol is moved into the result once built: a
  // section's bytes are not copied twice.)
  void report() {
    result_.got_address = got_address_;
    result_.symbols.reserve(symbols_.size());
    for (uint64_t i = 1; i < headers_.size(); i++) {
      SectionHeader& h = headers_[i];
      if (!h.loaded) continue;
      Section s;
      s.name = h.name;
      s.index = uint32_t(i);
      s.kind = kind_of(h);
      s.address = h.address;
      s.size = h.size;
      s.align = h.addralign ? h.addralign : 1;
      s.tls = h.tls;
      s.allocatable = h.alloc;
      s.tp_offset = h.tp_offset;
      s.bytes = h.bytes;
      result_.sections.push_back(std::move(s));
    }
    if (has_common_) {
      Section s;
      s.name = "<common symbols>";
      s.kind = "common";
      s.address = common_address_;
      s.size = common_size_;
      s.align = common_align_;
      s.bytes.assign(common_size_, 0);
      result_.sections.push_back(std::move(s));
    }
    Section got;
    got.name = "<got>";
    got.kind = "got";
    got.address = got_address_;
    got.size = got_bytes_.size();
    got.align = slot_size();
    got.bytes = got_bytes_;
    result_.sections.push_back(std::move(got));
    if (!stubs_.empty()) {
      Section s;
      s.name = "<stubs>";
      s.kind = "stubs";
      s.address = stubs_address_;
      s.size = stub_bytes_.size();
      s.align = 16;
      s.bytes = stub_bytes_;
      result_.sections.push_back(std::move(s));
    }
    if (!ifuncs_.empty()) {
      Section s;
      s.name = "<ifunc stubs>";
      s.kind = "code";
      s.address = ifunc_address_;
      s.size = ifunc_bytes_.size();
      s.align = 16;
      s.bytes = ifunc_bytes_;
      result_.sections.push_back(std::move(s));
    }
    for (uint64_t i = 1; i < symbols_.size(); i++) {
      const ElfSymbol& y = symbols_[i];
      if (y.type == kSttSection || y.type == kSttFile || y.name.empty() || y.section == kShnUndef) continue;
      bool in_section = y.section != kShnAbs && y.section != kShnCommon;
      if (in_section && !headers_[y.section].loaded) continue;  // no address: its section is not loaded
      Symbol s;
      s.name = y.name;
      s.index = uint32_t(i);
      s.section_index = y.section;
      s.address = own_value(uint32_t(i)).S;
      s.size = y.size;
      if (y.section == kShnCommon) s.section = "<common symbols>";
      else if (y.section != kShnAbs) s.section = headers_[y.section].name;
      s.binding = y.bind == kStbLocal ? "local" : y.bind == kStbWeak ? "weak" : "global";
      switch (y.type) {
        case kSttObject: s.type = "object"; break;
        case kSttFunc: s.type = "func"; break;
        case kSttTls: s.type = "tls"; break;
        case kSttCommon: s.type = "common"; break;
        case kSttGnuIfunc: s.type = "ifunc"; break;
        default: s.type = "notype"; break;
      }
      if (y.section == kShnCommon) s.type = "common";
      if (s.type == "ifunc" && in_section) s.section = "<ifunc stubs>";
      s.chosen = !(is_definition(uint32_t(i)) && bound_elsewhere(uint32_t(i)));
      result_.symbols.push_back(std::move(s));
    }
  }

  std::span<const uint8_t> bytes_;
  Reader in_;
  const Arch* arch_ = nullptr;  // from e_machine (read_header)
  ClassLayout c_ = kElf64Layout;  // from e_ident[EI_CLASS] (read_header)
  // An address-sized field (c_.word bytes) in the object's byte order.
  bool word(uint64_t off, uint64_t& out) const {
    if (c_.word == 8) return in_.u64(off, out);
    uint32_t v = 0;
    if (!in_.u32(off, v)) return false;
    out = v;
    return true;
  }
  bool big_endian_ = false;     // e_ident[EI_DATA]
  std::string name_;
  const Scenario& scenario_;
  Result result_;
  bool failed_ = false;

  uint64_t shoff_ = 0;
  uint64_t shnum_ = 0;
  uint64_t shstrndx_ = 0;
  std::vector<SectionHeader> headers_;
  uint32_t symtab_ = 0;
  std::vector<ElfSymbol> symbols_;
  std::vector<RelaEntry> relas_;
  uint64_t total_ = 0;

  bool has_common_ = false;
  uint64_t common_size_ = 0;
  uint64_t common_align_ = 1;
  uint64_t common_address_ = 0;
  size_t position_ = 0;                // in the input
  const Program* program_ = nullptr;
  size_t index_ = 0;                    // in program_->objects
  uint64_t relocation_errors_ = 0;

  std::vector<uint32_t> ifuncs_;  // symbol indexes of defined IFUNC symbols
  uint64_t ifunc_address_ = 0;
  std::vector<uint8_t> ifunc_bytes_;

  std::vector<GotSlot> got_;
  std::vector<uint32_t> stubs_;
  std::unordered_map<uint64_t, int> got_index_;  // symbol << 1 | tp_offset -> its slot in got_
  std::unordered_map<uint32_t, int> stub_index_;  // symbol -> its stub in stubs_
  uint64_t got_address_ = 0;
  uint64_t stubs_address_ = 0;
  std::vector<uint8_t> got_bytes_;
  std::vector<uint8_t> stub_bytes_;
  // RISC-V: each high part's place (section, offset) -> its entry.
  std::map<std::pair<uint32_t, uint64_t>, size_t> riscv_highs_;
  // LoongArch: (section, offset, type) of every entry.
  std::set<std::tuple<uint32_t, uint64_t, uint32_t>> loongarch_types_;
  // LoongArch: GOT_PC_LO12 of a thread-local symbol, general dynamic's low
  // part rewritten (reference.h).
  static constexpr loongarch::Row loongarch_gd_low_ = {
      76, "R_LARCH_GOT_PC_LO12", loongarch::Formula::GdLo, loongarch::Enc::Rewrite, true, false, 0,
      "LoongArch psABI, Thread Local Storage, General Dynamic's low part, rewritten to local exec (reference.h)"};
};

SymbolValue Object::value_of(uint32_t index) const {
  if (index == 0) return SymbolValue();  // STN_UNDEF: S = 0
  const ElfSymbol& y = symbols_[index];
  if (y.section == kShnUndef && y.name == "_GLOBAL_OFFSET_TABLE_") {
    // psABI §5.2 "Global Offset Table": the symbol names the GOT itself.
    SymbolValue v;
    v.S = got_address_;
    return v;
  }
  if (y.section == kShnUndef && y.name == "_TLS_MODULE_BASE_" && !bound_elsewhere(index)) {
    // A static link defines it at the start of the one TLS block, which
    // local-dynamic code takes as its module's base; here DTPREL is TPREL
    // (reference.h, "AArch64"), so the base is TP offset 0.
    SymbolValue v;
    v.tls = y.type == kSttTls;
    v.S = 0;
    return v;
  }
  if (const Definition* d = bound_elsewhere(index)) {
    // L5: the set's one definition of the name, wherever it is; L9: both
    // thread-local or neither.
    SymbolValue v = program_->objects[d->object]->own_value(d->symbol);
    if (v.tls != symbol_is_tls(index)) {
      v.ok = false;
      v.kind = ErrorKind::Unsupported;
      v.error = fmt("TLS attribute mismatch: '%s' is %sthread-local where defined", y.name.c_str(),
                    v.tls ? "" : "not ");
    }
    return v;
  }
  return own_value(index);
}

SymbolValue Object::own_value(uint32_t index) const {
  SymbolValue v;
  if (index == 0) return v;
  const ElfSymbol& y = symbols_[index];
  if (y.section == kShnUndef) {
    // L6: not defined in the set: the scenario's externals.
    v.tls = y.type == kSttTls;  // its scenario address is taken as its TP offset
    for (const auto& [name, address] : scenario_.externals)
      if (name == y.name) {
        v.S = address;
        return v;
      }
    if (scenario_.has_extern_default) {
      v.S = scenario_.extern_default;
      return v;
    }
    if (scenario_.default_externals) {
      v.S = default_extern_address(y.name, scenario_.extern_base);
      return v;
    }
    if (y.bind == kStbWeak) return v;  // an undefined weak symbol is 0
    v.ok = false;
    v.error = fmt("undefined symbol '%s'", y.name.c_str());
    return v;
  }
  if (y.section == kShnAbs) {
    v.S = y.value;
    return v;
  }
  if (y.section == kShnCommon) {
    v.S = common_address_ + y.common_offset;
    return v;
  }
  for (size_t k = 0; k < ifuncs_.size(); k++)
    if (ifuncs_[k] == index) {
      v.S = ifunc_address_ + k * arch_->stub_size;  // its stub, not its resolver
      return v;
    }
  const SectionHeader& h = headers_[y.section];
  v.tls = h.tls;
  v.S = h.address + (y.type == kSttSection ? 0 : y.value);
  return v;
}

// ---- linkage: each name's one definition (reference.h, L1-L4) ----------
// Objects in input order, each one's definitions in symbol table order.
// Returns the object to reject and why, if two definitions conflict.
struct Conflict {
  size_t object = 0;  // in program.objects
  ErrorKind kind = ErrorKind::Malformed;
  uint64_t file_offset = kNoOffset;
  std::string message;
};

constexpr uint8_t kStbGnuUnique = 10;  // GNU extension to the gABI bindings

std::optional<Conflict> choose_definitions(Program& program) {
  program.chosen.clear();
  program.commons.clear();
  for (size_t o = 0; o < program.objects.size(); o++) {
    const Object& obj = *program.objects[o];
    for (uint32_t i = 1; i < obj.symbol_count(); i++) {
      if (!obj.is_definition(i)) continue;
      const ElfSymbol& y = obj.symbol(i);
      Strength mine = obj.strength(i);
      if (mine == Strength::Common) program.commons[y.name].push_back({o, i});
      auto [it, inserted] = program.chosen.insert({y.name, Definition{o, i}});
      if (inserted) continue;
      const Object& other = *program.objects[it->second.object];
      const ElfSymbol& z = other.symbol(it->second.symbol);
      Strength theirs = other.strength(it->second.symbol);
      switch (mine) {
        case Strength::Strong:
          if (theirs != Strength::Strong) {
            it->second = {o, i};  // L2, L4: strong beats common and weak
            break;
          }
          if (y.bind == kStbGnuUnique && z.bind == kStbGnuUnique) break;  // L2: the first stays
          if (&other == &obj)
            return Conflict{o, ErrorKind::Malformed, y.file_offset,
                            fmt("%s: duplicate definition of symbol '%s' in one object", obj.name().c_str(),
                                y.name.c_str())};
          return Conflict{o, ErrorKind::Malformed, y.file_offset,
                          fmt("%s: duplicate definition of symbol '%s', already defined in %s", obj.name().c_str(),
                              y.name.c_str(), other.name().c_str())};
        case Strength::Common:
          // L4: a common beats a weak definition; the largest common gives
          // the storage, the first one on a tie.
          if (theirs == Strength::Weak || (theirs == Strength::Common && y.size > z.size)) it->second = {o, i};
          break;
        case Strength::Weak:
          break;  // L3: the first weak definition stays; anything else beats it
      }
    }
  }
  return std::nullopt;
}

// L4, once addresses are known: every common of a name fits the alignment
// of the storage the name was given. Of all conflicts, the one whose later
// object comes first in input order (where a loader taking the objects one
// by one would have stopped first), whatever the names.
std::optional<Conflict> check_common_alignment(const Program& program) {
  std::optional<Conflict> first;
  for (const auto& [name, all] : program.commons) {
    const Definition* d = program.definition(name);
    if (!d) continue;
    const Object& storage = *program.objects[d->object];
    if (storage.strength(d->symbol) != Strength::Common) continue;  // a strong one won
    uint64_t address = storage.own_value(d->symbol).S;
    for (const Definition& c : all) {
      if (c.object == d->object && c.symbol == d->symbol) continue;  // the storage itself
      const Object& asks = *program.objects[c.object];
      uint64_t align = asks.symbol(c.symbol).value;
      if (align <= 1 || address % align == 0) continue;
      size_t later = std::max(c.object, d->object);
      if (first && first->object <= later) continue;
      uint64_t off = program.objects[later]->symbol(later == c.object ? c.symbol : d->symbol).file_offset;
      first = Conflict{later, ErrorKind::Malformed, off,
                       fmt("%s: common symbol '%s' in %s asks for alignment %llu, but its storage (the larger "
                           "common in %s) is at 0x%llx",
                           program.objects[later]->name().c_str(), name.c_str(), asks.name().c_str(), ull(align),
                           storage.name().c_str(), ull(address))};
    }
  }
  return first;
}

// Linkage, step 5 and step 6 for the program's objects. The failure, if
// any: the object (in program.objects) and its error, naming it.
std::optional<Conflict> lay_out(Program& program, const Scenario& scenario) {
  if (std::optional<Conflict> c = choose_definitions(program)) return c;
  // Object after object: its sections and commons, its scan, then its GOT
  // and stubs, before the next object's sections.
  uint64_t cursor = scenario.base;
  for (size_t o = 0; o < program.objects.size(); o++) {
    Object& obj = *program.objects[o];
    if (!obj.place(cursor) || !obj.scan())
      return Conflict{o, obj.error().kind, obj.error().file_offset, obj.error().message};
    obj.layout_got_and_stubs(cursor);
  }
  // The one static TLS block: objects in input order, each one's TLS
  // sections in header order; the thread pointer at its end.
  std::vector<SectionHeader*> tls;
  for (auto& obj : program.objects)
    for (SectionHeader* h : obj->tls_sections()) tls.push_back(h);
  uint64_t offset = 0, block_align = 1;
  std::vector<uint64_t> at(tls.size(), 0);
  for (size_t i = 0; i < tls.size(); i++) {
    offset = align_up(offset, tls[i]->addralign);
    at[i] = offset;
    offset += tls[i]->size;
    block_align = std::max(block_align, tls[i]->addralign);
  }
  uint64_t block = align_up(offset, block_align);
  const Arch* arch = program.objects.empty() ? nullptr : program.objects[0]->arch();
  for (size_t i = 0; i < tls.size(); i++) {
    // Sizes are bounded by kMaxTotal per object: no wrap.
    if (arch && arch->tls == TlsVariant::I)  // TP at the TCB, the block after it, aligned
      tls[i]->address = align_up(arch->tcb_size, block_align) + at[i];
    else  // variant II: the block ends at TP
      tls[i]->address = at[i] - block + uint64_t(scenario.tls_end_offset);
    tls[i]->tp_offset = int64_t(tls[i]->address);
  }
  return check_common_alignment(program);
}

}  // namespace

void load_elf_set(std::span<const Input> inputs, const Scenario& scenario, std::vector<Result>& results,
                  std::vector<bool>& rejected) {
  // "@K:" keys must name an input position (reference.h, "Placement").
  for (const auto& entry : scenario.section_addresses) {
    size_t k = 0, colon = 0;
    if (!object_key(entry.first, k, colon) || k < inputs.size()) continue;
    for (size_t i = 0; i < inputs.size(); i++) {
      results[i].triple = triple_of(inputs[i].bytes);
      results[i].error.kind = ErrorKind::Argument;
      results[i].error.message = fmt("%s: the scenario maps '%s', but there are only %zu objects",
                                     inputs[i].name.c_str(), entry.first.c_str(), inputs.size());
    }
    return;
  }
  // Steps 1-4, each object alone; a failure rejects it for good. The
  // objects read here serve the first round below.
  std::vector<std::unique_ptr<Object>> first_read(inputs.size());
  for (size_t i = 0; i < inputs.size(); i++) {
    if (rejected[i]) continue;
    first_read[i] = std::make_unique<Object>(inputs[i].bytes, inputs[i].name, scenario, i);
    if (!first_read[i]->read()) {
      results[i] = first_read[i]->take_rejection();
      rejected[i] = true;
    }
  }
  // Then the objects one by one, as a loader taking them in input order
  // would (reference.h, "Rejected objects"): object k joins the objects
  // accepted so far and the whole program is laid out again; if that
  // fails, k is rejected and contributes nothing. (A failure then always
  // involves k: the accepted objects laid out without conflict before, k
  // comes after them in placement, and it is k's definitions that can
  // change a binding or a common's storage.) The last program laid out
  // without failure is the set's.
  std::vector<size_t> accepted;
  std::unique_ptr<Program> program;
  for (size_t k = 0; k < inputs.size(); k++) {
    if (rejected[k]) continue;
    // One program, one machine and byte order: the first accepted object's.
    if (!accepted.empty() && first_read[k] &&
        triple_of(inputs[k].bytes) != triple_of(inputs[accepted[0]].bytes)) {
      Result r;
      r.triple = triple_of(inputs[k].bytes);
      r.error.kind = ErrorKind::Unsupported;
      r.error.file_offset = 18;
      r.error.message = fmt("%s: is for %s but the set is for %s", inputs[k].name.c_str(), r.triple.c_str(),
                            triple_of(inputs[accepted[0]].bytes).c_str());
      results[k] = std::move(r);
      rejected[k] = true;
      continue;
    }
    auto attempt = std::make_unique<Program>();
    std::vector<size_t> members = accepted;
    members.push_back(k);
    for (size_t i : members) {
      std::unique_ptr<Object> obj = std::move(first_read[i]);
      if (!obj) {  // laid out in an earlier attempt: read afresh (it succeeded before: the same answer)
        obj = std::make_unique<Object>(inputs[i].bytes, inputs[i].name, scenario, i);
        obj->read();
      }
      obj->join(attempt.get(), attempt->objects.size());
      attempt->objects.push_back(std::move(obj));
    }
    if (std::optional<Conflict> c = lay_out(*attempt, scenario)) {
      Result r;
      r.triple = triple_of(inputs[k].bytes);
      r.error.kind = c->kind;
      r.error.file_offset = c->file_offset;
      r.error.message = c->message;
      results[k] = std::move(r);
      rejected[k] = true;
      continue;
    }
    accepted = members;
    program = std::move(attempt);
  }
  if (program)
    for (auto& obj : program->objects) results[obj->position()] = obj->finish();
}

bool is_elf(std::span<const uint8_t> bytes) {
  return bytes.size() >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
}

Result load_elf(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario) {
  Input one{name, bytes};
  std::vector<Result> results(1);
  std::vector<bool> rejected(1, false);
  load_elf_set(std::span<const Input>(&one, 1), scenario, results, rejected);
  return results[0];
}

}  // namespace jitload::reference::elf

namespace jitload::reference {

uint64_t default_extern_address(const std::string& name, uint64_t extern_base) {
  return extern_base + 16 * (elf::fnv1a(name) % (uint64_t(1) << 20));
}

}  // namespace jitload::reference
