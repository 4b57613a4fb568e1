// RuntimeDyld: format dispatch, the resolve-and-apply loop, symbol lookup
// and introspection. Format specifics live in elf/ (and later macho/, coff/);
// architecture specifics in one file per architecture.
#include "engine/loader/dyld.h"

#include <algorithm>

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/dyld-impl.h"
#include "engine/loader/core/format.h"
#include "engine/loader/core/tls-loader.h"

namespace jitload {

const char* section_kind_name(SectionKind kind) {
  switch (kind) {
    case SectionKind::Code: return "code";
    case SectionKind::ReadOnly: return "rodata";
    case SectionKind::Data: return "data";
    case SectionKind::Bss: return "bss";
    case SectionKind::Tls: return "tls";
    case SectionKind::TlsBss: return "tbss";
    case SectionKind::Common: return "common";
    case SectionKind::Got: return "got";
    case SectionKind::Stubs: return "stubs";
  }
  return "?";
}

std::string_view unknown_type_name(u32 type) {
  // Messages must never show a bare number without saying it is unknown.
  thread_local char buf[32];
  std::snprintf(buf, sizeof buf, "<unknown type 0x%x>", type);
  return buf;
}

RuntimeDyld::RuntimeDyld(MemoryManager& memory, SymbolResolver* resolver)
    : impl_(std::make_unique<Impl>(memory, resolver)) {}

RuntimeDyld::~RuntimeDyld() = default;

Expected<LoadedObjectInfo> RuntimeDyld::load_object(std::span<const u8> bytes, std::string_view name) {
  Impl& d = *impl_;
  const ObjectFormat* format = nullptr;
  for (const ObjectFormat* f : object_formats())
    if (f->matches(bytes)) {
      format = f;
      break;
    }
  if (!format)
    return Error(ErrorKind::Unsupported,
                 jitload::format("%.*s: not an object file of a supported format (ELF)", int(name.size()), name.data()), 0);

  size_t sections_before = d.sections.size();
  size_t symbols_before = d.symbols.size();
  auto obj = std::make_unique<ObjectState>();
  obj->name = std::string(name);
  d.objects.push_back(std::move(obj));
  LoadState state(d, *d.objects.back());
  if (Error err = format->load(state, bytes)) {
    // Roll back: the dyld is as it was (memory already handed out by the
    // memory manager stays with it, as in LLVM).
    d.objects.pop_back();
    d.sections.resize(sections_before);
    if (d.symbols.size() != symbols_before) {
      d.symbols.resize(symbols_before);
      d.rebuild_symbol_maps();
    }
    return err;
  }
  return LoadedObjectInfo(this, u32(d.objects.size() - 1));
}

const u32* RuntimeDyld::Impl::find_local(std::string_view name) const {
  // Locals are looked up rarely (checkers, tools) but loaded by the
  // thousand: index them on first use, and only the ones added since.
  for (; locals_indexed < symbols.size(); locals_indexed++)
    if (symbols[locals_indexed].flags.binding == SymbolBinding::Local)
      locals.insert(symbols[locals_indexed].name, u32(locals_indexed));
  return locals.find(name);
}

void RuntimeDyld::Impl::rebuild_symbol_maps() {
  globals = SymbolMap();
  locals = SymbolMap();
  locals_indexed = 0;
  for (size_t i = 0; i < symbols.size(); i++) {
    const LoadedSymbol& s = symbols[i];
    if (s.flags.binding == SymbolBinding::Local) continue;
    auto [slot, inserted] = globals.insert(s.name, u32(i));
    if (!inserted && s.flags.binding == SymbolBinding::Global &&
        symbols[*slot].flags.binding == SymbolBinding::Weak)
      *slot = u32(i);
  }
}

Error RuntimeDyld::map_section_address(const void* local, u64 target) {
  for (LoadedSection& s : impl_->sections)
    if (s.local == local && s.local) {
      s.target = target;
      impl_->invalidate_applied();
      return Error::success();
    }
  return Error(ErrorKind::Argument, format("map_section_address: %p is not the start of a loaded section", local));
}

Error RuntimeDyld::map_section_address(u32 section_id, u64 target) {
  if (section_id >= impl_->sections.size())
    return Error(ErrorKind::Argument, format("map_section_address: no section with id %u", section_id));
  impl_->sections[section_id].target = target;
  impl_->invalidate_applied();
  return Error::success();
}

std::optional<u64> RuntimeDyld::Impl::resolve_external(std::string_view name, bool* tls) {
  // Objects loaded here first, then the client's resolver, then the memory manager.
  if (const u32* i = globals.find(name)) {
    const LoadedSymbol& s = symbols[*i];
    if (tls) *tls = s.section != kNone && (sections[s.section].kind == SectionKind::Tls ||
                                           sections[s.section].kind == SectionKind::TlsBss);
    return s.section == kNone ? s.offset : sections[s.section].target + s.offset;
  }
  if (auto a = tls_special_symbol(memory, name)) return a;
  if (resolver) return resolver->lookup(name);
  return memory.find_symbol(name);
}

Error RuntimeDyld::Impl::resolve_object(ObjectState& obj) {
  // 1. External symbols: all of them, so one error can name every missing one.
  std::string missing;
  size_t missing_count = 0;
  for (ExternalSymbol& x : obj.externals) {
    bool tls = x.tls;  // a definition loaded here says; the resolver's answers are taken as asked
    if (auto a = resolve_external(x.name, &tls)) {
      x.address = *a;
      x.resolved = true;
      // A thread-pointer offset is no address, and an address no offset:
      // link editors refuse this as a TLS attribute mismatch.
      if (tls != x.tls)
        return Error(ErrorKind::Unsupported,
                     format("%s: symbol '%.*s' is %sthread-local here but %sthread-local where it is defined (TLS attribute mismatch)",
                            obj.name.c_str(), int(x.name.size()), x.name.data(), x.tls ? "" : "not ", tls ? "" : "not "));
    } else if (x.weak) {
      x.address = 0;  // an undefined weak symbol is zero
      x.resolved = true;
    } else {
      x.resolved = false;
      if (missing_count++ < 8) missing += format("%s'%.*s'", missing.empty() ? "" : ", ", int(x.name.size()), x.name.data());
    }
  }
  if (missing_count)
    return Error(ErrorKind::Unresolved, format("%s: undefined symbol%s %s%s", obj.name.c_str(), missing_count > 1 ? "s" : "",
                                               missing.c_str(), missing_count > 8 ? ", …" : ""));

  // 2. Every relocation, in one pass: S's base comes from its list — a
  // section of this object, an external symbol, or an absolute value.
  const u64 got = obj.got_section != kNone ? sections[obj.got_section].target : 0;
  const u64 stubs = obj.stub_section != kNone ? sections[obj.stub_section].target : 0;
  const u32 nsec = obj.section_count;
  const bool record = keep_outcomes;
  if (record) obj.outcomes.assign(obj.file_relocation_count, RelocationOutcome{});
  std::vector<u64> bases(size_t(nsec) + obj.externals.size() + obj.absolutes.size(), 0);
  for (u32 k = 0; k < nsec; k++) bases[k] = sections[obj.first_section + k].target;
  for (size_t k = 0; k < obj.externals.size(); k++) bases[nsec + k] = obj.externals[k].address;
  for (size_t k = 0; k < obj.absolutes.size(); k++) bases[nsec + obj.externals.size() + k] = obj.absolutes[k];
  // Where each kind's list starts in `bases` (TargetKind order: Section, External, Absolute).
  ApplyContext c{obj, sections.data(), bases.data(), {0, nsec, nsec + u32(obj.externals.size())}, got, stubs, record};
  Error err = obj.arch->apply_runs(c);
  if (obj.dynamic_tls_entries && (!err || record)) apply_dynamic_tls_entries(c, err);
  return err;
}

Error locate_relocation_error(const ApplyContext& c, const LoadedSection& sec, const RelocationEntry& e,
                              const Error& err) {
  const ObjectState& obj = c.obj;
  std::string_view sym = e.target_kind == TargetKind::External ? obj.externals[e.target].name : std::string_view();
  std::string_view tname = obj.arch->type_name(e.type);
  return Error(err.kind(), format("%s:(%.*s+0x%llx): relocation %.*s %s%s%.*s%s", obj.name.c_str(), int(sec.name.size()),
                                  sec.name.data(), (unsigned long long)e.offset, int(tname.size()), tname.data(),
                                  err.message().c_str(), sym.empty() ? "" : "; references '", int(sym.size()),
                                  sym.data(), sym.empty() ? "" : "'"));
}

Error RuntimeDyld::resolve_relocations() {
  Error first;
  for (auto& obj : impl_->objects) {
    // A finalized object's memory is read-only (and its EH frames may be
    // registered): its relocations were applied for good.
    if (obj->finalized || obj->applied) continue;
    if (Error err = impl_->resolve_object(*obj)) {
      if (!impl_->keep_outcomes) return err;
      if (!first) first = std::move(err);
      continue;
    }
    obj->applied = true;
  }
  return first;
}

std::optional<JitSymbol> RuntimeDyld::get_symbol(std::string_view name) const {
  const Impl& d = *impl_;
  const u32* i = d.globals.find(name);
  if (!i) i = d.find_local(name);
  if (!i) return std::nullopt;
  const LoadedSymbol& s = d.symbols[*i];
  return JitSymbol{s.section == kNone ? s.offset : d.sections[s.section].target + s.offset, s.flags};
}

void* RuntimeDyld::get_symbol_local_address(std::string_view name) const {
  const Impl& d = *impl_;
  const u32* i = d.globals.find(name);
  if (!i) i = d.find_local(name);
  if (!i) return nullptr;
  const LoadedSymbol& s = d.symbols[*i];
  if (s.section == kNone) return nullptr;
  const LoadedSection& sec = d.sections[s.section];
  return sec.local ? sec.local + s.offset : nullptr;
}

u64 RuntimeDyld::get_section_load_address(u32 section_id) const {
  return section_id < impl_->sections.size() ? impl_->sections[section_id].target : 0;
}

void RuntimeDyld::register_eh_frames() {
  Impl& d = *impl_;
  for (auto& obj : d.objects) {
    if (obj->eh_registered) continue;
    for (u32 id : obj->eh_frame_sections) {
      LoadedSection& s = d.sections[id];
      d.memory.register_eh_frames(s.local, s.target, s.size);
    }
    obj->eh_registered = true;
  }
}

void RuntimeDyld::deregister_eh_frames() {
  impl_->memory.deregister_eh_frames();
  for (auto& obj : impl_->objects) obj->eh_registered = false;
}

Error RuntimeDyld::finalize() {
  TRY(resolve_relocations());
  register_eh_frames();
  TRY(impl_->memory.finalize_memory());
  for (auto& obj : impl_->objects) obj->finalized = true;
  return Error::success();
}

std::span<const LoadedSection> RuntimeDyld::sections() const { return impl_->sections; }
std::span<const LoadedSymbol> RuntimeDyld::symbols() const { return impl_->symbols; }
u32 RuntimeDyld::object_count() const { return u32(impl_->objects.size()); }
std::string_view RuntimeDyld::object_name(u32 object) const { return impl_->objects.at(object)->name; }
std::span<const ExternalSymbol> RuntimeDyld::externals(u32 object) const { return impl_->objects.at(object)->externals; }
std::vector<RelocationRecord> RuntimeDyld::relocations(u32 object) const { return impl_->objects.at(object)->records; }
void RuntimeDyld::enable_outcomes(bool on) {
  impl_->keep_outcomes = on;
  impl_->invalidate_applied();
}
void RuntimeDyld::set_process_all_sections(bool on) { impl_->process_all_sections = on; }
std::span<const RelocationOutcome> RuntimeDyld::outcomes(u32 object) const { return impl_->objects.at(object)->outcomes; }

std::optional<u64> RuntimeDyld::got_entry_address(u32 object, std::string_view symbol) const {
  const Impl& d = *impl_;
  if (object >= d.objects.size()) return std::nullopt;
  const ObjectState& o = *d.objects[object];
  for (size_t k = 0; k < o.got_slots.size(); k++) {
    const SlotTarget& t = o.got_slots[k];
    std::string_view name;
    if (t.kind == TargetKind::External) name = o.externals[t.target].name;
    else
      for (const LoadedSymbol& s : d.symbols)
        if (s.object == object && s.section == o.first_section + t.target && s.offset == t.sym_offset) {
          name = s.name;
          break;
        }
    if (name == symbol) return d.sections[o.got_section].target + k * o.arch->got_entry_size;
  }
  return std::nullopt;
}

std::optional<u64> RuntimeDyld::stub_address(u32 object, std::string_view symbol) const {
  const Impl& d = *impl_;
  if (object >= d.objects.size()) return std::nullopt;
  const ObjectState& o = *d.objects[object];
  for (size_t k = 0; k < o.stubs.size(); k++) {
    const SlotTarget& t = o.stubs[k];
    if (t.kind == TargetKind::External && o.externals[t.target].name == symbol)
      return d.sections[o.stub_section].target + k * o.arch->stub_size;
  }
  return std::nullopt;
}

const LoadedSection* RuntimeDyld::section_at_target(u64 target, u64 len) const {
  for (const LoadedSection& s : impl_->sections) {
    if (s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) continue;
    if (target >= s.target && target - s.target <= s.size && len <= s.size - (target - s.target)) return &s;
  }
  return nullptr;
}

const LoadedSection* RuntimeDyld::section_at_local(const void* local) const {
  auto p = reinterpret_cast<uintptr_t>(local);
  for (const LoadedSection& s : impl_->sections) {
    auto b = reinterpret_cast<uintptr_t>(s.local);
    if (s.local && p >= b && p - b < std::max<u64>(s.size, 1)) return &s;
  }
  return nullptr;
}

std::string_view RuntimeDyld::relocation_type_name(u32 object, u32 type) const {
  return impl_->objects.at(object)->arch->type_name(type);
}

std::optional<u64> LoadedObjectInfo::section_load_address(std::string_view name) const {
  if (auto id = section_id(name)) return dyld_->get_section_load_address(*id);
  return std::nullopt;
}

std::optional<u32> LoadedObjectInfo::section_id(std::string_view name) const {
  auto secs = dyld_->sections();
  for (u32 i = 0; i < secs.size(); i++)
    if (secs[i].object == object_ && secs[i].name == name) return i;
  return std::nullopt;
}

}  // namespace jitload
