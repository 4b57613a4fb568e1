// The loop that applies an object's relocations, written once and
// instantiated by each architecture with its own `apply` (see
// RelocationArch::apply_runs), so that apply is inlined into it: no call
// and no Fixup in memory per relocation. Recording outcomes (LoadReports)
// runs the same instantiation.
#pragma once

#include "engine/loader/core/arch.h"
#include "engine/loader/core/dyld-impl.h"

namespace jitload {

struct ApplyContext {
  ObjectState& obj;
  const LoadedSection* sections;  // the dyld's, by loader section id
  // S's base for (target_kind, target): bases[first_of_kind[kind] + target]
  // (TargetKind order: Section, External, Absolute).
  const u64* bases;
  u32 first_of_kind[3];
  u64 got, stubs;  // target addresses of the object's GOT and stubs (0: none)
  bool record;     // fill obj.outcomes, sized to the file's relocation count
  // Out: the relocations that failed (the loader's own GOT and stub fills
  // for an external that failed are not counted: the file's relocations
  // that use them are), and the first few errors, located.
  u32 failed = 0;
  Error first_error;
  std::string more_errors;
  // The loader, for errors that name another object (dynamic TLS).
  const RuntimeDyld::Impl* dyld = nullptr;
};

// Why an entry flagged kRelFails fails (dyld.cc; out of the loop's line).
[[gnu::noinline, gnu::cold]] Error refused_relocation(const ApplyContext& c, const RelocationEntry& e);

// Records the failure of entry `e` (file relocation k when k < the file's
// count): its located error into its outcome and into c (dyld.cc).
[[gnu::noinline, gnu::cold]] void note_relocation_failure(ApplyContext& c, const LoadedSection& sec,
                                                          const RelocationEntry& e, u32 k, const Error& err);

// Applies every run of c.obj: every entry that can be applied is, and each
// one that cannot is noted (note_relocation_failure) and left untouched.
//
// Aligned to a cache line so that where its loop falls depends on this
// code alone: placed at 48 bytes past a line, as an edit elsewhere in the
// library once put it, the same instructions applied relocations 25%
// slower (Emerald Rapids; the loop is short and runs 50,000 times a load).
//
// Record (outcomes wanted) is a template parameter: the loads that every
// client but the reports make pay nothing per entry for the reports' stores.
template <Error (*Apply)(Fixup&), bool Record>
[[gnu::noinline, gnu::aligned(64)]] void apply_runs_as(ApplyContext& c) {
  ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  const u32 file_count = obj.file_relocation_count;
  const RelocationEntry* const relocs = obj.relocs.data();
  // What every entry reads, as locals: the loop writes through byte
  // pointers, which may alias anything in memory, so members of c and of
  // the architecture would be loaded again after each field written.
  constexpr bool record = Record;
  const u64* const bases = c.bases;
  const u32 first_of_kind[3] = {c.first_of_kind[0], c.first_of_kind[1], c.first_of_kind[2]};
  const u64 got = c.got, stubs = c.stubs;
  const u64 got_entry_size = arch.got_entry_size, stub_size = arch.stub_size;
  for (const ObjectState::Run& run : obj.runs) {
    const LoadedSection& sec = c.sections[run.section];
    u8* const local = sec.local;
    const u64 place = sec.target;
    const u32 end = run.end;
    for (u32 k = run.first; k < end; k++) {
      const RelocationEntry& e = relocs[k];
      const bool report = record && k < file_count;  // the file's relocation k
      // Consumed, or left to apply_dynamic_tls_entries (core/tls-loader.h),
      // which applies dynamic TLS entries after this loop, out of its way.
      if (e.flags & (kRelConsumed | kRelDynamicTls)) {
        if (report) obj.outcomes[k].via = RelocationOutcome::Via::None;
        continue;
      }
      const u64 base = bases[first_of_kind[u8(e.target_kind)] + e.target];
      Fixup f{local + e.offset, place + e.offset, base + e.sym_offset, e.addend, got, 0, 0, e.type};
      if (e.flags & (kRelGot | kRelGotTpoff | kRelStub)) [[unlikely]] {
        if (e.flags & (kRelGot | kRelGotTpoff)) f.G = got + u64(e.slot) * got_entry_size;
        if (e.flags & kRelStub) f.L = stubs + u64(e.slot) * stub_size;
      }
#ifdef JITLOAD_PLANTED_BUG
      // The deliberate bug the differential fuzzer must find (test builds only):
      // the architecture's 32-bit PC-relative fields whose place is
      // 0x40-aligned are off by one (the type is the architecture's to name).
      if (e.type == arch.planted_bug_type && (f.P & 0x3f) == 0) f.A += 1;
#endif
      Error err = !(e.flags & kRelFails) ? Apply(f) : refused_relocation(c, e);
      if (report) {
        RelocationOutcome& o = obj.outcomes[k];
        o.place = f.P;
        o.symbol = f.S;
        o.addend = f.A;
        o.value = f.value;
        o.effective = f.effective;
        o.via = f.via;
        o.applied = !err;
      }
      if (err) [[unlikely]]
        note_relocation_failure(c, sec, e, k, err);
    }
  }
}

template <Error (*Apply)(Fixup&)>
void apply_runs(ApplyContext& c) {
  if (c.record)
    apply_runs_as<Apply, true>(c);
  else
    apply_runs_as<Apply, false>(c);
}

}  // namespace jitload
