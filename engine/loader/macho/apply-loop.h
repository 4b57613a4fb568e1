// The apply loop the Mach-O CPUs share: each run of a section's entries in
// table order (as the assembler wrote them), the outcome of every entry
// recorded when outcomes are asked for. Included only by the CPUs' files.
#pragma once

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {

// The loader's own marks on an entry's type, above the Mach-O r_type and
// r_length bits: the UNSIGNED half of a SUBTRACTOR pair (S + A - B) and the
// loader's FDE address fix-up (S + A - P; loader.cc, "EH frames").
constexpr u32 kPairedUnsigned = 0x100;
constexpr u32 kEhPcrel = 0x200;

inline void record_outcome(ObjectState& obj, u32 k, const Fixup& f, bool applied) {
  RelocationOutcome& o = obj.outcomes[k];
  o.place = f.P;
  o.symbol = f.S;
  o.addend = f.A;
  o.value = f.value;
  o.effective = f.effective;
  o.via = f.via;
  o.applied = applied;
}

// The 64-bit CPUs (x86-64, arm64): a SUBTRACTOR (r_type kSubtractor) keeps
// its S as B for the UNSIGNED after it on the same field, which writes
// S + A - B; a failed SUBTRACTOR is reported and its UNSIGNED left alone.
// `passed(e, sec, k, report)` is true for an entry the loop passes over
// after recording what it wants (dynamic TLS entries, arm64's ADDEND).
// An external at 2^64 - 1 is left unapplied (llvm-rtdyld's -dummy-extern
// convention).
template <Error (*apply)(Fixup&, u64 B), u32 kSubtractor, class Passed>
[[gnu::always_inline]] inline void apply_runs_with_subtractor(ApplyContext& c, Passed passed) {
  ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  const u32 file_count = obj.file_relocation_count;
  const RelocationEntry* const relocs = obj.relocs.data();
  for (const ObjectState::Run& run : obj.runs) {
    const LoadedSection& sec = c.sections[run.section];
    u64 B = 0;
    bool have_b = false;
    for (u32 k = run.first; k < run.end; k++) {
      const RelocationEntry& e = relocs[k];
      const bool report = c.record && k < file_count;
      if (passed(e, sec, k, report)) continue;
      const u64 base = c.bases[c.first_of_kind[u8(e.target_kind)] + e.target];
      if (e.target_kind == TargetKind::External && base == ~u64(0)) {
        if (report) obj.outcomes[k].via = RelocationOutcome::Via::None;
        have_b = false;
        continue;
      }
      Fixup f{sec.local + e.offset, sec.target + e.offset, base + e.sym_offset, e.addend, c.got, 0, 0, e.type};
      if (e.flags & kRelGot) f.G = c.got + u64(e.slot) * arch.got_entry_size;
      if (e.flags & kRelStub) f.L = c.stubs + u64(e.slot) * arch.stub_size;
      Error err;
      if ((e.type & 0xf) == kSubtractor && !(e.type & kEhPcrel)) {
        have_b = !(e.flags & kRelFails);
        B = f.S;
        if (!have_b) err = refused_relocation(c, e);
        f.via = RelocationOutcome::Via::None;
        f.effective = 0;
      } else if (e.type & kPairedUnsigned) {
        if (!have_b) {  // its subtrahend failed and was reported
          if (report) obj.outcomes[k].via = RelocationOutcome::Via::None;
          continue;
        }
        have_b = false;
        err = !(e.flags & kRelFails) ? apply(f, B) : refused_relocation(c, e);
      } else {
        err = !(e.flags & kRelFails) ? apply(f, 0) : refused_relocation(c, e);
      }
      if (report) record_outcome(obj, k, f, !err);
      if (err) [[unlikely]]
        note_relocation_failure(c, sec, e, k, err);
    }
  }
}

}  // namespace jitload::macho
