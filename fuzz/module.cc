// Fuzz target "module": LLVM IR in, relocatable objects out, and the
// code run. An input is an IR module (bitcode, or textual IR for the
// hand-written seeds); libFuzzer's custom mutator changes it with LLVM's
// FuzzMutate library (IRMutator: injected operations, deleted and modified
// instructions, new functions, blocks, PHIs, sunk and shuffled
// instructions) and writes bitcode back. Each module is compiled by the
// engine's own code generation (engine/mcjit/codegen.h) under a code model /
// relocation model / optimization level picked from the input's hash, and
// the object goes through the same checks as every object target
// (fuzz/harness.h: engine invariants, then engine vs reference). The point:
// objects as a compiler writes them, with the relocation mixes real code
// has, but from programs no test suite holds. Modules that do not parse or
// verify, or that LLVM cannot compile, are skipped (not our findings).
//
// Then execution (the rule and the comparison are below, at "Execution"):
// the module's functions that are safe to run go through jitload's MCJIT
// engine (the calls in a vfork child) and LLVM 19's MCJIT (conformance/
// oracle's exec server, in a child of a helper process) with the same
// settings and fixed argument vectors, and the results are compared bit for
// bit. JITLOAD_FUZZ_NO_EXEC=1 skips execution.
#include <sys/mman.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/FuzzMutate/IRMutator.h>
#include <llvm/FuzzMutate/Operations.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "conformance/oracle/exec.h"
#include "engine/mcjit/codegen.h"
#include "engine/mcjit/mcjit.h"
#include "fuzz/harness.h"

namespace {

namespace conformance = jitload::conformance;

const bool verbose = std::getenv("JITLOAD_FUZZ_VERBOSE") != nullptr;

std::unique_ptr<llvm::Module> parse(const uint8_t* data, size_t size, llvm::LLVMContext& ctx) {
  if (size == 0) return nullptr;
  llvm::SMDiagnostic diag;
  // A copy with a terminating NUL: the textual IR parser needs one.
  std::unique_ptr<llvm::MemoryBuffer> buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char*>(data), size), "module-input");
  std::unique_ptr<llvm::Module> m = llvm::parseIR(buffer->getMemBufferRef(), diag, ctx);
  if (!m) {
    if (verbose) std::fprintf(stderr, "  module: does not parse: %s\n", diag.getMessage().str().c_str());
    return nullptr;
  }
  if (llvm::verifyModule(*m, nullptr)) {
    if (verbose) std::fprintf(stderr, "  module: does not verify\n");
    return nullptr;
  }
  return m;
}

// The four ways jitload's users compile: the JIT default (large code
// model), small non-PIC, small PIC, medium.
jitload::TargetRequest request_for(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3ull;
  jitload::TargetRequest r;
  r.cpu = "x86-64";  // not the host's: the same input compiles alike on every machine
  switch (h % 4) {
    case 0: break;
    case 1: r.code_model = llvm::CodeModel::Small, r.reloc_model = llvm::Reloc::Static; break;
    case 2: r.code_model = llvm::CodeModel::Small, r.reloc_model = llvm::Reloc::PIC_; break;
    case 3: r.code_model = llvm::CodeModel::Medium, r.reloc_model = llvm::Reloc::Static; break;
  }
  r.opt_level = (h >> 8) % 2 ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None;
  return r;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
std::unique_ptr<llvm::IRMutator> make_mutator() {
  std::vector<llvm::TypeGetter> types{
      llvm::Type::getInt1Ty,  llvm::Type::getInt8Ty,  llvm::Type::getInt16Ty, llvm::Type::getInt32Ty,
      llvm::Type::getInt64Ty, llvm::Type::getFloatTy, llvm::Type::getDoubleTy,
      [](llvm::LLVMContext& c) -> llvm::Type* { return llvm::PointerType::get(c, 0); },
  };
  std::vector<std::unique_ptr<llvm::IRMutationStrategy>> strategies;
  strategies.push_back(std::make_unique<llvm::InjectorIRStrategy>(llvm::InjectorIRStrategy::getDefaultOps()));
  strategies.push_back(std::make_unique<llvm::InstDeleterIRStrategy>());
  strategies.push_back(std::make_unique<llvm::InstModificationIRStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertFunctionStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertCFGStrategy>());
  strategies.push_back(std::make_unique<llvm::InsertPHIStrategy>());
  strategies.push_back(std::make_unique<llvm::SinkInstructionStrategy>());
  strategies.push_back(std::make_unique<llvm::ShuffleBlockStrategy>());
  return std::make_unique<llvm::IRMutator>(std::move(types), std::move(strategies));
}
#endif


// ---- Execution ----------------------------------------------------------
//
// Which functions run (runnable()): the rule is about the IR, checked
// before code generation, and every part of it is there so that a call can
// neither harm the process nor produce a result that depends on anything
// but its arguments and the code:
//   signature  defined, C calling convention, not varargs or naked; result
//              void, i1/i8/i16/i32/i64, float or double; parameters of
//              those types (at most 6 integer, 8 floating), no ABI
//              attributes (byval, sret, inreg, ...). Only functions with a
//              global symbol are called from outside; local ones may be
//              callees.
//   control    the CFG has no cycle (every call ends after a bounded number
//              of instructions) and no `unreachable` (which Linux x86-64
//              code generation turns into a fall-through into whatever
//              follows).
//   values     scalar integers up to 64 bits, float, double; pointers only
//              as the result of an alloca or a constant-index GEP and as
//              the address operand of a load, store or GEP — never stored,
//              compared, selected, cast or passed, nor folded into a
//              constant (ptrtoint of a global) — so no address can reach a
//              result through defined behaviour. No vectors, half, fp128,
//              x86_fp80, i128, no frem (they lower to library calls).
//   memory     non-atomic loads and stores of those scalars whose address
//              is, after constant offsets, an alloca of the same function or
//              a defined, non-thread-local global variable (not a constant
//              one for stores) whose type and initializer hold no pointer,
//              with the whole access in bounds; allocas of constant size,
//              at most 16 KiB per function (exec.h's stack is 64 KiB).
//   calls      direct calls with matching type to runnable functions of the
//              module (no recursion), or to intrinsics that x86-64 code
//              generation expands inline (abs, min/max, bit counts, byte
//              swaps, funnel shifts, overflow and saturating arithmetic,
//              fabs, copysign, sqrt, minnum/maxnum/minimum/maximum).
//   allowed    division by zero and INT_MIN/-1 (SIGFPE), undef and poison:
//              a signal is an outcome compared like a value, and undefined
//              values read registers and stack that exec.h's trampoline
//              makes identical in both processes — except where code
//              generation leaves an address in the register an undefined
//              result comes from (`srem %x, 0` folds to undef, and the
//              return register still holds a global's address): the
//              placement check below catches those.
// External symbols all resolve to exec.h's never-mapped dummy on both
// sides (runnable functions call none; codegen's library calls are avoided
// by the type and intrinsic rules, and would fault alike on both sides).
// What is run: the first kMaxFunctions runnable functions with a global
// symbol, each with exec_argument_vectors' three vectors (zeros, small,
// boundary), in module order, one fresh engine per side.
//
// How it is compared (execute_and_compare): the code both engines run is
// the same object. jitload's engine gets the module plus, through its
// ObjectCache, the object this target compiled from it. LLVM's MCJIT gets
// the module and, through its ObjectCache, the same object — except for
// one input in eight (and in replay builds), where it compiles the module
// itself with a TargetMachine made from the same settings (request_for's
// code model, relocation model, opt level and CPU; default TargetOptions,
// so no emulated TLS) — a compilation costs more than the rest of the
// execution. Either way the FNV hashes of the two objects must be equal,
// else nothing is compared. Per call, with J jitload's outcome and A, B LLVM's at two
// placements:
//   A != B                    the result depends on where the loader put
//                             things: not compared ("placement-dependent")
//   J == A                    agree
//   J crashed/hung, A value   finding: abort (libFuzzer keeps the input)
//   J value != A value        finding: abort
//   J value, A crashed/hung   LLVM only: printed, not ours
//   both crashed/hung, not    not ours (the code crashes wherever it
//   alike                     runs; the same signal counts as agreement)
// Engine B shifts each section by 0x340 bytes or its alignment, so a
// leaked address of a page-aligned section would show only above bit 12: a
// result that keeps just the low bits of such an address could still
// differ between the processes without A != B (not seen so far).
// jitload's engine failing to compile or link a module LLVM runs is
// printed, not a finding. The small and medium code models without PIC
// run with both engines' section memory in the low 2 GiB (their 32-bit
// absolute relocations: at ordinary addresses jitload rejects them as
// overflowing and LLVM silently truncates them).
//
// JITLOAD_FUZZ_EXEC_PLANT=1 (test only) changes the first argument of
// every call on jitload's side, so fuzz-replay-module-exec-plant can show
// that a difference is caught.

constexpr size_t kMaxFunctions = 8;

bool exec_type_of(llvm::Type* t, conformance::ExecType& out, bool allow_void) {
  using conformance::ExecType;
  if (t->isVoidTy() && allow_void) return out = ExecType::Void, true;
  if (t->isFloatTy()) return out = ExecType::F32, true;
  if (t->isDoubleTy()) return out = ExecType::F64, true;
  if (t->isIntegerTy(1)) return out = ExecType::I1, true;
  if (t->isIntegerTy(8)) return out = ExecType::I8, true;
  if (t->isIntegerTy(16)) return out = ExecType::I16, true;
  if (t->isIntegerTy(32)) return out = ExecType::I32, true;
  if (t->isIntegerTy(64)) return out = ExecType::I64, true;
  return false;
}

bool scalar_type(llvm::Type* t) {
  return (t->isIntegerTy() && t->getIntegerBitWidth() <= 64) || t->isFloatTy() || t->isDoubleTy();
}

bool pointer_free_type(llvm::Type* t) {
  if (t->isPointerTy() || t->isVectorTy() || t->isTargetExtTy()) return false;
  for (llvm::Type* sub : t->subtypes())
    if (!pointer_free_type(sub)) return false;
  return true;
}

bool pointer_free_constant(const llvm::Constant* c) {
  if (llvm::isa<llvm::GlobalValue>(c) || llvm::isa<llvm::ConstantExpr>(c) || llvm::isa<llvm::BlockAddress>(c))
    return false;
  for (const llvm::Use& u : c->operands())
    if (auto* sub = llvm::dyn_cast<llvm::Constant>(u.get()); sub && !pointer_free_constant(sub)) return false;
  return true;
}

bool inline_intrinsic(llvm::Intrinsic::ID id) {
  switch (id) {
    case llvm::Intrinsic::abs: case llvm::Intrinsic::smax: case llvm::Intrinsic::smin:
    case llvm::Intrinsic::umax: case llvm::Intrinsic::umin: case llvm::Intrinsic::ctpop:
    case llvm::Intrinsic::ctlz: case llvm::Intrinsic::cttz: case llvm::Intrinsic::bswap:
    case llvm::Intrinsic::bitreverse: case llvm::Intrinsic::fshl: case llvm::Intrinsic::fshr:
    case llvm::Intrinsic::sadd_with_overflow: case llvm::Intrinsic::uadd_with_overflow:
    case llvm::Intrinsic::ssub_with_overflow: case llvm::Intrinsic::usub_with_overflow:
    case llvm::Intrinsic::smul_with_overflow: case llvm::Intrinsic::umul_with_overflow:
    case llvm::Intrinsic::sadd_sat: case llvm::Intrinsic::uadd_sat: case llvm::Intrinsic::ssub_sat:
    case llvm::Intrinsic::usub_sat: case llvm::Intrinsic::fabs: case llvm::Intrinsic::copysign:
    case llvm::Intrinsic::sqrt: case llvm::Intrinsic::minnum: case llvm::Intrinsic::maxnum:
    case llvm::Intrinsic::minimum: case llvm::Intrinsic::maximum:
      return true;
    default:
      return false;
  }
}

// {iN, i1}: the result of an *.with.overflow intrinsic.
bool overflow_pair(llvm::Type* t) {
  auto* st = llvm::dyn_cast<llvm::StructType>(t);
  return st && st->getNumElements() == 2 && scalar_type(st->getElementType(0)) && st->getElementType(1)->isIntegerTy(1);
}

class Runnability {
 public:
  explicit Runnability(const llvm::Module& m) : dl_(m.getDataLayout()) {}

  // Why `f` may not run, or empty if it may.
  std::string why_not(const llvm::Function& f) {
    if (auto it = memo_.find(&f); it != memo_.end()) return it->second;
    if (active_.count(&f)) return "recursion";
    active_.insert(&f);
    std::string why = check(f);
    active_.erase(&f);
    memo_[&f] = why;
    return why;
  }

 private:
  std::string check(const llvm::Function& f) {
    if (f.isDeclaration()) return "declaration";
    if (f.isVarArg()) return "varargs";
    if (f.getCallingConv() != llvm::CallingConv::C) return "calling convention";
    if (f.hasFnAttribute(llvm::Attribute::Naked)) return "naked";
    conformance::ExecType t;
    if (!exec_type_of(f.getReturnType(), t, true)) return "result type";
    unsigned ints = 0, floats = 0;
    for (const llvm::Argument& a : f.args()) {
      if (!exec_type_of(a.getType(), t, false)) return "parameter type";
      (conformance::exec_type_is_float(t) ? floats : ints)++;
      for (auto k : {llvm::Attribute::ByVal, llvm::Attribute::StructRet, llvm::Attribute::InReg,
                     llvm::Attribute::InAlloca, llvm::Attribute::Preallocated, llvm::Attribute::Nest,
                     llvm::Attribute::SwiftSelf, llvm::Attribute::SwiftError, llvm::Attribute::SwiftAsync})
        if (a.hasAttribute(k)) return "parameter attribute";
    }
    if (ints > 6 || floats > 8) return "stack parameters";
    if (has_cycle(f)) return "loop";
    // Callees are checked from inside this loop: each function counts its own allocas.
    struct Scope {
      uint64_t& bytes;
      uint64_t saved;
      ~Scope() { bytes = saved; }
    } scope{alloca_bytes_, alloca_bytes_};
    alloca_bytes_ = 0;
    for (const llvm::BasicBlock& bb : f)
      for (const llvm::Instruction& i : bb) {
        std::string why = check_instruction(f, i);
        if (!why.empty()) return why + " (" + i.getOpcodeName() + ")";
      }
    return "";
  }

  static bool has_cycle(const llvm::Function& f) {
    // Iterative DFS; a successor on the stack is a back edge.
    std::map<const llvm::BasicBlock*, int> state;  // 1 on stack, 2 done
    std::vector<std::pair<const llvm::BasicBlock*, unsigned>> stack{{&f.getEntryBlock(), 0}};
    state[&f.getEntryBlock()] = 1;
    while (!stack.empty()) {
      auto& [bb, next] = stack.back();
      const llvm::Instruction* term = bb->getTerminator();
      if (term && next < term->getNumSuccessors()) {
        const llvm::BasicBlock* s = term->getSuccessor(next++);
        int& st = state[s];
        if (st == 1) return true;
        if (st == 0) st = 1, stack.push_back({s, 0});
      } else {
        state[bb] = 2;
        stack.pop_back();
      }
    }
    return false;
  }

  std::string check_instruction(const llvm::Function& f, const llvm::Instruction& i) {
    if (llvm::isa<llvm::UnreachableInst>(i)) return "unreachable";
    // Types: scalars, pointers, and the overflow pair.
    auto type_ok = [](llvm::Type* t) {
      return scalar_type(t) || t->isPointerTy() || t->isVoidTy() || t->isLabelTy() || overflow_pair(t);
    };
    if (!type_ok(i.getType())) return "value type";
    for (const llvm::Use& u : i.operands()) {
      llvm::Type* t = u->getType();
      if (!type_ok(t)) return "operand type";
      if (!t->isPointerTy()) {
        // No address folded into a number (ptrtoint of a global, say).
        auto* c = llvm::dyn_cast<llvm::Constant>(u.get());
        if (c && !pointer_free_constant(c)) return "address in a constant";
        continue;
      }
      // Pointers only as addresses.
      unsigned n = u.getOperandNo();
      bool address = (llvm::isa<llvm::LoadInst>(i) && n == 0) || (llvm::isa<llvm::StoreInst>(i) && n == 1) ||
                     (llvm::isa<llvm::GetElementPtrInst>(i) && n == 0) ||
                     (llvm::isa<llvm::CallInst>(i) && &u == &llvm::cast<llvm::CallInst>(i).getCalledOperandUse());
      if (!address) return "pointer used as a value";
    }
    if (i.getType()->isPointerTy() && !llvm::isa<llvm::AllocaInst>(i) && !llvm::isa<llvm::GetElementPtrInst>(i))
      return "pointer value";
    if (auto* b = llvm::dyn_cast<llvm::BinaryOperator>(&i)) return b->getOpcode() == llvm::Instruction::FRem ? "frem" : "";
    if (llvm::isa<llvm::UnaryOperator>(i) || llvm::isa<llvm::CmpInst>(i) || llvm::isa<llvm::SelectInst>(i) ||
        llvm::isa<llvm::PHINode>(i) || llvm::isa<llvm::FreezeInst>(i) || llvm::isa<llvm::ReturnInst>(i) ||
        llvm::isa<llvm::BranchInst>(i) || llvm::isa<llvm::SwitchInst>(i))
      return "";
    if (auto* c = llvm::dyn_cast<llvm::CastInst>(&i)) {
      switch (c->getOpcode()) {
        case llvm::Instruction::PtrToInt: case llvm::Instruction::IntToPtr: case llvm::Instruction::AddrSpaceCast:
          return "pointer cast";
        default:
          return "";
      }
    }
    if (auto* a = llvm::dyn_cast<llvm::AllocaInst>(&i)) {
      auto size = a->getAllocationSize(dl_);  // null unless the count is a constant
      if (!size || size->isScalable()) return "alloca size";
      alloca_bytes_ += size->getFixedValue();
      if (alloca_bytes_ > 16384) return "allocas over 16 KiB";
      return "";
    }
    if (auto* g = llvm::dyn_cast<llvm::GetElementPtrInst>(&i)) return g->hasAllConstantIndices() ? "" : "variable index";
    if (auto* l = llvm::dyn_cast<llvm::LoadInst>(&i)) {
      if (l->isAtomic() || !scalar_type(l->getType())) return "load kind";
      return address_ok(f, l->getPointerOperand(), l->getType(), false);
    }
    if (auto* s = llvm::dyn_cast<llvm::StoreInst>(&i)) {
      if (s->isAtomic() || !scalar_type(s->getValueOperand()->getType())) return "store kind";
      return address_ok(f, s->getPointerOperand(), s->getValueOperand()->getType(), true);
    }
    if (auto* e = llvm::dyn_cast<llvm::ExtractValueInst>(&i)) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(e->getAggregateOperand());
      return call && call->getCalledFunction() && call->getCalledFunction()->isIntrinsic() ? "" : "extractvalue";
    }
    if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i)) {
      const llvm::Function* callee = call->getCalledFunction();
      if (!callee || call->isInlineAsm() || call->hasOperandBundles()) return "indirect call";
      if (call->getFunctionType() != callee->getFunctionType()) return "call type mismatch";
      if (callee->isIntrinsic()) return inline_intrinsic(callee->getIntrinsicID()) ? "" : "intrinsic " + callee->getName().str();
      if (call->getCallingConv() != llvm::CallingConv::C) return "call convention";
      std::string why = why_not(*callee);
      return why.empty() ? "" : "callee " + callee->getName().str() + ": " + why;
    }
    return "instruction";
  }

  std::string address_ok(const llvm::Function& f, const llvm::Value* p, llvm::Type* access, bool write) {
    llvm::APInt offset(64, 0);
    const llvm::Value* base = p->stripAndAccumulateConstantOffsets(dl_, offset, /*AllowNonInbounds=*/true);
    uint64_t size = 0;
    if (auto* a = llvm::dyn_cast<llvm::AllocaInst>(base)) {
      if (a->getFunction() != &f) return "foreign alloca";
      auto s = a->getAllocationSize(dl_);
      if (!s || s->isScalable()) return "alloca size";
      size = s->getFixedValue();
    } else if (auto* g = llvm::dyn_cast<llvm::GlobalVariable>(base)) {
      if (g->isDeclaration() || !g->hasInitializer() || g->isThreadLocal() || g->isExternallyInitialized() ||
          g->getAddressSpace() != 0)
        return "global not defined here";
      if (write && g->isConstant()) return "store to a constant";
      if (!pointer_free_type(g->getValueType()) || !pointer_free_constant(g->getInitializer()))
        return "global holding addresses";
      size = dl_.getTypeAllocSize(g->getValueType());
    } else {
      return "address not an alloca or global";
    }
    int64_t off = offset.getSExtValue();
    uint64_t n = dl_.getTypeStoreSize(access);
    if (off < 0 || uint64_t(off) + n > size) return "access out of bounds";
    return "";
  }

  const llvm::DataLayout& dl_;
  uint64_t alloca_bytes_ = 0;  // of the function being checked
  std::map<const llvm::Function*, std::string> memo_;
  std::set<const llvm::Function*> active_;
};

// Process-wide counts (printed at exit, and per input with JITLOAD_FUZZ_VERBOSE).
struct ExecTotals {
  uint64_t modules = 0, with_runnable = 0, executed = 0, functions = 0, calls = 0, object_given = 0, agreed = 0, agreed_signals = 0, crashed_both = 0,
           placement_dependent = 0, llvm_only = 0, object_mismatch = 0, jitload_refused = 0, llvm_failed = 0;
  ~ExecTotals() {
    if (!modules) return;
    std::fprintf(stderr,
                 "module exec: %llu modules, %llu with runnable functions, %llu executed and compared (%.0f%%): "
                 "%llu functions, %llu calls (%llu modules with LLVM given jitload's object), %llu agree (%llu on the same signal), %llu crash differently in both, %llu placement-dependent, "
                 "%llu LLVM-only crashes; not compared: %llu objects differ, %llu jitload refused, %llu LLVM failed\n",
                 (unsigned long long)modules, (unsigned long long)with_runnable, (unsigned long long)executed,
                 100.0 * double(executed) / double(modules), (unsigned long long)functions, (unsigned long long)calls, (unsigned long long)object_given,
                 (unsigned long long)agreed, (unsigned long long)agreed_signals, (unsigned long long)crashed_both, (unsigned long long)placement_dependent,
                 (unsigned long long)llvm_only, (unsigned long long)object_mismatch, (unsigned long long)jitload_refused,
                 (unsigned long long)llvm_failed);
  }
};
ExecTotals totals;

// jitload's side resolves like LLVM's (llvm-exec.cc): every external
// symbol is exec.h's never-mapped dummy address. Runnable functions call
// no external; looking names up in the process would make the two sides
// differ (this binary exports names a fuzzed module may declare, like "f")
// and put small-code-model references out of 32-bit range.
class AllUnresolved final : public jitload::SymbolResolver {
 public:
  std::optional<uint64_t> lookup(std::string_view) override { return conformance::kExecUnresolvedAddress; }
};

// For the small and medium code models without PIC (R_X86_64_32/32S
// against the object's own sections): section memory from two MAP_32BIT regions, code
// made read+execute at finalize. LLVM's side does the same
// (ExecSettings::low_memory). The engine's own SectionMemoryManager serves
// every other setting.
class LowMemoryManager final : public jitload::MemoryManager {
 public:
  static constexpr uint64_t kRegion = 8u << 20;
  LowMemoryManager() {
    code_ = map();
    data_ = map();
  }
  ~LowMemoryManager() override {
    if (code_) munmap(code_, kRegion);
    if (data_) munmap(data_, kRegion);
  }
  uint8_t* allocate_code_section(uint64_t size, uint32_t align, uint32_t, std::string_view) override {
    return bump(code_, code_used_, size, align);
  }
  uint8_t* allocate_data_section(uint64_t size, uint32_t align, uint32_t, std::string_view, bool) override {
    return bump(data_, data_used_, size, align);
  }
  jitload::Error finalize_memory() override {
    if (code_ && mprotect(code_, kRegion, PROT_READ | PROT_EXEC) != 0)
      return jitload::Error(jitload::ErrorKind::Memory, "low memory: mprotect failed");
    return jitload::Error::success();
  }

 private:
  static uint8_t* map() {
    void* p = mmap(nullptr, kRegion, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
  }
  static uint8_t* bump(uint8_t* base, uint64_t& used, uint64_t size, uint32_t align) {
    uint64_t a = align ? align : 1;
    uint64_t at = (used + a - 1) / a * a;
    if (!base || at + size > kRegion || a > 4096) return nullptr;
    used = at + size;
    return base + at;
  }
  uint8_t* code_ = nullptr;
  uint8_t* data_ = nullptr;
  uint64_t code_used_ = 0, data_used_ = 0;
};

// Small and medium code models without PIC: code and small data are
// addressed with 32-bit absolute relocations (medium: jump tables, say).
bool wants_low_memory(const jitload::TargetRequest& r) {
  return (r.code_model == llvm::CodeModel::Small || r.code_model == llvm::CodeModel::Medium) &&
         r.reloc_model == llvm::Reloc::Static;
}

// Gives the engine the object already compiled from the module, and
// records the hash of what the engine loaded (or, if it compiled after all,
// of what it compiled).
class CaptureObject final : public jitload::ObjectCache {
 public:
  explicit CaptureObject(std::span<const uint8_t> object) : object_(object.begin(), object.end()) {}
  std::optional<std::vector<uint8_t>> get_object(const llvm::Module&, const jitload::CacheKey&) override {
    if (object_.empty()) return std::nullopt;
    hash = conformance::fnv1a_hex(object_);
    return std::move(object_);
  }
  void notify_object_compiled(const llvm::Module&, const jitload::CacheKey&, std::span<const uint8_t> o) override {
    if (hash.empty()) hash = conformance::fnv1a_hex(o);
  }
  std::string hash;

 private:
  std::vector<uint8_t> object_;
};

bool crashed(const conformance::CallOutcome& o) {
  return o.kind == conformance::CallOutcome::Kind::Signal || o.kind == conformance::CallOutcome::Kind::Timeout;
}

conformance::ExecSettings settings_of(const jitload::TargetRequest& r) {
  conformance::ExecSettings s;
  s.cpu = r.cpu;
  s.code_model = r.code_model ? int(*r.code_model) : -1;
  s.reloc_model = r.reloc_model ? int(*r.reloc_model) : -1;
  s.opt_level = int(r.opt_level);
  s.low_memory = wants_low_memory(r);
  return s;
}

// Runs the module's runnable functions on both engines and compares; aborts
// on a finding. `m` is the module before code generation (with the target's
// data layout and triple).
void execute_and_compare(std::unique_ptr<llvm::Module> module, const jitload::TargetRequest& request,
                         std::span<const uint8_t> object, bool llvm_compiles) {
  using conformance::CallOutcome;
  const llvm::Module& m = *module;
  totals.modules++;
  Runnability rule(m);
  conformance::ExecPlan plan;
  size_t rejected = 0;
  for (const llvm::Function& f : m) {
    if (f.isDeclaration() || f.hasLocalLinkage() || !f.hasName()) continue;
    std::string name = f.getName().str();
    if (name.find_first_of(" ;\t\n\\") != std::string::npos) continue;
    std::string why = rule.why_not(f);
    if (!why.empty()) {
      if (verbose) std::fprintf(stderr, "  exec: %s not runnable: %s\n", name.c_str(), why.c_str());
      rejected++;
      continue;
    }
    if (plan.functions.size() == kMaxFunctions) break;
    conformance::ExecFunction ef;
    ef.name = name;
    exec_type_of(f.getReturnType(), ef.result, true);
    for (const llvm::Argument& a : f.args()) exec_type_of(a.getType(), ef.params.emplace_back(), false);
    uint32_t index = uint32_t(plan.functions.size());
    plan.functions.push_back(ef);
    for (auto& args : conformance::exec_argument_vectors(ef)) plan.calls.push_back({index, args});
  }
  if (plan.functions.empty()) return;
  totals.with_runnable++;

  // LLVM's side gets the module as bitcode and starts on it at once (the
  // exec server works on the other core meanwhile).
  auto t0 = std::chrono::steady_clock::now();
  llvm::SmallVector<char, 0> bitcode;
  {
    llvm::raw_svector_ostream os(bitcode);
    llvm::WriteBitcodeToFile(m, os);
  }
  conformance::LlvmExecPending pending = conformance::start_llvm_exec(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bitcode.data()), bitcode.size()),
      settings_of(request), plan, llvm_compiles ? std::span<const uint8_t>() : object);

  // jitload's engine gets the module and, through its ObjectCache, the
  // object this target compiled from it (the same emit_object and
  // TargetMachine settings the engine's code generation would use: no
  // second compilation); it loads, links and finalizes it here.
  auto tm = jitload::create_target_machine(request);
  if (!tm) {
    (void)conformance::finish_llvm_exec(pending);
    return;
  }
  auto cache = std::make_shared<CaptureObject>(object);
  jitload::EngineBuilder builder(std::move(module));
  if (wants_low_memory(request)) builder.set_mcjit_memory_manager(std::make_unique<LowMemoryManager>());
  auto engine = builder.set_symbol_resolver(std::make_unique<AllUnresolved>())
                    .set_object_cache(cache)
                    .set_gdb_registration(false)
                    .create(std::move(*tm));
  std::vector<uint64_t> addresses;
  std::string refused;
  if (!engine) {
    refused = engine.error().message();
  } else {
    for (const conformance::ExecFunction& f : plan.functions) {
      auto a = (*engine)->get_function_address(f.name);
      if (!a) {
        refused = a.error().message();
        break;
      }
      addresses.push_back(*a);
    }
  }
  auto t1 = std::chrono::steady_clock::now();
  conformance::ExecPlan ours = plan;
  static const bool plant = std::getenv("JITLOAD_FUZZ_EXEC_PLANT") != nullptr;
  if (plant)
    for (conformance::ExecCall& c : ours.calls)
      if (!c.args.empty()) c.args[0] ^= 1;
  conformance::ExecRun run;
  if (refused.empty()) run = conformance::execute_plan_in_child(ours, addresses);
  auto t2 = std::chrono::steady_clock::now();
  conformance::LlvmExecResult llvm_run = conformance::finish_llvm_exec(pending);
  auto t3 = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  if (verbose)
    std::fprintf(stderr, "  exec: jitload's engine %.1f ms, its run %.1f ms, then waited %.1f ms for LLVM's MCJIT\n",
                 ms(t0, t1), ms(t1, t2), ms(t2, t3));
  if (llvm_run.status != conformance::LlvmExecResult::Status::Ok) {
    totals.llvm_failed++;
    if (verbose) std::fprintf(stderr, "  exec: LLVM's MCJIT did not run the plan: %s\n", llvm_run.message.c_str());
    return;
  }
  if (!refused.empty()) {
    totals.jitload_refused++;
    if (verbose) std::fprintf(stderr, "  exec: jitload's engine did not link the module (LLVM did): %s\n", refused.c_str());
    return;
  }
  if (llvm_run.object_given) totals.object_given++;
  if (cache->hash != llvm_run.object_hash) {
    totals.object_mismatch++;
    std::fprintf(stderr, "  exec: not compared: jitload's engine loaded object %s, LLVM's MCJIT compiled %s\n",
                 cache->hash.c_str(), llvm_run.object_hash.c_str());
    return;
  }

  totals.executed++;
  totals.functions += plan.functions.size();
  size_t agreed = 0, agreed_signals = 0, both = 0, placement = 0, llvm_only = 0, compared = 0;
  std::string findings;
  for (size_t k = 0; k < plan.calls.size(); k++) {
    const CallOutcome &j = run.outcomes[k], &a = llvm_run.first[k], &b = llvm_run.second[k];
    if (a.kind == CallOutcome::Kind::NotRun) continue;  // LLVM's child died before it
    compared++;
    const conformance::ExecFunction& f = plan.functions[plan.calls[k].function];
    std::string args;
    for (size_t p = 0; p < f.params.size(); p++) {
      CallOutcome v{CallOutcome::Kind::Value, plan.calls[k].args[p], 0};
      args += (p ? ", " : "") + std::string(conformance::exec_type_name(f.params[p])) + " " +
              conformance::outcome_text(v, f.params[p]);
    }
    if (!(a == b)) {
      placement++;
      if (verbose)
        std::fprintf(stderr, "  exec: placement-dependent: call %s(%s): LLVM %s and %s, jitload %s\n", f.name.c_str(),
                     args.c_str(), conformance::outcome_text(a, f.result).c_str(),
                     conformance::outcome_text(b, f.result).c_str(), conformance::outcome_text(j, f.result).c_str());
      continue;
    }
    if (j == a) {
      agreed++;
      if (crashed(j)) agreed_signals++;
      continue;
    }
    std::string line = "call " + f.name + "(" + args + "): jitload " + conformance::outcome_text(j, f.result) +
                       ", LLVM " + conformance::outcome_text(a, f.result);
    if (crashed(j) && crashed(a)) {
      both++;
    } else if (crashed(a)) {
      llvm_only++;
      std::fprintf(stderr, "  exec: LLVM only (not ours): %s\n", line.c_str());
    } else {
      findings += "  " + line + "\n";
    }
  }
  totals.calls += compared;
  totals.agreed += agreed;
  totals.agreed_signals += agreed_signals;
  totals.crashed_both += both;
  totals.placement_dependent += placement;
  totals.llvm_only += llvm_only;
  if (verbose)
    std::fprintf(stderr,
                 "  exec: %zu functions (%zu not runnable), %zu calls compared: %zu agree (%zu on a signal), %zu crash differently, "
                 "%zu placement-dependent, %zu LLVM-only; same object %s%s%s\n",
                 plan.functions.size(), rejected, compared, agreed, agreed_signals, both, placement, llvm_only,
                 llvm_run.object_hash.c_str(), run.message.empty() ? "" : "; jitload child: ", run.message.c_str());
  if (!findings.empty()) {
    std::fprintf(stderr,
                 "module finding (execution): jitload's MCJIT and LLVM's MCJIT ran the same object (%s, "
                 "code model %d, reloc model %d, opt level %d) differently:\n%s",
                 llvm_run.object_hash.c_str(), settings_of(request).code_model, settings_of(request).reloc_model,
                 settings_of(request).opt_level, findings.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > jitload::fuzz::kMaxInputSize) return 0;
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = parse(data, size, ctx);
  if (!m) return 0;
  jitload::TargetRequest request = request_for(data, size);
  auto tm = jitload::create_target_machine(request);
  if (!tm) {
    if (verbose) std::fprintf(stderr, "  module: no target machine: %s\n", tm.error().message().c_str());
    return 0;
  }
  m->setDataLayout((*tm)->createDataLayout());
  m->setTargetTriple((*tm)->getTargetTriple().str());
  // Code generation changes the module (CodeGenPrepare): execution gets
  // the module as it was.
  static const bool no_exec = std::getenv("JITLOAD_FUZZ_NO_EXEC") != nullptr;
  std::unique_ptr<llvm::Module> pristine = no_exec ? nullptr : llvm::CloneModule(*m);
  auto object = jitload::emit_object(*m, **tm, /*verify=*/true);
  if (!object) {
    if (verbose) std::fprintf(stderr, "  module: code generation failed: %s\n", object.error().message().c_str());
    return 0;
  }
  if (verbose)
    std::fprintf(stderr, "  module: %zu-byte object (code model %d, %s)\n", object->size(),
                 request.code_model ? int(*request.code_model) : -1,
                 request.reloc_model == llvm::Reloc::PIC_ ? "PIC" : "static");
  jitload::fuzz::run_object_input("module", reinterpret_cast<const uint8_t*>(object->data()), object->size());
  if (pristine) {
    // LLVM's MCJIT compiles the module itself for one input in eight (and
    // always in replay builds and with JITLOAD_FUZZ_EXEC_COMPILE=1), which
    // checks that both sides' code generation is the same; otherwise its
    // ObjectCache gets this target's object, saving a compilation.
#ifdef JITLOAD_FUZZ_NO_MUTATOR
    const bool always_compile = true;
#else
    static const bool always_compile = std::getenv("JITLOAD_FUZZ_EXEC_COMPILE") != nullptr;
#endif
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3ull;
    execute_and_compare(std::move(pristine), request,
                        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(object->data()), object->size()),
                        always_compile || (h >> 16) % 8 == 0);
  }
  return 0;
}

#ifndef JITLOAD_FUZZ_NO_MUTATOR
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  static std::unique_ptr<llvm::IRMutator> mutator = make_mutator();
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = parse(data, size, ctx);
  if (!m) {
    // Not a module (a byte-mutated input reached us): start from an empty one.
    m = std::make_unique<llvm::Module>("fuzz", ctx);
  }
  mutator->mutateModule(*m, int(seed), max_size);
  if (llvm::verifyModule(*m, nullptr)) return size;  // keep nothing broken: the input stays as it was
  size_t n = llvm::writeModule(*m, data, max_size);
  return n ? n : size;
}
#endif
