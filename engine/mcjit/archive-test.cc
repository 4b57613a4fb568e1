#include "engine/mcjit/archive.h"

#include <gtest/gtest.h>

using namespace jitload;

namespace {

// A member header: the fixed-width ASCII fields of ar(5).
std::string header(const std::string& name, u64 size, const char* terminator = "`\n") {
  char buf[61];
  std::snprintf(buf, sizeof buf, "%-16s%-12s%-6s%-6s%-8s%-10llu%s", name.c_str(), "0", "0", "0", "644",
                (unsigned long long)size, terminator);
  return std::string(buf, 60);
}

std::string member(const std::string& name, const std::string& data) {
  std::string m = header(name, data.size()) + data;
  if (m.size() & 1) m += '\n';
  return m;
}

std::string be32(u32 v) {
  return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::vector<u8> bytes(const std::string& s) { return std::vector<u8>(s.begin(), s.end()); }

// GNU layout: "/" index, "//" long names, then a long-named and a short-named member.
std::string gnu_archive() {
  std::string longnames = "a_very_long_member_name.o/\n";
  std::string names = std::string("foo\0bar\0also_foo\0", 17);
  u64 index_size = 4 + 3 * 4 + names.size();
  u64 first = 8 + 60 + index_size + (index_size & 1) + 60 + longnames.size() + (longnames.size() & 1);
  std::string m1 = member("/0", "AAAA");
  u64 second = first + m1.size();
  std::string index = be32(3) + be32(u32(first)) + be32(u32(second)) + be32(u32(first)) + names;
  return "!<arch>\n" + member("/", index) + member("//", longnames) + m1 + member("b.o/", "BBBBB");
}

TEST(Archive, GnuIndexLongNamesAndMembers) {
  std::vector<u8> a = bytes(gnu_archive());
  Expected<Archive> ar = Archive::parse(a, "libgnu.a");
  ASSERT_TRUE(ar) << ar.error().message();
  EXPECT_EQ(ar->symbols().size(), 3u);
  auto foo = ar->find_symbol("foo");
  ASSERT_TRUE(foo);
  Expected<ArchiveMember> m = ar->member_at(*foo);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->name, "a_very_long_member_name.o");
  EXPECT_EQ(std::string(m->data.begin(), m->data.end()), "AAAA");
  auto bar = ar->find_symbol("bar");
  ASSERT_TRUE(bar);
  m = ar->member_at(*bar);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "b.o");
  EXPECT_EQ(std::string(m->data.begin(), m->data.end()), "BBBBB");
  EXPECT_EQ(ar->find_symbol("also_foo"), foo);
  EXPECT_FALSE(ar->find_symbol("baz"));
}

TEST(Archive, BsdIndexAndEmbeddedNames) {
  // "#1/N" names live at the start of the data; __.SYMDEF is little-endian
  // {string offset, member offset} pairs.
  auto le32 = [](u32 v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
  std::string strings = std::string("_foo\0", 5);
  strings += std::string(3, '\0');  // padded
  std::string symdef_name = "__.SYMDEF SORTED";
  u64 symdef_body = symdef_name.size() + 4 + 8 + 4 + strings.size();
  u64 first = 8 + 60 + symdef_body + (symdef_body & 1);
  std::string body = symdef_name + le32(8) + le32(0) + le32(u32(first)) + le32(u32(strings.size())) + strings;
  std::string member_name = "long_bsd_name.o";
  std::string a = "!<arch>\n" + header("#1/" + std::to_string(symdef_name.size()), body.size()) + body;
  if (a.size() & 1) a += '\n';
  ASSERT_EQ(a.size(), first);
  a += header("#1/" + std::to_string(member_name.size()), member_name.size() + 3) + member_name + "XYZ";
  std::vector<u8> v = bytes(a);
  Expected<Archive> ar = Archive::parse(v, "libbsd.a");
  ASSERT_TRUE(ar) << ar.error().message();
  auto foo = ar->find_symbol("_foo");
  ASSERT_TRUE(foo);
  Expected<ArchiveMember> m = ar->member_at(*foo);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->name, member_name);
  EXPECT_EQ(std::string(m->data.begin(), m->data.end()), "XYZ");
}

TEST(Archive, EmptyArchiveIsValid) {
  std::vector<u8> v = bytes("!<arch>\n");
  Expected<Archive> ar = Archive::parse(v, "empty.a");
  ASSERT_TRUE(ar) << ar.error().message();
  EXPECT_TRUE(ar->symbols().empty());
}

void expect_error(const std::string& a, ErrorKind kind, const std::string& needle) {
  std::vector<u8> v = bytes(a);
  Expected<Archive> ar = Archive::parse(v, "bad.a");
  ASSERT_FALSE(ar) << "accepted: " << needle;
  EXPECT_EQ(ar.error().kind(), kind) << ar.error().message();
  EXPECT_NE(ar.error().message().find(needle), std::string::npos) << ar.error().message();
  EXPECT_NE(ar.error().message().find("bad.a"), std::string::npos) << ar.error().message();
}

TEST(Archive, MalformedInputsAreErrorsNamingWhatAndWhere) {
  expect_error("!<arch\n", ErrorKind::Malformed, "not an archive");
  expect_error("!<thin>\n", ErrorKind::Unsupported, "thin");
  expect_error("!<arch>\n" + header("x.o/", 10), ErrorKind::Malformed, "past the end");
  expect_error("!<arch>\n" + header("x.o/", 4, "XX") + "AAAA", ErrorKind::Malformed, "does not end");
  std::string bad_size = "!<arch>\n" + header("x.o/", 4);
  bad_size.replace(8 + 48, 4, "4z  ");
  expect_error(bad_size + "AAAA", ErrorKind::Malformed, "not a decimal");
  expect_error("!<arch>\n" + member("x.o/", "AAAA"), ErrorKind::Unsupported, "no symbol index");
  // An index claiming more entries than it holds.
  expect_error("!<arch>\n" + member("/", be32(1000) + be32(8)), ErrorKind::Malformed, "claims 1000 entries");
  // An index entry pointing outside the archive.
  expect_error("!<arch>\n" + member("/", be32(1) + be32(99999) + std::string("foo\0", 4)), ErrorKind::Malformed,
               "points at offset");
  // A name that is not NUL-terminated.
  expect_error("!<arch>\n" + member("/", be32(1) + be32(8) + "foo"), ErrorKind::Malformed, "NUL");
  // A long-name reference outside "//".
  std::string idx = be32(1) + be32(8 + 60 + 12) + std::string("f\0", 2);
  std::string a = "!<arch>\n" + member("/", idx) + member("/99", "AAAA");
  expect_error(a, ErrorKind::Malformed, "long-name table");
}

TEST(Archive, EveryTruncationIsAnErrorOrAShorterValidArchive) {
  std::string full = gnu_archive();
  for (size_t n = 0; n < full.size(); n++) {
    std::vector<u8> v = bytes(full.substr(0, n));
    Expected<Archive> ar = Archive::parse(v, "cut.a");
    if (!ar) continue;  // rejected: fine
    // Accepted: then every index entry must still resolve inside the bytes.
    for (const auto& [sym, off] : ar->symbols()) {
      Expected<ArchiveMember> m = ar->member_at(off);
      ASSERT_TRUE(m) << "cut at " << n;
      EXPECT_LE(m->data.data() + m->data.size(), v.data() + v.size());
    }
  }
}

}  // namespace
