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
#include "fuzz/harness.h"

namespace jitload::fuzz {
namespace {

using Clock = std::chrono::steady_clock;

struct Section {
  size_t header;  // file offset of its section header
  uint32_t type;
  uint64_t offset, size;
};

// The section headers that lie inside the file, with their contents inside
// it too (a header pointing outside offers nothing to reduce). Class and
// byte order from the object (fuzz/arch/elf-layout.h).
std::vector<Section> sections(const std::vector<uint8_t>& b, ElfLayout& L) {
  std::vector<Section> out;
  std::optional<ElfLayout> layout = elf_layout(b.data(), b.size());
  if (!layout) return out;
  L = *layout;
  uint64_t shoff = L.get(b.data() + L.e_shoff, L.word), shnum = L.get(b.data() + L.e_shnum, 2);
  if (shoff > b.size()) return out;
  shnum = std::min<uint64_t>(shnum, (b.size() - shoff) / L.shdr);
  for (uint64_t i = 0; i < shnum; i++) {
    size_t h = size_t(shoff + L.shdr * i);
    const uint8_t* p = b.data() + h;
    Section s{h, uint32_t(L.get(p + L.sh_type, 4)), L.get(p + L.sh_offset, L.word), L.get(p + L.sh_size, L.word)};
    if (s.type == 8 /* SHT_NOBITS */ || s.offset > b.size() || s.size > b.size() - s.offset) continue;
    out.push_back(s);
  }
  return out;
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
      ElfLayout L = kElf64Le;
      std::vector<Section> secs = sections(cur, L);
      if (k >= secs.size() || out_of_time()) break;
      Section s = secs[k];
      uint64_t ent = s.type == 4 ? L.rela : s.type == 9 ? L.rel : 0;  // SHT_RELA, SHT_REL
      if (!ent) continue;
      uint64_t n = s.size / ent;
      progress |= chunks(0, n, true, [&](uint64_t at, uint64_t count) {
        std::vector<uint8_t> c = cur;
        uint64_t size = L.get(c.data() + s.header + L.sh_size, L.word);  // the current size (earlier steps shrank it)
        if ((at + count) * ent > size) return std::vector<uint8_t>();
        uint8_t* base = c.data() + s.offset;
        std::memmove(base + at * ent, base + (at + count) * ent, size - (at + count) * ent);
        std::memset(base + size - count * ent, 0, count * ent);
        L.put(c.data() + s.header + L.sh_size, size - count * ent, L.word);
        return c;
      }, st.relocations_removed);
    }
    return progress;
  }

  bool symbols() {
    bool progress = false;
    ElfLayout L = kElf64Le;
    for (const Section& s : sections(cur, L)) {
      if (s.type != 2 || out_of_time()) continue;  // SHT_SYMTAB
      const unsigned E = L.sym;
      uint64_t n = s.size / E;
      if (n < 2) continue;
      progress |= chunks(1, n - 1, false, [&](uint64_t at, uint64_t count) {
        std::vector<uint8_t> c = cur;
        uint8_t* p = c.data() + s.offset + at * E;
        bool changed = false;
        uint8_t neutral[24] = {};
        L.put(neutral + L.st_shndx, 0xfff1, 2);  // st_shndx = SHN_ABS, in the object's byte order
        static const uint8_t zero[24] = {};
        for (uint64_t k = 0; k < count; k++) {
          uint8_t* y = p + E * k;
          if (std::memcmp(y, neutral, E) == 0 || std::memcmp(y, zero, E) == 0) continue;  // already reduced
          std::memcpy(y, neutral, E);
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
    ElfLayout L = kElf64Le;
    for (const Section& s : sections(cur, L)) {
      if (s.size == 0 || out_of_time()) continue;
      progress |= chunks(s.offset, s.size, false, [&](uint64_t at, uint64_t count) {
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
