#include "engine/loader/core/tls-loader.h"

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/tls-runtime.h"

namespace jitload {

Error place_tls_module(RuntimeDyld::Impl& dyld, const ObjectState& obj, u32 first, std::string_view static_reason) {
  auto is_tls = [](const LoadedSection& s) { return s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss; };
  // Offsets: .tdata-like sections, then .tbss-like ones, so the image's
  // initialised part is one prefix. Sizes are below 2^32 each (the
  // loader's limit), so the sum cannot wrap.
  u64 size = 0, init_size = 0;
  u32 align = 1;
  bool any = false;
  for (SectionKind kind : {SectionKind::Tls, SectionKind::TlsBss})
    for (u32 id = first; id < dyld.sections.size(); id++) {
      LoadedSection& s = dyld.sections[id];
      if (s.kind != kind) continue;
      any = true;
      const u32 a = std::max<u32>(s.align, 1);
      size = (size + a - 1) & ~u64(a - 1);
      s.tp_offset = i64(size);  // provisional: the offset in the block
      size += s.size;
      align = std::max(align, a);
      if (kind == SectionKind::Tls) init_size = size;
    }
  if (!any) return Error::success();
  auto m = dyld.memory.allocate_tls_module(size, init_size, align, static_reason);
  if (!m) {
    Error err = m.take_error();
    return Error(err.kind(), format("%s: %s", obj.name.c_str(), err.message().c_str()));
  }
  for (u32 id = first; id < dyld.sections.size(); id++) {
    LoadedSection& s = dyld.sections[id];
    if (!is_tls(s)) continue;
    const u64 offset = u64(s.tp_offset);
    s.local = m->image + offset;
    s.target = m->key + offset;
    // The thread-pointer offset where the block is static; 0 otherwise.
    auto tp = tls::static_tp_offset(m->key);
    s.tp_offset = tp ? *tp + i64(offset) : 0;
  }
  return Error::success();
}

void apply_dynamic_tls_entries(ApplyContext& c) {
  ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  for (const ObjectState::Run& run : obj.runs) {
    const LoadedSection& sec = c.sections[run.section];
    for (u32 k = run.first; k < run.end; k++) {
      const RelocationEntry& e = obj.relocs[k];
      if (!(e.flags & kRelDynamicTls)) continue;
      const u64 base = c.bases[c.first_of_kind[u8(e.target_kind)] + e.target];
      Fixup f{sec.local + e.offset, sec.target + e.offset, base + e.sym_offset, e.addend, c.got, 0, 0, e.type};
      if (e.flags & (kRelGot | kRelGotTpoff)) f.G = c.got + u64(e.slot) * arch.got_entry_size;
      Error err = arch.apply_dynamic_tls(f);
      if (c.record && k < obj.file_relocation_count) {
        RelocationOutcome& o = obj.outcomes[k];
        o.place = f.P;
        o.symbol = f.S;
        o.addend = f.A;
        o.value = f.value;
        o.effective = f.effective;
        o.via = f.via;
        o.applied = !err;
      }
      if (err) note_relocation_failure(c, sec, e, k, err);
    }
  }
}

std::optional<u64> tls_special_symbol(const MemoryManager& memory, std::string_view name) {
  if (memory.tls_strategy() == TlsStrategy::Dynamic && name == "__tls_get_addr") return tls::get_addr_entry();
  return std::nullopt;
}

}  // namespace jitload
