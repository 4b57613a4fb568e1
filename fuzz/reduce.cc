#include "fuzz/reduce.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/arch/elf-layout.h"
#include "fuzz/arch/invariants.h"
#include "fuzz/arch/macho-layout.h"
#include "fuzz/harness.h"

namespace jitload::fuzz {
namespace {

using Clock = std::chrono::steady_clock;

// What the reducer may change in an object, whatever its format: its
// relocation tables (entries removed, the table's length lowered), its
// symbol tables (entries made neutral) and the contents of its sections
// (bytes zeroed). Only what lies inside the buffer is listed.
struct RelocationTable {
  uint64_t offset, ent;   // the entries and their size
  uint64_t count_at;      // where the table's length is kept (ELF sh_size, Mach-O nreloc)
  unsigned count_width;
  bool count_in_bytes;    // ELF: sh_size in bytes; Mach-O: nreloc in entries
  uint64_t capacity;      // entries the buffer holds from `offset`
};
struct SymbolTable {
  uint64_t offset, count;
  unsigned ent;
  std::vector<uint8_t> neutral;  // what a removed symbol becomes
};
struct Shape {
  bool le = true;
  std::vector<RelocationTable> relocations;
  std::vector<SymbolTable> symbols;
  std::vector<std::pair<uint64_t, uint64_t>> contents;  // file offset, size

  uint64_t get(const uint8_t* p, unsigned width) const { return read_field(p, width, le); }
  void put(uint8_t* p, uint64_t v, unsigned width) const { write_field(p, v, width, le); }
};

// ELF (either class and byte order): SHT_RELA/SHT_REL tables, SHT_SYMTAB
// (index 0 stays; a removed entry keeps nothing but st_shndx = SHN_ABS:
// an all-zero entry is a local undefined symbol, which the loaders refuse,
// so a finding would rarely survive it), every section's contents but
// SHT_NOBITS. A header pointing outside the file offers nothing.
Shape elf_shape(const std::vector<uint8_t>& b, const ElfLayout& L) {
  Shape out;
  out.le = L.le;
  uint64_t shoff = L.get(b.data() + L.e_shoff, L.word), shnum = L.get(b.data() + L.e_shnum, 2);
  if (shoff > b.size()) return out;
  shnum = std::min<uint64_t>(shnum, (b.size() - shoff) / L.shdr);
  for (uint64_t i = 0; i < shnum; i++) {
    const uint64_t h = shoff + L.shdr * i;
    const uint8_t* p = b.data() + h;
    const uint32_t type = uint32_t(L.get(p + L.sh_type, 4));
    const uint64_t offset = L.get(p + L.sh_offset, L.word), size = L.get(p + L.sh_size, L.word);
    if (type == 8 /* SHT_NOBITS */ || offset > b.size() || size > b.size() - offset) continue;
    const uint64_t ent = type == 4 ? L.rela : type == 9 ? L.rel : 0;  // SHT_RELA, SHT_REL
    if (ent) out.relocations.push_back({offset, ent, h + L.sh_size, L.word, true, (b.size() - offset) / ent});
    if (type == 2 && size / L.sym > 1) {  // SHT_SYMTAB
      SymbolTable t{offset + L.sym, size / L.sym - 1, L.sym, std::vector<uint8_t>(L.sym, 0)};
      L.put(t.neutral.data() + L.st_shndx, 0xfff1, 2);  // SHN_ABS
      out.symbols.push_back(std::move(t));
    }
    if (size) out.contents.push_back({offset, size});
  }
  return out;
}

// Mach-O (both classes, fuzz/arch/macho-layout.h): each section's
// relocation entries (8 bytes; nreloc counts them), the nlist table (a
// removed symbol becomes a local absolute 0 with no name: N_ABS), and each
// section's contents but zerofill ones (S_ZEROFILL, S_GB_ZEROFILL,
// S_THREAD_LOCAL_ZEROFILL have none in the file).
Shape macho_shape(const std::vector<uint8_t>& b, const MachoView& v) {
  Shape out;
  const MachoLayout& L = v.L;
  for (const MachoView::Section& s : v.sections) {
    if (s.nreloc && s.reloff <= b.size())
      out.relocations.push_back({s.reloff, 8, s.at + L.sect_nreloc(), 4, false, (b.size() - s.reloff) / 8});
    const uint32_t type = s.flags & 0xff;
    if (type == 0x1 || type == 0xc || type == 0x12) continue;
    if (s.size && s.offset <= b.size() && s.size <= b.size() - s.offset) out.contents.push_back({s.offset, s.size});
  }
  if (v.nsyms) {
    SymbolTable t{v.symoff, v.nsyms, L.nlist, std::vector<uint8_t>(L.nlist, 0)};
    t.neutral[4] = 0x2;  // n_type N_ABS, not external
    out.symbols.push_back(std::move(t));
  }
  return out;
}

Shape shape(const std::vector<uint8_t>& b) {
  if (std::optional<ElfLayout> L = elf_layout(b.data(), b.size())) return elf_shape(b, *L);
  if (std::optional<MachoView> v = macho_view(b.data(), b.size())) return macho_shape(b, *v);
  return Shape();  // another format: nothing to reduce
}

std::string strip_digits(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!(c >= '0' && c <= '9')) out += c;
  return out;
}

struct Reducer {
  std::vector<uint8_t> cur;
  const ReducePredicate& pred;
  Clock::time_point deadline;
  ReduceStats& st;

  bool out_of_time() {
    if (Clock::now() < deadline) return false;
    st.timed_out = true;
    return true;
  }
  bool attempt(std::vector<uint8_t>&& cand) {
    if (cand == cur) return false;
    st.tries++;
    if (!pred(cand)) return false;
    cur = std::move(cand);
    st.kept++;
    return true;
  }

  // Generic halving: try op(first, count) on chunks of `n` units, chunk
  // sizes n, n/2, ..., 1. op returns the candidate or an empty vector (no
  // step). When `removes` is set a kept step shrinks n instead of moving on.
  template <typename Op>
  bool chunks(uint64_t first, uint64_t n, bool removes, Op op, unsigned& counter) {
    bool progress = false;
    for (uint64_t chunk = n; chunk >= 1 && n > 0; chunk /= 2) {
      for (uint64_t at = first; at < first + n && !out_of_time();) {
        uint64_t count = std::min(chunk, first + n - at);
        std::vector<uint8_t> cand = op(at, count);
        if (!cand.empty() && attempt(std::move(cand))) {
          progress = true;
          counter += unsigned(count);
          if (removes) {
            n -= count;
            continue;
          }
        }
        at += count;
      }
      if (out_of_time()) break;
    }
    return progress;
  }

  bool relocations() {
    bool progress = false;
    for (size_t k = 0;; k++) {
      const Shape sh = shape(cur);
      if (k >= sh.relocations.size() || out_of_time()) break;
      const RelocationTable& t = sh.relocations[k];
      // The table's length as it stands (earlier steps shrank it), in entries.
      auto length = [&](const std::vector<uint8_t>& c) {
        const uint64_t v = sh.get(c.data() + t.count_at, t.count_width);
        return std::min(t.count_in_bytes ? v / t.ent : v, t.capacity);
      };
      progress |= chunks(0, length(cur), true, [&](uint64_t at, uint64_t count) {
        std::vector<uint8_t> c = cur;
        const uint64_t n = length(c);
        if (at + count > n) return std::vector<uint8_t>();
        uint8_t* base = c.data() + t.offset;
        std::memmove(base + at * t.ent, base + (at + count) * t.ent, (n - at - count) * t.ent);
        std::memset(base + (n - count) * t.ent, 0, count * t.ent);
        sh.put(c.data() + t.count_at, t.count_in_bytes ? (n - count) * t.ent : n - count, t.count_width);
        return c;
      }, st.relocations_removed);
    }
    return progress;
  }

  bool symbols() {
    bool progress = false;
    for (const SymbolTable& t : shape(cur).symbols) {
      if (out_of_time()) break;
      progress |= chunks(0, t.count, false, [&](uint64_t at, uint64_t count) {
        std::vector<uint8_t> c = cur;
        bool changed = false;
        for (uint64_t k = 0; k < count; k++) {
          uint8_t* y = c.data() + t.offset + t.ent * (at + k);
          if (std::memcmp(y, t.neutral.data(), t.ent) == 0 ||
              std::all_of(y, y + t.ent, [](uint8_t x) { return x == 0; }))
            continue;  // already reduced
          std::memcpy(y, t.neutral.data(), t.ent);
          changed = true;
        }
        return changed ? c : std::vector<uint8_t>();
      }, st.symbols_zeroed);
    }
    return progress;
  }

  bool contents() {
    bool progress = false;
    unsigned bytes = 0;
    for (const auto& [offset, size] : shape(cur).contents) {
      if (out_of_time()) break;
      progress |= chunks(offset, size, false, [&](uint64_t at, uint64_t count) {
        std::vector<uint8_t> c = cur;
        uint8_t* p = c.data() + at;
        if (std::all_of(p, p + count, [](uint8_t x) { return x == 0; })) return std::vector<uint8_t>();
        std::memset(p, 0, count);
        return c;
      }, bytes);
    }
    st.bytes_zeroed += bytes;
    return progress;
  }
};

}  // namespace

std::vector<uint8_t> reduce_object(std::vector<uint8_t> object, const ReducePredicate& still_fails, double seconds,
                                   ReduceStats* stats) {
  ReduceStats local;
  ReduceStats& st = stats ? *stats : local;
  auto deadline = Clock::now() + std::chrono::microseconds(int64_t(seconds * 1e6));
  Reducer r{std::move(object), still_fails, deadline, st};
  for (int round = 0; round < 8 && !r.out_of_time(); round++) {
    bool progress = r.relocations();
    progress |= r.symbols();
    progress |= r.contents();
    if (!progress) break;
  }
  return std::move(r.cur);
}

std::string child_signature(const SignatureFn& fn, const std::vector<uint8_t>& input, int timeout_ms) {
  int fds[2];
  if (pipe(fds)) return "pipe failed";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    return "fork failed";
  }
  if (pid == 0) {
    close(fds[0]);
    std::string s = fn(input);
    size_t done = 0;
    while (done < s.size()) {
      ssize_t n = write(fds[1], s.data() + done, s.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      timed_out = r == 0;
      break;
    }
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, size_t(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return "timeout";
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) return "exit " + std::to_string(WEXITSTATUS(status));
  return out;
}

std::string object_finding_signature(const std::vector<uint8_t>& input) {
  static const bool only_differential = std::getenv("JITLOAD_FUZZ_ONLY_DIFFERENTIAL") != nullptr;
  Verdict v;
  if (!only_differential) v = check_object(input.data(), input.size());
  if (!v.finding.empty()) {
    // The finding's first words name the invariant; numbers vary as the input shrinks.
    std::string s = strip_digits(v.finding);
    return "invariant: " + s.substr(0, s.find(':'));
  }
  DiffVerdict d = compare_loaders(input.data(), input.size());
  if (!d.finding.empty()) return "disagree: " + d.kind;  // names and numbers already left out
  return "";
}

ReducePredicate same_finding(std::string want, int timeout_ms) {
  return [want = std::move(want), timeout_ms](const std::vector<uint8_t>& cand) {
    return child_signature(object_finding_signature, cand, timeout_ms) == want;
  };
}

}  // namespace jitload::fuzz
