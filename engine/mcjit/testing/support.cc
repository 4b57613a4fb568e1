#include "engine/mcjit/testing/support.h"

#include "engine/loader/testing/support.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#ifndef JITLOAD_CLANG
#define JITLOAD_CLANG "clang-19"
#endif
#ifndef JITLOAD_CLANGXX
#define JITLOAD_CLANGXX "clang++-19"
#endif

namespace jitload::mcjit_testing {

// The process helpers are the loader tests' (engine/loader/testing).
std::string temp_dir() { return jitload::testing::temp_dir(); }

std::string fresh_dir(const std::string& tag) {
  static int counter = 0;
  std::string d = temp_dir() + "/" + tag + "-" + std::to_string(counter++);
  mkdir(d.c_str(), 0755);
  return d;
}

int run(const std::string& cmd, std::string* out) { return jitload::testing::run(cmd, out); }

std::vector<u8> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

void write_file(const std::string& path, const std::vector<u8>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::unique_ptr<llvm::Module> parse_ir(llvm::LLVMContext& ctx, const std::string& text, const std::string& name,
                                       std::string* diag) {
  llvm::SMDiagnostic err;
  auto m = llvm::parseAssemblyString(text, err, ctx);
  if (!m) {
    if (diag) {
      llvm::raw_string_ostream os(*diag);
      err.print(name.c_str(), os);
    }
    return nullptr;
  }
  m->setModuleIdentifier(name);
  return m;
}

std::unique_ptr<llvm::Module> compile_to_ir(llvm::LLVMContext& ctx, const std::string& source_path,
                                            const std::string& flags, std::string* diag) {
  static int counter = 0;
  bool cxx = source_path.ends_with(".cc") || source_path.ends_with(".cpp");
  std::string out = temp_dir() + "/ir" + std::to_string(counter++) + ".ll";
  std::string log;
  if (run(std::string(cxx ? JITLOAD_CLANGXX : JITLOAD_CLANG) + " -S -emit-llvm " + flags + " -o " + out + " " +
              source_path,
          &log) != 0) {
    if (diag) *diag = log;
    return nullptr;
  }
  llvm::SMDiagnostic err;
  auto m = llvm::parseIRFile(out, err, ctx);
  if (!m && diag) {
    llvm::raw_string_ostream os(*diag);
    err.print(out.c_str(), os);
  }
  return m;
}

std::string compile_object(const std::string& c_source, const std::string& name, const std::string& flags) {
  std::string dir = fresh_dir("obj");
  std::string src = dir + "/" + name + ".c";
  std::string obj = dir + "/" + name + ".o";
  write_file(src, c_source);
  std::string log;
  if (run(std::string(JITLOAD_CLANG) + " -c " + flags + " -o " + obj + " " + src, &log) != 0) {
    std::fprintf(stderr, "%s", log.c_str());
    return "";
  }
  return obj;
}

std::string testdata(const std::string& file) { return std::string(JITLOAD_MCJIT_TESTDATA) + "/" + file; }

}  // namespace jitload::mcjit_testing
