// The bounded reader: every hostile input an Error, nothing read past what
// deciding needs.
#include "engine/loader/core/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace jitload {
namespace {

std::string temp_path(const char* name) { return ::testing::TempDir() + "/jitload-file-test-" + std::to_string(getpid()) + name; }

std::string write(const char* name, const std::string& bytes) {
  std::string path = temp_path(name);
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  return path;
}

TEST(File, ReadsAWholeFile) {
  std::string data(100000, 'x');
  data[0] = '\x7f';
  std::string path = write("whole", data);
  auto b = read_file(path);
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(std::string(b->begin(), b->end()), data);
  // Sniffed as an object (ELF magic) it is read whole too.
  data.replace(0, 4, "\x7f" "ELF");
  path = write("whole-elf", data);
  b = read_object_file(path);
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(b->size(), data.size());
  std::remove(path.c_str());
}

TEST(File, RefusesADirectory) {
  auto b = read_file(::testing::TempDir());
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind(), ErrorKind::Io);
  EXPECT_NE(b.error().message().find("is a directory"), std::string::npos) << b.error().message();
}

TEST(File, MissingFileNamesTheCause) {
  auto b = read_file(temp_path("no-such-file"));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind(), ErrorKind::Io);
  EXPECT_NE(b.error().message().find("No such file"), std::string::npos) << b.error().message();
}

TEST(File, RefusesARegularFileOverTheLimitFromItsSize) {
  std::string path = write("big", std::string(4097, '\0'));
  ReadOptions o;
  o.max_size = 4096;
  auto b = read_file(path, o);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind(), ErrorKind::Argument);
  EXPECT_NE(b.error().message().find("input size limit of 4096 bytes"), std::string::npos) << b.error().message();
  o.max_size = 4097;  // exactly at the limit is fine
  EXPECT_TRUE(read_file(path, o));
  std::remove(path.c_str());
}

TEST(File, RefusesAStreamThatGoesOnPastTheLimit) {
  // /dev/zero never ends: without a sniffer it is read up to the limit, then refused.
  ReadOptions o;
  o.max_size = 1 << 20;
  auto b = read_file("/dev/zero", o);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind(), ErrorKind::Argument);
  EXPECT_NE(b.error().message().find("goes on past"), std::string::npos) << b.error().message();
}

TEST(File, SniffRefusesANonObjectUnread) {
  // /dev/zero with the object sniffer: refused from its first bytes, at once
  // (were it read, this test would never end).
  auto b = read_object_file("/dev/zero");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind(), ErrorKind::Unsupported);
  EXPECT_NE(b.error().message().find("not an object file of a supported format (ELF, Mach-O) (it starts with 00 00"),
            std::string::npos)
      << b.error().message();
  std::string path = write("empty", "");
  b = read_object_file(path);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message().find("the file is empty"), std::string::npos) << b.error().message();
  std::remove(path.c_str());
}

TEST(File, ReadsAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string data = "\x7f" "ELF and the rest";
  ASSERT_EQ(::write(fds[1], data.data(), data.size()), ssize_t(data.size()));
  close(fds[1]);
  ReadOptions o;
  o.sniff = looks_like_object;
  auto b = read_fd(fds[0], "<pipe>", o);
  close(fds[0]);
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(std::string(b->begin(), b->end()), data);
}

}  // namespace
}  // namespace jitload
