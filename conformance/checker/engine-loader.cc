// `jitload rtdyld --loader engine`: the production loader (engine/loader)
// behind llvm-rtdyld's command line and the rtdyld-check questions.
#include <algorithm>

#include "conformance/checker/rtdyld-loader.h"
#include "conformance/checker/rtdyld-memory.h"
#include "engine/loader/core/cxx-runtime.h"
#include "engine/loader/dyld.h"

namespace jitload::checker {

namespace {

// The engine's MemoryManager interface over the llvm-rtdyld-style memory.
class EngineMemory final : public MemoryManager {
 public:
  explicit EngineMemory(RtdyldMemory& memory) : m_(memory) {}
  u8* allocate_code_section(u64 size, u32 align, u32 section_id, std::string_view name) override {
    return m_.allocate(size, align, section_id, name, true, false);
  }
  u8* allocate_data_section(u64 size, u32 align, u32 section_id, std::string_view name, bool read_only) override {
    return m_.allocate(size, align, section_id, name, false, read_only);
  }
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 section_id, std::string_view name,
                                            const TlsAbi& abi) override {
    return m_.allocate_tls(size, align, section_id, name, abi);
  }
  // -execute runs the code here: TLS as `jitload exec` serves it. -verify
  // keeps the static rewrite that llvm-rtdyld and the reports compare.
  TlsStrategy tls_strategy() const override {
    return m_.options().execute ? TlsStrategy::Dynamic : TlsStrategy::StaticRewrite;
  }
  Expected<TlsModule> allocate_tls_module(u64 size, u64 init_size, u32 align,
                                          std::string_view static_reason) override {
    return m_.allocate_tls_module(size, init_size, align, static_reason);
  }
  bool needs_to_reserve_allocation_space() override { return m_.needs_reserve(); }
  Error reserve_allocation_space(u64 code_size, u32 code_align, u64 ro_size, u32 ro_align, u64 rw_size,
                                 u32 rw_align) override {
    return m_.reserve(code_size, code_align, ro_size, ro_align, rw_size, rw_align);
  }
  std::optional<u64> find_symbol(std::string_view name) override { return m_.find_symbol(name); }
  // llvm-rtdyld registers no EH frames, and under -verify they hold phony
  // addresses the unwinder must never see.
  void register_eh_frames(u8*, u64, u64) override {}
  void deregister_eh_frames() override {}
  Error finalize_memory() override { return m_.finalize(); }

 private:
  RtdyldMemory& m_;
};

class EngineLoader final : public RtdyldLoader, public CheckerContext {
 public:
  // llvm-rtdyld processes every section (setProcessAllSections(true)).
  explicit EngineLoader(const RtdyldMemoryOptions& options) : memory_(options), mm_(memory_), dyld_(mm_) {
    dyld_.set_process_all_sections(true);
    // The code runs here: C++ runtime hooks. (-verify keeps __dso_handle an
    // ordinary external: -dummy-extern or the checks resolve it.)
    if (options.execute) dyld_.enable_cxx_runtime();
  }

  Error init() { return memory_.init(); }

  // --- RtdyldLoader -------------------------------------------------------
  std::string_view loader_name() const override { return "engine"; }

  Error load(std::span<const u8> bytes, std::string_view file_name) override {
    memory_.set_object(dyld_.object_count());
    Expected<LoadedObjectInfo> info = dyld_.load_object(bytes, file_name);
    if (!info) return info.take_error();
    macho_.resize(info->object_index() + 1);
    macho_[info->object_index()] = is_macho(bytes);
    return Error::success();
  }

  const std::vector<Allocation>& allocations() const override { return memory_.allocations(); }

  std::optional<u32> find_section(std::string_view file, std::string_view section) const override {
    std::optional<u32> object = find_object(file);
    if (!object) return std::nullopt;
    auto secs = dyld_.sections();
    for (u32 i = 0; i < secs.size(); i++)
      if (secs[i].object == *object && secs[i].name == section) return i;
    // llvm-rtdyld's ELF loader calls its GOT ".got"; ours is "<got>".
    if (section == ".got")
      for (u32 i = 0; i < secs.size(); i++)
        if (secs[i].object == *object && secs[i].kind == SectionKind::Got) return i;
    return std::nullopt;
  }

  Error map_section(u32 section, u64 target) override { return dyld_.map_section_address(section, target); }
  bool placed_by_layout(u32 section) const override {
    return section >= dyld_.sections().size() || dyld_.sections()[section].allocatable;
  }
  Error resolve() override { return dyld_.resolve_relocations(); }
  Error finalize() override { return dyld_.finalize(); }
  void* symbol_local_address(std::string_view name) override { return dyld_.get_symbol_local_address(name); }
  Error run_constructors() override {
    guard_.emplace(dyld_);
    return run_static_constructors(dyld_);
  }
  Error run_destructors() override {
    Error e = run_static_destructors(dyld_);
    guard_.reset();
    return e;
  }

  std::optional<u64> file_section_target(u32 object, u32 file_index) const override {
    for (const LoadedSection& s : dyld_.sections())
      if (s.object == object && s.file_index == file_index) return s.target;
    return std::nullopt;
  }

  CheckerContext& context() override { return *this; }

  // --- CheckerContext -----------------------------------------------------
  std::optional<u64> symbol_target(std::string_view name) override {
    if (auto s = dyld_.get_symbol(name)) return s->address;
    // As llvm-rtdyld: a symbol no object defines may still be external
    // (-dummy-extern, or the host process).
    return memory_.find_symbol(name);
  }

  std::optional<u64> symbol_local(std::string_view name) override {
    if (void* p = dyld_.get_symbol_local_address(name)) return u64(reinterpret_cast<uintptr_t>(p));
    return std::nullopt;
  }

  Expected<u64> section_address(std::string_view file, std::string_view section, bool local) override {
    if (!find_object(file)) return no_file(file);
    std::optional<u32> id = find_section(file, section);
    if (!id)
      return Error(ErrorKind::Argument, format("no section named \"%.*s\" in file %.*s", int(section.size()),
                                               section.data(), int(file.size()), file.data()));
    const LoadedSection& s = dyld_.sections()[*id];
    return local ? u64(reinterpret_cast<uintptr_t>(s.local)) : s.target;
  }

  Expected<u64> stub_address(std::string_view container, std::string_view symbol, std::string_view kind,
                             bool local) override {
    // One stub area per object here (llvm-rtdyld: per section), so the
    // section part of the container only has to exist; the kind filter
    // has one kind to choose from on x86-64.
    u32 object = TRY_VALUE(container_object(container));
    std::optional<u64> target = dyld_.stub_address(object, symbol);
    // llvm-rtdyld's Mach-O loader keeps GOT entries among its stubs, and
    // Mach-O tests ask stub_addr for them.
    if (!target && object < macho_.size() && macho_[object]) {
      if ((target = dyld_.got_entry_address(object, symbol)))
        return local ? to_local(object, SectionKind::Got, *target) : *target;
    }
    if (!target)
      return Error(ErrorKind::Argument, format("no stub for symbol '%.*s' in stub container %.*s", int(symbol.size()),
                                               symbol.data(), int(container.size()), container.data()));
    return local ? to_local(object, SectionKind::Stubs, *target) : *target;
  }

  Expected<u64> got_address(std::string_view container, std::string_view symbol, bool local) override {
    u32 object = TRY_VALUE(container_object(container));
    std::optional<u64> target = dyld_.got_entry_address(object, symbol);
    if (!target)
      return Error(ErrorKind::Argument, format("no GOT entry for symbol '%.*s' in %.*s", int(symbol.size()),
                                               symbol.data(), int(container.size()), container.data()));
    return local ? to_local(object, SectionKind::Got, *target) : *target;
  }

  Expected<std::span<const u8>> local_bytes(u64 local, u64 min, u64 max) override {
    for (const LoadedSection& s : dyld_.sections()) {
      auto base = u64(reinterpret_cast<uintptr_t>(s.local));
      if (!s.local || !s.size || local < base || local - base >= s.size) continue;
      u64 avail = s.size - (local - base);
      if (avail < min)
        return Error(ErrorKind::Argument,
                     format("reading %llu bytes at %s runs past the end of section '%.*s' (%llu bytes remain)",
                            (unsigned long long)min, hex(local).c_str(), int(s.name.size()), s.name.data(),
                            (unsigned long long)avail));
      return std::span<const u8>(s.local + (local - base), std::min(avail, max));
    }
    return Error(ErrorKind::Argument, format("address %s is not in any section the loader holds", hex(local).c_str()));
  }

 private:
  std::optional<u32> find_object(std::string_view file) const {
    std::optional<u32> found;
    for (u32 i = 0; i < dyld_.object_count(); i++)
      if (dyld_.object_name(i) == file) found = i;  // the last object of that name, as llvm-rtdyld
    return found;
  }

  Error no_file(std::string_view file) const {
    return Error(ErrorKind::Argument, format("no file named %.*s", int(file.size()), file.data()));
  }

  Expected<u32> container_object(std::string_view container) const {
    size_t slash = container.find('/');
    if (slash == std::string_view::npos)
      return Error(ErrorKind::Argument, format("stub container '%.*s' is not <file>/<section>", int(container.size()),
                                               container.data()));
    std::string_view file = container.substr(0, slash), section = container.substr(slash + 1);
    std::optional<u32> object = find_object(file);
    if (!object) return no_file(file);
    if (!find_section(file, section))
      return Error(ErrorKind::Argument, format("stub container not found: no section named \"%.*s\" in file %.*s",
                                               int(section.size()), section.data(), int(file.size()), file.data()));
    return *object;
  }

  Expected<u64> to_local(u32 object, SectionKind kind, u64 target) const {
    for (const LoadedSection& s : dyld_.sections())
      if (s.object == object && s.kind == kind && s.local && target >= s.target && target - s.target < s.size)
        return u64(reinterpret_cast<uintptr_t>(s.local)) + (target - s.target);
    return Error(ErrorKind::Argument, format("%s %s of object %u is not inside its %s section", section_kind_name(kind),
                                             hex(target).c_str(), object, section_kind_name(kind)));
  }

  std::vector<bool> macho_;  // per object: a Mach-O file
  RtdyldMemory memory_;
  EngineMemory mm_;
  RuntimeDyld dyld_;
  std::optional<ExitGuard> guard_;  // while the program runs
};

}  // namespace

Expected<std::unique_ptr<RtdyldLoader>> make_engine_rtdyld_loader(const RtdyldMemoryOptions& options) {
  auto loader = std::make_unique<EngineLoader>(options);
  TRY(loader->init());
  return std::unique_ptr<RtdyldLoader>(std::move(loader));
}

}  // namespace jitload::checker
