// decode_operand and next_pc decode with LLVM's MC disassembler, exactly the
// decoder llvm-rtdyld uses, so operand numbering matches the tests written
// for it (e.g. operand 4 of an x86 `lea` is the displacement).
#include <mutex>

#include <llvm/ADT/StringRef.h>
#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include "conformance/checker/checker.h"
#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {

namespace {

class LlvmDecoder final : public InstructionDecoder {
 public:
  Expected<DecodedInstruction> decode(std::span<const u8> bytes) override {
    llvm::MCInst inst;
    uint64_t size = 0;
    auto status = disassembler_->getInstruction(inst, size, llvm::ArrayRef<uint8_t>(bytes.data(), bytes.size()),
                                                0, llvm::nulls());
    if (status != llvm::MCDisassembler::Success || size == 0 || size > bytes.size())
      return Error(ErrorKind::Malformed, format("not a valid %s instruction", triple_.c_str()));
    DecodedInstruction out;
    out.size = size;
    for (const llvm::MCOperand& op : inst) {
      if (op.isImm())
        out.operands.push_back(op.getImm());
      else
        out.operands.push_back(std::nullopt);
    }
    llvm::raw_string_ostream os(out.text);
    printer_->printInst(&inst, 0, "", *subtarget_, os);
    os.flush();
    while (!out.text.empty() && (out.text.front() == '\t' || out.text.front() == ' ')) out.text.erase(0, 1);
    return out;
  }

  u64 pc_bias() const override { return pc_bias_; }

  std::string triple_;
  u64 pc_bias_ = 0;
  std::unique_ptr<llvm::MCRegisterInfo> registers_;
  std::unique_ptr<llvm::MCAsmInfo> asm_info_;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget_;
  std::unique_ptr<llvm::MCContext> context_;
  std::unique_ptr<llvm::MCDisassembler> disassembler_;
  std::unique_ptr<llvm::MCInstrInfo> instr_info_;
  std::unique_ptr<llvm::MCInstPrinter> printer_;
};

}  // namespace

Expected<std::unique_ptr<InstructionDecoder>> make_llvm_decoder(std::string_view triple_name,
                                                                std::string_view cpu) {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllDisassemblers();
  });
  llvm::Triple triple(llvm::Triple::normalize(std::string(triple_name)));
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget("", triple, error);
  if (!target)
    return Error(ErrorKind::Unsupported, format("no LLVM target for triple '%.*s': %s", int(triple_name.size()),
                                                triple_name.data(), error.c_str()));
  auto d = std::make_unique<LlvmDecoder>();
  d->triple_ = triple.str();
  // ARM (not Thumb) reads the PC two instructions ahead.
  d->pc_bias_ = triple.getArch() == llvm::Triple::arm || triple.getArch() == llvm::Triple::armeb ? 4 : 0;
  d->registers_.reset(target->createMCRegInfo(d->triple_));
  if (!d->registers_) return Error(ErrorKind::Unsupported, "no register info for " + d->triple_);
  llvm::MCTargetOptions options;
  d->asm_info_.reset(target->createMCAsmInfo(*d->registers_, d->triple_, options));
  if (!d->asm_info_) return Error(ErrorKind::Unsupported, "no asm info for " + d->triple_);
  d->subtarget_.reset(target->createMCSubtargetInfo(d->triple_, std::string(cpu), ""));
  if (!d->subtarget_) return Error(ErrorKind::Unsupported, "no subtarget info for " + d->triple_);
  d->context_ = std::make_unique<llvm::MCContext>(triple, d->asm_info_.get(), d->registers_.get(),
                                                  d->subtarget_.get());
  d->disassembler_.reset(target->createMCDisassembler(*d->subtarget_, *d->context_));
  if (!d->disassembler_) return Error(ErrorKind::Unsupported, "no disassembler for " + d->triple_);
  d->instr_info_.reset(target->createMCInstrInfo());
  if (!d->instr_info_) return Error(ErrorKind::Unsupported, "no instruction info for " + d->triple_);
  d->printer_.reset(target->createMCInstPrinter(triple, 0, *d->asm_info_, *d->instr_info_, *d->registers_));
  if (!d->printer_) return Error(ErrorKind::Unsupported, "no instruction printer for " + d->triple_);
  return std::unique_ptr<InstructionDecoder>(std::move(d));
}

u64 triple_address_limit(std::string_view triple_name) {
  llvm::Triple triple(llvm::Triple::normalize(std::string(triple_name)));
  if (triple.isArch16Bit()) return 0xffff;
  if (triple.isArch32Bit()) return 0xffffffff;
  return ~u64(0);
}

}  // namespace jitload::checker
