#include "fuzz/linkage-gen.h"

#include <algorithm>
#include <cstdio>

namespace jitload::fuzz::linkage {

namespace {

// splitmix64: fixed arithmetic, the same sequence everywhere.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  unsigned below(unsigned n) { return unsigned(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  // An index into `weights`, drawn in proportion to them.
  template <size_t N>
  unsigned pick(const unsigned (&weights)[N]) {
    unsigned total = 0;
    for (unsigned w : weights) total += w;
    unsigned r = below(total);
    for (unsigned i = 0; i < N; i++) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return N - 1;
  }
};

bool is_definition(Role r) { return r == Role::Strong || r == Role::Weak || r == Role::Common; }
bool is_inline(Kind k) { return k == Kind::InlineVar || k == Kind::InlineFunc; }
bool is_array(Kind k) { return k == Kind::Data || k == Kind::Tls; }

std::string visibility_attr(Visibility v) {
  switch (v) {
    case Visibility::Default: return "";
    case Visibility::Hidden: return "__attribute__((visibility(\"hidden\"))) ";
    case Visibility::Protected: return "__attribute__((visibility(\"protected\"))) ";
  }
  return "";
}

std::string initializer(const Use& u) {
  std::string out = "{";
  for (size_t k = 0; k < u.values.size(); k++) out += (k ? ", " : "") + std::to_string(u.values[k]);
  return out + "}";
}

// The one value every object's inline entity carries (the ODR wants the
// same definition everywhere).
long inline_value(size_t name_index) { return long(900 + name_index); }

}  // namespace

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Data: return "data";
    case Kind::Function: return "function";
    case Kind::Tls: return "tls";
    case Kind::InlineVar: return "inline-var";
    case Kind::InlineFunc: return "inline-func";
    case Kind::IFunc: return "ifunc";
  }
  return "?";
}

const char* role_name(Role r) {
  switch (r) {
    case Role::None: return "-";
    case Role::Extern: return "extern";
    case Role::WeakExtern: return "weak-extern";
    case Role::Strong: return "strong";
    case Role::Weak: return "weak";
    case Role::Common: return "common";
    case Role::Local: return "local";
  }
  return "?";
}

const char* visibility_name(Visibility v) {
  switch (v) {
    case Visibility::Default: return "default";
    case Visibility::Hidden: return "hidden";
    case Visibility::Protected: return "protected";
  }
  return "?";
}

uint64_t program_seed(uint64_t seed, uint64_t k) {
  Rng r{seed * 0x100000001b3ull ^ (k + 1) * 0x9e3779b97f4a7c15ull};
  return r.next();
}

Program generate(uint64_t seed, bool invalid, bool threads) {
  Rng rng{seed};
  Program p;
  p.seed = seed;
  p.objects = 2 + rng.below(3);
  bool any_cxx = false;
  for (unsigned i = 0; i < p.objects; i++) {
    p.cxx.push_back(rng.chance(25));
    any_cxx |= p.cxx.back();
  }
  static const char* const kOpts[] = {"-O0", "-O1", "-O2"};
  p.opt = kOpts[rng.below(3)];
  static const char* const kTlsModels[] = {"global-dynamic", "local-dynamic", "initial-exec", "local-exec"};
  for (unsigned i = 0; i < p.objects; i++) {
    bool pic = rng.chance(40);
    std::string f = pic ? "-fPIC" : "";
    auto add = [&](const std::string& x) { f += (f.empty() ? "" : " ") + x; };
    if (rng.chance(15)) add("-mcmodel=large");
    if (rng.chance(20)) add("-ffunction-sections -fdata-sections");
    // Calls through the GOT; and in PIC, references to the object's own
    // default-visibility definitions through the GOT too (interposable).
    if (rng.chance(10)) add("-fno-plt");
    if (pic && rng.chance(20)) add("-fsemantic-interposition");
    // local-exec only where the object is not position-independent code.
    if (rng.chance(25)) add(std::string("-ftls-model=") + kTlsModels[rng.below(pic ? 3 : 4)]);
    p.flags.push_back(f);
  }
  for (unsigned i = 0; i < p.objects; i++) p.order.push_back(i);
  if (rng.chance(50))
    for (unsigned i = p.objects - 1; i > 0; i--) std::swap(p.order[i], p.order[rng.below(i + 1)]);

  unsigned count = 2 + rng.below(5);
  for (unsigned n = 0; n < count; n++) {
    Name name;
    name.name = std::string("lk_") + char('a' + n);
    static const unsigned kKindWeights[] = {40, 25, 20, 8, 7, 8};  // data function tls inline-var inline-func ifunc
    name.kind = Kind(rng.pick(kKindWeights));
    if (is_inline(name.kind) && !any_cxx) name.kind = Kind::Data;
    std::vector<unsigned> c_objects;
    for (unsigned i = 0; i < p.objects; i++)
      if (!p.cxx[i]) c_objects.push_back(i);
    if (name.kind == Kind::IFunc && c_objects.empty()) name.kind = Kind::Function;
    name.uses.resize(p.objects);
    for (unsigned i = 0; i < p.objects; i++) {
      Use& u = name.uses[i];
      if (is_inline(name.kind)) {
        u.role = p.cxx[i] && rng.chance(75) ? Role::Weak : Role::None;
        if (u.role == Role::Weak) u.values = {inline_value(n)};
        continue;
      }
      static const unsigned kRoleWeights[] = {25, 20, 5, 15, 20, 15, 6};  // none extern weak-extern strong weak common local
      u.role = Role(rng.pick(kRoleWeights));
      // What a language or a kind cannot say becomes the nearest thing it can.
      if (u.role == Role::Common && (name.kind != Kind::Data || p.cxx[i])) u.role = Role::Weak;
      if (u.role == Role::WeakExtern && name.kind == Kind::Tls) u.role = Role::Extern;
      // An IFUNC is defined once, below; here only references to it.
      if (name.kind == Kind::IFunc && is_definition(u.role)) u.role = Role::Extern;
      if (is_definition(u.role)) {
        static const unsigned kVisWeights[] = {60, 20, 20};
        u.visibility = Visibility(rng.pick(kVisWeights));
      } else if (u.role == Role::Extern && rng.chance(15)) {
        u.visibility = Visibility::Hidden;
      }
      if (u.role == Role::Local) u.visibility = Visibility::Default;
      u.length = u.role == Role::Common ? 1 + rng.below(6) : 1 + rng.below(4);
      if (name.kind == Kind::Function || name.kind == Kind::IFunc) u.length = 1;
      if (u.role == Role::Strong || u.role == Role::Weak || u.role == Role::Local) {
        // Thread-locals are sometimes zero-initialised (.tbss).
        bool zero = name.kind == Kind::Tls && rng.chance(25);
        for (unsigned k = 0; k < u.length; k++) u.values.push_back(zero ? 0 : long(100 * (n + 1) + 10 * i + k + 1));
      }
    }
    if (name.kind == Kind::IFunc) {
      Use& u = name.uses[c_objects[rng.below(unsigned(c_objects.size()))]];
      static const unsigned kVisWeights[] = {60, 20, 20};
      u.role = Role::Strong;
      u.visibility = Visibility(rng.pick(kVisWeights));
      u.length = 1;
      u.values = {long(100 * (n + 1) + 99)};
    }
    // A static link's rules, kept: one strong definition at most, and a
    // strong reference only to a name something defines.
    bool strong_seen = false, defined = false;
    for (Use& u : name.uses) {
      if (u.role == Role::Strong) {
        if (strong_seen) u.role = Role::Weak;
        strong_seen = true;
      }
      defined |= is_definition(u.role);
    }
    if (!defined)
      for (Use& u : name.uses)
        if (u.role == Role::Extern) {
          u.role = Role::Weak;
          u.visibility = Visibility::Default;
          u.length = name.kind == Kind::Function ? 1 : 1 + rng.below(4);
          for (unsigned k = 0; k < u.length; k++) u.values.push_back(long(100 * (n + 1) + 50 + k));
          break;
        }
    bool mentioned = std::any_of(name.uses.begin(), name.uses.end(), [](const Use& u) { return u.role != Role::None; });
    if (!mentioned) {
      // Every name is seen by someone: o0 gets a weak definition.
      Use& u = name.uses[0];
      if (is_inline(name.kind)) {
        name.kind = Kind::Data;
        for (Use& v : name.uses) v = Use();
      }
      u.role = Role::Weak;
      u.length = 1;
      u.values = {long(100 * (n + 1) + 77)};
    }
    p.names.push_back(std::move(name));
  }

  // ld cannot make a GOT64 (the large code model, PIC or PIE) refer to an
  // IFUNC: such objects use the small model.
  for (unsigned i = 0; i < p.objects; i++) {
    bool refers = false;
    for (const Name& n : p.names)
      refers |= n.kind == Kind::IFunc && n.uses[i].role != Role::None && n.uses[i].role != Role::Local;
    size_t at = p.flags[i].find(" -mcmodel=large");
    if (at == std::string::npos && p.flags[i].rfind("-mcmodel=large", 0) == 0) at = 0;
    if (refers && at != std::string::npos) p.flags[i].erase(at, at == 0 ? 14 : 15);
    if (!p.flags[i].empty() && p.flags[i][0] == ' ') p.flags[i].erase(0, 1);
  }
  p.cxx_thread_local = rng.chance(50);
  // A hidden extern thread_local makes C++ test the weak undefined _ZTH
  // init function PC-relative: valid only in a -no-pie program in the
  // lowest 2 GiB (GNU ld refuses it in a PIE; jitload, placing code as a
  // PIE is placed, refuses it saying why — linkage-native's
  // weak-undefined-pcrel). Such a reference becomes a default one.
  if (p.cxx_thread_local)
    for (Name& name : p.names)
      for (unsigned i = 0; i < p.objects; i++)
        if (name.kind == Kind::Tls && p.cxx[i] && name.uses[i].role == Role::Extern &&
            name.uses[i].visibility == Visibility::Hidden)
          name.uses[i].visibility = Visibility::Default;
  // (Decided last, so that asking for threads changes nothing else.)
  p.threads = threads && std::any_of(p.names.begin(), p.names.end(), [](const Name& n) { return n.kind == Kind::Tls; });

  if (invalid) {
    // Exactly one defect: a second strong definition of a data, function
    // or thread-local name, in another object.
    std::vector<size_t> candidates;
    for (size_t n = 0; n < p.names.size(); n++)
      if (!is_inline(p.names[n].kind) && p.names[n].kind != Kind::IFunc) candidates.push_back(n);
    if (candidates.empty()) {
      p.names[0].kind = Kind::Data;
      for (Use& u : p.names[0].uses) u = Use();
      candidates.push_back(0);
    }
    const size_t chosen = candidates[rng.below(unsigned(candidates.size()))];
    Name& name = p.names[chosen];
    unsigned a = rng.below(p.objects), b = (a + 1 + rng.below(p.objects - 1)) % p.objects;
    for (Use& u : name.uses)
      if (u.role == Role::Strong) u.role = Role::Weak;
    for (unsigned i : {a, b}) {
      Use& u = name.uses[i];
      u.role = Role::Strong;
      u.visibility = Visibility::Default;
      u.length = name.kind == Kind::Function ? 1 : 1 + rng.below(4);
      u.values.clear();
      for (unsigned k = 0; k < u.length; k++) u.values.push_back(long(100 * (chosen + 1) + 10 * i + k + 1));
    }
    p.valid = false;
    p.defect = "two strong definitions of '" + name.name + "' (o" + std::to_string(std::min(a, b)) + " and o" +
               std::to_string(std::max(a, b)) + ")";
  }
  return p;
}

std::string Program::file_name(unsigned object) const {
  return "o" + std::to_string(object) + (cxx[object] ? ".cc" : ".c");
}

std::string Program::compile_flags(unsigned object) const {
  std::string out = cxx[object] ? "-x c++ -std=c++17" : "-x c -std=gnu11 -fcommon";
  out += " " + opt;
  if (!flags[object].empty()) out += " " + flags[object];
  return out + " -w";
}

std::string Program::describe() const {
  std::string out = "order:";
  for (unsigned i : order) out += " o" + std::to_string(i);
  out += "\n";
  for (unsigned i = 0; i < objects; i++) out += "o" + std::to_string(i) + ": " + compile_flags(i) + "\n";
  for (const Name& n : names) {
    out += n.name + " (" + kind_name(n.kind) + "):";
    for (unsigned i = 0; i < objects; i++) {
      const Use& u = n.uses[i];
      out += " o" + std::to_string(i) + "=" + role_name(u.role);
      if (u.visibility != Visibility::Default) out += std::string("/") + visibility_name(u.visibility);
      if (is_array(n.kind) && is_definition(u.role)) out += "[" + std::to_string(u.length) + "]";
    }
    out += "\n";
  }
  return out;
}

std::string Program::source(unsigned object) const {
  const unsigned i = object;
  std::string s;
  s += "// " + file_name(i) + ": linkage program, seed " + std::to_string(seed) + " (jitload fuzz/linkage-gen.cc)\n";
  if (!valid) s += "// deliberately invalid: " + defect + "\n";
  s += "#include <stdio.h>\n";
  if (threads && i == 0) s += "#include <pthread.h>\n";
  if (cxx[i]) s += "extern \"C\" {\n";
  for (size_t n = 0; n < names.size(); n++) {
    const Name& name = names[n];
    const Use& u = name.uses[i];
    const std::string& x = name.name;
    const std::string vis = visibility_attr(u.visibility);
    switch (name.kind) {
      case Kind::Data:
      case Kind::Tls: {
        // C++ objects sometimes say thread_local: a reference from another
        // C++ object then goes through its TLS wrapper (_ZTW, a weak
        // function) and a weak undefined init function (_ZTH).
        const std::string tls =
            name.kind != Kind::Tls ? "" : cxx[i] && cxx_thread_local ? "thread_local " : "__thread ";
        bool zero = std::all_of(u.values.begin(), u.values.end(), [](long v) { return v == 0; });
        std::string init = zero ? "" : " = " + initializer(u);
        switch (u.role) {
          case Role::None: break;
          case Role::Extern: s += "extern " + vis + tls + "long " + x + "[];\n"; break;
          case Role::WeakExtern: s += "extern __attribute__((weak)) " + tls + "long " + x + "[];\n"; break;
          case Role::Strong: s += vis + tls + "long " + x + "[" + std::to_string(u.length) + "]" + init + ";\n"; break;
          case Role::Weak:
            s += "__attribute__((weak)) " + vis + tls + "long " + x + "[" + std::to_string(u.length) + "]" + init + ";\n";
            break;
          case Role::Common: s += vis + "long " + x + "[" + std::to_string(u.length) + "];  // tentative: common\n"; break;
          case Role::Local: s += "static " + tls + "long " + x + "[" + std::to_string(u.length) + "]" + init + ";\n"; break;
        }
        break;
      }
      case Kind::Function: {
        std::string body = u.values.empty() ? "" : " { return " + std::to_string(u.values[0]) + "; }";
        switch (u.role) {
          case Role::None: break;
          case Role::Extern: s += "extern " + vis + "long " + x + "(void);\n"; break;
          case Role::WeakExtern: s += "extern __attribute__((weak)) long " + x + "(void);\n"; break;
          case Role::Strong: s += vis + "long " + x + "(void)" + body + "\n"; break;
          case Role::Weak: s += "__attribute__((weak)) " + vis + "long " + x + "(void)" + body + "\n"; break;
          case Role::Common: break;  // never generated
          case Role::Local: s += "static long " + x + "(void)" + body + "\n"; break;
        }
        break;
      }
      case Kind::IFunc: {
        switch (u.role) {
          case Role::None: case Role::Weak: case Role::Common: break;  // never generated
          case Role::Extern: s += "extern " + vis + "long " + x + "(void);\n"; break;
          case Role::WeakExtern: s += "extern __attribute__((weak)) long " + x + "(void);\n"; break;
          case Role::Local: s += "static long " + x + "(void) { return " + std::to_string(u.values[0]) + "; }\n"; break;
          case Role::Strong:
            s += "static long " + x + "_impl(void) { return " + std::to_string(u.values[0]) + "; }\n";
            s += "static void* " + x + "_resolver(void) { return (void*)" + x + "_impl; }\n";
            s += vis + "long " + x + "(void) __attribute__((ifunc(\"" + x + "_resolver\")));\n";
            break;
        }
        break;
      }
      case Kind::InlineVar:
        if (u.role != Role::None) s += "inline long " + x + " = " + std::to_string(u.values[0]) + ";  // COMDAT, weak\n";
        break;
      case Kind::InlineFunc:
        if (u.role != Role::None)
          s += "inline long " + x + "(void) { return " + std::to_string(u.values[0]) + "; }  // COMDAT, weak\n";
        break;
    }
  }
  // The same addresses through data: absolute relocations in this
  // object's own table (thread-locals have no link-time address).
  const std::string table = "lk_refs_" + std::to_string(i);
  std::vector<size_t> in_table;
  for (size_t n = 0; n < names.size(); n++)
    if (names[n].uses[i].role != Role::None && names[n].kind != Kind::Tls && names[n].kind != Kind::IFunc)
      in_table.push_back(n);
  if (!in_table.empty()) {
    s += "static const void* const " + table + "[" + std::to_string(in_table.size()) + "] = {";
    for (size_t k = 0; k < in_table.size(); k++) {
      const Name& name = names[in_table[k]];
      bool address_of = name.kind == Kind::Function || name.kind == Kind::InlineFunc || name.kind == Kind::InlineVar;
      s += std::string(k ? ", " : "") + "(const void*)" + (address_of ? "&" : "") + name.name;
    }
    s += "};\n";
  }
  // And one element in, for data arrays: an absolute relocation with an
  // addend, into whichever definition (or merged common) the name binds to.
  const std::string table1 = "lk_refs1_" + std::to_string(i);
  std::vector<size_t> in_table1;
  for (size_t n : in_table)
    if (names[n].kind == Kind::Data && names[n].uses[i].role != Role::WeakExtern) in_table1.push_back(n);
  if (!in_table1.empty()) {
    s += "static const long* const " + table1 + "[" + std::to_string(in_table1.size()) + "] = {";
    for (size_t k = 0; k < in_table1.size(); k++) s += std::string(k ? ", " : "") + "&" + names[in_table1[k]].name + "[1]";
    s += "};\n";
  }
  s += "\nvoid lk_show_" + std::to_string(i) + "(const void** seen) {\n";
  s += "  printf(\"o" + std::to_string(i) + ":\");\n";
  const std::string bump = std::to_string(i + 1);
  for (size_t n = 0; n < names.size(); n++) {
    const Name& name = names[n];
    const Use& u = name.uses[i];
    if (u.role == Role::None) continue;
    const std::string& x = name.name;
    const std::string slot = "seen[" + std::to_string(n) + "]";
    switch (name.kind) {
      case Kind::Data:
      case Kind::Tls:
        if (u.role == Role::WeakExtern) {
          s += "  " + slot + " = (const void*)" + x + ";\n";
          s += "  if (" + slot + ") { printf(\" " + x + "=%ld\", " + x + "[0]); " + x + "[0] += " + bump +
               "; } else printf(\" " + x + "=null\");\n";
        } else {
          s += "  printf(\" " + x + "=%ld\", " + x + "[0]);\n  " + x + "[0] += " + bump + ";\n";
          s += "  " + slot + " = (const void*)" + x + ";\n";
        }
        break;
      case Kind::IFunc:
        // Only calls: an IFUNC's address is not one address natively
        // (the resolver's answer through a GOT slot, the PLT entry through
        // a direct reference, and LLVM folds a constant resolver to the
        // implementation in the defining object).
        if (u.role == Role::Local) s += "  " + slot + " = (const void*)&" + x + ";\n";
        else s += "  " + slot + " = (const void*)1;\n";
        s += "  printf(\" " + x + "()=%ld\", " + x + "());\n";
        break;
      case Kind::Function:
        s += "  " + slot + " = (const void*)&" + x + ";\n";
        if (u.role == Role::WeakExtern)
          s += "  if (" + slot + ") printf(\" " + x + "()=%ld\", " + x + "()); else printf(\" " + x + "=null\");\n";
        else
          s += "  printf(\" " + x + "()=%ld\", " + x + "());\n";
        break;
      case Kind::InlineVar:
        s += "  printf(\" " + x + "=%ld\", " + x + ");\n  " + x + " += " + bump + ";\n";
        s += "  " + slot + " = (const void*)&" + x + ";\n";
        break;
      case Kind::InlineFunc:
        s += "  printf(\" " + x + "()=%ld\", " + x + "());\n";
        s += "  " + slot + " = (const void*)&" + x + ";\n";
        break;
    }
  }
  for (size_t k = 0; k < in_table.size(); k++)
    s += "  if (" + table + "[" + std::to_string(k) + "] != seen[" + std::to_string(in_table[k]) + "]) printf(\" " +
         names[in_table[k]].name + ":data-ref-differs\");\n";
  for (size_t k = 0; k < in_table1.size(); k++)
    s += "  if ((const void*)(" + table1 + "[" + std::to_string(k) + "] - 1) != seen[" + std::to_string(in_table1[k]) +
         "]) printf(\" " + names[in_table1[k]].name + ":data-ref+8-differs\");\n";
  s += "  printf(\"\\n\");\n}\n";
  if (threads) {
    // In the thread started after the load: the initial image.
    s += "\nvoid lk_tshow_" + std::to_string(i) + "(const void** seen) {\n";
    s += "  printf(\"t-o" + std::to_string(i) + ":\");\n";
    for (size_t n = 0; n < names.size(); n++) {
      const Name& name = names[n];
      if (name.kind != Kind::Tls || name.uses[i].role == Role::None) continue;
      s += "  printf(\" " + name.name + "=%ld\", " + name.name + "[0]);\n";
      s += "  seen[" + std::to_string(n) + "] = (const void*)" + name.name + ";\n";
    }
    s += "  printf(\"\\n\");\n}\n";
  }
  if (i == 0)
    for (unsigned k = 1; k < objects; k++) {
      s += "void lk_show_" + std::to_string(k) + "(const void** seen);\n";
      if (threads) s += "void lk_tshow_" + std::to_string(k) + "(const void** seen);\n";
    }
  if (cxx[i]) s += "}  // extern \"C\"\n";
  if (i != 0) return s;

  // main: every object shows what it sees, then which of them saw the same
  // address for each name.
  const std::string N = std::to_string(names.size()), O = std::to_string(objects);
  s += "\nstatic const void* lk_seen[" + O + "][" + N + "];\n";
  s += "static const char* const lk_names[" + N + "] = {";
  for (size_t n = 0; n < names.size(); n++) s += (n ? ", \"" : "\"") + names[n].name + "\"";
  s += "};\nstatic const unsigned char lk_tls[" + N + "] = {";
  for (size_t n = 0; n < names.size(); n++) s += std::string(n ? ", " : "") + (names[n].kind == Kind::Tls ? "1" : "0");
  s += "};\nstatic const unsigned char lk_mentions[" + O + "][" + N + "] = {";
  for (unsigned k = 0; k < objects; k++) {
    s += k ? ", {" : "{";
    for (size_t n = 0; n < names.size(); n++) s += std::string(n ? ", " : "") + (names[n].uses[k].role == Role::None ? "0" : "1");
    s += "}";
  }
  s += "};\n";
  // Which objects saw the same address, name by name ("t " for the thread's).
  s += "\nstatic void lk_identity(const char* prefix, const void* seen[" + O + "][" + N + "], int only_tls) {\n"
       "  for (int n = 0; n < " + N + "; n++) {\n"
       "    char letter[" + O + "];\n"
       "    char next = 'A';\n"
       "    if (only_tls && !lk_tls[n]) continue;\n"
       "    printf(\"%s%s:\", prefix, lk_names[n]);\n"
       "    for (int i = 0; i < " + O + "; i++) {\n"
       "      letter[i] = 0;\n"
       "      if (!lk_mentions[i][n]) { printf(\" -\"); continue; }\n"
       "      if (!seen[i][n]) { printf(\" 0\"); continue; }\n"
       "      for (int k = 0; k < i; k++)\n"
       "        if (letter[k] && seen[k][n] == seen[i][n]) letter[i] = letter[k];\n"
       "      if (!letter[i]) letter[i] = next++;\n"
       "      printf(\" %c\", letter[i]);\n"
       "    }\n"
       "    printf(\"\\n\");\n"
       "  }\n"
       "}\n";
  if (threads) {
    s += "\nstatic const void* lk_tseen[" + O + "][" + N + "];\n"
         "static void* lk_thread(void* arg) {\n  (void)arg;\n";
    for (unsigned k = 0; k < objects; k++) s += "  lk_tshow_" + std::to_string(k) + "(lk_tseen[" + std::to_string(k) + "]);\n";
    s += "  fflush(stdout);\n  return 0;\n}\n";
  }
  s += "\nint main(void) {\n";
  for (unsigned k = 0; k < objects; k++) s += "  lk_show_" + std::to_string(k) + "(lk_seen[" + std::to_string(k) + "]);\n";
  s += "  lk_identity(\"\", lk_seen, 0);\n";
  if (threads)
    s += "  fflush(stdout);\n"
         "  pthread_t thread;\n"
         "  if (pthread_create(&thread, 0, lk_thread, 0) != 0 || pthread_join(thread, 0) != 0) {\n"
         "    printf(\"no thread\\n\");\n    return 1;\n  }\n"
         "  lk_identity(\"t \", lk_tseen, 1);\n";
  s += "  return 0;\n}\n";
  return s;
}

}  // namespace jitload::fuzz::linkage
