// The MCJIT execution engine on jitload's own loader: LLVM turns IR into an
// object file in memory (TargetMachine::addPassesToEmitMC), jitload's
// RuntimeDyld loads and links it. The flow is the seed's
// (../../../shared/seed/mcjit-design.txt):
//
//   EngineBuilder(module) ... create()      no code is generated yet
//   get_function_address / finalize_object  code generation (or an ObjectCache
//                                           hit), load_object, then — only for
//                                           symbols still undefined — the other
//                                           added modules and archive members
//                                           that define them, transitively
//   map_section_address                     between generate_code and finalize
//   finalize                                resolve relocations, EH frames,
//                                           permissions; GDB registration
//
// External symbols resolve in this order: objects already loaded into the
// engine; added modules and archive members (loaded on demand); the user's
// SymbolResolver; the engine's C++ runtime hooks (__cxa_atexit, atexit,
// __dso_handle, so destructors of JIT code run before the code is freed);
// the memory manager's find_symbol — by default the host process (libc,
// libm, libstdc++, and the host executable's exported symbols).
//
// The engine owns its modules, the TargetMachine and the memory manager. The
// modules' LLVMContext belongs to the caller and must outlive the engine.
// Every public member takes the engine's lock; none throws or aborts on bad
// input (code generation errors come back as Error values — except LLVM's
// own report_fatal_error paths, which LLVM gives no way to recover from).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/CodeGen.h>

#include "engine/loader/core/base.h"
#include "engine/loader/core/memory-manager.h"
#include "engine/loader/dyld.h"
#include "engine/mcjit/object-cache.h"

namespace llvm {
class Function;
class Module;
class TargetMachine;
class TargetOptions;
}  // namespace llvm

namespace jitload {

enum class EngineKind : u8 { JIT, Interpreter };

struct EngineStats {
  u64 objects_emitted = 0;         // code generation runs (addPassesToEmitMC)
  u64 cache_hits = 0;              // objects taken from the ObjectCache
  u64 cache_misses = 0;            // ObjectCache asked, nothing usable
  u64 objects_loaded = 0;          // load_object calls that succeeded
  u64 archive_members_loaded = 0;
  u64 finalizations = 0;
  u64 cache_key_ns = 0;            // time computing ObjectCache keys (bitcode + BLAKE3)
  u64 codegen_ns = 0;              // time in code generation
  u64 load_ns = 0;                 // time in load_object
  u64 link_ns = 0;                 // time in finalize (relocation, EH frames, permissions)
};

class MCJIT {
 public:
  ~MCJIT();
  MCJIT(const MCJIT&) = delete;
  MCJIT& operator=(const MCJIT&) = delete;

  // More code. Modules are compiled only when one of their symbols is needed
  // (or at finalize_object); objects are loaded at once; archive members are
  // loaded when they define a symbol something loaded needs.
  Error add_module(std::unique_ptr<llvm::Module> module);
  Error add_object_file(std::vector<u8> bytes, std::string name);
  Error add_object_file(const std::string& path);
  Error add_archive(std::vector<u8> bytes, std::string name);
  Error add_archive(const std::string& path);

  // Generates and loads every added module (and what they need from
  // archives) without applying relocations: the window for
  // map_section_address.
  Error generate_code();
  // Only this module (and what it needs).
  Error generate_code_for_module(const llvm::Module* module);

  // The section whose loader memory starts at `local` will run at `target`.
  // Only for sections not finalized yet.
  Error map_section_address(const void* local, u64 target);

  // Generate everything still pending, then resolve, register EH frames and
  // set final permissions. Idempotent.
  Error finalize_object();

  // Addresses (target addresses) of symbols, by IR name (mangled here for the
  // target's object format). Generates and finalizes what is needed.
  Expected<u64> get_function_address(std::string_view name);
  Expected<u64> get_global_value_address(std::string_view name);
  Expected<void*> get_pointer_to_function(llvm::Function* function);
  // By the object file's (already mangled) symbol name.
  Expected<u64> get_symbol_address(std::string_view mangled);

  // Constructors (.init_array, by priority, in load order), or destructors
  // (those registered through __cxa_atexit/atexit, newest first, then
  // .fini_array). Constructors finalize everything first. Each runs once;
  // destructors still due when the engine is destroyed run then.
  Error run_static_constructors_destructors(bool destructors);

  // Calls `name` as C's main(argc, argv, envp); argv[0] is argv.front().
  // envp null: the host's environ.
  Expected<int> run_function_as_main(std::string_view name, std::span<const std::string> argv,
                                     const char* const* envp = nullptr);

  void set_object_cache(std::shared_ptr<ObjectCache> cache);
  // Debugger registration of each finalized object (default on).
  void set_gdb_registration(bool on);

  // The module of this engine that defines (not declares) a function.
  llvm::Function* find_function_named(std::string_view name);
  std::string mangle(std::string_view name) const;

  const EngineStats& stats() const;
  // The engine's loader (the seed's Dyld), for introspection and remapping.
  RuntimeDyld& dyld();
  MemoryManager& memory_manager();
  llvm::TargetMachine& target_machine();

  struct Impl;

 private:
  friend class EngineBuilder;
  explicit MCJIT(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class EngineBuilder {
 public:
  explicit EngineBuilder(std::unique_ptr<llvm::Module> module);
  ~EngineBuilder();

  EngineBuilder& set_engine_kind(EngineKind kind);
  // Default: a SectionMemoryManager.
  EngineBuilder& set_mcjit_memory_manager(std::unique_ptr<MemoryManager> memory);
  EngineBuilder& set_symbol_resolver(std::unique_ptr<SymbolResolver> resolver);
  EngineBuilder& set_opt_level(llvm::CodeGenOptLevel level);
  EngineBuilder& set_code_model(llvm::CodeModel::Model model);      // default: Large, as LLVM's JITs
  EngineBuilder& set_relocation_model(llvm::Reloc::Model model);    // default: the target's
  // Default: the module's, else the host's. When set, every module is
  // retargeted: its triple and data layout become the target machine's.
  EngineBuilder& set_mtriple(std::string triple);
  EngineBuilder& set_mcpu(std::string cpu);        // default: the host CPU when the target is the host
  EngineBuilder& set_mattrs(std::vector<std::string> attrs);  // "+avx2", "-sse4.2", ...
  EngineBuilder& set_target_options(const llvm::TargetOptions& options);
  EngineBuilder& set_object_cache(std::shared_ptr<ObjectCache> cache);
  EngineBuilder& set_verify_modules(bool verify);
  EngineBuilder& set_gdb_registration(bool on);

  // A TargetMachine from the options and the module's triple.
  Expected<std::unique_ptr<MCJIT>> create();
  // With the given TargetMachine (its triple, CPU and options win).
  Expected<std::unique_ptr<MCJIT>> create(std::unique_ptr<llvm::TargetMachine> tm);

  struct Options;

 private:
  std::unique_ptr<llvm::Module> module_;
  std::unique_ptr<Options> options_;
};

// Initializes every LLVM target LLVM was built with (idempotent).
void initialize_llvm_targets();

}  // namespace jitload
