#include "engine/mcjit/codegen.h"

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/DiagnosticHandler.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/BLAKE3.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/SubtargetFeature.h>
#include <llvm/TargetParser/Triple.h>

#include "engine/loader/core/reader.h"
#include "engine/mcjit/mcjit.h"

namespace jitload {

void initialize_llvm_targets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    // Module-level and function inline assembly is parsed by the target's
    // assembly parser when the object is emitted (lli initializes it too).
    llvm::InitializeAllAsmParsers();
  });
}

namespace {

// The host's CPU and features, asked once per process: they do not change,
// and asking means CPUID, which a virtual machine traps (on this kind of
// host, asking took about as long as creating the engine's TargetMachine).
struct HostCpu {
  std::string name;
  std::vector<std::pair<std::string, bool>> features;
};

const HostCpu& host_cpu() {
  static const HostCpu cpu = [] {
    HostCpu h;
    h.name = llvm::sys::getHostCPUName().str();
    for (const auto& f : llvm::sys::getHostCPUFeatures()) h.features.emplace_back(f.first().str(), f.second);
    return h;
  }();
  return cpu;
}

}  // namespace

Expected<std::unique_ptr<llvm::TargetMachine>> create_target_machine(const TargetRequest& request) {
  initialize_llvm_targets();
  std::string host = llvm::sys::getProcessTriple();
  llvm::Triple triple(llvm::Triple::normalize(request.triple.empty() ? host : request.triple));
  if (triple.getArch() == llvm::Triple::UnknownArch)
    return Error(ErrorKind::Unsupported,
                 format("target triple '%s': unknown architecture", request.triple.c_str()));
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple.str(), error);
  if (!target)
    return Error(ErrorKind::Unsupported, format("target triple '%s': %s", triple.str().c_str(), error.c_str()));

  // The host CPU (and its features) is the natural default for code that
  // runs here; any other target gets the generic CPU unless one is named.
  bool is_host = llvm::Triple(host).getArch() == triple.getArch() && llvm::Triple(host).getOS() == triple.getOS();
  std::string cpu = request.cpu;
  llvm::SubtargetFeatures features;
  if ((cpu.empty() && is_host) || cpu == "native") {
    const HostCpu& h = host_cpu();
    cpu = h.name;
    for (const auto& [name, on] : h.features) features.AddFeature(name, on);
  } else if (cpu.empty()) {
    cpu = "generic";
  }
  for (const std::string& a : request.attrs) features.AddFeature(a);
  // Ask before creating the machine: LLVM only warns about an unknown CPU.
  std::unique_ptr<llvm::MCSubtargetInfo> probe(target->createMCSubtargetInfo(triple.str(), "", ""));
  if (probe && cpu != "generic" && !probe->isCPUStringValid(cpu))
    return Error(ErrorKind::Argument, format("unknown CPU '%s' for target '%s'", cpu.c_str(), triple.str().c_str()));

  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple.str(), cpu, features.getString(), request.options, request.reloc_model,
                                  request.code_model, request.opt_level, /*JIT=*/true));
  if (!tm)
    return Error(ErrorKind::Unsupported,
                 format("target '%s' (cpu '%s') cannot create a target machine", triple.str().c_str(), cpu.c_str()));
  return tm;
}

namespace {

// Collects error diagnostics instead of letting the default handler exit.
class CaptureErrors final : public llvm::DiagnosticHandler {
 public:
  explicit CaptureErrors(std::string* out) : out_(out) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo& di) override {
    if (di.getSeverity() != llvm::DS_Error) return true;
    llvm::raw_string_ostream os(*out_);
    llvm::DiagnosticPrinterRawOStream printer(os);
    if (!out_->empty()) os << "; ";
    di.print(printer);
    return true;
  }

 private:
  std::string* out_;
};

}  // namespace

Expected<llvm::SmallVector<char, 0>> emit_object(llvm::Module& module, llvm::TargetMachine& tm, bool verify) {
  llvm::LLVMContext& ctx = module.getContext();
  std::string errors;
  std::unique_ptr<llvm::DiagnosticHandler> previous = ctx.getDiagnosticHandler();
  ctx.setDiagnosticHandler(std::make_unique<CaptureErrors>(&errors));

  llvm::SmallVector<char, 0> buffer;
  bool failed;
  {
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager pm;
    llvm::MCContext* mc = nullptr;
    // true means: this target cannot emit machine code directly.
    failed = tm.addPassesToEmitMC(pm, mc, os, /*DisableVerify=*/!verify);
    if (!failed) pm.run(module);
  }
  ctx.setDiagnosticHandler(std::move(previous));
  if (failed)
    return Error(ErrorKind::Unsupported, format("target '%s' cannot emit an object file in memory",
                                                tm.getTargetTriple().str().c_str()));
  if (!errors.empty())
    return Error(ErrorKind::Unsupported,
                 format("module '%s': code generation failed: %s", module.getModuleIdentifier().c_str(), errors.c_str()));
  if (buffer.empty())
    return Error(ErrorKind::Unsupported,
                 format("module '%s': code generation produced no object", module.getModuleIdentifier().c_str()));
  return buffer;
}

CacheKey compute_cache_key(const llvm::Module& module, const llvm::TargetMachine& tm) {
  llvm::BLAKE3 h;
  // Length-prefixed fields: no two different field lists hash the same bytes.
  auto field = [&](llvm::StringRef s) {
    u8 len[8];
    store_le<u64>(len, s.size());
    h.update(llvm::ArrayRef<u8>(len, 8));
    h.update(s);
  };
  auto number = [&](u64 v) { field(std::to_string(v)); };
  field("jitload-mcjit-object-v1");
  field(LLVM_VERSION_STRING);
  field(tm.getTargetTriple().str());
  field(tm.getTargetCPU());
  field(tm.getTargetFeatureString());
  number(u64(tm.getOptLevel()));
  number(u64(tm.getCodeModel()));
  number(u64(tm.getRelocationModel()));
  const llvm::TargetOptions& o = tm.Options;
  number(o.EmulatedTLS);
  number(o.FunctionSections);
  number(o.DataSections);
  number(u64(o.ExceptionModel));
  number(u64(o.FloatABIType));
  number(u64(o.AllowFPOpFusion));
  number(o.UnsafeFPMath);
  number(o.NoInfsFPMath);
  number(o.NoNaNsFPMath);
  number(o.EnableFastISel);
  number(o.EnableGlobalISel);
  number(u64(o.DebuggerTuning));

  llvm::SmallVector<char, 0> bitcode;
  {
    llvm::raw_svector_ostream os(bitcode);
    llvm::WriteBitcodeToFile(module, os);
  }
  field(llvm::StringRef(bitcode.data(), bitcode.size()));
  CacheKey key;
  auto r = h.final();
  std::memcpy(key.digest.data(), r.data(), key.digest.size());
  return key;
}

}  // namespace jitload
