// What the format-independent part of the loader needs from an
// architecture: names of relocation types, the shape of GOT slots and call
// stubs, and `apply_runs`, which applies an object's relocations: the
// shared loop of core/apply-runs.h built around the architecture's own
// `Error apply(Fixup&)`, which computes one relocation's value and encodes
// it (loc..loc+width was checked to lie inside the section at scan time).
// Each architecture file (elf/x86-64.cc, …) defines one of these.
#pragma once

#include <string_view>

#include "engine/loader/core/base.h"
#include "engine/loader/dyld.h"

namespace jitload {

struct ApplyContext;

// RelocationEntry::flags, set by a format's scan.
enum : u16 {
  kRelGot = 1 << 0,       // needs a GOT slot holding S
  kRelGotTpoff = 1 << 1,  // needs a GOT slot holding S's thread-pointer offset
  kRelStub = 1 << 2,      // needs a call stub to S (used only when S is out of reach)
  kRelConsumed = 1 << 3,  // absorbed by a neighbour's relaxation: apply nothing
  kRelSynthetic = 1 << 4, // made by the loader (GOT fill, stub fill), not in the file
  kRelNeedsGot = 1 << 5,  // refers to the GOT's address: the object needs a GOT
  kRelSize = 1 << 6,      // reads Z, the symbol's size, in place of S
  kRelBadTls = 1 << 7,    // a TLS type on an ordinary symbol or the reverse: fails when applied
  kRelExternalSize = 1 << 8,  // a size relocation on an external symbol, whose size is unknown: fails when applied
  kRelRelaxed = 1 << 9,   // rewritten with its code sequence (TLS): owns the whole sequence
  kRelUnresolved = 1 << 10,  // S is an external that failed to resolve (ObjectState::external_errors): fails when applied
  kRelBadInsn = 1 << 14,  // a TLS rewrite's relocation on an instruction not of its sequence: fails when applied
  // Any of these: the entry fails when applied, without computing anything.
  kRelFails = kRelBadTls | kRelExternalSize | kRelUnresolved | kRelBadInsn,
  // Dynamic TLS (numbered from 11: 10 is taken on the linkage branch).
  // Needs a tls_index pair of GOT slots, {module, offset} / {module, 0}:
  kRelTlsGdPair = 1 << 11,
  kRelTlsLdPair = 1 << 12,  // (on the loader's DTPMOD fill of a {module, 0} pair: that pair's module slot)
  kRelDynamicTls = 1 << 13,  // a TLS type under dynamic TLS: applied by apply_dynamic_tls_entries
};

// Everything apply needs for one relocation, computed by the generic loop:
// the psABI's letters. Apply fills value/effective/via.
struct Fixup {
  u8* loc;           // host address of the field
  u64 P;             // target address of the field
  u64 S;             // target address of the symbol (or its TLS offset, or its size)
  i64 A;             // addend
  u64 GOT;           // target address of the object's GOT (0 if none)
  u64 G;             // target address of this relocation's GOT slot (0 if none)
  u64 L;             // target address of this relocation's stub (0 if none)
  u32 type;
  // out:
  u64 value = 0;
  u64 effective = 0;
  RelocationOutcome::Via via = RelocationOutcome::Via::Direct;
};

struct RelocationArch {
  const char* name;                 // "x86-64"
  u32 got_entry_size;               // bytes per GOT slot
  u32 stub_size;                    // bytes per call stub
  u32 stub_align;
  u32 stub_address_offset;          // where in the stub its 64-bit target lives
  u32 abs64_type;                   // the type that writes S + A as 64 bits (GOT/stub fills)
  u32 tpoff64_type;                 // the type that writes S's TP offset as 64 bits
  void (*write_stub)(u8* where);    // the stub's code, target left zero
  std::string_view (*type_name)(u32 type);
  // Every relocation of an object: apply_runs<apply> (core/apply-runs.h)
  // with this architecture's apply inlined into the loop.
  void (*apply_runs)(ApplyContext& c);

  // TlsStrategy::Dynamic (core/tls-runtime.h): entries flagged
  // kRelDynamicTls, computed from module keys, out of the common loop; the
  // types that fill a tls_index pair.
  // Where it is null (no dynamic TLS for the machine in this process),
  // such an entry fails with Unsupported naming the architecture.
  Error (*apply_dynamic_tls)(Fixup& f) = nullptr;
  u32 dtpmod64_type = kNone;
  u32 dtpoff64_type = kNone;
  // The 32-bit DTPOFF type (local-dynamic code), kNone where there is none.
  u32 dtpoff32_type = kNone;
  // IFUNC (STT_GNU_IFUNC) support; ifunc_stub_size 0: none. Each IFUNC
  // symbol becomes a stub that jumps through a writable slot pair
  // {target, resolver}; the target starts as a shared trampoline that calls
  // the resolver once and stores its answer. The stub reaches its slot pair
  // through one PC-relative field: pc32_type at ifunc_stub_field with
  // addend ifunc_stub_addend.
  u32 ifunc_trampoline_size = 0;
  void (*write_ifunc_trampoline)(u8* where) = nullptr;
  u32 ifunc_stub_size = 0;
  void (*write_ifunc_stub)(u8* where) = nullptr;
  u32 ifunc_stub_field = 0;
  i64 ifunc_stub_addend = 0;
  u32 pc32_type;
  // JITLOAD_PLANTED_BUG builds only (core/apply-runs.h): the 32-bit
  // PC-relative type whose fields at 0x40-aligned places are off by one.
  u32 planted_bug_type = ~0u;
};

// "R_X86_64_PC32", or "type 0x99" for unknown numbers (static storage).
std::string_view unknown_type_name(u32 type);

}  // namespace jitload
