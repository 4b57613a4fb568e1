// -printline / -printobjline: each function's line table, read with LLVM's
// DWARF reader (llvm/DebugInfo, not ExecutionEngine) from the original object
// while relocating debug sections against where our loader put the code.
#include <llvm/DebugInfo/DIContext.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Object/SymbolSize.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include "conformance/checker/rtdyld-loader.h"

namespace jitload::checker {

namespace {

// Section load addresses, as our loader placed them.
class LoaderSections final : public llvm::LoadedObjectInfo {
 public:
  LoaderSections(const RtdyldLoader* loader, u32 object) : loader_(loader), object_(object) {}
  uint64_t getSectionLoadAddress(const llvm::object::SectionRef& sec) const override {
    if (auto t = loader_->file_section_target(object_, u32(sec.getIndex()))) return *t;
    return 0;
  }
  std::unique_ptr<llvm::LoadedObjectInfo> clone() const override {
    return std::make_unique<LoaderSections>(*this);
  }

 private:
  const RtdyldLoader* loader_;
  u32 object_;
};

std::string message(llvm::Error e) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::logAllUnhandledErrors(std::move(e), os);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

Expected<std::string> print_line_info(std::span<const u8> bytes, const RtdyldLoader* loader, u32 object_index) {
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "object");
  auto obj = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!obj) return Error(ErrorKind::Malformed, "unable to read the object for line tables: " + message(obj.takeError()));
  std::optional<LoaderSections> info;
  if (loader) info.emplace(loader, object_index);
  std::string out;
  llvm::raw_string_ostream os(out);
  // Recoverable DWARF problems are reported and skipped, never fatal.
  auto report = [&](llvm::Error e) { os << "warning: " << message(std::move(e)) << "\n"; };
  std::unique_ptr<llvm::DIContext> dwarf = llvm::DWARFContext::create(
      **obj, llvm::DWARFContext::ProcessDebugRelocations::Process, info ? &*info : nullptr, "", report, report);
  for (const auto& [sym, size] : llvm::object::computeSymbolSizes(**obj)) {
    auto type = sym.getType();
    if (!type) {
      llvm::consumeError(type.takeError());
      continue;
    }
    if (*type != llvm::object::SymbolRef::ST_Function) continue;
    auto name = sym.getName();
    auto addr = sym.getAddress();
    auto sec = sym.getSection();
    if (!name || !addr || !sec) {
      if (!name) llvm::consumeError(name.takeError());
      if (!addr) llvm::consumeError(addr.takeError());
      if (!sec) llvm::consumeError(sec.takeError());
      continue;
    }
    uint64_t address = *addr;
    llvm::object::SectionedAddress where;
    if (*sec != (*obj)->section_end()) {
      where.SectionIndex = (*sec)->getIndex();
      if (loader) {
        uint64_t load = info->getSectionLoadAddress(**sec);
        if (load) address += load - (*sec)->getAddress();
      }
    }
    os << "Function: " << *name << ", Size = " << size << ", Addr = " << address << "\n";
    where.Address = address;
    for (const auto& [pc, line] : dwarf->getLineInfoForAddressRange(where, size))
      os << "  Line info @ " << pc - address << ": " << line.FileName << ", line:" << line.Line << "\n";
  }
  os.flush();
  return out;
}

}  // namespace jitload::checker
