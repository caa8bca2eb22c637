// ward/chain/keystore.cpp — key files: Argon2id + XSalsa20-Poly1305 through
// libsodium, JSON through nlohmann (parsed without exceptions), atomic writes.
#include "chain/keystore.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

namespace ward::chain {
namespace {

using Json = nlohmann::json;

constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr size_t kNonceBytes = crypto_secretbox_NONCEBYTES;
constexpr size_t kCipherBytes = sizeof(Seed) + crypto_secretbox_MACBYTES;

std::string errno_text() { return std::strerror(errno); }

/// The fields of a key file, checked.
struct KeyFile {
  KeyInfo info;
  Seed plain{};  ///< plaintext keys only
  uint64_t opslimit = 0, memlimit = 0;
  std::array<uint8_t, kSaltBytes> salt{};
  std::array<uint8_t, kNonceBytes> nonce{};
  std::array<uint8_t, kCipherBytes> ciphertext{};
};

/// Reads the fields of a key file, naming the file and the field on errors.
class FieldReader {
 public:
  explicit FieldReader(const std::string& path) : m_path(path) {}

  Error bad(const std::string& field, const std::string& why) const {
    return make_error("key file " + m_path + ": field '" + field + "' " + why);
  }
  Result<const Json*> member(const Json& obj, const char* key, const std::string& field) const {
    auto it = obj.find(key);
    if (it == obj.end()) return bad(field, "is missing");
    return &*it;
  }
  Result<std::string> text(const Json& obj, const char* key, const std::string& field) const {
    auto m = member(obj, key, field);
    if (!m) return m.error();
    if (!m.value()->is_string()) return bad(field, "is not a string");
    return m.value()->get<std::string>();
  }
  Result<uint64_t> number(const Json& obj, const char* key, const std::string& field) const {
    auto m = member(obj, key, field);
    if (!m) return m.error();
    if (!m.value()->is_number_unsigned()) return bad(field, "is not a non-negative integer");
    return m.value()->get<uint64_t>();
  }
  template <size_t N>
  Result<std::array<uint8_t, N>> hex(const Json& obj, const char* key, const std::string& field) const {
    auto t = text(obj, key, field);
    if (!t) return t.error();
    auto bytes = state::hex_decode(t.value());
    if (!bytes || bytes->size() != N) return bad(field, "is not hex of " + std::to_string(N) + " bytes");
    std::array<uint8_t, N> out{};
    std::memcpy(out.data(), bytes->data(), N);
    return out;
  }

 private:
  std::string m_path;
};

#define WARD_KS_TRY(var, expr)          \
  auto var##_r = (expr);                \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(var##_r.value())

Result<KeyFile> parse_key_file(const std::string& name, const std::string& path, const std::string& text) {
  const FieldReader f(path);
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error("key file " + path + ": not a JSON object");
  KeyFile kf;
  kf.info.name = name;
  kf.info.path = path;
  WARD_KS_TRY(version, f.number(j, "version", "version"));
  if (version != 1) return f.bad("version", "is " + std::to_string(version) + ", expected 1");
  WARD_KS_TRY(pk, f.hex<32>(j, "public_key", "public_key"));
  kf.info.public_key = pk;
  kf.info.address = address_of(pk);
  WARD_KS_TRY(address, f.text(j, "address", "address"));
  if (parse_address(address) != kf.info.address) return f.bad("address", "does not match public_key");

  const bool has_plain = j.contains("plaintext_seed");
  if (has_plain) {
    if (j.contains("kdf") || j.contains("cipher")) return f.bad("plaintext_seed", "is set together with kdf/cipher");
    WARD_KS_TRY(seed, f.hex<32>(j, "plaintext_seed", "plaintext_seed"));
    kf.plain = seed;
    return kf;
  }
  kf.info.encrypted = true;
  WARD_KS_TRY(kdf, f.member(j, "kdf", "kdf"));
  if (!kdf->is_object()) return f.bad("kdf", "is not an object");
  WARD_KS_TRY(kdf_name, f.text(*kdf, "name", "kdf.name"));
  if (kdf_name != "argon2id") return f.bad("kdf.name", "is '" + kdf_name + "', expected 'argon2id'");
  WARD_KS_TRY(ops, f.number(*kdf, "opslimit", "kdf.opslimit"));
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE)
    return f.bad("kdf.opslimit", "is " + std::to_string(ops) + ", outside [" + std::to_string(crypto_pwhash_OPSLIMIT_MIN) +
                                     ", " + std::to_string(crypto_pwhash_OPSLIMIT_SENSITIVE) + "]");
  WARD_KS_TRY(mem, f.number(*kdf, "memlimit", "kdf.memlimit"));
  if (mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
    return f.bad("kdf.memlimit", "is " + std::to_string(mem) + ", outside [" + std::to_string(crypto_pwhash_MEMLIMIT_MIN) +
                                     ", " + std::to_string(crypto_pwhash_MEMLIMIT_SENSITIVE) + "]");
  kf.opslimit = ops;
  kf.memlimit = mem;
  WARD_KS_TRY(salt, f.hex<kSaltBytes>(*kdf, "salt", "kdf.salt"));
  kf.salt = salt;
  WARD_KS_TRY(cipher, f.member(j, "cipher", "cipher"));
  if (!cipher->is_object()) return f.bad("cipher", "is not an object");
  WARD_KS_TRY(cipher_name, f.text(*cipher, "name", "cipher.name"));
  if (cipher_name != "xsalsa20poly1305")
    return f.bad("cipher.name", "is '" + cipher_name + "', expected 'xsalsa20poly1305'");
  WARD_KS_TRY(nonce, f.hex<kNonceBytes>(*cipher, "nonce", "cipher.nonce"));
  kf.nonce = nonce;
  WARD_KS_TRY(ct, f.hex<kCipherBytes>(*cipher, "ciphertext", "cipher.ciphertext"));
  kf.ciphertext = ct;
  return kf;
}

/// The secretbox key derived from a passphrase (crypto_pwhash, Argon2id v1.3).
Result<std::array<uint8_t, crypto_secretbox_KEYBYTES>> derive_key(const std::string& passphrase, const uint8_t* salt,
                                                                   uint64_t opslimit, uint64_t memlimit) {
  std::array<uint8_t, crypto_secretbox_KEYBYTES> key{};
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt, opslimit,
                    static_cast<size_t>(memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error("key derivation failed (argon2id with " + std::to_string(memlimit) + " bytes: out of memory?)");
  return key;
}

Result<std::string> read_whole(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error("cannot read " + path + ": " + errno_text());
  std::string data;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = errno_text();
      ::close(fd);
      return make_error("cannot read " + path + ": " + why);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > (1u << 20)) {
      ::close(fd);
      return make_error("key file " + path + ": larger than 1 MiB");
    }
  }
  ::close(fd);
  return data;
}

/// Creates `dir` and its missing parents with mode 0700.
Result<void> make_dirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string part = dir.substr(0, i);
    if (::mkdir(part.c_str(), 0700) == 0) {
      ::chmod(part.c_str(), 0700);  // in case the umask removed owner bits
    } else if (errno != EEXIST) {
      return make_error("cannot create folder " + part + ": " + errno_text());
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return make_error(dir + " is not a folder");
  return {};
}

Result<void> write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot write " + path + ": " + errno_text());
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return make_error("cannot write " + path + ": " + errno_text());
  return {};
}

/// Writes `data` to `path` (mode 0600) through a temporary file in the same
/// folder, then moves it in place without replacing an existing file.
Result<void> write_new_file(const std::string& dir, const std::string& path, const std::string& name,
                            const std::string& data) {
  std::string tmp = dir + "/." + name + ".json.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return make_error("cannot create a temporary file in " + dir + ": " + errno_text());
  auto written = write_all(fd, data, tmp);
  if (written && ::fchmod(fd, 0600) != 0) written = make_error("cannot chmod " + tmp + ": " + errno_text());
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  // link() fails with EEXIST instead of replacing; rename() when links are unsupported.
  if (::link(tmp.c_str(), path.c_str()) == 0) {
    ::unlink(tmp.c_str());
  } else {
    const int link_errno = errno;
    if (link_errno == EEXIST || ::access(path.c_str(), F_OK) == 0) {
      ::unlink(tmp.c_str());
      return make_error("key '" + name + "' already exists in " + dir);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const std::string why = errno_text();
      ::unlink(tmp.c_str());
      return make_error("cannot move " + tmp + " to " + path + ": " + why);
    }
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace

KdfLimits KdfLimits::interactive() { return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE}; }
KdfLimits KdfLimits::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Keystore::Keystore(std::string dir, KdfLimits limits) : m_dir(std::move(dir)), m_limits(limits) {
  while (m_dir.size() > 1 && m_dir.back() == '/') m_dir.pop_back();
}

Result<std::string> Keystore::default_dir() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return make_error("HOME is not set: give the keystore folder with --keystore DIR");
  return std::string(home) + "/.ward/keys";
}

Result<void> Keystore::check_name(std::string_view name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
  if (!ok) return make_error("bad key name '" + std::string(name) + "': use 1 to 64 of A-Z a-z 0-9 _ . -");
  return {};
}

std::string Keystore::path_of(const std::string& name) const { return m_dir + "/" + name + ".json"; }

bool Keystore::contains(const std::string& name) const {
  return check_name(name).ok() && ::access(path_of(name).c_str(), F_OK) == 0;
}

Result<KeyInfo> Keystore::create(const std::string& name, const std::optional<std::string>& passphrase) {
  if (!sodium_ready()) return make_error("libsodium failed to initialise");
  return store(name, KeyPair::generate(), passphrase);
}

Result<KeyInfo> Keystore::import(const std::string& name, const Seed& seed, const std::optional<std::string>& passphrase) {
  if (!sodium_ready()) return make_error("libsodium failed to initialise");
  return store(name, KeyPair::from_seed(seed), passphrase);
}

Result<KeyInfo> Keystore::store(const std::string& name, const KeyPair& key, const std::optional<std::string>& passphrase) {
  if (auto ok = check_name(name); !ok) return ok.error();
  if (passphrase && passphrase->empty())
    return make_error("empty passphrase: give one, or store a plaintext development key");
  const std::string path = path_of(name);
  if (contains(name)) return make_error("key '" + name + "' already exists in " + m_dir);

  KeyInfo info{name, address_of(key.public_key), key.public_key, passphrase.has_value(), path};
  nlohmann::ordered_json j = {{"version", 1},
                              {"name", name},
                              {"address", format_address(info.address)},
                              {"public_key", state::hex_encode(key.public_key)}};
  if (!passphrase) {
    j["plaintext_seed"] = state::hex_encode(key.seed);
  } else {
    std::array<uint8_t, kSaltBytes> salt{};
    std::array<uint8_t, kNonceBytes> nonce{};
    std::array<uint8_t, kCipherBytes> ct{};
    randombytes_buf(salt.data(), salt.size());
    randombytes_buf(nonce.data(), nonce.size());
    auto box_key = derive_key(*passphrase, salt.data(), m_limits.opslimit, m_limits.memlimit);
    if (!box_key) return box_key.error();
    crypto_secretbox_easy(ct.data(), key.seed.data(), key.seed.size(), nonce.data(), box_key->data());
    sodium_memzero(box_key->data(), box_key->size());
    j["kdf"] = {{"name", "argon2id"}, {"opslimit", m_limits.opslimit}, {"memlimit", m_limits.memlimit},
                {"salt", state::hex_encode(salt)}};
    j["cipher"] = {{"name", "xsalsa20poly1305"}, {"nonce", state::hex_encode(nonce)}, {"ciphertext", state::hex_encode(ct)}};
  }
  std::string text = j.dump(2) + "\n";
  if (auto ok = make_dirs(m_dir); !ok) return ok.error();
  auto written = write_new_file(m_dir, path, name, text);
  sodium_memzero(text.data(), text.size());
  if (!written) return written.error();
  return info;
}

Result<std::vector<KeyInfo>> Keystore::list() const {
  std::vector<KeyInfo> keys;
  DIR* d = ::opendir(m_dir.c_str());
  if (!d) {
    if (errno == ENOENT) return keys;
    return make_error("cannot read folder " + m_dir + ": " + errno_text());
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string file = e->d_name;
    constexpr std::string_view kExt = ".json";
    if (file.size() <= kExt.size() || file.compare(file.size() - kExt.size(), kExt.size(), kExt) != 0) continue;
    std::string name = file.substr(0, file.size() - kExt.size());
    if (check_name(name)) names.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto info = show(name);
    if (!info) return info.error();
    keys.push_back(std::move(info.value()));
  }
  return keys;
}

Result<KeyInfo> Keystore::show(const std::string& name) const {
  if (auto ok = check_name(name); !ok) return ok.error();
  const std::string path = path_of(name);
  if (::access(path.c_str(), F_OK) != 0) return make_error("no key '" + name + "' in " + m_dir);
  auto text = read_whole(path);
  if (!text) return text.error();
  auto kf = parse_key_file(name, path, text.value());
  if (!kf) return kf.error();
  return kf->info;
}

Result<Seed> Keystore::export_seed(const std::string& name, const std::optional<std::string>& passphrase) const {
  if (auto ok = check_name(name); !ok) return ok.error();
  const std::string path = path_of(name);
  if (::access(path.c_str(), F_OK) != 0) return make_error("no key '" + name + "' in " + m_dir);
  auto text = read_whole(path);
  if (!text) return text.error();
  auto parsed = parse_key_file(name, path, text.value());
  sodium_memzero(text->data(), text->size());
  if (!parsed) return parsed.error();
  KeyFile& kf = parsed.value();
  Seed seed{};
  if (!kf.info.encrypted) {
    seed = kf.plain;
    sodium_memzero(kf.plain.data(), kf.plain.size());
  } else {
    if (!passphrase) return make_error("key '" + name + "' is encrypted: a passphrase is needed");
    if (!sodium_ready()) return make_error("libsodium failed to initialise");
    auto box_key = derive_key(*passphrase, kf.salt.data(), kf.opslimit, kf.memlimit);
    if (!box_key) return box_key.error();
    const int rc = crypto_secretbox_open_easy(seed.data(), kf.ciphertext.data(), kf.ciphertext.size(), kf.nonce.data(),
                                              box_key->data());
    sodium_memzero(box_key->data(), box_key->size());
    if (rc != 0) return make_error("wrong passphrase for key '" + name + "'");
  }
  if (KeyPair::from_seed(seed).public_key != kf.info.public_key) {
    sodium_memzero(seed.data(), seed.size());
    return make_error("key file " + path + ": field 'public_key' does not match the key's seed");
  }
  return seed;
}

Result<KeyPair> Keystore::load(const std::string& name, const PassphraseProvider& passphrase) const {
  auto info = show(name);
  if (!info) return info.error();
  std::optional<std::string> pass;
  if (info->encrypted) {
    if (!passphrase) return make_error("key '" + name + "' is encrypted: a passphrase is needed");
    auto given = passphrase(name);
    if (!given) return given.error();
    pass = std::move(given.value());
  }
  auto seed = export_seed(name, pass);
  if (pass) sodium_memzero(pass->data(), pass->size());
  if (!seed) return seed.error();
  KeyPair kp = KeyPair::from_seed(seed.value());
  sodium_memzero(seed->data(), seed->size());
  return kp;
}

}  // namespace ward::chain
