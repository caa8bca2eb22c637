// `ward keys new|list|show|import|export`: the account keys of a keystore
// folder (chain/keystore.h; file format in docs/tx-format.md), and load_key()
// for the commands that sign with `--key NAME`.
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "chain/keystore.h"
#include "cli/commands.h"

namespace ward::cli {
namespace {

struct KeysOptions {
  std::string keystore;   ///< empty: the default folder
  std::string name;
  bool plaintext = false; ///< --insecure-plaintext
  std::string seed;       ///< import: 64 hex digits, or "-" for a line of stdin
};

constexpr const char* kPassphraseEnv = "WARD_PASSPHRASE";

Result<std::string> keystore_dir(const std::string& given) {
  if (!given.empty()) return given;
  return chain::Keystore::default_dir();
}

/// Reads one line from the controlling terminal with echo off.
Result<std::string> prompt_hidden(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return make_error(std::string("no passphrase: set ") + kPassphraseEnv + " or run on a terminal");
  termios saved{};
  if (::tcgetattr(fd, &saved) != 0) {
    ::close(fd);
    return make_error(std::string("no passphrase: set ") + kPassphraseEnv + " or run on a terminal");
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  (void)!::write(fd, prompt.data(), prompt.size());
  ::tcsetattr(fd, TCSANOW, &quiet);
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n' && c != '\r') line.push_back(c);
  ::tcsetattr(fd, TCSANOW, &saved);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  return line;
}

/// The passphrase from WARD_PASSPHRASE, else asked on the terminal (twice when `confirm`).
Result<std::string> get_passphrase(const std::string& prompt, bool confirm) {
  if (const char* env = std::getenv(kPassphraseEnv)) return std::string(env);
  auto pass = prompt_hidden(prompt);
  if (!pass || !confirm) return pass;
  auto again = prompt_hidden("Repeat the passphrase: ");
  if (!again) return again;
  const bool same = again.value() == pass.value();
  chain::secure_zero(again->data(), again->size());
  if (!same) return make_error("the passphrases differ");
  return pass;
}


nlohmann::ordered_json key_json(const chain::KeyInfo& k) {
  return {{"name", k.name},
          {"address", chain::format_address(k.address)},
          {"public_key", state::hex_encode(k.public_key)},
          {"storage", k.encrypted ? "encrypted" : "plaintext"},
          {"file", k.path}};
}

void print_key(const GlobalOptions& g, const chain::KeyInfo& k) {
  if (g.json) {
    std::cout << key_json(k).dump() << "\n";
    return;
  }
  std::cout << "name:       " << k.name << "\n"
            << "address:    " << chain::format_address(k.address) << "\n"
            << "public key: " << state::hex_encode(k.public_key) << "\n"
            << "storage:    " << (k.encrypted ? "encrypted" : "plaintext") << "\n"
            << "file:       " << k.path << "\n";
}

/// The passphrase of a new key, or nullopt for --insecure-plaintext. Checks
/// the name first, so nobody types a passphrase for a key that cannot be stored.
std::optional<std::string> new_passphrase(const chain::Keystore& ks, const KeysOptions& o) {
  if (auto ok = chain::Keystore::check_name(o.name); !ok) throw std::runtime_error(ok.error().message);
  if (ks.contains(o.name)) throw std::runtime_error("key '" + o.name + "' already exists in " + ks.dir());
  if (o.plaintext) {
    std::fprintf(stderr, "warning: key '%s' is stored unencrypted: use it for development only\n", o.name.c_str());
    return std::nullopt;
  }
  return unwrap(get_passphrase("Passphrase for the new key '" + o.name + "': ", /*confirm=*/true));
}

int cmd_keys_new(const GlobalOptions& g, const KeysOptions& o) {
  chain::Keystore ks(unwrap(keystore_dir(o.keystore)));
  std::optional<std::string> pass = new_passphrase(ks, o);
  auto info = ks.create(o.name, pass);
  if (pass) chain::secure_zero(pass->data(), pass->size());
  print_key(g, unwrap(std::move(info)));
  return 0;
}

chain::Seed parse_seed(std::string text) {
  if (text == "-") {
    if (!std::getline(std::cin, text)) throw std::runtime_error("--seed -: no line on standard input");
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  }
  std::string_view hex = text;
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  auto bytes = state::hex_decode(hex);
  if (!bytes || bytes->size() != 32) throw std::runtime_error("--seed must be 64 hex digits (a 32-byte Ed25519 seed)");
  chain::Seed seed{};
  std::copy(bytes->begin(), bytes->end(), seed.begin());
  chain::secure_zero(bytes->data(), bytes->size());
  return seed;
}

int cmd_keys_import(const GlobalOptions& g, const KeysOptions& o) {
  chain::Keystore ks(unwrap(keystore_dir(o.keystore)));
  chain::Seed seed = parse_seed(o.seed);
  std::optional<std::string> pass = new_passphrase(ks, o);
  auto info = ks.import(o.name, seed, pass);
  chain::secure_zero(seed.data(), seed.size());
  if (pass) chain::secure_zero(pass->data(), pass->size());
  print_key(g, unwrap(std::move(info)));
  return 0;
}

int cmd_keys_list(const GlobalOptions& g, const KeysOptions& o) {
  chain::Keystore ks(unwrap(keystore_dir(o.keystore)));
  const auto keys = unwrap(ks.list());
  if (g.json) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& k : keys) arr.push_back(key_json(k));
    std::cout << arr.dump() << "\n";
    return 0;
  }
  if (keys.empty()) std::fprintf(stderr, "no keys in %s\n", ks.dir().c_str());
  for (const auto& k : keys)
    std::printf("%-24s %s %s\n", k.name.c_str(), chain::format_address(k.address).c_str(),
                k.encrypted ? "encrypted" : "plaintext");
  return 0;
}

int cmd_keys_show(const GlobalOptions& g, const KeysOptions& o) {
  chain::Keystore ks(unwrap(keystore_dir(o.keystore)));
  print_key(g, unwrap(ks.show(o.name)));
  return 0;
}

int cmd_keys_export(const GlobalOptions& g, const KeysOptions& o) {
  chain::Keystore ks(unwrap(keystore_dir(o.keystore)));
  const chain::KeyInfo info = unwrap(ks.show(o.name));
  std::optional<std::string> pass;
  if (info.encrypted) pass = unwrap(get_passphrase("Passphrase for key '" + o.name + "': ", /*confirm=*/false));
  chain::Seed seed = unwrap(ks.export_seed(o.name, pass));
  if (pass) chain::secure_zero(pass->data(), pass->size());
  const std::string hex = state::hex_encode(seed);
  chain::secure_zero(seed.data(), seed.size());
  if (g.json)
    std::cout << nlohmann::ordered_json{{"name", o.name}, {"seed", hex}}.dump() << "\n";
  else
    std::cout << hex << "\n";
  return 0;
}

}  // namespace

Result<chain::KeyPair> load_key(const std::string& keystore, const std::string& name) {
  auto dir = keystore_dir(keystore);
  if (!dir) return dir.error();
  chain::Keystore ks(dir.value());
  return ks.load(name, [](const std::string& key_name) {
    return get_passphrase("Passphrase for key '" + key_name + "': ", /*confirm=*/false);
  });
}

std::function<std::optional<int>()> add_keys_commands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<KeysOptions>();
  auto* keys = app.add_subcommand("keys", "Manage account keys (a keystore folder, default ~/.ward/keys)");
  keys->require_subcommand(1);
  const auto common = [&](CLI::App* c) {
    c->add_option("--keystore", o->keystore, "keystore folder (default: ~/.ward/keys)");
    c->add_flag("--json", g.json, "print JSON");
  };
  auto* c_new = keys->add_subcommand("new", "Generate a key (passphrase from WARD_PASSPHRASE or the terminal)");
  c_new->add_option("NAME", o->name, "key name: 1 to 64 of A-Z a-z 0-9 _ . -")->required();
  c_new->add_flag("--insecure-plaintext", o->plaintext, "store the key unencrypted (development only)");
  common(c_new);
  auto* c_list = keys->add_subcommand("list", "List the keys: name, address, encrypted or plaintext");
  common(c_list);
  auto* c_show = keys->add_subcommand("show", "Show a key's address and public key");
  c_show->add_option("NAME", o->name, "key name")->required();
  common(c_show);
  auto* c_import = keys->add_subcommand("import", "Store an existing Ed25519 seed under a name");
  c_import->add_option("NAME", o->name, "key name")->required();
  c_import->add_option("--seed", o->seed, "the 32-byte seed as 64 hex digits, or - to read it from stdin")->required();
  c_import->add_flag("--insecure-plaintext", o->plaintext, "store the key unencrypted (development only)");
  common(c_import);
  auto* c_export = keys->add_subcommand("export", "Print a key's seed (hex) on stdout");
  c_export->add_option("NAME", o->name, "key name")->required();
  common(c_export);

  return [=, &g]() -> std::optional<int> {
    if (!*keys) return std::nullopt;
    if (*c_new) return cmd_keys_new(g, *o);
    if (*c_list) return cmd_keys_list(g, *o);
    if (*c_show) return cmd_keys_show(g, *o);
    if (*c_import) return cmd_keys_import(g, *o);
    if (*c_export) return cmd_keys_export(g, *o);
    return std::nullopt;
  };
}

}  // namespace ward::cli
