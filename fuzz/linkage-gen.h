// A generator of small multi-object C/C++ programs for the linkage
// differential (README "Multi-object differential"). Deterministic from a
// seed: the same seed gives the same sources on every host (its own
// splitmix64, no <random> distributions, whose results are the library's
// choice).
//
// A program is 2-4 objects ("o0".."o3", each C or C++) sharing 2-6 names.
// Each name is data (an array of `long`), a function returning `long`, or
// a thread-local array (`__thread`, with initial values); a C++ object may
// also hold a C++ inline variable or inline function (a COMDAT group each,
// weak in every object that emits it). Per object, each name has a role:
//
//   none        the object does not mention the name
//   extern      a strong undefined reference (`extern long x[];`)
//   weak-extern a weak undefined reference (0 when nothing defines it)
//   strong      an initialised definition
//   weak        `__attribute__((weak))` definition with its own values
//   common      a tentative definition of its own length (C, -fcommon);
//               C++ has no tentative definitions
//   local       a `static` definition of the same name: the object's own,
//               which nothing else may bind to (and which its own
//               references reach)
//
// A function may also be an IFUNC (`__attribute__((ifunc))`, defined once,
// in a C object, with its resolver beside it; references from anywhere).
//
// and, on definitions (and some strong references), a visibility: default,
// hidden or protected. Every object has `lk_show_N(const void** seen)`,
// which prints the value it reads through each name it mentions (for data:
// element 0, then it adds N+1 to it, so later objects see whether the
// storage is shared), and stores the address it sees; main (in o0) calls
// them all in order, then prints, for each name, which objects saw the same
// address ("A A B": o2 saw another one) or a null one ("0"). Each object
// also keeps the addresses of its names in a table in its data (absolute
// relocations, where code uses PC-relative and GOT forms) and prints
// "NAME:data-ref-differs" should one differ from what its code sees. Nothing printed
// depends on where things are placed, so the output of a native static link
// (clang-19, the truth) and of `jitload exec` / `jitload run` must be
// byte-identical.
//
// Valid programs keep the rules a static link needs: at most one strong
// definition per name; a strong reference only to a defined name; commons
// only in C and only for data; no weak undefined thread-locals. An invalid
// program (asked for) has exactly one defect: two strong definitions of one
// name in two objects — the native link refuses it, and so must jitload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jitload::fuzz::linkage {

enum class Kind { Data, Function, Tls, InlineVar, InlineFunc, IFunc };
enum class Role { None, Extern, WeakExtern, Strong, Weak, Common, Local };
enum class Visibility { Default, Hidden, Protected };

const char* kind_name(Kind k);
const char* role_name(Role r);
const char* visibility_name(Visibility v);

struct Use {
  Role role = Role::None;
  Visibility visibility = Visibility::Default;
  unsigned length = 1;        // array length of data and thread-locals in this object
  std::vector<long> values;   // initial values (definitions), or the function's result
};

struct Name {
  std::string name;  // lk_<letter>
  Kind kind = Kind::Data;
  std::vector<Use> uses;  // one per object
};

struct Program {
  uint64_t seed = 0;
  unsigned objects = 2;
  std::vector<bool> cxx;     // per object: compiled as C++
  std::string opt = "-O0";   // one of -O0 -O1 -O2
  // Per object: "" (the compiler's default, PIE on Debian) or "-fPIC", then
  // sometimes -mcmodel=large, -ffunction-sections -fdata-sections, a TLS
  // model (-ftls-model=...).
  std::vector<std::string> flags;
  // The order the objects are linked and loaded in (a permutation of
  // 0..objects-1; main's object need not come first): which weak
  // definition is "first" depends on it, natively and in jitload alike.
  std::vector<unsigned> order;
  std::vector<Name> names;
  bool valid = true;
  std::string defect;        // for an invalid program: which rule it breaks
  // main also starts a thread (after every object has shown what it sees,
  // so after the load) in which each object prints element 0 of every
  // thread-local it mentions — the initial image, whatever the main thread
  // did to its own copy — and main prints which objects saw the same
  // thread-local address in that thread ("t lk_c: A A").
  bool threads = false;
  // C++ objects spell their thread-locals `thread_local` (else `__thread`).
  bool cxx_thread_local = false;

  std::string file_name(unsigned object) const;     // "o1.c" / "o1.cc"
  std::string source(unsigned object) const;
  std::string compile_flags(unsigned object) const;  // language, -O, PIC, -fcommon
  std::string describe() const;  // one line per name: its role in each object
};

// One program. `invalid` asks for a set with a duplicate strong definition;
// `threads`, that a program with thread-locals also reads them in a thread
// started after the load (see Program::threads).
Program generate(uint64_t seed, bool invalid = false, bool threads = false);

// The seed of the k-th program of a run started from `seed` (a mix, so
// neighbouring runs do not share programs).
uint64_t program_seed(uint64_t seed, uint64_t k);

}  // namespace jitload::fuzz::linkage
