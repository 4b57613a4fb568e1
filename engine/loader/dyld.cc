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

RuntimeDyld::~RuntimeDyld() {
  // Destructors of this dyld's code run while the code is still there.
  if (impl_->cxx) impl_->cxx->finish();
}

void RuntimeDyld::enable_cxx_runtime() {
  if (!impl_->cxx) impl_->cxx = std::make_unique<CxxRuntime>(*this);
}

CxxRuntime* RuntimeDyld::cxx_runtime() { return impl_->cxx.get(); }

std::optional<u64> RuntimeDyld::Impl::cxx_lookup(std::string_view name, const ObjectState& from) {
  // Most names are none of the runtime's: only theirs pay for finding the
  // object's index.
  if (!cxx->lookup(name, kNone) && name != "__dso_handle") return std::nullopt;
  for (u32 k = 0; k < objects.size(); k++)
    if (objects[k].get() == &from) return cxx->lookup(name, k);
  return std::nullopt;
}

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
                 jitload::format("%.*s: not an object file of a supported format (ELF, Mach-O)", int(name.size()), name.data()), 0);

  size_t sections_before = d.sections.size();
  size_t symbols_before = d.symbols.size();
  auto obj = std::make_unique<ObjectState>();
  obj->name = std::string(name);
  d.objects.push_back(std::move(obj));
  LoadState state(d, *d.objects.back());
  Error err = format->load(state, bytes);
  // One program is for one machine: one format, machine, class and byte
  // order (each its own RelocationArch), as a link editor refuses
  // "incompatible" objects. Its symbols could not bind to another's code.
  if (!err && d.objects.size() > 1 && d.objects.back()->arch != d.objects.front()->arch)
    err = Error(ErrorKind::Unsupported,
                jitload::format("%.*s: is a %s object, but this RuntimeDyld's objects are %s (%s): one program is "
                                "for one machine",
                                int(name.size()), name.data(), d.objects.back()->arch->name,
                                d.objects.front()->arch->name, d.objects.front()->name.c_str()),
                0);
  if (err) {
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
  const u32 loaded = u32(d.objects.size() - 1);
  d.mark_rebound(loaded);
  return LoadedObjectInfo(this, loaded);
}

u32 RuntimeDyld::Impl::find_local(std::string_view name) const {
  // Locals are looked up rarely (checkers, tools) but loaded by the
  // thousand: index them on first use, and only the ones added since. The
  // lock makes this lazy step safe when lookups run in many threads.
  std::lock_guard<std::mutex> lock(locals_lock);
  for (; locals_indexed < symbols.size(); locals_indexed++)
    if (symbols[locals_indexed].flags.binding == SymbolBinding::Local)
      locals.insert(symbols[locals_indexed].name, u32(locals_indexed));
  const u32* i = locals.find(name);
  return i ? *i : kNone;
}

// Rule L2's order: a strong definition (global, GNU_UNIQUE, absolute)
// beats a common one, which beats a weak one.
// Commonness comes from SHN_COMMON (the gABI's common block, which has that
// section index and is not allocated in the object), never from the
// STT_COMMON type alone: a symbol of that type defined in a section is an
// ordinary definition of its binding. Only SHN_COMMON symbols carry an
// alignment (LoadedSymbol::align).
static bool is_common(const LoadedSymbol& s) { return s.flags.type == SymbolType::Common && s.align != 0; }

static int strength(const LoadedSymbol& s) {
  if (is_common(s)) return 2;
  return s.flags.binding == SymbolBinding::Weak ? 1 : 3;
}

Error RuntimeDyld::Impl::choose_definition(u32* slot, u32 idx) {
  const LoadedSymbol& old = symbols[*slot];
  const LoadedSymbol& now = symbols[idx];
  const int a = strength(old), b = strength(now);
  if (b > a) {
    *slot = idx;  // strong over common over weak (L2, L4)
  } else if (a == 3 && b == 3) {
    // Two strong definitions: an error, as in ld, except that of two
    // GNU_UNIQUE definitions the first loaded stays (L2).
    if (!(old.flags.unique && now.flags.unique))
      return Error(ErrorKind::Malformed,
                   format("%s: duplicate definition of symbol '%.*s' (first defined in %s)",
                          objects[now.object]->name.c_str(), int(now.name.size()), now.name.data(),
                          objects[old.object]->name.c_str()));
  } else if (a == 2 && b == 2) {
    // Commons merge: the largest gives the storage, the first loaded on a
    // tie (L4). Their alignments are checked against the storage's address
    // when the names are bound (resolve_object).
    if (now.size > old.size) *slot = idx;
  }
  // Otherwise the one chosen before stays: it is stronger, or it is the
  // first of two weak definitions (L3).
  return Error::success();
}

void RuntimeDyld::Impl::rebuild_symbol_maps() {
  globals = SymbolMap();
  {
    std::lock_guard<std::mutex> lock(locals_lock);
    locals = SymbolMap();
    locals_indexed = 0;
  }
  for (size_t i = 0; i < symbols.size(); i++) {
    const LoadedSymbol& s = symbols[i];
    if (s.flags.binding == SymbolBinding::Local) continue;
    auto [slot, inserted] = globals.insert(s.name, u32(i));
    // These symbols were all accepted together before: no duplicate here.
    if (!inserted) (void)choose_definition(slot, u32(i));
  }
}

void RuntimeDyld::Impl::mark_rebound(u32 loaded) {
  // An object already applied but not finalized that binds a name whose
  // definition is now in `loaded` (a name newly defined, a strong one after
  // a weak one, a larger common) is due again: its fields still point at
  // the old definition, or at the resolver's answer (L8). Finalized objects
  // keep their bindings, as code already running would.
  for (u32 k = 0; k < loaded; k++) {
    ObjectState& o = *objects[k];
    if (o.finalized || !o.applied) continue;
    for (const ExternalSymbol& x : o.externals) {
      const u32* w = globals.find(x.name);
      if (w && symbols[*w].object == loaded) {
        o.applied = false;
        break;
      }
    }
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

std::optional<u64> RuntimeDyld::Impl::resolve_external(std::string_view name, bool* tls, const ObjectState* from) {
  // The set's definition first (L6), then the C++ runtime hooks (when on),
  // then the client's resolver, then the memory manager.
  if (const u32* i = globals.find(name)) {
    const LoadedSymbol& s = symbols[*i];
    if (tls) *tls = s.section != kNone && (sections[s.section].kind == SectionKind::Tls ||
                                           sections[s.section].kind == SectionKind::TlsBss);
    return s.section == kNone ? s.offset : sections[s.section].target + s.offset;
  }
  if (from && from->global_prefix && name.size() > 1 && name[0] == from->global_prefix) {
    // Mach-O's "_printf" is the host's "printf" (and its "_exit" the
    // host's "exit", not glibc's "_exit"): the name without its prefix
    // first, then as spelled.
    if (auto a = resolve_outside(name.substr(1), from)) return a;
  }
  return resolve_outside(name, from);
}

std::optional<u64> RuntimeDyld::Impl::resolve_outside(std::string_view name, const ObjectState* from) {
  if (cxx && from)
    if (auto a = cxx_lookup(name, *from)) return a;
  if (auto a = tls_special_symbol(memory, name)) return a;
  if (resolver) return resolver->lookup(name);
  return memory.find_symbol(name);
}

Error RuntimeDyld::Impl::resolve_object(ObjectState& obj) {
  // 1. External symbols, every one: a failure is kept for the relocations
  // bound to it, which fail one by one while the others are applied.
  const bool had_failures = !obj.external_errors.empty();
  obj.external_errors.clear();
  size_t failed_externals = 0;
  auto fail = [&](size_t k, ErrorKind kind, std::string why) {
    if (obj.external_errors.empty()) obj.external_errors.resize(obj.externals.size());
    obj.external_errors[k] = {kind, std::move(why)};
    failed_externals++;
  };
  for (size_t k = 0; k < obj.externals.size(); k++) {
    ExternalSymbol& x = obj.externals[k];
    bool tls = x.tls;  // a definition loaded here says; the resolver's answers are taken as asked
    if (auto a = resolve_external(x.name, &tls, &obj)) {
      x.address = *a;
      x.resolved = true;
      // A thread-pointer offset is no address, and an address no offset:
      // link editors refuse this as a TLS attribute mismatch (L9).
      if (tls != x.tls) {
        x.resolved = false;
        fail(k, ErrorKind::Unsupported,
             format("refers to '%.*s', which is %sthread-local here but %sthread-local where it is defined (TLS attribute mismatch)",
                       int(x.name.size()), x.name.data(), x.tls ? "" : "not ", tls ? "" : "not "));
      } else if (const u32* g = x.common_align && x.address % x.common_align ? globals.find(x.name) : nullptr;
                 g && is_common(symbols[*g])) {
        // Commons merged into another object's storage, which is less
        // aligned than this object's common asks for (L4). (A name the set
        // does not hold — an unnamed common, resolved by the client — has
        // no storage of ours to check.)
        const LoadedSymbol& w = symbols[*g];
        x.resolved = false;
        fail(k, ErrorKind::Unsupported,
             format("refers to common symbol '%.*s', which asks for alignment %u here, but the storage chosen for it "
                    "(%s, at 0x%llx) is not that aligned",
                       int(x.name.size()), x.name.data(), x.common_align, objects[w.object]->name.c_str(),
                       (unsigned long long)x.address));
      }
    } else if (x.weak) {
      x.address = 0;  // an undefined weak symbol is zero (L6)
      x.resolved = true;
    } else {
      x.resolved = false;
      fail(k, ErrorKind::Unresolved, format("refers to undefined symbol '%.*s'", int(x.name.size()), x.name.data()));
    }
  }
  // Sizes read by SIZE relocations: the set's definition's (L5). An
  // undefined name's size is known only when the set defines it; its
  // entries fail (kRelExternalSize) while nothing does.
  std::vector<u8> state;  // per absolute slot of an undefined name's size: 1 known, 2 unknown
  for (auto [absolute, external] : obj.preemptible_sizes) {
    const ExternalSymbol& x = obj.externals[external];
    const u32* w = globals.find(x.name);
    obj.absolutes[absolute] = w ? symbols[*w].size : 0;
    if (x.defined_here) continue;
    if (state.empty()) state.resize(obj.absolutes.size());
    state[absolute] = w ? 1 : 2;
  }
  if (!state.empty())
    for (RelocationEntry& e : obj.relocs)
      if ((e.flags & kRelSize) && e.target_kind == TargetKind::Absolute && state[e.target])
        e.flags = state[e.target] == 2 ? u16(e.flags | kRelExternalSize) : u16(e.flags & ~kRelExternalSize);
  // Entries bound to a failed external fail when applied (kRelUnresolved);
  // marked, or unmarked, only when some external fails or failed before.
  if (failed_externals || had_failures)
    for (RelocationEntry& e : obj.relocs) {
      e.flags &= u16(~kRelUnresolved);
      if (failed_externals && e.target_kind == TargetKind::External && !obj.external_errors[e.target].why.empty())
        e.flags |= kRelUnresolved;
    }

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
  ApplyContext c{obj, sections.data(), bases.data(), {0, nsec, nsec + u32(obj.externals.size())}, got, stubs, record, 0, Error(), std::string()};
  c.dyld = this;
  obj.arch->apply_runs(c);
  if (obj.dynamic_tls_entries) apply_dynamic_tls_entries(c);
  if (!c.failed) return Error::success();
  if (c.failed == 1) return std::move(c.first_error);
  return Error(c.first_error.kind(),
               format("%s: %u relocations could not be applied: %s%s", obj.name.c_str(), c.failed,
                      c.first_error.message().c_str(), c.more_errors.c_str()));
}

Error refused_relocation(const ApplyContext& c, const RelocationEntry& e) {
  if (e.flags & kRelUnresolved) {
    const ObjectState::ExternalFailure& f = c.obj.external_errors[e.target];
    return Error(f.kind, f.why);
  }
  if (e.flags & kRelBadTls)
    return Error(ErrorKind::Unsupported,
                 "mixes thread-local and ordinary: a TLS type needs a thread-local symbol, and a "
                 "thread-local symbol has no address for other types");
  if (e.flags & kRelBadInsn)
    return Error(ErrorKind::Unsupported,
                 "is not on the instruction its TLS sequence has there: no rewrite to local exec is defined for it");
  return Error(ErrorKind::Unsupported, "needs the size of an external symbol, which is not known");
}

Error locate_relocation_error(const ApplyContext& c, const LoadedSection& sec, const RelocationEntry& e,
                              const Error& err) {
  const ObjectState& obj = c.obj;
  // An external's own failure names its symbol already.
  std::string_view sym = e.target_kind == TargetKind::External && !(e.flags & kRelUnresolved)
                             ? obj.externals[e.target].name
                             : std::string_view();
  std::string_view tname = obj.arch->type_name(e.type);
  // An undefined weak symbol is 0 (L6). Code that reaches it PC-relative
  // (a hidden declaration: the compiler assumed it near) fits only when
  // it sits in the lowest 2 GiB, as in a -no-pie program; GNU ld refuses
  // the same reference in a PIE. Say so, or the overflow reads as ours.
  const bool weak_zero = !sym.empty() && err.kind() == ErrorKind::Overflow && obj.externals[e.target].weak &&
                         obj.externals[e.target].resolved && obj.externals[e.target].address == 0;
  return Error(err.kind(), format("%s:(%.*s+0x%llx): relocation %.*s %s%s%.*s%s%s", obj.name.c_str(), int(sec.name.size()),
                                  sec.name.data(), (unsigned long long)e.offset, int(tname.size()), tname.data(),
                                  err.message().c_str(), sym.empty() ? "" : "; references '", int(sym.size()),
                                  sym.data(), sym.empty() ? "" : "'",
                                  weak_zero ? ", an undefined weak symbol, so 0: a PC-relative reference reaches 0 only from "
                                              "code in the lowest 2 GiB, as in a -no-pie program (GNU ld refuses it in a "
                                              "PIE too); declare the symbol with default visibility, which the compiler "
                                              "reaches through the GOT"
                                            : ""));
}

void note_relocation_failure(ApplyContext& c, const LoadedSection& sec, const RelocationEntry& e, u32 k,
                             const Error& err) {
  // The loader's own fill of a GOT slot or stub for an external that did
  // not resolve: the file's relocations using that slot report it.
  if ((e.flags & kRelSynthetic) && (e.flags & kRelUnresolved)) return;
  Error located = locate_relocation_error(c, sec, e, err);
  if (c.record && k < c.obj.file_relocation_count) c.obj.outcomes[k].error = located.message();
  constexpr u32 kNamed = 3;  // errors named in the returned message
  if (c.failed == 0) c.first_error = std::move(located);
  else if (c.failed < kNamed) c.more_errors += "; " + located.message();
  else if (c.failed == kNamed) c.more_errors += "; …";
  c.failed++;
}

Error RuntimeDyld::resolve_relocations() {
  // Every due object is resolved, even after another failed (the error
  // policy): the first failing object's error is returned, with a count
  // when more objects failed.
  Error first;
  u32 failed_objects = 0;
  for (auto& obj : impl_->objects) {
    // A finalized object's memory is read-only (and its EH frames may be
    // registered): its relocations were applied for good.
    if (obj->finalized || obj->applied) continue;
    if (Error err = impl_->resolve_object(*obj)) {
      if (!failed_objects++) first = std::move(err);
      continue;  // stays due
    }
    obj->applied = true;
  }
  if (failed_objects > 1)
    return Error(first.kind(), format("%s (and relocation errors in %u more objects)", first.message().c_str(),
                                      failed_objects - 1));
  return first;
}

std::optional<JitSymbol> RuntimeDyld::get_symbol(std::string_view name) const {
  const Impl& d = *impl_;
  const u32* g = d.globals.find(name);
  const u32 i = g ? *g : d.find_local(name);
  if (i == kNone) return std::nullopt;
  const LoadedSymbol& s = d.symbols[i];
  return JitSymbol{s.section == kNone ? s.offset : d.sections[s.section].target + s.offset, s.flags};
}

void* RuntimeDyld::get_symbol_local_address(std::string_view name) const {
  const Impl& d = *impl_;
  const u32* g = d.globals.find(name);
  const u32 i = g ? *g : d.find_local(name);
  if (i == kNone) return nullptr;
  const LoadedSymbol& s = d.symbols[i];
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
    bool match = false;
    if (t.kind == TargetKind::External) {
      match = o.externals[t.target].name == symbol;
    } else {
      // Several symbols may share the place (AArch64's $d/$x mapping
      // symbols, aliases): the slot serves `symbol` if it is one of them.
      for (const LoadedSymbol& s : d.symbols)
        if (s.object == object && s.section == o.first_section + t.target && s.offset == t.sym_offset &&
            s.name == symbol) {
          match = true;
          break;
        }
    }
    if (match) return d.sections[o.got_section].target + k * o.arch->got_entry_size;
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
    // A stub of a definition (Mach-O ARM: every global function): one of
    // the symbols at its place (a Thumb function's offset is odd there).
    if (t.kind == TargetKind::Section)
      for (const LoadedSymbol& s : d.symbols)
        if (s.object == object && s.section == o.first_section + t.target && s.name == symbol &&
            (s.offset == t.sym_offset || s.offset + (t.sym_offset & 1) == t.sym_offset))
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

namespace jitload {

std::vector<CompactUnwindEntry> RuntimeDyld::compact_unwind(u32 object) const {
  const ObjectState& o = *impl_->objects.at(object);
  // A reference's current target address: its section's, or its name's
  // (resolved for this object at the last resolve, else defined in the set).
  auto address = [&](const ObjectState::UnwindRef& r) -> u64 {
    if (r.section != kNone) return impl_->sections[r.section].target + r.offset;
    if (r.symbol.empty()) return 0;
    for (const ExternalSymbol& x : o.externals)
      if (x.name == r.symbol && x.resolved) return x.address + r.offset;
    if (auto s = get_symbol(r.symbol)) return s->address + r.offset;
    return 0;
  };
  std::vector<CompactUnwindEntry> out;
  out.reserve(o.compact_unwind.size());
  for (const ObjectState::UnwindRecord& u : o.compact_unwind) {
    CompactUnwindEntry& e = out.emplace_back();
    e.section = u.function.section;
    e.offset = u.function.offset;
    e.function = address(u.function);
    e.length = u.length;
    e.encoding = u.encoding;
    e.personality = address(u.personality);
    e.personality_symbol = u.personality.symbol;
    e.lsda = address(u.lsda);
    e.lsda_symbol = u.lsda.symbol;
    e.file_offset = u.file_offset;
  }
  return out;
}

std::vector<CompactUnwindEntry> LoadedObjectInfo::compact_unwind() const { return dyld_->compact_unwind(object_); }

}  // namespace jitload
