// `jitload rtdyld --loader reference`: the reference loader (reference/)
// behind llvm-rtdyld's command line.
//
// The reference is a pure function — bytes and a Scenario (where each
// section goes, what each external is) in, section bytes out — for one
// object at a time. llvm-rtdyld's model is stateful and multi-object, so
// this adapter drives it in two passes:
//   load     a probe load (default placement) learns each object's sections
//            and their sizes (GOT and stubs included); memory is allocated
//            for them exactly as for the engine (same requests, same log)
//   resolve  once every section has its target address, each object is
//            loaded again with those addresses and with every external it
//            references resolved against the other objects' globals, then
//            -dummy-extern, then the host process; the bytes are copied into
//            the allocated memory, which -execute then runs
// The reference answers no "where is the GOT slot / stub of X" question, so
// got_addr and stub_addr find the slot or stub by what it points at (its
// layout is documented in reference/reference.h): the psABI meaning of a
// slot, and what the differential harness compares too.
//
// Every section is processed, as llvm-rtdyld does: sections that are not
// SHF_ALLOC (debug info) load too (Scenario::process_all_sections), stay
// at target address 0 and are not placed by -verify's layout.
//
// Thread-local sections: under -execute, each object's TLS block gets a
// piece of the static-TLS reserve of this process (the one the engine's
// SectionMemoryManager keeps, through RtdyldMemory), and the reference is
// told where that piece ends relative to the thread pointer
// (Scenario::tls_end_offset); the init image is copied into this thread's
// piece. Under -verify the block stays right below the thread pointer, in
// a plain copy (several objects' blocks then overlap; each is correct
// alone).
//
// IFUNC symbols: the reference's stub for one jumps through a slot that
// holds the resolver. Under -execute, finalize() calls each resolver (once
// the code is executable) and stores the function it returns in the slot,
// so every call through the stub reaches that function.
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "conformance/checker/rtdyld-loader.h"
#include "conformance/checker/rtdyld-memory.h"
#include "engine/loader/core/tls-runtime.h"
#include "reference/reference.h"

#include "conformance/elf/elf-view.h"

namespace jitload::checker {

namespace {

// The reference's GOT slots and stubs per architecture, as
// reference/reference.h documents them: one line per architecture (keyed
// by the reference's triple, which it takes from the object's header).
struct SlotLayout {
  const char* arch;       // the triple's first component
  u64 got_entry;          // bytes per GOT slot
  u64 stub_size;          // bytes per stub (and IFUNC stub)
  u64 stub_target_at;     // where in a stub its target word (got_entry bytes) sits
  bool little_endian;     // byte order of slots and target words
};
constexpr SlotLayout kSlotLayouts[] = {
    {"x86_64", 8, 16, 6, true},       // jmp *6(%rip) ... .quad target
    {"aarch64", 8, 16, 8, true},      // ldr x16, #8; br x16; .xword target
    {"aarch64_be", 8, 16, 8, false},  // the same, its word big-endian
    {"arm64", 8, 16, 8, true},        // Mach-O arm64: the same veneer
    {"riscv64", 8, 24, 16, true},     // auipc t3; ld t3, 16(t3); jr t3; nop; .dword target
    {"riscv32", 4, 24, 16, true},     // auipc t3; lw t3, 16(t3); jr t3; nop; .word target, 4 zero bytes
    {"loongarch64", 8, 24, 16, true}, // pcaddu12i t8; ld.d t8, t8, 16; jr t8; nop; .dword target
    {"i386", 4, 0, 0, true},          // (Mach-O i386: GOT slots for TLV only, no stubs)
    {"armv7", 4, 8, 4, true},         // (Mach-O ARM) ldr pc, [pc, #-4]; .long target
};

const SlotLayout* slot_layout(std::string_view triple) {
  std::string_view arch = triple.substr(0, triple.find('-'));
  for (const SlotLayout& l : kSlotLayouts)
    if (arch == l.arch) return &l;
  return nullptr;
}

u64 load64(const u8* p, bool little_endian, unsigned width = 8) {
  u64 v = 0;
  for (unsigned i = 0; i < width; i++) v = v << 8 | p[little_endian ? width - 1 - i : i];
  return v;
}

struct RefSection {
  u32 object = 0;
  u32 index = 0;            // into the object's probe/final sections
  std::string key;          // "#N" or the synthesized name, for Scenario
  std::string name;         // as llvm-rtdyld would say (".got" for "<got>")
  std::string ref_name;     // as the reference says
  u32 file_index = 0;       // section header index; 0 for synthesized ones
  bool tls = false;
  bool allocatable = true;  // false: loaded only because every section is
  u64 size = 0;
  u8* local = nullptr;      // our copy of its bytes
  std::vector<u8> heap;     // TLS sections under -verify: a plain copy
  std::optional<u64> target;
};

struct RefObject {
  std::string name;
  std::vector<u8> bytes;
  reference::Result probe;
  reference::Result final;
  bool resolved = false;
  std::vector<u32> sections;  // ids, parallel to probe.sections
  int64_t tls_end_offset = 0;  // Scenario::tls_end_offset for its final load
  u64 tlv_key = 0;             // Mach-O TLV under -execute: its TLS module's key
};

class ReferenceLoader final : public RtdyldLoader, public CheckerContext {
 public:
  explicit ReferenceLoader(const RtdyldMemoryOptions& options) : memory_(options) {}
  Error init() { return memory_.init(); }

  std::string_view loader_name() const override { return "reference"; }

  Error load(std::span<const u8> bytes, std::string_view file_name) override {
    RefObject obj;
    obj.name = std::string(file_name);
    obj.bytes.assign(bytes.begin(), bytes.end());
    reference::Scenario probe;
    probe.default_externals = true;
    probe.process_all_sections = true;
    // Mach-O thread-local variables under -execute (reference.h, "Mach-O
    // TLV"): served, the object's TLS module one of this process's TLS
    // runtime (the one the engine's memory manager keeps, core/tls-runtime.h),
    // its variables reached through that runtime's __tls_get_addr.
    const bool tlv = memory_.options().execute && is_macho(obj.bytes);
    if (tlv) probe.tlv_get_addr = u64(reinterpret_cast<uintptr_t>(&jitload_tls_get_addr));
    obj.probe = reference::load(obj.bytes, obj.name, probe);
    // A relocation that fails under the probe's arbitrary placement (an
    // overflow, say) may well succeed at the real addresses: only errors
    // that leave no sections behind are load errors.
    if (!obj.probe.loaded && obj.probe.sections.empty()) return to_error(obj.probe.error);
    u32 object = u32(objects_.size());
    memory_.set_object(object);
    // -execute: the object's TLS block (as the probe laid it out, ending at
    // the thread pointer) goes into one piece of the static-TLS reserve.
    u8* tls_block = nullptr;
    u64 tls_size = 0, tls_align = 1;
    for (const reference::Section& s : obj.probe.sections)
      if (s.tls) {
        tls_size = std::max<u64>(tls_size, u64(-int64_t(s.address)));
        tls_align = std::max<u64>(tls_align, s.align);
      }
    u8* tlv_image = nullptr;
    if (tlv && std::any_of(obj.probe.sections.begin(), obj.probe.sections.end(), [](auto& s) { return s.tls; })) {
      u64 size = 0, init = 0, align = 1;  // the module, as the reference laid it out (offsets from 0)
      for (const reference::Section& s : obj.probe.sections)
        if (s.tls) {
          size = std::max(size, s.address + s.size);
          if (s.kind == "tls") init = std::max(init, s.address + s.size);
          align = std::max<u64>(align, s.align);
        }
      Expected<TlsModule> module = memory_.allocate_tls_module(size, init, u32(align), "");
      if (!module) return Error(module.error().kind(), obj.name + ": " + module.error().message());
      tlv_image = module->image;
      obj.tlv_key = module->key;
    } else if (memory_.options().execute &&
        std::any_of(obj.probe.sections.begin(), obj.probe.sections.end(), [](auto& s) { return s.tls; })) {
      u32 first = u32(sections_.size());
      Expected<TlsSection> piece = memory_.allocate_tls(tls_size, u32(tls_align), first, "<tls block>", TlsAbi{});
      if (!piece) return Error(piece.error().kind(), obj.name + ": " + piece.error().message());
      tls_block = piece->init_image;
      obj.tls_end_offset = piece->tp_offset + int64_t(tls_size);
    }
    for (u32 i = 0; i < obj.probe.sections.size(); i++) {
      const reference::Section& s = obj.probe.sections[i];
      RefSection r;
      r.object = object;
      r.index = i;
      r.ref_name = s.name;
      r.name = s.name == "<got>" ? ".got" : s.name;
      r.key = s.index ? "#" + std::to_string(s.index) : s.name;
      r.file_index = s.index;
      r.tls = s.tls;
      r.allocatable = s.allocatable;
      r.size = s.size;
      u32 id = u32(sections_.size());
      if (s.tls) {
        if (tlv_image && s.kind == "tls") {
          r.local = tlv_image + s.address;  // its offset in the module's initial image
        } else if (tlv_image) {
          r.heap.assign(std::max<u64>(s.size, 1), 0);  // zero-filled: past the image, zero in every thread
          r.local = r.heap.data();
        } else if (tls_block) {
          r.local = tls_block + (tls_size + s.address);  // s.address: the probe's (negative) TP offset
        } else {
          r.heap.assign(std::max<u64>(s.size, 1), 0);
          r.local = r.heap.data();
        }
      } else {
        bool code = s.kind == "code" || s.kind == "stubs";
        // The requests the engine makes: the same sizes (at least one byte)
        // and alignments, so -print-alloc-requests and the layout agree.
        r.local = memory_.allocate(std::max<u64>(s.size, 1), u32(std::max<u64>(s.align, 1)), id, s.name, code,
                                   s.kind == "rodata");
        if (!r.local)
          return Error(ErrorKind::Memory, format("%s: no memory for section '%s' (0x%llx bytes)", obj.name.c_str(),
                                                 s.name.c_str(), (unsigned long long)s.size));
        // -execute runs where the memory is, unless mapped elsewhere;
        // sections outside the image stay at 0, as in llvm-rtdyld.
        r.target = s.allocatable ? u64(reinterpret_cast<uintptr_t>(r.local)) : 0;
      }
      // (memcpy from an empty vector's null data() is undefined, even for 0 bytes.)
      if (!s.bytes.empty()) std::memcpy(r.local, s.bytes.data(), std::min<u64>(s.bytes.size(), s.size));
      obj.sections.push_back(id);
      sections_.push_back(std::move(r));
    }
    objects_.push_back(std::move(obj));
    return Error::success();
  }

  const std::vector<Allocation>& allocations() const override { return memory_.allocations(); }

  bool placed_by_layout(u32 section) const override {
    return section >= sections_.size() || sections_[section].allocatable;
  }

  std::optional<u32> find_section(std::string_view file, std::string_view section) const override {
    std::optional<u32> object = find_object(file);
    if (!object) return std::nullopt;
    for (u32 id : objects_[*object].sections)
      if (sections_[id].name == section || sections_[id].ref_name == section) return id;
    return std::nullopt;
  }

  Error map_section(u32 section, u64 target) override {
    if (section >= sections_.size()) return Error(ErrorKind::Argument, format("no section with id %u", section));
    if (sections_[section].tls)
      return Error(ErrorKind::Argument, format("section '%s' is thread-local: the reference places it itself",
                                               sections_[section].name.c_str()));
    sections_[section].target = target;
    return Error::success();
  }

  Error resolve() override {
    // Every defined global of every object, at its final address.
    std::map<std::string, u64, std::less<>> globals;
    for (u32 o = 0; o < objects_.size(); o++)
      for (const reference::Symbol& y : objects_[o].probe.symbols)
        if (y.binding != "local") {
          std::optional<u64> addr = final_address(o, y);
          if (addr && (!globals.count(y.name) || y.binding == "global")) globals[y.name] = *addr;
        }
    Error first;
    for (u32 o = 0; o < objects_.size(); o++) {
      RefObject& obj = objects_[o];
      reference::Scenario sc;
      sc.default_externals = false;
      sc.process_all_sections = true;
      sc.tls_end_offset = obj.tls_end_offset;
      if (memory_.options().execute && is_macho(obj.bytes)) {  // served TLV, as in load()
        sc.tlv_get_addr = u64(reinterpret_cast<uintptr_t>(&jitload_tls_get_addr));
        sc.tlv_module_key = obj.tlv_key;
      }
      for (u32 id : obj.sections) {
        const RefSection& r = sections_[id];
        if (!r.tls && r.target) sc.section_addresses.emplace_back(r.key, *r.target);
      }
      // The externals this object references: relocation symbols it does
      // not define.
      // (Mach-O symbol pointer slots name theirs apart: as extern entries.)
      std::vector<reference::Relocation> named = obj.probe.relocations;
      for (const std::string& n : obj.probe.pointer_symbols) named.emplace_back().symbol = n;
      for (const reference::Relocation& rel : named) {
        if (rel.symbol.empty() || rel.symbol_is_section || defines(obj.probe, rel.symbol)) continue;
        if (std::any_of(sc.externals.begin(), sc.externals.end(), [&](auto& e) { return e.first == rel.symbol; }))
          continue;
        std::optional<u64> addr;
        if (rel.symbol == "_GLOBAL_OFFSET_TABLE_") {
          // The linker's name for the object's own GOT (the engine defines
          // it; the reference leaves it to whoever links).
          if (std::optional<u32> got = find_section(obj.name, "<got>")) addr = sections_[*got].target;
        } else if (auto it = globals.find(rel.symbol); it != globals.end()) {
          addr = it->second;
        }
        // A Mach-O name is asked for without its leading underscore first,
        // as the engine does (reference.h, "Mach-O"): given to the reference
        // under that name, which it looks up first.
        if (!addr && is_macho(obj.bytes) && rel.symbol.size() > 1 && rel.symbol[0] == '_')
          if (std::optional<u64> a = memory_.find_symbol(rel.symbol.substr(1))) {
            sc.externals.emplace_back(rel.symbol.substr(1), *a);
            continue;
          }
        if (!addr) addr = memory_.find_symbol(rel.symbol);
        if (addr) sc.externals.emplace_back(rel.symbol, *addr);
      }
      obj.final = reference::load(obj.bytes, obj.name, sc);
      obj.resolved = true;
      if (obj.final.sections.size() != obj.probe.sections.size()) {
        if (!first)
          first = obj.final.sections.empty()
                      ? to_error(obj.final.error)
                      : Error(ErrorKind::Argument, format("%s: the reference loader laid the object out differently at "
                                                          "its final addresses",
                                                          obj.name.c_str()));
        continue;
      }
      for (u32 i = 0; i < obj.sections.size(); i++) {
        RefSection& r = sections_[obj.sections[i]];
        const reference::Section& s = obj.final.sections[i];
        if (s.size != r.size || s.name != r.ref_name) {
          if (!first)
            first = Error(ErrorKind::Argument, format("%s: section '%s' changed size between the reference's passes",
                                                      obj.name.c_str(), r.name.c_str()));
          continue;
        }
        if (!s.bytes.empty()) std::memcpy(r.local, s.bytes.data(), std::min<u64>(s.bytes.size(), r.size));
        if (r.tls) r.target = s.address;
      }
      if (!obj.final.loaded && !first) first = to_error(obj.final.error);
    }
    return first;
  }

  Error finalize() override {
    TRY(memory_.finalize());
    if (!memory_.options().execute) return Error::success();
    // Each IFUNC stub's slot holds its resolver: call it, now that the code
    // is executable, and point the slot at the function it picks.
    for (const RefSection& r : sections_) {
      if (r.ref_name != "<ifunc stubs>") continue;
      const SlotLayout* l = layout_of(r.object);
      if (!l) return Error(ErrorKind::Unsupported, "IFUNC stubs of an architecture the checker has no stub layout for");
      for (u64 off = 0; r.size >= l->stub_size && off <= r.size - l->stub_size; off += l->stub_size) {
        u8* slot = r.local + off + l->stub_target_at;
        u64 resolver = load64(slot, l->little_endian, unsigned(l->got_entry));
        u8* code = local_of_target(resolver);
        if (!code)
          return Error(ErrorKind::Argument, format("IFUNC stub at %s: its resolver %s is not in any loaded section",
                                                   hex(*r.target + off).c_str(), hex(resolver).c_str()));
        // Only code is called: a resolver that a malformed symbol places in
        // data would execute non-executable bytes (found by tools-hostile).
        bool in_code = false;
        for (const Allocation& a : memory_.allocations())
          in_code |= a.code && u64(reinterpret_cast<uintptr_t>(code)) >= a.local &&
                     u64(reinterpret_cast<uintptr_t>(code)) - a.local < a.size;
        if (!in_code)
          return Error(ErrorKind::Malformed, format("IFUNC stub at %s: its resolver %s is not in a code section; not called",
                                                    hex(*r.target + off).c_str(), hex(resolver).c_str()));
        auto fn = reinterpret_cast<u64 (*)()>(code);
        u64 picked = fn();
        u8 bytes[8];
        for (int i = 0; i < 8; i++) bytes[l->little_endian ? i : 7 - i] = u8(picked >> (8 * i));
        TRY(write_code(slot, bytes, sizeof bytes));
      }
    }
    return Error::success();
  }

  void* symbol_local_address(std::string_view name) override {
    const reference::Symbol* y = nullptr;
    u32 object = 0;
    if (!find_symbol(name, y, object)) return nullptr;
    const RefSection* r = section_of(object, *y);
    if (!r || !r->target) return nullptr;
    std::optional<u64> addr = symbol_address(object, *y);
    if (!addr) return nullptr;
    return r->local + (*addr - *r->target);
  }

  std::optional<u64> file_section_target(u32 object, u32 file_index) const override {
    if (object >= objects_.size()) return std::nullopt;
    for (u32 id : objects_[object].sections)
      if (sections_[id].file_index == file_index) return sections_[id].target;
    return std::nullopt;
  }

  CheckerContext& context() override { return *this; }

  // --- CheckerContext -----------------------------------------------------
  std::optional<u64> symbol_target(std::string_view name) override {
    const reference::Symbol* y = nullptr;
    u32 object = 0;
    if (find_symbol(name, y, object)) return symbol_address(object, *y);
    return memory_.find_symbol(name);
  }

  std::optional<u64> symbol_local(std::string_view name) override {
    if (void* p = symbol_local_address(name)) return u64(reinterpret_cast<uintptr_t>(p));
    return std::nullopt;
  }

  Expected<u64> section_address(std::string_view file, std::string_view section, bool local) override {
    if (!find_object(file)) return Error(ErrorKind::Argument, format("no file named %.*s", int(file.size()), file.data()));
    std::optional<u32> id = find_section(file, section);
    if (!id)
      return Error(ErrorKind::Argument, format("no section named \"%.*s\" in file %.*s", int(section.size()),
                                               section.data(), int(file.size()), file.data()));
    const RefSection& r = sections_[*id];
    if (local) return u64(reinterpret_cast<uintptr_t>(r.local));
    return r.target ? *r.target : 0;
  }

  Expected<u64> stub_address(std::string_view container, std::string_view symbol, std::string_view kind,
                             bool local) override {
    Expected<u64> stub = slot_address(container, symbol, "<stubs>", false, local);
    // llvm-rtdyld's Mach-O loader keeps GOT entries among its stubs.
    if (!stub) {
      std::optional<u32> object = find_object(container.substr(0, container.find('/')));
      if (object && is_macho(objects_[*object].bytes)) {
        Expected<u64> got = slot_address(container, symbol, "<got>", true, local);
        if (got) return got;
      }
    }
    return stub;
  }

  Expected<u64> got_address(std::string_view container, std::string_view symbol, bool local) override {
    return slot_address(container, symbol, "<got>", true, local);
  }

  Expected<std::span<const u8>> local_bytes(u64 local, u64 min, u64 max) override {
    for (const RefSection& r : sections_) {
      auto base = u64(reinterpret_cast<uintptr_t>(r.local));
      if (!r.local || !r.size || local < base || local - base >= r.size) continue;
      u64 avail = r.size - (local - base);
      if (avail < min)
        return Error(ErrorKind::Argument,
                     format("reading %llu bytes at %s runs past the end of section '%s' (%llu bytes remain)",
                            (unsigned long long)min, hex(local).c_str(), r.name.c_str(), (unsigned long long)avail));
      return std::span<const u8>(r.local + (local - base), std::min(avail, max));
    }
    return Error(ErrorKind::Argument, format("address %s is not in any section the loader holds", hex(local).c_str()));
  }

 private:
  static Error to_error(const reference::RefError& e) {
    ErrorKind kind = ErrorKind::Malformed;
    switch (e.kind) {
      case reference::ErrorKind::Malformed: kind = ErrorKind::Malformed; break;
      case reference::ErrorKind::Unsupported: kind = ErrorKind::Unsupported; break;
      case reference::ErrorKind::Overflow: kind = ErrorKind::Overflow; break;
      case reference::ErrorKind::Unresolved: kind = ErrorKind::Unresolved; break;
      case reference::ErrorKind::Argument: kind = ErrorKind::Argument; break;
      case reference::ErrorKind::Limit: kind = ErrorKind::Memory; break;
    }
    return Error(kind, e.message, e.file_offset == reference::kNoOffset ? kNoOffset : e.file_offset);
  }

  // The host address of a target address in a non-TLS section.
  u8* local_of_target(u64 target) const {
    for (const RefSection& r : sections_)
      if (!r.tls && r.target && r.local && target >= *r.target && target - *r.target < r.size)
        return r.local + (target - *r.target);
    return nullptr;
  }

  // Write into finalized code: the -preallocate slab stays read+write+exec;
  // on-demand code pages are made writable for the write, then read+exec
  // again.
  Error write_code(u8* at, const u8* bytes, size_t n) {
    if (memory_.options().preallocate) {
      std::memcpy(at, bytes, n);
      return Error::success();
    }
    auto first = reinterpret_cast<uintptr_t>(at) & ~uintptr_t(4095);
    auto end = (reinterpret_cast<uintptr_t>(at) + n + 4095) & ~uintptr_t(4095);
    void* page = reinterpret_cast<void*>(first);
    if (mprotect(page, end - first, PROT_READ | PROT_WRITE) != 0)
      return Error(ErrorKind::Memory, format("cannot make an IFUNC slot writable: %s", std::strerror(errno)));
    std::memcpy(at, bytes, n);
    if (mprotect(page, end - first, PROT_READ | PROT_EXEC) != 0)
      return Error(ErrorKind::Memory, format("cannot make IFUNC stubs executable again: %s", std::strerror(errno)));
    __builtin___clear_cache(reinterpret_cast<char*>(first), reinterpret_cast<char*>(end));
    return Error::success();
  }

  static bool defines(const reference::Result& r, std::string_view name) {
    for (const reference::Symbol& y : r.symbols)
      if (y.name == name) return true;
    return false;
  }

  std::optional<u32> find_object(std::string_view file) const {
    std::optional<u32> found;
    for (u32 i = 0; i < objects_.size(); i++)
      if (objects_[i].name == file) found = i;
    return found;
  }

  // The section a symbol is defined in, or null for absolute symbols.
  const RefSection* section_of(u32 object, const reference::Symbol& y) const {
    if (y.section.empty()) return nullptr;
    for (u32 id : objects_[object].sections) {
      const RefSection& r = sections_[id];
      // Synthesized sections ("<common symbols>", "<ifunc stubs>" for IFUNC
      // symbols) by name, the others by header index.
      if (y.section[0] == '<' ? r.ref_name == y.section : r.file_index == y.section_index) return &r;
    }
    return nullptr;
  }

  // Where a symbol ends up: its offset in its section (from the probe, so
  // it is known before the final pass) plus the section's target.
  std::optional<u64> final_address(u32 object, const reference::Symbol& y) const {
    const RefSection* r = section_of(object, y);
    if (!r) return y.address;  // absolute
    // A thread-pointer offset, placed by the reference (the probe's block
    // ended at the thread pointer).
    if (r->tls) return y.address + u64(objects_[object].tls_end_offset);
    if (!r->target) return std::nullopt;
    const reference::Section& probe = objects_[object].probe.sections[r->index];
    return *r->target + (y.address - probe.address);
  }

  std::optional<u64> symbol_address(u32 object, const reference::Symbol& y) const {
    if (objects_[object].resolved && !objects_[object].final.sections.empty())
      for (const reference::Symbol& f : objects_[object].final.symbols)
        if (f.index == y.index) return f.address;
    return final_address(object, y);
  }

  // The engine's lookup order: a global definition, else a weak one, else
  // a local (each the first in load order).
  bool find_symbol(std::string_view name, const reference::Symbol*& out, u32& object) const {
    const reference::Symbol* best = nullptr;
    int best_rank = 3;
    for (u32 o = 0; o < objects_.size(); o++)
      for (const reference::Symbol& y : objects_[o].probe.symbols) {
        if (y.name != name) continue;
        int rank = y.binding == "global" ? 0 : y.binding == "weak" ? 1 : 2;
        if (rank < best_rank) best = &y, best_rank = rank, object = o;
      }
    out = best;
    return best != nullptr;
  }

  // The GOT slot or stub of `container`'s object that points at `symbol`.
  // The slot layout of member `object`'s architecture (nullptr: unknown).
  const SlotLayout* layout_of(u32 object) const {
    if (object >= objects_.size()) return nullptr;
    const RefObject& o = objects_[object];
    if (!o.final.triple.empty()) return slot_layout(o.final.triple);
    if (!o.probe.triple.empty()) return slot_layout(o.probe.triple);
    // A rejected probe names no triple: the object's header does.
    auto view = elfview::View::open(o.bytes);
    return view ? slot_layout(elfview::triple_of(*view)) : nullptr;
  }

  Expected<u64> slot_address(std::string_view container, std::string_view symbol, const char* area, bool got,
                             bool local) {
    size_t slash = container.find('/');
    if (slash == std::string_view::npos)
      return Error(ErrorKind::Argument, format("stub container '%.*s' is not <file>/<section>", int(container.size()),
                                               container.data()));
    std::string_view file = container.substr(0, slash), section = container.substr(slash + 1);
    std::optional<u32> object = find_object(file);
    if (!object) return Error(ErrorKind::Argument, format("no file named %.*s", int(file.size()), file.data()));
    if (!find_section(file, section))
      return Error(ErrorKind::Argument, format("stub container not found: no section named \"%.*s\" in file %.*s",
                                               int(section.size()), section.data(), int(file.size()), file.data()));
    // The symbol's value as this object sees it.
    std::optional<u64> value;
    for (const reference::Symbol& y : objects_[*object].probe.symbols)
      if (y.name == symbol) value = symbol_address(*object, y);
    if (!value) value = symbol_target(symbol);
    // Defined nowhere, yet the object linked: a weak undefined symbol, 0.
    if (!value) value = 0;
    std::optional<u32> id = find_section(file, area);
    const SlotLayout* l = layout_of(*object);
    if (!l)
      return Error(ErrorKind::Unsupported, format("no GOT/stub layout for %.*s's architecture", int(file.size()),
                                                  file.data()));
    const u64 entry = got ? l->got_entry : l->stub_size, at = got ? 0 : l->stub_target_at;
    if (value && id && entry) {  // (entry 0: the architecture has no such slots)
      const RefSection& r = sections_[*id];
      for (u64 off = 0; r.size >= entry && off <= r.size - entry; off += entry)
        if (load64(r.local + off + at, l->little_endian, unsigned(l->got_entry)) == *value)
          return local ? u64(reinterpret_cast<uintptr_t>(r.local)) + off : (r.target ? *r.target : 0) + off;
    }
    return Error(ErrorKind::Argument, format("no %s entry for symbol '%.*s' in %.*s", area, int(symbol.size()),
                                             symbol.data(), int(container.size()), container.data()));
  }

  RtdyldMemory memory_;
  std::vector<RefObject> objects_;
  std::vector<RefSection> sections_;
};

}  // namespace

Expected<std::unique_ptr<RtdyldLoader>> make_reference_rtdyld_loader(const RtdyldMemoryOptions& options) {
  auto loader = std::make_unique<ReferenceLoader>(options);
  TRY(loader->init());
  return std::unique_ptr<RtdyldLoader>(std::move(loader));
}

}  // namespace jitload::checker
