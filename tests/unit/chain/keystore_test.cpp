// The keystore: encrypted and plaintext key files, names, modes, overwrite
// refusal, wrong passphrases and corrupt files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "chain/keystore.h"

namespace ward::chain {
namespace {

namespace fs = std::filesystem;

class KeystoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_root = fs::temp_directory_path() / ("ward-keystore-" + std::to_string(rd()) + std::to_string(rd()));
    m_dir = (m_root / "nested" / "keys").string();
  }
  void TearDown() override { fs::remove_all(m_root); }

  Keystore store() const { return Keystore(m_dir, KdfLimits::minimum()); }
  static PassphraseProvider give(std::string pass) {
    return [pass](const std::string&) -> Result<std::string> { return pass; };
  }
  nlohmann::json read_json(const std::string& name) const {
    std::ifstream in(m_dir + "/" + name + ".json");
    std::stringstream ss;
    ss << in.rdbuf();
    return nlohmann::json::parse(ss.str());
  }
  void write_json(const std::string& name, const std::string& text) const {
    std::ofstream(m_dir + "/" + name + ".json", std::ios::trunc) << text;
  }
  static unsigned mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  fs::path m_root;
  std::string m_dir;
};

Seed test_seed() {
  Seed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(i + 1);
  return s;
}

TEST_F(KeystoreTest, EncryptedRoundTrip) {
  Keystore ks = store();
  auto info = ks.create("alice", std::string("correct horse"));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_TRUE(info->encrypted);
  EXPECT_EQ(info->address, address_of(info->public_key));
  EXPECT_EQ(info->path, m_dir + "/alice.json");

  auto kp = ks.load("alice", give("correct horse"));
  ASSERT_TRUE(kp) << kp.error().message;
  EXPECT_EQ(kp->public_key, info->public_key);
  auto seed = ks.export_seed("alice", std::string("correct horse"));
  ASSERT_TRUE(seed);
  EXPECT_EQ(KeyPair::from_seed(seed.value()).public_key, info->public_key);

  const auto j = read_json("alice");
  EXPECT_EQ(j.at("version"), 1);
  EXPECT_EQ(j.at("name"), "alice");
  EXPECT_EQ(j.at("address"), format_address(info->address));
  EXPECT_EQ(j.at("public_key"), state::hex_encode(info->public_key));
  EXPECT_EQ(j.at("kdf").at("name"), "argon2id");
  EXPECT_EQ(j.at("kdf").at("salt").get<std::string>().size(), 32u);
  EXPECT_EQ(j.at("cipher").at("name"), "xsalsa20poly1305");
  EXPECT_EQ(j.at("cipher").at("nonce").get<std::string>().size(), 48u);
  EXPECT_EQ(j.at("cipher").at("ciphertext").get<std::string>().size(), 96u);
  EXPECT_FALSE(j.contains("plaintext_seed"));
  // The seed appears nowhere in the file.
  std::ifstream in(info->path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str().find(state::hex_encode(seed.value())), std::string::npos);
}

TEST_F(KeystoreTest, DefaultKdfIsInteractive) {
  Keystore ks(m_dir);
  ASSERT_TRUE(ks.import("k", test_seed(), std::string("pw")));
  const auto j = read_json("k");
  EXPECT_EQ(j.at("kdf").at("opslimit").get<uint64_t>(), KdfLimits::interactive().opslimit);
  EXPECT_EQ(j.at("kdf").at("memlimit").get<uint64_t>(), KdfLimits::interactive().memlimit);
  auto seed = ks.export_seed("k", std::string("pw"));
  ASSERT_TRUE(seed) << seed.error().message;
  EXPECT_EQ(seed.value(), test_seed());
}

TEST_F(KeystoreTest, PlaintextRoundTrip) {
  Keystore ks = store();
  auto info = ks.import("dev.key-1", test_seed(), std::nullopt);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_FALSE(info->encrypted);
  EXPECT_EQ(info->public_key, KeyPair::from_seed(test_seed()).public_key);
  bool asked = false;
  auto kp = ks.load("dev.key-1", [&](const std::string&) -> Result<std::string> { asked = true; return std::string(); });
  ASSERT_TRUE(kp);
  EXPECT_FALSE(asked);
  EXPECT_EQ(kp->seed, test_seed());
  EXPECT_EQ(ks.export_seed("dev.key-1", std::nullopt).value(), test_seed());
  const auto j = read_json("dev.key-1");
  EXPECT_EQ(j.at("plaintext_seed"), state::hex_encode(test_seed()));
  EXPECT_FALSE(j.contains("kdf"));
  EXPECT_FALSE(j.contains("cipher"));
}

TEST_F(KeystoreTest, WrongPassphrase) {
  Keystore ks = store();
  ASSERT_TRUE(ks.import("bob", test_seed(), std::string("right")));
  auto kp = ks.load("bob", give("wrong"));
  ASSERT_FALSE(kp);
  EXPECT_EQ(kp.error().message, "wrong passphrase for key 'bob'");
  auto seed = ks.export_seed("bob", std::nullopt);
  ASSERT_FALSE(seed);
  EXPECT_NE(seed.error().message.find("a passphrase is needed"), std::string::npos);
  auto failing = ks.load("bob", [](const std::string&) -> Result<std::string> { return make_error("no terminal"); });
  ASSERT_FALSE(failing);
  EXPECT_EQ(failing.error().message, "no terminal");
  EXPECT_FALSE(ks.create("empty", std::string("")));
}

TEST_F(KeystoreTest, Names) {
  Keystore ks = store();
  for (const char* bad : {"", "a/b", "../x", "a b", "naïve", "x\n", "a:b"}) {
    auto r = ks.create(bad, std::nullopt);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("bad key name"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(Keystore::check_name(std::string(65, 'a')));
  EXPECT_TRUE(Keystore::check_name(std::string(64, 'a')));
  EXPECT_TRUE(Keystore::check_name("A-z_0.9"));
  EXPECT_FALSE(ks.show("a/b"));
  auto missing = ks.show("nobody");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no key 'nobody'"), std::string::npos);
}

TEST_F(KeystoreTest, ModesAndAtomicWrite) {
  Keystore ks = store();
  ASSERT_TRUE(ks.create("m", std::nullopt));
  EXPECT_EQ(mode_of(m_dir), 0700u);
  EXPECT_EQ(mode_of((m_root / "nested").string()), 0700u);
  EXPECT_EQ(mode_of(m_dir + "/m.json"), 0600u);
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(m_dir)) {
    ++files;
    EXPECT_EQ(e.path().filename(), "m.json");
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(KeystoreTest, RefusesToOverwrite) {
  Keystore ks = store();
  auto first = ks.create("same", std::nullopt);
  ASSERT_TRUE(first);
  auto second = ks.import("same", test_seed(), std::string("pw"));
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(ks.show("same")->public_key, first->public_key);
}

TEST_F(KeystoreTest, ListSortedWithoutSecrets) {
  Keystore ks = store();
  EXPECT_TRUE(ks.list()->empty());  // no folder yet
  ASSERT_TRUE(ks.create("zed", std::nullopt));
  ASSERT_TRUE(ks.create("amy", std::string("pw")));
  std::ofstream(m_dir + "/notes.txt") << "ignored";
  std::ofstream(m_dir + "/bad name.json") << "ignored: not a key name";
  auto keys = ks.list();
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].name, "amy");
  EXPECT_TRUE((*keys)[0].encrypted);
  EXPECT_EQ((*keys)[1].name, "zed");
  EXPECT_FALSE((*keys)[1].encrypted);
}

TEST_F(KeystoreTest, CorruptFiles) {
  Keystore ks = store();
  ASSERT_TRUE(ks.import("enc", test_seed(), std::string("pw")));
  ASSERT_TRUE(ks.import("plain", test_seed(), std::nullopt));
  const auto enc = read_json("enc");
  const auto plain = read_json("plain");
  const std::string path = m_dir + "/x.json";
  auto expect_corrupt = [&](const nlohmann::json& j, const std::string& field) {
    write_json("x", j.dump());
    auto r = ks.load("x", give("pw"));
    ASSERT_FALSE(r) << field;
    EXPECT_NE(r.error().message.find(path), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("'" + field + "'"), std::string::npos) << r.error().message;
  };
  { auto j = enc; j.erase("public_key"); expect_corrupt(j, "public_key"); }
  { auto j = enc; j["version"] = 2; expect_corrupt(j, "version"); }
  { auto j = enc; j["address"] = "0x" + std::string(40, '0'); expect_corrupt(j, "address"); }
  { auto j = enc; j["kdf"]["salt"] = "abcd"; expect_corrupt(j, "kdf.salt"); }
  { auto j = enc; j["kdf"]["name"] = "scrypt"; expect_corrupt(j, "kdf.name"); }
  { auto j = enc; j["kdf"]["memlimit"] = uint64_t{1} << 40; expect_corrupt(j, "kdf.memlimit"); }
  { auto j = enc; j["kdf"]["opslimit"] = "2"; expect_corrupt(j, "kdf.opslimit"); }
  { auto j = enc; j.erase("cipher"); expect_corrupt(j, "cipher"); }
  { auto j = enc; j["cipher"]["nonce"] = "zz"; expect_corrupt(j, "cipher.nonce"); }
  { auto j = enc; j["cipher"]["ciphertext"] = std::string(94, 'a'); expect_corrupt(j, "cipher.ciphertext"); }
  { auto j = plain; j["plaintext_seed"] = std::string(63, '1'); expect_corrupt(j, "plaintext_seed"); }
  { auto j = plain; j["kdf"] = enc["kdf"]; expect_corrupt(j, "plaintext_seed"); }
  {  // a seed that is not the one of the public key
    auto j = plain;
    j["plaintext_seed"] = std::string(64, '7');
    expect_corrupt(j, "public_key");
  }
  write_json("x", "{not json");
  auto r = ks.show("x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(path), std::string::npos);
  auto listed = ks.list();
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message.find(path), std::string::npos);
}

TEST(KeystoreDefaultDir, NeedsHome) {
  const char* saved = std::getenv("HOME");
  const std::string home = saved ? saved : "";
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(Keystore::default_dir().value(), "/home/someone/.ward/keys");
  ::unsetenv("HOME");
  auto r = Keystore::default_dir();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--keystore"), std::string::npos);
  if (saved) ::setenv("HOME", home.c_str(), 1);
}

}  // namespace
}  // namespace ward::chain
