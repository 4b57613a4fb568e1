#include "fuzz/harness.h"

#include <cstdio>
#include <cstring>
#include <algorithm>
#include <utility>
#include <vector>

#include "engine/loader/core/plain-memory-manager.h"
#include "engine/loader/dyld.h"

namespace jitload::fuzz {

uint64_t extern_address(const char* name, size_t len) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < len; i++) h = (h ^ uint8_t(name[i])) * 0x100000001b3ull;
  return kExternBase + 16 * (h & ((1u << 20) - 1));
}

namespace {

// Every external resolves: the fuzzers exercise relocation, not lookup.
class FixedResolver final : public SymbolResolver {
 public:
  std::optional<u64> lookup(std::string_view name) override { return extern_address(name.data(), name.size()); }
};

// Plain memory with a budget, so that a section header claiming 2^40 bytes
// becomes a loader error instead of an allocator abort under ASan.
class BoundedMemory final : public PlainMemoryManager {
 public:
  u8* allocate_code_section(u64 size, u32 align, u32 id, std::string_view name) override {
    return take(size, align) ? PlainMemoryManager::allocate_code_section(size, align, id, name) : nullptr;
  }
  u8* allocate_data_section(u64 size, u32 align, u32 id, std::string_view name, bool ro) override {
    return take(size, align) ? PlainMemoryManager::allocate_data_section(size, align, id, name, ro) : nullptr;
  }
  Expected<TlsSection> allocate_tls_section(u64 size, u32 align, u32 id, std::string_view name) override {
    if (!take(size, align)) return Error(ErrorKind::Memory, "fuzz memory budget exceeded by TLS section");
    return PlainMemoryManager::allocate_tls_section(size, align, id, name);
  }

 private:
  bool take(u64 size, u32 align) {
    if (size > kMaxMemory || align > kMaxMemory) return false;
    used_ += size + align;
    return used_ <= kMaxMemory;
  }
  u64 used_ = 0;
};

u64 read_le(const u8* p, unsigned n) {
  u64 v = 0;
  for (unsigned i = 0; i < n; i++) v |= u64(p[i]) << (8 * i);
  return v;
}

// x86-64 psABI types whose field is a plain function of S, A and P.
struct Formula {
  unsigned width;
  bool pc_relative;
};
std::optional<Formula> simple_formula(u32 type) {
  switch (type) {
    case 1: return Formula{8, false};   // R_X86_64_64
    case 2: return Formula{4, true};    // R_X86_64_PC32
    case 10: return Formula{4, false};  // R_X86_64_32
    case 11: return Formula{4, false};  // R_X86_64_32S
    case 24: return Formula{8, true};   // R_X86_64_PC64
    default: return std::nullopt;
  }
}

}  // namespace

Verdict check_object(const uint8_t* data, size_t size) {
  Verdict v;
  BoundedMemory memory;
  FixedResolver resolver;
  RuntimeDyld dyld(memory, &resolver);
  dyld.enable_outcomes(true);
  auto info = dyld.load_object(std::span<const u8>(data, size), "fuzz-input");
  if (!info) {
    v.error = info.error().message();
    return v;
  }
  v.loaded = true;

  // Deterministic placement: loader order, aligned, a page apart.
  u64 cursor = kBase;
  auto sections = dyld.sections();
  for (u32 id = 0; id < sections.size(); id++) {
    const LoadedSection& s = sections[id];
    if (s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) continue;
    u64 align = s.align ? s.align : 1;
    u64 addr = (cursor + align - 1) & ~(align - 1);
    if (Error err = dyld.map_section_address(id, addr)) {
      v.finding = "map_section_address refused a loaded section: " + err.message();
      return v;
    }
    cursor = addr + s.size + kSectionSep;
  }

  Error err = dyld.resolve_relocations();
  v.resolved = !err;
  if (err) v.error = err.message();

  // Independent recomputation of the simple fields. The outcome says what
  // the engine believed; the bytes say what it did; the record says what
  // the object asked for. All three must agree.
  sections = dyld.sections();
  auto records = dyld.relocations(info->object_index());
  auto outcomes = dyld.outcomes(info->object_index());
  v.relocations = uint32_t(records.size());
  if (outcomes.size() != records.size() && !outcomes.empty()) {
    v.finding = "outcomes() and relocations() disagree in length";
    return v;
  }
  // A field another relocation also writes (up to 8 bytes wide) holds
  // whichever was applied last; the loader's order is its own business,
  // so such fields are not checked.
  std::vector<std::pair<u32, u64>> places;
  for (const RelocationRecord& r : records) places.emplace_back(r.section, r.offset);
  std::sort(places.begin(), places.end());
  auto overlapped = [&](const RelocationRecord& r) {
    auto it = std::lower_bound(places.begin(), places.end(), std::pair<u32, u64>(r.section, r.offset > 7 ? r.offset - 7 : 0));
    int hits = 0;
    for (; it != places.end() && it->first == r.section && it->second < r.offset + 8; ++it) hits++;
    return hits > 1;
  };
  for (size_t i = 0; i < outcomes.size(); i++) {
    const RelocationRecord& r = records[i];
    if (overlapped(r)) continue;
    const RelocationOutcome& o = outcomes[i];
    if (!o.applied || o.via != RelocationOutcome::Via::Direct) continue;
    auto f = simple_formula(r.type);
    if (!f || r.section >= sections.size()) continue;
    const LoadedSection& s = sections[r.section];
    char where[160];
    std::snprintf(where, sizeof where, "relocation #%zu (type %u, %.*s+0x%llx, file offset 0x%llx)", i, r.type,
                  int(s.name.size()), s.name.data(), (unsigned long long)r.offset,
                  (unsigned long long)r.file_offset);
    if (r.offset > s.size || s.size - r.offset < f->width || !s.local) {
      v.finding = std::string("applied outside its section: ") + where;
      return v;
    }
    if (o.place != s.target + r.offset) {
      v.finding = std::string("place P is not section address + offset: ") + where;
      return v;
    }
    if (o.addend != r.addend) {
      v.finding = std::string("applied addend differs from the object's addend: ") + where;
      return v;
    }
    u64 want = o.symbol + u64(r.addend) - (f->pc_relative ? o.place : 0);
    u64 mask = f->width == 8 ? ~0ull : 0xffffffffull;
    u64 got = read_le(s.local + r.offset, f->width);
    if ((want & mask) != got) {
      char buf[96];
      std::snprintf(buf, sizeof buf, ": field 0x%llx, psABI says 0x%llx", (unsigned long long)got,
                    (unsigned long long)(want & mask));
      v.finding = std::string("wrong field value at ") + where + buf;
      return v;
    }
    v.checked++;
  }
  return v;
}

}  // namespace jitload::fuzz
