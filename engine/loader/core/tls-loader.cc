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

namespace {

// The object whose TLS module has key `key` (for errors), or "?".
std::string_view module_owner(const ApplyContext& c, u64 key) {
  if (!c.dyld) return "?";
  for (const LoadedSection& s : c.dyld->sections)
    if ((s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) && tls::is_key_address(s.target) &&
        tls::module_key(s.target) == key && s.object < c.dyld->objects.size())
      return c.dyld->objects[s.object]->name;
  return "?";
}

// Is entry e, in section sec, one whose module local-dynamic code decides:
// the module slot of a {module, 0} pair, or a DTPOFF in the object's code
// or data (not in debug sections, whose DTPOFFs are each relative to
// their own variable's module)?
bool is_local_dynamic(const RelocationArch& arch, const LoadedSection& sec, const RelocationEntry& e) {
  if (e.flags & kRelSynthetic) return (e.flags & kRelTlsLdPair) && !(e.flags & kRelUnresolved);
  return !(e.flags & kRelFails) && sec.allocatable && (e.type == arch.dtpoff64_type || e.type == arch.dtpoff32_type);
}

// The module local-dynamic code of this object is relative to: the one its
// {module, 0} pairs name. A static link gives a program one TLS block, so
// a compiler may pair one __tls_get_addr(module, 0) call with the DTPOFF
// of every variable it believes is in that block (dso_local: the object's
// own, or a weak/protected one it defines) — and the set may have chosen
// another object's definition of some of them. Which DTPOFF goes with
// which call the relocations do not say, so one base per object keeps
// every pair and every DTPOFF consistent: when all of the object's
// local-dynamic relocations name one module, that one (whichever object
// it belongs to, static or per thread); otherwise the object's own
// module if it is among them, else the first named, and the others are
// reached at their distance from it (apply_dynamic_tls_entries). 0: none
// (no local-dynamic code, or only host variables).
u64 local_dynamic_base(const ApplyContext& c) {
  const ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  u64 own = 0;
  for (u32 id = obj.first_section; id < obj.first_section + obj.section_count; id++) {
    const LoadedSection& s = c.sections[id];
    if ((s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) && tls::is_key_address(s.target)) {
      own = tls::module_key(s.target);
      break;
    }
  }
  u64 first = 0;
  bool several = false, own_named = false;
  for (const ObjectState::Run& run : obj.runs)
    for (u32 k = run.first; k < run.end; k++) {
      const RelocationEntry& e = obj.relocs[k];
      if (!(e.flags & kRelDynamicTls) || !is_local_dynamic(arch, c.sections[run.section], e)) continue;
      const u64 S = c.bases[c.first_of_kind[u8(e.target_kind)] + e.target] + e.sym_offset;
      if (!tls::is_key_address(S)) continue;
      const u64 m = tls::module_key(S);
      if (!first) first = m;
      if (m != first) several = true;
      if (m == own) own_named = true;
    }
  if (several && own_named) return own;
  return first;
}

}  // namespace

void apply_dynamic_tls_entries(ApplyContext& c) {
  ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  const u64 ld_base = local_dynamic_base(c);
  for (const ObjectState::Run& run : obj.runs) {
    const LoadedSection& sec = c.sections[run.section];
    for (u32 k = run.first; k < run.end; k++) {
      const RelocationEntry& e = obj.relocs[k];
      if (!(e.flags & kRelDynamicTls)) continue;
      const u64 base = c.bases[c.first_of_kind[u8(e.target_kind)] + e.target];
      Fixup f{sec.local + e.offset, sec.target + e.offset, base + e.sym_offset, e.addend, c.got, 0, 0, e.type};
      if (e.flags & (kRelGot | kRelGotTpoff)) f.G = c.got + u64(e.slot) * arch.got_entry_size;
      const u64 S = f.S;
      const i64 A = f.A;
      Error err = Error::success();
      if (ld_base && (e.flags & kRelSynthetic) && (e.flags & kRelTlsLdPair) && tls::is_key_address(S)) {
        // A {module, 0} pair: the object's local-dynamic base, whichever
        // object's definition its symbol got.
        f.S = ld_base;
      } else if (ld_base && !(e.flags & kRelSynthetic) && is_local_dynamic(arch, sec, e) && tls::is_key_address(S) &&
                 tls::module_key(S) != ld_base) {
        // Local-dynamic code's offset of a variable the set defines in
        // another object's module: it is added to the base module's block.
        // Both blocks static: they are the same distance apart in every
        // thread (each at one offset from the thread pointer), so the
        // offset is that distance plus the variable's. A per-thread block
        // has no such distance: an error saying how to compile instead.
        const u64 other = tls::module_key(S);
        std::optional<i64> tp_base = tls::static_tp_offset(ld_base), tp_other = tls::static_tp_offset(other);
        if (tp_base && tp_other) {
          f.S = ld_base;  // so the type's own formula (S + A - the module's start) gives A'
          f.A = A + (*tp_other - *tp_base) + i64(S - other);
          tls::add_companion(ld_base, other);
        } else {
          std::string_view def = module_owner(c, other), base_owner = module_owner(c, ld_base);
          std::string_view per_thread = tp_other ? base_owner : def;
          err = Error(ErrorKind::Unsupported,
                      format("is local-dynamic code, and %s's local-dynamic code reaches the thread-local variables "
                             "of more than one object's TLS module from one __tls_get_addr(module, 0) base (%.*s's "
                             "block); this variable's definition the set chose in %.*s; two blocks are a fixed "
                             "distance apart only when both are in the static TLS reserve, and %.*s's block is "
                             "allocated per thread (too large, or the reserve is full): compile %s with "
                             "-ftls-model=global-dynamic",
                             obj.name.c_str(), int(base_owner.size()), base_owner.data(), int(def.size()), def.data(),
                             int(per_thread.size()), per_thread.data(), obj.name.c_str()));
        }
      }
      if (!err)
        err = arch.apply_dynamic_tls
                  ? arch.apply_dynamic_tls(f)
                  : Error(ErrorKind::Unsupported,
                          format("dynamic TLS is not available for %s code in this process", arch.name));
      if (c.record && k < obj.file_relocation_count) {
        RelocationOutcome& o = obj.outcomes[k];
        o.place = f.P;
        o.symbol = S;
        o.addend = A;
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
  // Local-dynamic code's module base (AArch64 TLS descriptors of it, what
  // clang emits for -ftls-model=local-dynamic when asked for the LD form):
  // a static link defines it at the start of the one TLS block. In the
  // static model DTPREL is taken as TPREL (one module whose block starts
  // at the thread pointer), so the base is TP offset 0.
  if (memory.tls_strategy() == TlsStrategy::StaticRewrite && name == "_TLS_MODULE_BASE_") return 0;
  return std::nullopt;
}

}  // namespace jitload
