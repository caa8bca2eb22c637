// The language front ends' shared pieces: picking the language from the
// source's name, the front end table, and splitting the ABI section out of a
// linked module.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "build/build.h"
#include "build/wasm_interface.h"

namespace ward::build {
namespace {

Language lang(std::string_view source) {
  auto l = detect_language(source);
  EXPECT_TRUE(l) << source;
  return l ? *l : Language::Cpp;
}

TEST(Frontend, DetectsLanguageByName) {
  EXPECT_EQ(lang("token.cpp"), Language::Cpp);
  EXPECT_EQ(lang("a/b/lib.rs"), Language::Rust);
  EXPECT_EQ(lang("crate/Cargo.toml"), Language::Rust);
  EXPECT_EQ(lang("token.ts"), Language::AssemblyScript);
  EXPECT_EQ(lang("token.go"), Language::Go);
  auto unknown = detect_language("token.txt");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown contract language"), std::string::npos);
}

TEST(Frontend, DetectsCrateAndModuleDirectories) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("ward-frontend-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "crate");
  fs::create_directories(dir / "gomod");
  fs::create_directories(dir / "empty");
  std::ofstream(dir / "crate" / "Cargo.toml") << "[package]\n";
  std::ofstream(dir / "gomod" / "go.mod") << "module x\n";
  EXPECT_EQ(lang((dir / "crate").string()), Language::Rust);
  EXPECT_EQ(lang((dir / "gomod").string()), Language::Go);
  auto empty = detect_language((dir / "empty").string());
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("without Cargo.toml or go.mod"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Frontend, EveryLanguageHasOne) {
  EXPECT_TRUE(make_frontend(Language::Cpp));
  auto rust = make_frontend(Language::Rust);
  ASSERT_TRUE(rust);
  EXPECT_EQ((*rust)->language(), Language::Rust);
  auto as = make_frontend(Language::AssemblyScript);
  ASSERT_TRUE(as);
  EXPECT_EQ((*as)->language(), Language::AssemblyScript);
  auto go = make_frontend(Language::Go);
  ASSERT_TRUE(go);
  EXPECT_EQ((*go)->language(), Language::Go);
}

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::string custom(const std::string& name, const std::string& body) {
  std::string content = std::string(1, static_cast<char>(name.size())) + name + body;
  return std::string(1, '\0') + static_cast<char>(content.size()) + content;
}

TEST(Frontend, SplitsTheAbiSectionAndLinkerExports) {
  const std::string header("\0asm\1\0\0\0", 8);
  // exports: "memory" (memory 0), "__heap_base" (global 1), "Run" (func 0)
  std::string exports;
  exports += '\3';
  exports += std::string("\6memory") + '\2' + '\0';
  exports += std::string("\13__heap_base") + '\3' + '\1';
  exports += std::string("\3Run") + '\0' + '\0';
  std::string module = header + custom("ward_abi", "{\"a\"}\n") + std::string(1, '\7') +
                       static_cast<char>(exports.size()) + exports + custom("other", "x") +
                       custom("ward_abi", "{\"b\"}\n");
  auto b = bytes_of(module);
  auto split = split_custom_section(b, "ward_abi");
  ASSERT_TRUE(split) << split.error().message;
  EXPECT_TRUE(split->found);
  EXPECT_EQ(split->section, "{\"a\"}\n{\"b\"}\n");
  std::string kept;
  kept += '\2';
  kept += std::string("\6memory") + '\2' + '\0';
  kept += std::string("\3Run") + '\0' + '\0';
  EXPECT_EQ(split->module, header + std::string(1, '\7') + static_cast<char>(kept.size()) + kept + custom("other", "x"));

  auto none = split_custom_section(bytes_of(header), "ward_abi");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->found);
  EXPECT_FALSE(split_custom_section(bytes_of("nope"), "ward_abi"));
  auto truncated = split_custom_section(bytes_of(header + std::string("\1\20", 2)), "ward_abi");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("offset 8"), std::string::npos);
}

}  // namespace
}  // namespace ward::build
