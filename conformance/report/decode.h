// Reading back what a loader did to one relocated field, from the report's
// final bytes alone: the value in the field, and the target it reaches
// (following a stub's jump or a GOT slot's contents). The comparison uses
// this instead of what each loader claims, so a loader whose claims and
// bytes disagree cannot hide behind its claims. One decoder per
// architecture (decode-<arch>.cc).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/report/report.h"

namespace jitload::conformance {

struct ReportArch;

struct DecodedField {
  bool ok = false;
  std::string error;      // why it could not be decoded
  bool none = false;      // no field (R_*_NONE)
  bool exact = false;     // part of a rewritten code sequence: bytes compared exactly
  u64 field_offset = 0;   // within its section
  unsigned width = 0;     // bytes
  u64 raw = 0;            // the field, zero-extended
  // "addr": effective = S + A as reached; "tls": a thread-pointer offset;
  // "size"; "module"; "got-base": effective = offset from the GOT's address.
  // (Always one of these literals: a view, not a string built per field.)
  std::string_view kind;
  u64 effective = 0;
  bool through_stub = false;
  bool through_got = false;
  // `effective` is the symbol's own address (S, or its thread-pointer
  // offset) without the addend: read from a GOT slot, or from a rewritten
  // initial-exec sequence. Otherwise S = effective - A.
  bool symbol_only = false;
  // A "piece": which bits of the target address it holds (0: not simply
  // some bits of it, as MOVN's inverted ones), so that a piece of an IFUNC
  // symbol's stub can be recognised in each loader's own layout.
  u64 piece_mask = 0;
};

// A report's memory by target address, indexed once. Thread-local sections
// (whose "address" is a thread-pointer offset) are never found here.
// Sections of kind `prefer` ("stubs", "got", "common") are searched first.
class MemoryMap {
 public:
  MemoryMap(const LoadReport& report);  // implicit: one-off calls may pass a report
  const LoadReport& report() const { return *report_; }
  // The registry's entry for the report's triple (arch.h), or nullptr.
  const ReportArch* arch() const { return arch_; }
  bool little_endian() const { return little_endian_; }
  // `width` bytes of a section at `offset`, in the report's byte order
  // (false when outside the section).
  bool read_in(const ReportSection& s, u64 offset, unsigned width, u64& out) const;
  // A little-endian 32-bit instruction word (AArch64 code on any target).
  static bool read_insn(const ReportSection& s, u64 offset, u32& out);
  const ReportSection* section_at(u64 address, u64 length, const char* prefer = nullptr) const;
  bool read(u64 address, unsigned width, u64& out, const char* prefer = nullptr) const;
  bool defines(const std::string& symbol) const;  // a symbol the report defines
  bool defines(const std::string& symbol, u32 object) const;  // ... in that member of a set
  // The IFUNC symbol whose stub is at `address`, or nullptr.
  const ReportSymbol* ifunc_at(u64 address) const;
  // The IFUNC symbol `name` (of `object` first, else of any member), or nullptr.
  const ReportSymbol* ifunc_named(u32 object, const std::string& name) const;

  // Relocations and symbols by place and name, for the decoders that pair
  // one relocation with another (RISC-V, LoongArch): each lookup is log n,
  // where walking the report for every relocation made a comparison cost
  // n^2 (minutes on a 1 MB object). Built on first use. Indexes into the
  // report's `relocations` / `symbols`, in the report's order where more
  // than one answers.
  //
  // The relocations of `object` (in a section the report lists) whose field
  // is at target address `address`.
  std::span<const u32> relocations_at(u32 object, u64 address) const;
  // The relocations of `object` naming `symbol`.
  std::span<const u32> relocations_naming(u32 object, const std::string& symbol) const;
  // The address of the relocation of `type` in `like`'s section, with its
  // symbol and addend, nearest after (`after`) or before `from` (strictly);
  // with `exact`, one at `from` itself. False when there is none.
  bool partner_of(const ReportRelocation& like, u32 type, u64 from, bool after, bool exact, u64& at) const;
  // The symbols of `object` named `name` (in report order).
  std::span<const u32> symbols_named(u32 object, const std::string& name) const;
  // The symbols of `object` in section `section_index` at `address`.
  std::span<const u32> symbols_at(u32 object, i64 section_index, u64 address) const;

 private:
  struct Places;
  const Places& places() const;
  mutable std::shared_ptr<const Places> places_;
  struct Index {
    std::vector<const ReportSection*> sections;  // by address
    std::vector<u64> reach;                      // max end of sections[0..i]
    const ReportSection* find(u64 address, u64 length) const;
  };
  static Index make_index(std::vector<const ReportSection*> sections);
  const LoadReport* report_;
  const ReportArch* arch_ = nullptr;
  bool little_endian_ = true;
  Index all_;
  mutable std::vector<std::pair<std::string, Index>> by_kind_;  // by_kind() builds it on first use
  mutable bool by_kind_built_ = false;
  const std::vector<std::pair<std::string, Index>>& by_kind() const;
  struct Defined {
    u64 hash;  // of the name
    u32 object;
    const std::string* name;  // the report's
  };
  static u64 name_hash(const std::string& name);
  std::vector<Defined> defined_;  // sorted by (hash, object)
  std::vector<std::pair<u64, const ReportSymbol*>> ifuncs_;  // by address
};

// `previous` is the relocation listed just before `rel` (or nullptr): a
// call absorbed by a TLS rewrite is recognised by it.
DecodedField decode_field(const MemoryMap& memory, const ReportRelocation& rel, const ReportRelocation* previous);

// A loader-independent spelling of where a decoded field leads: an address
// for targets whose place the scenario fixes; "common:NAME+off" inside the
// common block; "ifunc:NAME" for an IFUNC symbol's stub ("ifunc-resolver:ADDR"
// for an unnamed one); "GOT+off";
// "tp-0x10"; "size 0x20"; "module 1".
std::string canonical_target(const MemoryMap& memory, const ReportRelocation& rel, const DecodedField& d);
// canonical_target(l...) == canonical_target(r...), without spelling both
// in the usual case (same parts, same text).
bool same_canonical_target(const MemoryMap& lmem, const ReportRelocation& lrel, const DecodedField& ld,
                           const MemoryMap& rmem, const ReportRelocation& rrel, const DecodedField& rd);

// A readable value: "0x... -> target" for messages.
std::string describe_field(const MemoryMap& memory, const ReportRelocation& rel, const DecodedField& d);

// The resolver an IFUNC stub of a loader's own leads to, read from its
// bytes: how an IFUNC symbol without a name is recognised.
bool ifunc_resolver(const MemoryMap& memory, u64 stub, u64& resolver);

// Per architecture.
DecodedField decode_field_x86_64(const MemoryMap& memory, const ReportRelocation& rel,
                                 const ReportRelocation* previous);
bool ifunc_resolver_x86_64(const MemoryMap& memory, u64 stub, u64& resolver);
DecodedField decode_field_aarch64(const MemoryMap& memory, const ReportRelocation& rel,
                                  const ReportRelocation* previous);
bool ifunc_resolver_aarch64(const MemoryMap& memory, u64 stub, u64& resolver);
DecodedField decode_field_riscv(const MemoryMap& memory, const ReportRelocation& rel,
                                const ReportRelocation* previous);
bool ifunc_resolver_riscv(const MemoryMap& memory, u64 stub, u64& resolver);
DecodedField decode_field_loongarch(const MemoryMap& memory, const ReportRelocation& rel,
                                    const ReportRelocation* previous);
bool ifunc_resolver_loongarch(const MemoryMap& memory, u64 stub, u64& resolver);
DecodedField decode_field_macho_x86_64(const MemoryMap& memory, const ReportRelocation& rel,
                                       const ReportRelocation* previous);
DecodedField decode_field_macho_arm64(const MemoryMap& memory, const ReportRelocation& rel,
                                      const ReportRelocation* previous);
DecodedField decode_field_macho_i386(const MemoryMap& memory, const ReportRelocation& rel,
                                     const ReportRelocation* previous);
DecodedField decode_field_macho_arm(const MemoryMap& memory, const ReportRelocation& rel,
                                    const ReportRelocation* previous);

}  // namespace jitload::conformance
