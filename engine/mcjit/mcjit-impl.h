// MCJIT's insides, shared by mcjit.cc and engine-builder.cc only.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "engine/mcjit/archive.h"
#include "engine/mcjit/gdb-jit.h"
#include "engine/mcjit/mcjit.h"
#include "engine/mcjit/runtime.h"

namespace jitload {

// What the loader asks for symbols no loaded object defines. Objects the
// engine could still load (modules, archive members) were loaded before the
// loader resolves, so this only sees what lives outside the engine.
class LinkingResolver final : public SymbolResolver {
 public:
  LinkingResolver(MCJIT::Impl& engine) : engine_(engine) {}
  std::optional<u64> lookup(std::string_view name) override;

 private:
  MCJIT::Impl& engine_;
};

struct MCJIT::Impl {
  // One object's worth of code: a module, an object file or an archive member.
  struct Unit {
    enum class Kind : u8 { Module, ObjectFile, ArchiveMember } kind = Kind::Module;
    enum class State : u8 { Added, Loaded, Finalized } state = State::Added;
    std::string name;
    std::unique_ptr<llvm::Module> module;  // Kind::Module
    u32 object = kNone;                    // loader object index once loaded
    std::vector<u8> bytes;                 // the object, kept for the debugger
    bool constructors_ran = false;
    bool destructors_ran = false;
    std::unique_ptr<gdb::Registration> debugger;
  };
  struct ArchiveUnit {
    std::vector<u8> bytes;
    std::optional<Archive> archive;
    std::set<u64> loaded;  // header offsets of members already loaded
  };

  Impl() : linking(*this) {}

  std::recursive_mutex lock;
  // Declaration order is destruction order reversed: the loader and the
  // memory it holds go before the target machine and the modules.
  std::unique_ptr<llvm::TargetMachine> tm;
  std::shared_ptr<ObjectCache> cache;
  std::unique_ptr<SymbolResolver> user_resolver;
  JitRuntime runtime;
  LinkingResolver linking;
  std::unique_ptr<MemoryManager> memory;
  // The seed's Dyld: every object of the engine, finalized or not. Its
  // finalize links only the objects loaded since the previous one.
  std::unique_ptr<RuntimeDyld> dyld;
  std::vector<std::unique_ptr<Unit>> units;
  std::vector<std::unique_ptr<ArchiveUnit>> archives;
  // mangled name → every module (index in units) that defines it, in the
  // order added: all of them are loaded when the name is needed, so the
  // loader chooses among them as a static link of those modules would.
  std::unordered_map<std::string, std::vector<size_t>> module_symbols;
  bool verify_modules = true;
  // The client named the target triple: modules are retargeted (triple and
  // data layout replaced, as llc -mtriple does) instead of checked.
  bool retarget_modules = false;
  bool gdb_registration = true;
  EngineStats stats;

  // A global (or weak) definition in any loaded object.
  std::optional<JitSymbol> defined(std::string_view name) const;

  Error add_module(std::unique_ptr<llvm::Module> module);
  Error add_object(std::vector<u8> bytes, std::string name, Unit::Kind kind);
  Expected<const Unit*> generate(Unit& unit);
  // Loads every added module that defines `name` (modules are the
  // program's objects, as on a linker's command line: a strong definition in
  // one must beat a weak one already loaded), then, when from_archives and
  // the name is still undefined, the archive member that defines it (L7).
  // Appends what it loaded to *loaded.
  Error load_definition(const std::string& name, bool from_archives, std::vector<const Unit*>* loaded);
  Error load_needed();
  Error finalize_loaded();
  Error finalize_all();
  Expected<u64> symbol_address(const std::string& mangled);
  std::string mangle(std::string_view name) const;
  Error run_constructors();
  Error run_destructors();
};

}  // namespace jitload
