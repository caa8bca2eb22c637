// ward/chain/keystore.h — a folder of account keys, one JSON file per key
// (docs/tx-format.md section "Keystore files").
//
//   DIR/NAME.json   mode 0600, DIR created with mode 0700
//
// Encrypted file (default):
//   {"version":1,"name":..,"address":"0x..","public_key":hex,
//    "kdf":{"name":"argon2id","opslimit":N,"memlimit":N,"salt":hex},
//    "cipher":{"name":"xsalsa20poly1305","nonce":hex,"ciphertext":hex}}
// the 32-byte seed sealed with crypto_secretbox_easy under a key derived by
// crypto_pwhash (Argon2id v1.3) from the passphrase. A development key holds
// "plaintext_seed": hex instead of "kdf" and "cipher".
// Files are written to a temporary file (mkstemp) and then moved in place,
// so a reader never sees half a file.
// Thread-safety: none beyond the filesystem's own; one writer per folder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/crypto.h"
#include "util/result.h"

namespace ward::chain {

/// The public part of a stored key.
struct KeyInfo {
  std::string name;
  Address address{};       ///< address_of(public_key)
  PublicKey public_key{};
  bool encrypted = false;  ///< false: a plaintext development key
  std::string path;        ///< the key's file
};

/// Cost of the passphrase key derivation (crypto_pwhash, Argon2id v1.3).
struct KdfLimits {
  uint64_t opslimit;   ///< passes
  uint64_t memlimit;   ///< bytes
  /// crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (2 passes, 64 MiB): the default.
  static KdfLimits interactive();
  /// crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN: for tests only.
  static KdfLimits minimum();
};

/// Supplies the passphrase of an encrypted key, given its name; called only
/// when one is needed. An error (no terminal, say) is passed on as is.
using PassphraseProvider = std::function<Result<std::string>(const std::string& name)>;

class Keystore {
 public:
  /// A keystore in `dir`; the folder is created (mode 0700) on the first write.
  explicit Keystore(std::string dir, KdfLimits limits = KdfLimits::interactive());

  /// "$HOME/.ward/keys". Error when HOME is unset or empty (the message asks
  /// for --keystore).
  static Result<std::string> default_dir();
  /// Ok when `name` matches [A-Za-z0-9_.-]{1,64}; the error quotes the name.
  static Result<void> check_name(std::string_view name);

  const std::string& dir() const { return m_dir; }
  /// The file of key `name`: DIR/NAME.json.
  std::string path_of(const std::string& name) const;

  /// True when the file of key `name` exists (whatever its content).
  bool contains(const std::string& name) const;

  /// Generates a key and stores it, encrypted under `passphrase`, or in
  /// plaintext when nullopt. Errors: bad name, "key 'NAME' already exists in DIR",
  /// an empty passphrase, filesystem errors (naming the path).
  Result<KeyInfo> create(const std::string& name, const std::optional<std::string>& passphrase);
  /// Stores the key of `seed`; same errors as create.
  Result<KeyInfo> import(const std::string& name, const Seed& seed, const std::optional<std::string>& passphrase);
  /// Every key of the folder, sorted by name; an absent folder has none.
  /// Error when a NAME.json file is corrupt (naming the file and the field).
  Result<std::vector<KeyInfo>> list() const;
  /// The public part of key `name`, without decrypting anything. Errors:
  /// "no key 'NAME' in DIR", a corrupt file (naming the file and the field).
  Result<KeyInfo> show(const std::string& name) const;
  /// The key pair of `name`; `passphrase` is asked only for an encrypted key.
  /// Errors: those of show, "wrong passphrase for key 'NAME'", the provider's.
  Result<KeyPair> load(const std::string& name, const PassphraseProvider& passphrase) const;
  /// The seed of `name`. `passphrase` is ignored for a plaintext key; an
  /// encrypted key without one gives "key 'NAME' is encrypted: a passphrase is needed".
  Result<Seed> export_seed(const std::string& name, const std::optional<std::string>& passphrase) const;

 private:
  Result<KeyInfo> store(const std::string& name, const KeyPair& key, const std::optional<std::string>& passphrase);

  std::string m_dir;
  KdfLimits m_limits;
};

}  // namespace ward::chain
