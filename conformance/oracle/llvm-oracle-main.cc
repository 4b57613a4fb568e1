// jitload-oracle-llvm OBJECT SCENARIO-JSON
// jitload-oracle-llvm --exec-server          (llvm-exec.cc)
//
// Loads OBJECT with LLVM 19's RuntimeDyld under the scenario and prints a
// LoadReport (JSON, report.h) on stdout. Meant to run as a child process
// only (oracle.h): LLVM's RuntimeDyld asserts, calls report_fatal_error or
// simply faults on malformed input, and this process is allowed to die of
// it — the parent turns that into "oracle crashed".
//
// How the report is made:
//   - a memory manager hands out plain memory and records every allocation
//     (section id, name, size); TLS sections get the scenario's
//     thread-pointer offsets;
//   - file sections are matched to allocations through
//     LoadedObjectInfo::getSectionLoadAddress (before any mapping, a
//     section's load address is its local address), then mapped with
//     mapSectionAddress per the scenario; LLVM's own areas ("<common
//     symbols>", ".got") follow the rule too;
//   - resolveRelocations; then sections are read back from LLVM's memory.
//     Stubs live past the end of their section in LLVM: that tail is
//     reported as a section of kind "stubs" of its own;
//   - symbols: getSymbol for what LLVM's symbol table knows, the object's
//     symbol table and LLVM's section addresses for locals;
//   - relocations: enumerated with LLVM's object library, their results
//     decoded from the bytes (LLVM keeps no per-relocation record).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "conformance/report/arch.h"
#include "conformance/report/decode.h"
#include "conformance/report/layout.h"
#include "conformance/report/report.h"
#include "conformance/oracle/llvm-oracle-parts.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/ExecutionEngine/JITSymbol.h"
#include "llvm/ExecutionEngine/RuntimeDyld.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace jitload::conformance;

namespace {

struct Allocation {
  unsigned id = 0;
  std::string name;
  uint8_t* mem = nullptr;
  uint64_t size = 0;
  unsigned align = 1;
  bool tls = false;
  int64_t tp_offset = 0;
  int file_index = -1;  // matched file section, -1 for LLVM's own
  unsigned member = 0;  // the member of a set being loaded when it was made
};

class OracleMemory final : public llvm::RuntimeDyld::MemoryManager {
 public:
  OracleMemory(const Placement& placement) : placement_(&placement) {}
  // A set: the member whose loadObject comes next, and its TLS plan.
  void set_member(unsigned member, const Placement& placement) {
    member_ = member;
    placement_ = &placement;
    tls_used_.clear();
  }
  ~OracleMemory() override {
    for (auto& b : blocks_) std::free(b);
  }

  uint8_t* allocateCodeSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name) override {
    return allocate(size, align, id, name, false);
  }
  uint8_t* allocateDataSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name, bool) override {
    return allocate(size, align, id, name, false);
  }
  TLSSection allocateTLSSection(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name) override {
    uint8_t* mem = allocate(size, align, id, name, true);
    // The k-th TLS allocation of a name is the k-th planned TLS section of it.
    for (size_t k = 0; k < placement_->sections.size(); k++) {
      const PlannedSection& p = placement_->sections[k];
      if (!p.tls || p.name != name.str() || tls_used_.count(k)) continue;
      tls_used_[k] = true;
      allocations.back().tp_offset = p.tp_offset;
      return TLSSection{mem, intptr_t(p.tp_offset)};
    }
    return TLSSection{mem, 0};
  }
  void registerEHFrames(uint8_t*, uint64_t, size_t) override {}
  void deregisterEHFrames() override {}
  bool finalizeMemory(std::string*) override { return false; }

  std::vector<Allocation> allocations;

 private:
  uint8_t* allocate(uintptr_t size, unsigned align, unsigned id, llvm::StringRef name, bool tls) {
    uint64_t a = align ? align : 1;
    void* raw = std::calloc(1, size + a);
    if (!raw) return nullptr;
    blocks_.push_back(raw);
    auto p = reinterpret_cast<uintptr_t>(raw);
    p = (p + a - 1) / a * a;
    Allocation x;
    x.id = id;
    x.name = name.str();
    x.mem = reinterpret_cast<uint8_t*>(p);
    x.size = size;
    x.align = unsigned(a);
    x.tls = tls;
    x.member = member_;
    allocations.push_back(x);
    return x.mem;
  }

  const Placement* placement_;
  unsigned member_ = 0;
  std::vector<void*> blocks_;
  std::map<size_t, bool> tls_used_;
};

class ScenarioResolver final : public llvm::LegacyJITSymbolResolver {
 public:
  explicit ScenarioResolver(const LoadScenario& s) : scenario_(s) {}
  llvm::JITSymbol findSymbolInLogicalDylib(const std::string&) override { return nullptr; }
  llvm::JITSymbol findSymbol(const std::string& name) override {
    if (auto a = scenario_extern(scenario_, name)) return llvm::JITSymbol(*a, llvm::JITSymbolFlags::Exported);
    return nullptr;
  }

 private:
  const LoadScenario& scenario_;
};

}  // namespace

// Shared with the JITLink oracle (llvm-oracle-parts.h).
namespace jitload::conformance::oracle_parts {

std::string section_kind(uint64_t flags, uint32_t type) {
  if (flags & llvm::ELF::SHF_TLS) return type == llvm::ELF::SHT_NOBITS ? "tbss" : "tls";
  if (flags & llvm::ELF::SHF_EXECINSTR) return "code";
  if (type == llvm::ELF::SHT_NOBITS) return "bss";
  if (!(flags & llvm::ELF::SHF_WRITE)) return "rodata";
  return "data";
}

// One relocation as the object states it (LLVM's own reading of it).
ReportRelocation relocation_record(const llvm::object::ObjectFile& object, const llvm::object::RelocationRef& rel,
                                   const std::string& section_name, int section_index, u32 member) {
  ReportRelocation r;
  r.section = section_name;
  r.section_index = section_index;
  r.object = member;
  r.offset = rel.getOffset();
  r.type = u32(rel.getType());
  llvm::SmallString<32> type_name;
  rel.getTypeName(type_name);
  r.type_name = type_name.str().str();
  llvm::object::ELFRelocationRef erel(rel);
  auto addend = erel.getAddend();
  if (addend) r.addend = *addend;
  else llvm::consumeError(addend.takeError());
  llvm::object::symbol_iterator sym = rel.getSymbol();
  if (sym == object.symbol_end()) return r;
  llvm::object::ELFSymbolRef esym(*sym);
  if (esym.getELFType() == llvm::ELF::STT_SECTION) {
    auto s = sym->getSection();
    if (s && *s != object.section_end()) {
      auto n = (*s)->getName();
      if (n) r.symbol = n->str();
      else llvm::consumeError(n.takeError());
    } else if (!s) {
      llvm::consumeError(s.takeError());
    }
    r.symbol_is_section = true;
  } else {
    auto n = sym->getName();
    if (n) r.symbol = n->str();
    else llvm::consumeError(n.takeError());
  }
  return r;
}

// LLVM records no outcome per relocation: what each field holds and
// reaches is read back from the final bytes.
void decode_relocations(LoadReport& out) {
  MemoryMap report_memory(out);
  for (size_t k = 0; k < out.relocations.size(); k++) {
    ReportRelocation& r = out.relocations[k];
    DecodedField d = decode_field(report_memory, r, k ? &out.relocations[k - 1] : nullptr);
    r.status = d.exact ? "relaxed" : d.none ? "none" : "applied";
    r.value = d.raw;
    r.effective = d.effective;
    r.via = d.through_stub ? "stub" : d.through_got ? "got" : d.kind == "addr" ? "direct" : d.kind;
    if (!d.ok) {
      r.status = "error";
      r.error = d.error;
    }
  }
}

int emit(const LoadReport& r) {
  std::string json = report_to_json(r);
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fflush(stdout);
  return 0;
}

std::string message_of(llvm::Error e) {
  std::string out;
  llvm::handleAllErrors(std::move(e), [&](const llvm::ErrorInfoBase& info) { out += info.message(); });
  return out;
}

void note(const std::string& text) {
  std::fprintf(stderr, "jitload-oracle-note: %s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace jitload::conformance::oracle_parts

using namespace jitload::conformance::oracle_parts;

int run_exec_server();  // llvm-exec.cc: LLVM's MCJIT executing a module (exec.h)

int run_set(const std::vector<std::string>& paths, const LoadScenario& scenario);  // below

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--exec-server") return run_exec_server();
  if (argc >= 4 && std::string(argv[1]) == "--set") {
    LoadScenario scenario;
    std::string error;
    if (!scenario_from_json(argv[argc - 1], scenario, error)) {
      std::fprintf(stderr, "jitload-oracle-llvm: bad scenario: %s\n", error.c_str());
      return 2;
    }
    return run_set(std::vector<std::string>(argv + 2, argv + argc - 1), scenario);
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: jitload-oracle-llvm OBJECT SCENARIO-JSON\n"
                         "       jitload-oracle-llvm --set OBJECT... SCENARIO-JSON\n");
    return 2;
  }
  std::string path = argv[1];
  LoadScenario scenario;
  std::string error;
  if (!scenario_from_json(argv[2], scenario, error)) {
    std::fprintf(stderr, "jitload-oracle-llvm: bad scenario: %s\n", error.c_str());
    return 2;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "jitload-oracle-llvm: cannot read %s\n", path.c_str());
    return 2;
  }
  std::vector<u8> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::string name = path;

  auto buffer = llvm::MemoryBuffer::getMemBuffer(
      llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), name, false);
  auto object = llvm::object::ObjectFile::createObjectFile(buffer->getMemBufferRef());
  if (!object) return emit(LoadReport::rejected("llvm", name, "llvm", message_of(object.takeError())));
  // RISC-V and LoongArch: JITLink (RuntimeDyld 19 has neither).
  if (jitlink_links(**object)) return run_jitlink(name, bytes, scenario);
  note("linker: RuntimeDyld");

  Placement placement = plan_placement(bytes, scenario);
  OracleMemory memory(placement);
  ScenarioResolver resolver(scenario);
  llvm::RuntimeDyld dyld(memory, resolver);
  std::unique_ptr<llvm::RuntimeDyld::LoadedObjectInfo> info = dyld.loadObject(**object);
  if (dyld.hasError() || !info)
    return emit(LoadReport::rejected("llvm", name, "llvm", dyld.getErrorString().str()));

  // Which allocation is which file section: before mapping, a section's
  // load address is where LLVM put it locally.
  struct FileSection {
    int index;
    std::string name;
    uint64_t size;
    uint64_t align;
    uint64_t flags;
    uint32_t type;
    Allocation* alloc;
  };
  std::vector<FileSection> file_sections;
  // (A TLS section's load address is its thread-pointer offset instead:
  // those are matched by name, in order.)
  for (const llvm::object::SectionRef& sec : (*object)->sections()) {
    llvm::object::ELFSectionRef esec(sec);
    bool tls = esec.getFlags() & llvm::ELF::SHF_TLS;
    auto secname = sec.getName();
    std::string sname_str = secname ? secname->str() : std::string();
    if (!secname) llvm::consumeError(secname.takeError());
    uint64_t local = info->getSectionLoadAddress(sec);
    if (!local && !tls) continue;
    for (Allocation& a : memory.allocations)
      if (a.file_index < 0 && (tls ? a.tls && a.name == sname_str : reinterpret_cast<uint64_t>(a.mem) == local)) {
        a.file_index = int(sec.getIndex());
        llvm::object::ELFSectionRef elf(sec);
        auto sname = sec.getName();
        file_sections.push_back(FileSection{int(sec.getIndex()), sname ? sname->str() : std::string(), sec.getSize(),
                                            sec.getAlignment().value(), elf.getFlags(), elf.getType(), &a});
        if (!sname) llvm::consumeError(sname.takeError());
        break;
      }
  }

  // Map: file sections per the plan; LLVM's areas after them, in the rule's order.
  for (FileSection& f : file_sections) {
    if (f.alloc->tls) continue;
    const PlannedSection* p = placement.find(u32(f.index));
    if (!p) return emit(LoadReport::rejected("llvm", name, "llvm", "LLVM loaded section " + f.name + " which the placement rule does not place"));
    dyld.mapSectionAddress(f.alloc->mem, p->address);
  }
  std::map<unsigned, uint64_t> area_address;
  std::optional<u64> got;
  for (const char* area : {"<common symbols>", ".got"})
    for (Allocation& a : memory.allocations) {
      if (a.file_index >= 0 || a.name != area) continue;
      std::string rule_name = a.name == ".got" ? "<got>" : a.name;
      uint64_t target = placement.place_area(scenario, rule_name, a.size, a.align);
      if (a.name == ".got") got = target;
      area_address[a.id] = target;
      dyld.mapSectionAddress(a.mem, target);
    }
  for (Allocation& a : memory.allocations)  // anything else of LLVM's own (IFunc stubs)
    if (a.file_index < 0 && !area_address.count(a.id) && !a.tls) {
      uint64_t target = placement.place_area(scenario, "<stubs>", a.size, a.align);
      area_address[a.id] = target;
      dyld.mapSectionAddress(a.mem, target);
    }

  dyld.resolveRelocations();
  if (dyld.hasError()) return emit(LoadReport::rejected("llvm", name, "llvm", dyld.getErrorString().str()));

  LoadReport out;
  out.loader = "llvm";
  out.object = name;
  out.triple = object_triple(bytes, scenario.triple);  // the object's, not the scenario's
  out.loaded = true;
  out.got_address = got;
  std::map<int, uint64_t> address_of;  // file index -> target address
  for (FileSection& f : file_sections) {
    ReportSection s;
    s.name = f.name;
    s.index = f.index;
    s.kind = section_kind(f.flags, f.type);
    s.size = f.size;
    s.align = f.align ? f.align : 1;
    if (f.alloc->tls) {
      s.address = u64(f.alloc->tp_offset);
    } else {
      const PlannedSection* p = placement.find(u32(f.index));
      s.address = p ? p->address : 0;
    }
    address_of[f.index] = s.address;
    uint64_t n = f.size < f.alloc->size ? f.size : f.alloc->size;
    if (f.type != llvm::ELF::SHT_NOBITS || true) s.bytes.assign(f.alloc->mem, f.alloc->mem + n);
    out.sections.push_back(s);
    // The stubs LLVM appended to this section.
    if (!f.alloc->tls && f.alloc->size > f.size) {
      ReportSection t;
      t.name = "<stubs " + f.name + ">";
      t.kind = "stubs";
      t.address = s.address + f.size;
      t.size = f.alloc->size - f.size;
      t.bytes.assign(f.alloc->mem + f.size, f.alloc->mem + f.alloc->size);
      out.sections.push_back(t);
    }
  }
  for (Allocation& a : memory.allocations) {
    if (a.file_index >= 0 || !area_address.count(a.id)) continue;
    ReportSection s;
    s.name = a.name == ".got" ? "<got>" : a.name;
    s.kind = a.name == ".got" ? "got" : a.name == "<common symbols>" ? "common" : "stubs";
    s.address = area_address[a.id];
    s.size = a.size;
    s.align = a.align;
    s.bytes.assign(a.mem, a.mem + a.size);
    out.sections.push_back(s);
  }

  // Symbols.
  for (const llvm::object::SymbolRef& sym : (*object)->symbols()) {
    llvm::object::ELFSymbolRef esym(sym);
    uint8_t type = esym.getELFType();
    if (type == llvm::ELF::STT_SECTION || type == llvm::ELF::STT_FILE) continue;
    auto sname = sym.getName();
    if (!sname) {
      llvm::consumeError(sname.takeError());
      continue;
    }
    if (sname->empty()) continue;
    auto flags = sym.getFlags();
    if (!flags) {
      llvm::consumeError(flags.takeError());
      continue;
    }
    if (*flags & llvm::object::SymbolRef::SF_Undefined) continue;
    ReportSymbol y;
    y.name = sname->str();
    y.size = esym.getSize();
    uint8_t binding = esym.getBinding();
    y.binding = binding == llvm::ELF::STB_LOCAL ? "local" : binding == llvm::ELF::STB_WEAK ? "weak" : "global";
    switch (type) {
      case llvm::ELF::STT_OBJECT: y.type = "object"; break;
      case llvm::ELF::STT_FUNC: y.type = "func"; break;
      case llvm::ELF::STT_TLS: y.type = "tls"; break;
      case llvm::ELF::STT_GNU_IFUNC: y.type = "ifunc"; break;
      default: y.type = "notype"; break;
    }
    if (*flags & llvm::object::SymbolRef::SF_Common) {
      y.type = "common";
      y.section = "<common symbols>";
      llvm::JITEvaluatedSymbol e = dyld.getSymbol(y.name);
      y.address = e.getAddress();
      out.symbols.push_back(y);
      continue;
    }
    auto sec = sym.getSection();
    if (!sec) {
      llvm::consumeError(sec.takeError());
      continue;
    }
    if (*sec == (*object)->section_end()) {  // absolute
      auto value = sym.getValue();
      if (!value) {
        llvm::consumeError(value.takeError());
        continue;
      }
      y.address = *value;
      out.symbols.push_back(y);
      continue;
    }
    int index = int((*sec)->getIndex());
    if (!address_of.count(index)) continue;  // in a section LLVM did not load
    auto secname = (*sec)->getName();
    y.section = secname ? secname->str() : std::string();
    if (!secname) llvm::consumeError(secname.takeError());
    y.section_index = index;
    // Locals are looked up too when they are IFUNCs: their address is
    // LLVM's stub for them, which only its symbol table knows.
    bool ask = binding != llvm::ELF::STB_LOCAL || type == llvm::ELF::STT_GNU_IFUNC;
    llvm::JITEvaluatedSymbol e = ask ? dyld.getSymbol(y.name) : llvm::JITEvaluatedSymbol(nullptr);
    if (e.getAddress()) {
      y.address = e.getAddress();
    } else {
      auto value = sym.getValue();
      if (!value) {
        llvm::consumeError(value.takeError());
        continue;
      }
      y.address = address_of[index] + *value;
    }
    out.symbols.push_back(y);
  }

  // Relocations, as the object states them, for the sections LLVM loaded.
  for (const llvm::object::SectionRef& rs : (*object)->sections()) {
    auto target = rs.getRelocatedSection();
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (*target == (*object)->section_end()) continue;
    int index = int((*target)->getIndex());
    if (!address_of.count(index)) continue;
    auto tname = (*target)->getName();
    std::string section_name = tname ? tname->str() : std::string();
    if (!tname) llvm::consumeError(tname.takeError());
    for (const llvm::object::RelocationRef& rel : rs.relocations())
      out.relocations.push_back(relocation_record(**object, rel, section_name, index, 0));
  }
  // LLVM records nothing per relocation: what each field holds and reaches
  // is read back from the bytes.
  decode_relocations(out);
  return emit(out);
}

// ---- A set: every object loaded into one llvm::RuntimeDyld -----------------
// Placement follows the set rule (report.h): member after member, its file
// sections, then its common block and GOT (".got"), and empty places for
// the stubs and IFUNC stubs LLVM keeps elsewhere (stubs sit at the end of
// their section in LLVM); any other area of LLVM's own after the last
// member. Symbols are each member's own definitions (a losing weak
// definition at its own address, as the other loaders report it).
namespace {

struct SetObject {
  std::string path;
  std::vector<u8> bytes;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  std::unique_ptr<llvm::object::ObjectFile> object;
  std::unique_ptr<llvm::RuntimeDyld::LoadedObjectInfo> info;
  struct FileSection {
    int index;
    std::string name;
    uint64_t size, align, flags;
    uint32_t type;
    size_t alloc;  // index into the memory manager's allocations
  };
  std::vector<FileSection> file_sections;
  std::map<int, uint64_t> address_of;  // file index -> target address
};

LoadReport set_rejected(const std::vector<std::string>& paths, const std::string& message) {
  std::string joined;
  for (const std::string& p : paths) joined += (joined.empty() ? "" : "+") + p;
  LoadReport r = LoadReport::rejected("llvm", joined, "llvm", message);
  r.objects = paths;
  return r;
}

}  // namespace

int run_set(const std::vector<std::string>& paths, const LoadScenario& scenario) {
  std::vector<SetObject> objects(paths.size());
  std::vector<std::span<const u8>> spans;
  for (size_t k = 0; k < paths.size(); k++) {
    SetObject& o = objects[k];
    o.path = paths[k];
    std::ifstream file(o.path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "jitload-oracle-llvm: cannot read %s\n", o.path.c_str());
      return 2;
    }
    o.bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    spans.push_back(o.bytes);
  }
  // A set whose first member JITLink links (RISC-V, LoongArch) goes to the JITLink oracle.
  if (!objects.empty()) {
    auto first = llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(
        llvm::StringRef(reinterpret_cast<const char*>(objects[0].bytes.data()), objects[0].bytes.size()), paths[0]));
    if (first && jitlink_links(**first)) {
      std::vector<std::vector<u8>> all;
      for (const SetObject& o : objects) all.push_back(o.bytes);
      return run_jitlink_set(paths, all, scenario);
    }
    if (!first) llvm::consumeError(first.takeError());
  }
  note("linker: RuntimeDyld");
  std::vector<Placement> tls_plans = plan_set_tls(spans, scenario);
  OracleMemory memory(tls_plans.empty() ? Placement() : tls_plans[0]);
  ScenarioResolver resolver(scenario);
  llvm::RuntimeDyld dyld(memory, resolver);
  for (size_t k = 0; k < objects.size(); k++) {
    SetObject& o = objects[k];
    o.buffer = llvm::MemoryBuffer::getMemBuffer(
        llvm::StringRef(reinterpret_cast<const char*>(o.bytes.data()), o.bytes.size()), o.path, false);
    auto object = llvm::object::ObjectFile::createObjectFile(o.buffer->getMemBufferRef());
    if (!object) return emit(set_rejected(paths, o.path + ": " + message_of(object.takeError())));
    o.object = std::move(*object);
    memory.set_member(unsigned(k), tls_plans[k]);
    o.info = dyld.loadObject(*o.object);
    if (dyld.hasError() || !o.info) return emit(set_rejected(paths, o.path + ": " + dyld.getErrorString().str()));
    // Which allocation is which file section (as for one object).
    for (const llvm::object::SectionRef& sec : o.object->sections()) {
      llvm::object::ELFSectionRef esec(sec);
      bool tls = esec.getFlags() & llvm::ELF::SHF_TLS;
      auto secname = sec.getName();
      std::string sname = secname ? secname->str() : std::string();
      if (!secname) llvm::consumeError(secname.takeError());
      uint64_t local = o.info->getSectionLoadAddress(sec);
      if (!local && !tls) continue;
      for (size_t a = 0; a < memory.allocations.size(); a++) {
        Allocation& al = memory.allocations[a];
        if (al.member != k || al.file_index >= 0) continue;
        if (tls ? !(al.tls && al.name == sname) : reinterpret_cast<uint64_t>(al.mem) != local) continue;
        al.file_index = int(sec.getIndex());
        o.file_sections.push_back(SetObject::FileSection{int(sec.getIndex()), sname, sec.getSize(),
                                                         sec.getAlignment().value(), esec.getFlags(), esec.getType(), a});
        break;
      }
    }
  }

  // Placement, member after member.
  u64 cursor = scenario.base;
  Placement areas;
  areas.section_sep = scenario.section_sep;
  std::map<size_t, uint64_t> area_address;  // allocation -> target
  std::vector<std::optional<u64>> gots(objects.size());
  for (size_t k = 0; k < objects.size(); k++) {
    SetObject& o = objects[k];
    LoadScenario here = member_scenario(scenario, k);
    here.base = cursor;
    Placement placement = plan_placement(o.bytes, here);
    if (!placement.ok) placement.cursor = cursor;
    for (SetObject::FileSection& f : o.file_sections) {
      Allocation& al = memory.allocations[f.alloc];
      if (al.tls) {
        o.address_of[f.index] = u64(al.tp_offset);
        continue;
      }
      const PlannedSection* p = placement.find(u32(f.index));
      if (!p) return emit(set_rejected(paths, "LLVM loaded section " + f.name + " which the placement rule does not place"));
      dyld.mapSectionAddress(al.mem, p->address);
      o.address_of[f.index] = p->address;
    }
    areas.cursor = placement.cursor;
    for (size_t a = 0; a < memory.allocations.size(); a++) {
      Allocation& al = memory.allocations[a];
      if (al.member != k || al.file_index >= 0 || al.name != "<common symbols>") continue;
      area_address[a] = areas.place_area(here, "<common symbols>", al.size, al.align);
      dyld.mapSectionAddress(al.mem, area_address[a]);
    }
    for (const SetArea& area : kSetAreas) {
      std::optional<size_t> got;
      if (std::string(area.name) == "<got>")
        for (size_t a = 0; a < memory.allocations.size(); a++)
          if (memory.allocations[a].member == k && memory.allocations[a].file_index < 0 &&
              memory.allocations[a].name == ".got")
            got = a;
      u64 size = got ? memory.allocations[*got].size : 0;
      u64 target = areas.place_area(here, area.name, size, std::max<u64>(area.align, got ? memory.allocations[*got].align : 1));
      if (std::string(area.name) == "<got>") gots[k] = target;
      if (got) {
        area_address[*got] = target;
        dyld.mapSectionAddress(memory.allocations[*got].mem, target);
      }
    }
    cursor = areas.cursor;
  }
  for (size_t a = 0; a < memory.allocations.size(); a++) {  // anything else of LLVM's own (IFunc stubs)
    Allocation& al = memory.allocations[a];
    if (al.file_index >= 0 || area_address.count(a) || al.tls) continue;
    area_address[a] = areas.place_area(member_scenario(scenario, al.member), "<stubs>", al.size, al.align);
    dyld.mapSectionAddress(al.mem, area_address[a]);
  }

  dyld.resolveRelocations();
  if (dyld.hasError()) return emit(set_rejected(paths, dyld.getErrorString().str()));

  LoadReport out;
  out.loader = "llvm";
  for (const std::string& p : paths) out.object += (out.object.empty() ? "" : "+") + p;
  out.objects = paths;
  out.gots = gots;
  out.triple = objects.empty() ? scenario.triple : object_triple(objects[0].bytes, scenario.triple);
  out.loaded = true;
  for (size_t k = 0; k < objects.size(); k++) {
    SetObject& o = objects[k];
    for (SetObject::FileSection& f : o.file_sections) {
      Allocation& al = memory.allocations[f.alloc];
      ReportSection s;
      s.name = f.name;
      s.index = f.index;
      s.kind = section_kind(f.flags, f.type);
      s.size = f.size;
      s.align = f.align ? f.align : 1;
      s.address = o.address_of[f.index];
      s.object = u32(k);
      uint64_t n = f.size < al.size ? f.size : al.size;
      s.bytes.assign(al.mem, al.mem + n);
      out.sections.push_back(s);
      if (!al.tls && al.size > f.size) {  // the stubs LLVM appended to this section
        ReportSection t;
        t.name = "<stubs " + f.name + ">";
        t.kind = "stubs";
        t.address = s.address + f.size;
        t.size = al.size - f.size;
        t.object = u32(k);
        t.bytes.assign(al.mem + f.size, al.mem + al.size);
        out.sections.push_back(t);
      }
    }
  }
  for (auto& [a, address] : area_address) {
    Allocation& al = memory.allocations[a];
    ReportSection s;
    s.name = al.name == ".got" ? "<got>" : al.name;
    s.kind = al.name == ".got" ? "got" : al.name == "<common symbols>" ? "common" : "stubs";
    s.address = address;
    s.size = al.size;
    s.align = al.align;
    s.object = al.member;
    s.bytes.assign(al.mem, al.mem + al.size);
    out.sections.push_back(s);
  }

  for (size_t k = 0; k < objects.size(); k++) {
    SetObject& o = objects[k];
    for (const llvm::object::SymbolRef& sym : o.object->symbols()) {
      llvm::object::ELFSymbolRef esym(sym);
      uint8_t type = esym.getELFType();
      if (type == llvm::ELF::STT_SECTION || type == llvm::ELF::STT_FILE) continue;
      auto sname = sym.getName();
      if (!sname) {
        llvm::consumeError(sname.takeError());
        continue;
      }
      auto flags = sym.getFlags();
      if (!flags) {
        llvm::consumeError(flags.takeError());
        continue;
      }
      if (sname->empty() || (*flags & llvm::object::SymbolRef::SF_Undefined)) continue;
      ReportSymbol y;
      y.name = sname->str();
      y.size = esym.getSize();
      y.object = u32(k);
      uint8_t binding = esym.getBinding();
      y.binding = binding == llvm::ELF::STB_LOCAL ? "local" : binding == llvm::ELF::STB_WEAK ? "weak" : "global";
      switch (type) {
        case llvm::ELF::STT_OBJECT: y.type = "object"; break;
        case llvm::ELF::STT_FUNC: y.type = "func"; break;
        case llvm::ELF::STT_TLS: y.type = "tls"; break;
        case llvm::ELF::STT_GNU_IFUNC: y.type = "ifunc"; break;
        default: y.type = "notype"; break;
      }
      if (*flags & llvm::object::SymbolRef::SF_Common) {
        y.type = "common";
        y.section = "<common symbols>";
        y.address = dyld.getSymbol(y.name).getAddress();
        out.symbols.push_back(y);
        continue;
      }
      auto sec = sym.getSection();
      if (!sec) {
        llvm::consumeError(sec.takeError());
        continue;
      }
      auto value = sym.getValue();
      if (!value) {
        llvm::consumeError(value.takeError());
        continue;
      }
      if (*sec == o.object->section_end()) {  // absolute
        y.address = *value;
        out.symbols.push_back(y);
        continue;
      }
      int index = int((*sec)->getIndex());
      if (!o.address_of.count(index)) continue;  // in a section LLVM did not load
      auto secname = (*sec)->getName();
      y.section = secname ? secname->str() : std::string();
      if (!secname) llvm::consumeError(secname.takeError());
      y.section_index = index;
      y.address = o.address_of[index] + *value;
      if (type == llvm::ELF::STT_GNU_IFUNC)  // its address is LLVM's stub, which only LLVM knows
        if (uint64_t a = dyld.getSymbol(y.name).getAddress()) y.address = a;
      out.symbols.push_back(y);
    }
    for (const llvm::object::SectionRef& rs : o.object->sections()) {
      auto target = rs.getRelocatedSection();
      if (!target) {
        llvm::consumeError(target.takeError());
        continue;
      }
      if (*target == o.object->section_end()) continue;
      int index = int((*target)->getIndex());
      if (!o.address_of.count(index)) continue;
      auto tname = (*target)->getName();
      std::string section_name = tname ? tname->str() : std::string();
      if (!tname) llvm::consumeError(tname.takeError());
      for (const llvm::object::RelocationRef& rel : rs.relocations())
        out.relocations.push_back(relocation_record(*o.object, rel, section_name, index, u32(k)));
    }
  }
  decode_relocations(out);
  return emit(out);
}
