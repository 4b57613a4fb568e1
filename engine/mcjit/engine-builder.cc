#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include "engine/mcjit/codegen.h"
#include "engine/mcjit/mcjit-impl.h"

#include "engine/loader/core/section-memory-manager.h"

namespace jitload {

struct EngineBuilder::Options {
  EngineKind kind = EngineKind::JIT;
  std::unique_ptr<MemoryManager> memory;
  std::unique_ptr<SymbolResolver> resolver;
  TargetRequest target;
  std::shared_ptr<ObjectCache> cache;
  bool verify = true;
  bool gdb = true;
  // Set by create(): the request the engine's own target machine came from.
  std::optional<TargetRequest> own_request;
};

EngineBuilder::EngineBuilder(std::unique_ptr<llvm::Module> module)
    : module_(std::move(module)), options_(std::make_unique<Options>()) {}
EngineBuilder::~EngineBuilder() = default;

EngineBuilder& EngineBuilder::set_engine_kind(EngineKind kind) {
  options_->kind = kind;
  return *this;
}
EngineBuilder& EngineBuilder::set_mcjit_memory_manager(std::unique_ptr<MemoryManager> memory) {
  options_->memory = std::move(memory);
  return *this;
}
EngineBuilder& EngineBuilder::set_symbol_resolver(std::unique_ptr<SymbolResolver> resolver) {
  options_->resolver = std::move(resolver);
  return *this;
}
EngineBuilder& EngineBuilder::set_opt_level(llvm::CodeGenOptLevel level) {
  options_->target.opt_level = level;
  return *this;
}
EngineBuilder& EngineBuilder::set_code_model(llvm::CodeModel::Model model) {
  options_->target.code_model = model;
  return *this;
}
EngineBuilder& EngineBuilder::set_relocation_model(llvm::Reloc::Model model) {
  options_->target.reloc_model = model;
  return *this;
}
EngineBuilder& EngineBuilder::set_mtriple(std::string triple) {
  options_->target.triple = std::move(triple);
  return *this;
}
EngineBuilder& EngineBuilder::set_mcpu(std::string cpu) {
  options_->target.cpu = std::move(cpu);
  return *this;
}
EngineBuilder& EngineBuilder::set_mattrs(std::vector<std::string> attrs) {
  options_->target.attrs = std::move(attrs);
  return *this;
}
EngineBuilder& EngineBuilder::set_target_options(const llvm::TargetOptions& options) {
  options_->target.options = options;
  return *this;
}
EngineBuilder& EngineBuilder::set_object_cache(std::shared_ptr<ObjectCache> cache) {
  options_->cache = std::move(cache);
  return *this;
}
EngineBuilder& EngineBuilder::set_verify_modules(bool verify) {
  options_->verify = verify;
  return *this;
}
EngineBuilder& EngineBuilder::set_gdb_registration(bool on) {
  options_->gdb = on;
  return *this;
}

Expected<std::unique_ptr<MCJIT>> EngineBuilder::create() {
  if (!module_) return Error(ErrorKind::Argument, "EngineBuilder: no module (create() may be called once)");
  if (options_->kind != EngineKind::JIT)
    return Error(ErrorKind::Unsupported, "EngineBuilder: jitload has no interpreter; only the JIT engine kind exists");
  // An explicit triple wins over the module's, and becomes the module's.
  TargetRequest request = options_->target;
  if (!request.triple.empty())
    module_->setTargetTriple(llvm::Triple::normalize(request.triple));
  else
    request.triple = module_->getTargetTriple();
  std::unique_ptr<llvm::TargetMachine> tm = TRY_VALUE(create_target_machine(request));
  options_->own_request = request;
  return create(std::move(tm));
}

Expected<std::unique_ptr<MCJIT>> EngineBuilder::create(std::unique_ptr<llvm::TargetMachine> tm) {
  if (!module_) return Error(ErrorKind::Argument, "EngineBuilder: no module (create() may be called once)");
  if (!tm) return Error(ErrorKind::Argument, "EngineBuilder: null target machine");
  if (options_->kind != EngineKind::JIT)
    return Error(ErrorKind::Unsupported, "EngineBuilder: jitload has no interpreter; only the JIT engine kind exists");
  if (!options_->target.triple.empty())
    module_->setTargetTriple(llvm::Triple::normalize(options_->target.triple));

  auto impl = std::make_unique<MCJIT::Impl>();
  impl->tm = std::move(tm);
  // Thread-local storage without a size limit: modules with TLS are
  // compiled position-independent (general/local dynamic), unless the
  // client chose a relocation model or gave its own target machine.
  if (options_->own_request && !options_->own_request->reloc_model) {
    impl->tls_request = *options_->own_request;
    impl->tls_request->reloc_model = llvm::Reloc::PIC_;
  }
  impl->cache = options_->cache;
  impl->user_resolver = std::move(options_->resolver);
  impl->verify_modules = options_->verify;
  impl->retarget_modules = !options_->target.triple.empty();
  impl->gdb_registration = options_->gdb;
  impl->memory = std::move(options_->memory);
  if (!impl->memory) impl->memory = std::make_unique<SectionMemoryManager>();
  impl->dyld = std::make_unique<RuntimeDyld>(*impl->memory, &impl->linking);
  // When the code runs here, each module's object gets its own __dso_handle,
  // and destructors registered by the engine's code stay with the engine;
  // code that runs elsewhere (a remote executor) binds its own.
  if (impl->memory->code_runs_here()) impl->dyld->enable_cxx_runtime();
  TRY(impl->add_module(std::move(module_)));
  return std::unique_ptr<MCJIT>(new MCJIT(std::move(impl)));
}

}  // namespace jitload
