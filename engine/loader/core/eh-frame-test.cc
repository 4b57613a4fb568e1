#include "engine/loader/core/eh-frame.h"

#include <gtest/gtest.h>

#include <random>

namespace jitload {
namespace {

// Writes .eh_frame records byte by byte, so each malformed case below reads
// as a one-line difference from a good one.
struct Frame {
  std::vector<u8> b;

  size_t pos() const { return b.size(); }
  void byte(u8 v) { b.push_back(v); }
  void u32le(u32 v) {
    for (int i = 0; i < 4; i++) b.push_back(u8(v >> (8 * i)));
  }
  void str(const char* s) {
    while (*s) b.push_back(u8(*s++));
    b.push_back(0);
  }
  void patch32(size_t at, u32 v) {
    for (int i = 0; i < 4; i++) b[at + i] = u8(v >> (8 * i));
  }
  // Pads the record that starts at `start` to a multiple of 4 and writes its length.
  void close(size_t start) {
    while ((b.size() - start) % 4) b.push_back(0);  // DW_CFA_nop
    patch32(start, u32(b.size() - start - 4));
  }

  // A CIE with augmentation `aug`; `aug_data` is its augmentation data.
  size_t cie(const char* aug = "zR", std::vector<u8> aug_data = {0x1b}, u8 version = 1) {
    size_t start = pos();
    u32le(0);  // length, patched
    u32le(0);  // CIE id
    byte(version);
    str(aug);
    byte(1);     // code alignment factor (ULEB128)
    byte(0x78);  // data alignment factor -8 (SLEB128)
    byte(16);    // return address column
    if (aug[0] == 'z') {
      byte(u8(aug_data.size()));
      for (u8 v : aug_data) byte(v);
    }
    byte(0x0c), byte(7), byte(8);  // DW_CFA_def_cfa rsp+8
    byte(0x90), byte(1);           // DW_CFA_offset rip at cfa-8
    close(start);
    return start;
  }

  // An FDE for `cie` with 4-byte address fields (pcrel|sdata4) by default.
  size_t fde(size_t cie, u32 field_size = 4, bool z = true) {
    size_t start = pos();
    u32le(0);
    u32le(u32(start + 4 - cie));  // CIE pointer: back from this field
    for (u32 i = 0; i < 2 * field_size; i++) byte(0);
    if (z) byte(0);  // augmentation data length
    close(start);
    return start;
  }
  void terminator() { u32le(0); }
};

TEST(EhFrame, WalksCieAndFdes) {
  Frame f;
  size_t c = f.cie();
  size_t f1 = f.fde(c);
  size_t f2 = f.fde(c);
  f.terminator();
  auto layout = parse_eh_frame(f.b);
  ASSERT_TRUE(layout.ok()) << layout.error().message();
  EXPECT_EQ(layout->cie_count, 1u);
  ASSERT_EQ(layout->fdes.size(), 2u);
  EXPECT_EQ(layout->fdes[0], f1);
  EXPECT_EQ(layout->fdes[1], f2);
  EXPECT_TRUE(layout->terminated);
  EXPECT_EQ(layout->end, f.b.size() - 4);
}

TEST(EhFrame, SectionWithoutTerminatorEndsAtItsSize) {
  Frame f;
  size_t c = f.cie();
  f.fde(c);
  auto layout = parse_eh_frame(f.b);
  ASSERT_TRUE(layout.ok()) << layout.error().message();
  EXPECT_FALSE(layout->terminated);
  EXPECT_EQ(layout->end, f.b.size());
}

TEST(EhFrame, StopsAtAZeroLengthWordLikeTheUnwinder) {
  Frame f;
  size_t c = f.cie();
  f.fde(c);
  f.terminator();
  f.u32le(0xdeadbeef);  // garbage after the terminator is never looked at
  auto layout = parse_eh_frame(f.b);
  ASSERT_TRUE(layout.ok()) << layout.error().message();
  EXPECT_EQ(layout->fdes.size(), 1u);
  EXPECT_TRUE(layout->terminated);
}

TEST(EhFrame, AcceptsWhatCompilersEmit) {
  // zPLR with an absolute-pointer personality; empty augmentation with
  // absptr FDE fields; version 3 CIE.
  Frame f;
  size_t c1 = f.cie("zPLR", {0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x1b, 0x1b});
  f.fde(c1);
  size_t c2 = f.cie("", {});
  f.fde(c2, 8, /*z=*/false);
  size_t c3 = f.cie("zRS", {0x1b}, 3);
  f.fde(c3);
  auto layout = parse_eh_frame(f.b);
  ASSERT_TRUE(layout.ok()) << layout.error().message();
  EXPECT_EQ(layout->cie_count, 3u);
  EXPECT_EQ(layout->fdes.size(), 3u);
}

// The walker asks the previous FDE's CIE first: FDEs that go back to an
// earlier CIE (of another FDE size) after a later one, and an augmentation
// length written in two LEB128 bytes, are read as any other; a two-byte
// length past the record is refused.
TEST(EhFrame, FdesOfSeveralCiesInAnyOrder) {
  Frame f;
  size_t c1 = f.cie("zR", {0x1b});  // pcrel|sdata4: 4-byte fields
  size_t c2 = f.cie("", {});        // absptr: 8-byte fields, no 'z'
  size_t f1 = f.fde(c2, 8, /*z=*/false);
  size_t f2 = f.fde(c1);
  size_t f3 = f.fde(c2, 8, /*z=*/false);
  size_t f4 = f.pos();  // an FDE of c1 whose augmentation length is 0x80 0x00 (0, in two bytes)
  f.u32le(0);
  f.u32le(u32(f4 + 4 - c1));
  for (int i = 0; i < 8; i++) f.byte(0);
  f.byte(0x80), f.byte(0x00);
  f.close(f4);
  f.terminator();
  auto layout = parse_eh_frame(f.b);
  ASSERT_TRUE(layout.ok()) << layout.error().message();
  EXPECT_EQ(layout->cie_count, 2u);
  EXPECT_EQ(layout->fdes, (std::vector<u64>{f1, f2, f3, f4}));

  // The two-byte length now says 0x100 bytes of data, past the record.
  f.b[f4 + 8 + 8 + 1] = 0x02;
  auto bad = parse_eh_frame(f.b);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("FDE augmentation data runs past the record"), std::string::npos)
      << bad.error().message();
}

// Each case: one change to a good section, and the words its error must hold.
struct BadCase {
  const char* name;
  void (*build)(Frame&);
  const char* expect;
};

TEST(EhFrame, RejectsMalformedRecords) {
  const BadCase cases[] = {
      {"truncated length", [](Frame& f) { f.b = {1, 0, 0}; }, "truncated record length"},
      {"record past end",
       [](Frame& f) {
         f.cie();
         f.patch32(0, 1000);
       },
       "past the end"},
      {"64-bit record", [](Frame& f) { f.u32le(0xffffffff), f.u32le(0), f.u32le(0); }, "64-bit"},
      {"too short for id", [](Frame& f) { f.u32le(2), f.byte(0), f.byte(0); }, "too short"},
      {"CIE version 2", [](Frame& f) { f.cie("zR", {0x1b}, 2); }, "version"},
      {"unknown augmentation letter", [](Frame& f) { f.cie("zX", {}); }, "unknown letter"},
      {"augmentation not starting with z", [](Frame& f) { f.cie("eh", {}); }, "'z'"},
      {"ULEB128 FDE encoding (libgcc aborts)", [](Frame& f) { f.cie("zR", {0x01}); },
       "FDE pointer encoding"},
      {"funcrel FDE encoding (libgcc aborts)", [](Frame& f) { f.cie("zR", {0x4b}); },
       "FDE pointer encoding"},
      {"omitted personality", [](Frame& f) { f.cie("zP", {0xff}); }, "personality encoding"},
      {"personality pointer past data", [](Frame& f) { f.cie("zP", {0x00, 1, 2}); },
       "personality pointer"},
      {"bad LSDA encoding", [](Frame& f) { f.cie("zL", {0x0f}); }, "LSDA encoding"},
      {"R after S", [](Frame& f) { f.cie("zSR", {0x1b}); }, "'R' after"},
      {"augmentation data past record",
       [](Frame& f) {
         size_t c = f.cie("zR", {0x1b});
         f.b[c + 15] = 0x7f;  // augmentation length
       },
       "augmentation data"},
      {"unterminated augmentation string",
       [](Frame& f) {
         f.u32le(6), f.u32le(0), f.byte(1), f.byte('z');
       },
       "not terminated"},
      {"FDE pointing at nothing",
       [](Frame& f) {
         size_t c = f.cie();
         size_t d = f.fde(c);
         f.patch32(d + 4, u32(d + 4 - c - 4));  // 4 bytes into the CIE
       },
       "does not point at a valid CIE"},
      {"FDE pointing before the section",
       [](Frame& f) {
         size_t c = f.cie();
         size_t d = f.fde(c);
         f.patch32(d + 4, 0x10000);
       },
       "before the section"},
      {"FDE pointing forward",
       [](Frame& f) {
         size_t d = f.fde(0);
         f.cie();
         f.patch32(d + 4, 0xfffffff0);
       },
       "before the section"},
      {"FDE too short for its address range",
       [](Frame& f) {
         size_t c = f.cie("zR", {0x1c});  // sdata8: 16 bytes of fields
         f.fde(c, 4);
       },
       "address range"},
      {"FDE augmentation data past record",
       [](Frame& f) {
         size_t c = f.cie();
         size_t d = f.fde(c);
         f.b[d + 16] = 0x40;
       },
       "augmentation data"},
  };
  for (const BadCase& bc : cases) {
    Frame f;
    bc.build(f);
    auto layout = parse_eh_frame(f.b);
    ASSERT_FALSE(layout.ok()) << bc.name;
    EXPECT_NE(layout.error().message().find(bc.expect), std::string::npos)
        << bc.name << ": " << layout.error().message();
    EXPECT_NE(layout.error().message().find(".eh_frame+0x"), std::string::npos) << bc.name;
  }
}

TEST(EhFrame, RandomCorruptionNeverReadsOutOfBounds) {
  // Under ASan this is the real check: every byte flip is either rejected
  // or accepted, with no read outside the buffer (a heap copy of exact size).
  Frame f;
  size_t c = f.cie("zPLR", {0x9b, 1, 2, 3, 4, 0x1b, 0x1b});
  f.fde(c);
  f.fde(c);
  size_t c2 = f.cie();
  f.fde(c2);
  std::mt19937 rng(1234);
  int accepted = 0;
  for (int i = 0; i < 5000; i++) {
    std::vector<u8> copy = f.b;
    int flips = 1 + int(rng() % 4);
    for (int k = 0; k < flips; k++) copy[rng() % copy.size()] = u8(rng());
    copy.resize(rng() % (copy.size() + 1));
    auto owned = std::make_unique<u8[]>(copy.size());
    memcpy(owned.get(), copy.data(), copy.size());
    auto layout = parse_eh_frame({owned.get(), copy.size()});
    if (layout.ok()) {
      accepted++;
      for (u64 off : layout->fdes) EXPECT_LT(off, copy.size());
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace jitload
