#include "engine/mcjit/mcjit.h"

#include "engine/loader/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <llvm/IR/Function.h>
#include <llvm/IR/Mangler.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include "engine/mcjit/codegen.h"
#include "engine/mcjit/debug-object.h"
#include "engine/mcjit/mcjit-impl.h"

extern char** environ;

namespace jitload {

namespace {

u64 now_ns() {
  return u64(std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count());
}


}  // namespace

// ---------------------------------------------------------------------------
// Symbol resolution outside the engine.

std::optional<u64> LinkingResolver::lookup(std::string_view name) {
  if (engine_.user_resolver)
    if (auto a = engine_.user_resolver->lookup(name)) return a;
  return engine_.memory->find_symbol(name);
}

// ---------------------------------------------------------------------------
// Impl

std::optional<JitSymbol> MCJIT::Impl::defined(std::string_view name) const {
  // get_symbol falls back to local symbols; a local is no definition for others.
  std::optional<JitSymbol> s = dyld->get_symbol(name);
  if (s && s->flags.binding == SymbolBinding::Local) return std::nullopt;
  return s;
}

std::string MCJIT::Impl::mangle(std::string_view name) const {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::Mangler::getNameWithPrefix(os, llvm::Twine(llvm::StringRef(name.data(), name.size())),
                                   tm->createDataLayout());
  return out;
}

Error MCJIT::Impl::add_module(std::unique_ptr<llvm::Module> module) {
  if (!module) return Error(ErrorKind::Argument, "add_module: null module");
  const std::string id = module->getModuleIdentifier();
  if (verify_modules) {
    std::string why;
    llvm::raw_string_ostream os(why);
    if (llvm::verifyModule(*module, &os)) {
      while (!why.empty() && why.back() == '\n') why.pop_back();
      return Error(ErrorKind::Malformed, format("module '%s' is not valid IR: %s", id.c_str(), why.c_str()));
    }
  }
  // The module is compiled by this engine's target machine: its triple must
  // name the same architecture, and its data layout (if it has one) must be
  // the machine's — unless the client named the triple, which retargets.
  llvm::DataLayout dl = tm->createDataLayout();
  if (retarget_modules) {
    module->setTargetTriple(tm->getTargetTriple().str());
    module->setDataLayout(dl);
  }
  if (module->getTargetTriple().empty()) {
    module->setTargetTriple(tm->getTargetTriple().str());
  } else {
    llvm::Triple mt(module->getTargetTriple());
    if (mt.getArch() != tm->getTargetTriple().getArch())
      return Error(ErrorKind::Argument,
                   format("module '%s' is for '%s' but the engine generates code for '%s'", id.c_str(),
                          module->getTargetTriple().c_str(), tm->getTargetTriple().str().c_str()));
  }
  if (module->getDataLayout().isDefault()) {
    module->setDataLayout(dl);
  } else if (module->getDataLayout() != dl) {
    return Error(ErrorKind::Argument,
                 format("module '%s' has data layout '%s' but the target machine uses '%s'", id.c_str(),
                        module->getDataLayoutStr().c_str(), dl.getStringRepresentation().c_str()));
  }
  size_t index = units.size();
  llvm::Mangler mangler;
  for (const llvm::GlobalValue& gv : module->global_values()) {
    if (gv.isDeclaration() || gv.hasLocalLinkage() || gv.hasAvailableExternallyLinkage()) continue;
    std::string name;
    llvm::raw_string_ostream os(name);
    mangler.getNameWithPrefix(os, &gv, false);
    module_symbols[std::move(name)].push_back(index);
  }
  auto unit = std::make_unique<Unit>();
  unit->kind = Unit::Kind::Module;
  unit->name = id;
  unit->module = std::move(module);
  units.push_back(std::move(unit));
  return Error::success();
}

Error MCJIT::Impl::add_object(std::vector<u8> bytes, std::string name, Unit::Kind kind) {
  u64 t0 = now_ns();
  Expected<LoadedObjectInfo> info = dyld->load_object(bytes, name);
  stats.load_ns += now_ns() - t0;
  if (!info) return info.take_error();
  stats.objects_loaded++;
  auto unit = std::make_unique<Unit>();
  unit->kind = kind;
  unit->name = std::move(name);
  unit->state = Unit::State::Loaded;
  unit->object = info->object_index();
  if (gdb_registration) unit->bytes = std::move(bytes);
  units.push_back(std::move(unit));
  return Error::success();
}

Expected<llvm::TargetMachine*> MCJIT::Impl::machine_for(llvm::Module& m) {
  if (!tls_request) return tm.get();
  bool uses_tls = false;
  for (const llvm::GlobalVariable& g : m.globals()) uses_tls |= g.isThreadLocal();
  if (!uses_tls) return tm.get();
  // A "PIE Level" flag (clang's default) would make LLVM pick the
  // executable's models (local/initial exec) even for PIC code.
  if (m.getPIELevel() != llvm::PIELevel::Default)
    m.setModuleFlag(llvm::Module::Max, "PIE Level", u32(llvm::PIELevel::Default));
  if (!tls_tm) tls_tm = TRY_VALUE(create_target_machine(*tls_request));
  return tls_tm.get();
}

Expected<const MCJIT::Impl::Unit*> MCJIT::Impl::generate(Unit& unit) {
  if (unit.state != Unit::State::Added) return &unit;
  llvm::Module& m = *unit.module;
  llvm::TargetMachine* const tm = TRY_VALUE(machine_for(m));
  std::vector<u8> object;
  std::optional<CacheKey> key;
  bool from_cache = false;
  if (cache) {
    u64 k0 = now_ns();
    key = compute_cache_key(m, *tm);
    stats.cache_key_ns += now_ns() - k0;
    if (std::optional<std::vector<u8>> hit = cache->get_object(m, *key)) {
      object = std::move(*hit);
      from_cache = true;
    }
  }
  auto compile = [&]() -> Error {
    u64 t0 = now_ns();
    Expected<llvm::SmallVector<char, 0>> emitted = emit_object(m, *tm, verify_modules);
    stats.codegen_ns += now_ns() - t0;
    if (!emitted) return emitted.take_error();
    stats.objects_emitted++;
    object.assign(emitted->begin(), emitted->end());
    if (cache) cache->notify_object_compiled(m, *key, object);
    return Error::success();
  };
  if (from_cache) {
    stats.cache_hits++;
  } else {
    if (cache) stats.cache_misses++;
    TRY(compile());
  }
  u64 t0 = now_ns();
  Expected<LoadedObjectInfo> info = dyld->load_object(object, unit.name);
  stats.load_ns += now_ns() - t0;
  if (!info && from_cache) {
    // The cache verified its entry, yet the loader refuses it: never trust
    // it further, compile afresh (which also overwrites the entry).
    cache->notify_object_rejected(*key, info.error());
    stats.cache_hits--;
    stats.cache_misses++;
    TRY(compile());
    t0 = now_ns();
    info = dyld->load_object(object, unit.name);
    stats.load_ns += now_ns() - t0;
  }
  if (!info) return info.take_error();
  stats.objects_loaded++;
  unit.object = info->object_index();
  unit.state = Unit::State::Loaded;
  if (gdb_registration) unit.bytes = std::move(object);
  return &unit;
}

Error MCJIT::Impl::load_needed() {
  // Every name an object loaded but not finalized binds by name (its
  // undefined symbols, and its weak or common definitions, which a module
  // not yet generated may beat): load the added modules that define it,
  // and, for a strong undefined name still undefined, the archive member
  // that does; repeat for what those need — the static linker's rules (L7).
  // Weak references do not pull archive members in (as in ld).
  std::vector<const Unit*> work;
  for (auto& u : units)
    if (u->state == Unit::State::Loaded) work.push_back(u.get());
  std::vector<std::pair<std::string, bool>> needed;
  while (!work.empty()) {
    const Unit* unit = work.back();
    work.pop_back();
    needed.clear();
    for (const ExternalSymbol& ext : dyld->externals(unit->object))
      if (!defined(ext.name) || module_symbols.count(std::string(ext.name)))
        needed.emplace_back(std::string(ext.name), ext.weak);
    for (const auto& [name, weak] : needed) TRY(load_definition(name, /*archives=*/!weak, &work));
  }
  return Error::success();
}

Error MCJIT::Impl::finalize_loaded() {
  bool any = false;
  for (auto& u : units) any |= u->state == Unit::State::Loaded;
  if (!any) return Error::success();
  TRY(load_needed());
  u64 t0 = now_ns();
  Error e = dyld->finalize();
  stats.link_ns += now_ns() - t0;
  TRY(std::move(e));
  stats.finalizations++;
  for (auto& u : units) {
    if (u->state != Unit::State::Loaded) continue;
    u->state = Unit::State::Finalized;
    if (!gdb_registration || u->bytes.empty()) continue;
    std::vector<SectionPlacement> placements;
    for (const LoadedSection& s : dyld->sections())
      if (s.object == u->object && s.file_index != kNone) placements.push_back({s.file_index, s.target});
    // A format without a debug-object writer is simply not shown to the
    // debugger; that is not a reason to fail the program.
    if (Expected<std::vector<u8>> debug = make_debug_object(u->bytes, placements))
      u->debugger = gdb::Registration::add(std::move(*debug));
    u->bytes.clear();
    u->bytes.shrink_to_fit();
  }
  return Error::success();
}

Error MCJIT::Impl::finalize_all() {
  for (auto& u : units)
    if (u->state == Unit::State::Added) TRY_VALUE(generate(*u));
  return finalize_loaded();
}

Error MCJIT::Impl::load_definition(const std::string& name, bool from_archives, std::vector<const Unit*>* loaded) {
  if (auto it = module_symbols.find(name); it != module_symbols.end())
    for (size_t index : it->second) {
      Unit& u = *units[index];
      if (u.state != Unit::State::Added) continue;
      loaded->push_back(TRY_VALUE(generate(u)));
    }
  if (!from_archives || defined(name)) return Error::success();
  for (auto& a : archives) {
    std::optional<u64> member = a->archive->find_symbol(name);
    if (!member || a->loaded.count(*member)) continue;
    ArchiveMember m = TRY_VALUE(a->archive->member_at(*member));
    a->loaded.insert(*member);
    TRY(add_object(std::vector<u8>(m.data.begin(), m.data.end()), a->archive->name() + "(" + m.name + ")",
                   Unit::Kind::ArchiveMember));
    stats.archive_members_loaded++;
    loaded->push_back(units.back().get());
    return Error::success();
  }
  return Error::success();
}

Expected<u64> MCJIT::Impl::symbol_address(const std::string& mangled) {
  std::vector<const Unit*> loaded;
  TRY(load_definition(mangled, /*archives=*/true, &loaded));
  if (!defined(mangled))
    return Error(ErrorKind::Unresolved,
                 format("symbol '%s' is not defined by any module, object or archive of this engine", mangled.c_str()));
  TRY(finalize_loaded());
  return defined(mangled)->address;
}

Error MCJIT::Impl::run_constructors() {
  TRY(finalize_all());
  std::vector<InitFiniEntry> ctors;
  for (auto& u : units) {
    if (u->state != Unit::State::Finalized || u->constructors_ran) continue;
    InitFiniTables t = TRY_VALUE(collect_init_fini(*dyld, u->object));
    ctors.insert(ctors.end(), t.constructors.begin(), t.constructors.end());
  }
  sort_constructors(ctors);
  for (auto& u : units)
    if (u->state == Unit::State::Finalized) u->constructors_ran = true;
  CxxRuntime::Scope scope(dyld->cxx_runtime());
  for (const InitFiniEntry& e : ctors) reinterpret_cast<void (*)()>(uintptr_t(e.function))();
  return Error::success();
}

Error MCJIT::Impl::run_destructors() {
  // As exit(): this thread's thread_local destructors, the atexit list
  // (static objects' destructors included), then .fini_array.
  if (CxxRuntime* rt = dyld->cxx_runtime()) rt->run_exit_handlers();
  std::vector<InitFiniEntry> dtors;
  for (auto& u : units) {
    if (!u->constructors_ran || u->destructors_ran) continue;
    InitFiniTables t = TRY_VALUE(collect_init_fini(*dyld, u->object));
    dtors.insert(dtors.end(), t.destructors.begin(), t.destructors.end());
    u->destructors_ran = true;
  }
  sort_destructors(dtors);
  CxxRuntime::Scope scope(dyld->cxx_runtime());
  for (const InitFiniEntry& e : dtors) reinterpret_cast<void (*)()>(uintptr_t(e.function))();
  // A .fini_array function may itself register more (rare): run those too.
  if (CxxRuntime* rt = dyld->cxx_runtime()) rt->run_exit_handlers();
  return Error::success();
}

// ---------------------------------------------------------------------------
// MCJIT

MCJIT::MCJIT(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MCJIT::~MCJIT() {
  if (!impl_) return;
  std::lock_guard<std::recursive_mutex> lock(impl_->lock);
  // Destructors still due must run while their code exists.
  bool due = impl_->dyld && impl_->dyld->cxx_runtime() && impl_->dyld->cxx_runtime()->pending() > 0;
  for (auto& u : impl_->units) due |= u->constructors_ran && !u->destructors_ran;
  if (due) (void)impl_->run_destructors();
}

#define LOCKED std::lock_guard<std::recursive_mutex> lock__(impl_->lock)

Error MCJIT::add_module(std::unique_ptr<llvm::Module> module) {
  LOCKED;
  return impl_->add_module(std::move(module));
}

Error MCJIT::add_object_file(std::vector<u8> bytes, std::string name) {
  LOCKED;
  return impl_->add_object(std::move(bytes), std::move(name), Impl::Unit::Kind::ObjectFile);
}

Error MCJIT::add_object_file(const std::string& path) {
  // Sniffed first: a file that is no object is refused unread, whatever its size.
  std::vector<u8> bytes = TRY_VALUE(read_object_file(path));
  return add_object_file(std::move(bytes), path);
}

Error MCJIT::add_archive(std::vector<u8> bytes, std::string name) {
  LOCKED;
  auto a = std::make_unique<Impl::ArchiveUnit>();
  a->bytes = std::move(bytes);
  Expected<Archive> parsed = Archive::parse(a->bytes, std::move(name));
  if (!parsed) return parsed.take_error();
  a->archive.emplace(std::move(*parsed));
  impl_->archives.push_back(std::move(a));
  return Error::success();
}

Error MCJIT::add_archive(const std::string& path) {
  // Sniffed first, as objects are: no archive magic, refused unread (a
  // thin archive's magic passes, for Archive::parse's own message).
  ReadOptions options;
  options.sniff = [](std::span<const u8> head) {
    return is_archive(head) || (head.size() >= 8 && std::memcmp(head.data(), "!<thin>\n", 8) == 0);
  };
  options.sniff_failure = "not an archive: the file does not start with \"!<arch>\\n\"";
  std::vector<u8> bytes = TRY_VALUE(read_file(path, options));
  return add_archive(std::move(bytes), path);
}

Error MCJIT::generate_code() {
  LOCKED;
  for (auto& u : impl_->units)
    if (u->state == Impl::Unit::State::Added) TRY_VALUE(impl_->generate(*u));
  return impl_->load_needed();
}

Error MCJIT::generate_code_for_module(const llvm::Module* module) {
  LOCKED;
  for (auto& u : impl_->units)
    if (u->module.get() == module) {
      TRY_VALUE(impl_->generate(*u));
      return impl_->load_needed();
    }
  return Error(ErrorKind::Argument, "generate_code_for_module: the module does not belong to this engine");
}

Error MCJIT::map_section_address(const void* local, u64 target) {
  LOCKED;
  const LoadedSection* s = impl_->dyld->section_at_local(local);
  if (!s || s->local != local)
    return Error(ErrorKind::Argument, format("map_section_address: %p is not the start of a loaded section", local));
  for (auto& u : impl_->units)
    if (u->object == s->object && u->state == Impl::Unit::State::Finalized)
      return Error(ErrorKind::Argument,
                   format("map_section_address: section '%.*s' of '%s' is already finalized", int(s->name.size()),
                          s->name.data(), u->name.c_str()));
  return impl_->dyld->map_section_address(local, target);
}

Error MCJIT::finalize_object() {
  LOCKED;
  return impl_->finalize_all();
}

Expected<u64> MCJIT::get_symbol_address(std::string_view mangled) {
  LOCKED;
  return impl_->symbol_address(std::string(mangled));
}

Expected<u64> MCJIT::get_function_address(std::string_view name) {
  LOCKED;
  return impl_->symbol_address(impl_->mangle(name));
}

Expected<u64> MCJIT::get_global_value_address(std::string_view name) {
  LOCKED;
  return impl_->symbol_address(impl_->mangle(name));
}

Expected<void*> MCJIT::get_pointer_to_function(llvm::Function* function) {
  LOCKED;
  if (!function) return Error(ErrorKind::Argument, "get_pointer_to_function: null function");
  std::string name;
  {
    llvm::raw_string_ostream os(name);
    llvm::Mangler().getNameWithPrefix(os, function, false);
  }
  if (function->isDeclaration()) {
    // Defined elsewhere: an added module or archive may still define it;
    // otherwise ask what the loader would ask.
    if (Expected<u64> a = impl_->symbol_address(name)) return reinterpret_cast<void*>(uintptr_t(*a));
    if (std::optional<u64> a = impl_->linking.lookup(name)) return reinterpret_cast<void*>(uintptr_t(*a));
    return Error(ErrorKind::Unresolved, format("function '%s' is declared but nothing defines it", name.c_str()));
  }
  u64 a = TRY_VALUE(impl_->symbol_address(name));
  return reinterpret_cast<void*>(uintptr_t(a));
}

Error MCJIT::run_static_constructors_destructors(bool destructors) {
  LOCKED;
  return destructors ? impl_->run_destructors() : impl_->run_constructors();
}

Expected<int> MCJIT::run_function_as_main(std::string_view name, std::span<const std::string> argv,
                                          const char* const* envp) {
  LOCKED;
  // The IR signature, when the function comes from a module: main's three
  // forms, returning int or void (as lli accepts).
  bool returns_void = false;
  if (llvm::Function* f = find_function_named(name)) {
    llvm::FunctionType* ft = f->getFunctionType();
    if (ft->getNumParams() > 3)
      return Error(ErrorKind::Argument, format("'%.*s' takes %u parameters; a main function takes at most 3",
                                               int(name.size()), name.data(), ft->getNumParams()));
    if (ft->getNumParams() >= 1 && !ft->getParamType(0)->isIntegerTy(32))
      return Error(ErrorKind::Argument, format("'%.*s': first parameter must be i32 (argc)", int(name.size()), name.data()));
    for (unsigned i = 1; i < ft->getNumParams(); i++)
      if (!ft->getParamType(i)->isPointerTy())
        return Error(ErrorKind::Argument,
                     format("'%.*s': parameter %u must be a pointer (argv/envp)", int(name.size()), name.data(), i + 1));
    returns_void = ft->getReturnType()->isVoidTy();
    if (!returns_void && !ft->getReturnType()->isIntegerTy(32))
      return Error(ErrorKind::Argument, format("'%.*s' must return i32 or void", int(name.size()), name.data()));
  }
  const std::string mangled = impl_->mangle(name);
  u64 address = TRY_VALUE(impl_->symbol_address(mangled));
  // Never jump into data: a name defined as an object, a TLS variable or a
  // common block is refused (NoType is allowed: hand-written assembly often
  // leaves its functions untyped).
  if (std::optional<JitSymbol> s = impl_->defined(mangled);
      s && !s->flags.callable() && s->flags.type != SymbolType::NoType)
    return Error(ErrorKind::Argument, format("'%.*s' is not a function: it is defined as data", int(name.size()),
                                             name.data()));
  std::vector<std::string> args(argv.begin(), argv.end());
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  char** env = const_cast<char**>(envp ? envp : environ);
  CxxRuntime::Scope scope(impl_->dyld->cxx_runtime());
  if (returns_void) {
    reinterpret_cast<void (*)(int, char**, char**)>(uintptr_t(address))(int(args.size()), pointers.data(), env);
    return 0;
  }
  return reinterpret_cast<int (*)(int, char**, char**)>(uintptr_t(address))(int(args.size()), pointers.data(), env);
}

void MCJIT::set_object_cache(std::shared_ptr<ObjectCache> cache) {
  LOCKED;
  impl_->cache = std::move(cache);
}

void MCJIT::set_gdb_registration(bool on) {
  LOCKED;
  impl_->gdb_registration = on;
}

llvm::Function* MCJIT::find_function_named(std::string_view name) {
  LOCKED;
  for (auto& u : impl_->units) {
    if (!u->module) continue;
    if (llvm::Function* f = u->module->getFunction(llvm::StringRef(name.data(), name.size())))
      if (!f->isDeclaration()) return f;
  }
  return nullptr;
}

std::string MCJIT::mangle(std::string_view name) const { return impl_->mangle(name); }
const EngineStats& MCJIT::stats() const { return impl_->stats; }
RuntimeDyld& MCJIT::dyld() { return *impl_->dyld; }
MemoryManager& MCJIT::memory_manager() { return *impl_->memory; }
llvm::TargetMachine& MCJIT::target_machine() { return *impl_->tm; }

}  // namespace jitload
