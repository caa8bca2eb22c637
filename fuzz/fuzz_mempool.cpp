// libFuzzer target: mempool admission, ordering, replacement and eviction
// (node/mempool.h) against a reference model.
//
// The input is a program: byte 0 picks the mempool options (tiny, default-
// like, tight), then operations follow, each an opcode byte and its operands
// (mempool_program.h). Transactions reach Mempool::add three ways: raw input
// bytes; a template transaction (one per action type) with fuzzed nonce, gas,
// expiry, chain id and padding, signed by one of three keys and then
// optionally damaged (bit flip, truncation, extra byte), so both the valid
// and the bad-signature paths run; and input bytes that decode as a
// transaction, re-signed with a key. The account function is a fake whose
// nonces and balances the program changes (and which can fail, as a storage
// fault would).
//
// WARD_FUZZ_VERBOSE=1 prints what each add() answered.
//
// Checked after every operation (abort on violation; an exception escaping
// is a crash too):
//   - size() and bytes() equal the count and the byte sum of the
//     transactions add() accepted that contains() still reports, within
//     max_count and max_bytes; at most one transaction per sender and nonce;
//   - add() accepting returns sha256 of the transaction bytes, and the pool
//     then contains it; what it pushed out (eviction) paid a lower gas price;
//   - add() refusing leaves the pool unchanged, with a documented kind;
//   - select() returns exactly what the documented order gives: per sender
//     consecutive nonces from the account's next nonce, across senders
//     highest gas price first, then earliest arrival; at most `max`;
//   - remove() and prune_stale() remove what they must and nothing else.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "chain/tx.h"
#include "node/mempool.h"
#include "mempool_program.h"
#include "node_fixture.h"

namespace {

using namespace ward;
using chain::Hash;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_mempool: invariant violated: %s\n", what.c_str());
  std::abort();
}

constexpr uint64_t kMinGasPrice = 1;
constexpr uint64_t kBlockGasLimit = 10'000'000;
constexpr size_t kKeys = 3;

using namespace ward::fuzz;  // the opcodes (mempool_program.h)

/// Reads operands from the front of the input; zeros past its end.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}
  bool empty() const { return m_pos >= m_size; }
  uint8_t u8() { return m_pos < m_size ? m_data[m_pos++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  std::string_view bytes(size_t n) {
    n = std::min(n, m_size - std::min(m_pos, m_size));
    std::string_view out(reinterpret_cast<const char*>(m_data + m_pos), n);
    m_pos += n;
    return out;
  }

 private:
  const uint8_t* m_data;
  size_t m_size;
  size_t m_pos = 0;
};

struct Tracked {
  chain::Address sender{};
  uint64_t nonce = 0;
  uint64_t gas_price = 0;
  size_t bytes = 0;
  uint64_t arrival = 0;
};

struct Account {
  node::AccountView view{0, 1'000'000'000'000ull};
  bool fails = false;
};

const node::MempoolOptions& options_of(uint8_t choice) {
  static const node::MempoolOptions kOptions[] = {
      {4, 1500, 1200, 3, 20, 10},
      {16, 64u << 10, 5u << 20, 16, 3600, 10},
      {3, 100'000, 400, 2, 5, 0},
  };
  return kOptions[choice % 3];
}

const std::set<std::string>& kinds() {
  static const std::set<std::string> k = {"undecodable", "bad_signature", "wrong_chain", "expired", "expiry_too_far",
                                          "nonce_too_low", "nonce_too_high", "gas_price_too_low",
                                          "gas_limit_too_high", "insufficient_balance", "too_large", "duplicate",
                                          "underpriced_replacement", "mempool_full", "storage_fault"};
  return k;
}

struct Harness {
  explicit Harness(uint8_t config)
      : options(options_of(config)),
        pool(options, fuzz::kFuzzChainId, [this](const chain::Address& a) -> Result<node::AccountView> {
          auto it = accounts.find(a);
          if (it == accounts.end()) return node::AccountView{0, 0};
          if (it->second.fails) return make_error("storage fault: injected");
          return it->second.view;
        }) {
    static const std::vector<chain::KeyPair> k = {fuzz::fuzz_key(1), fuzz::fuzz_key(2), fuzz::fuzz_key(3)};
    keys = &k;
    for (const auto& key : k) accounts[chain::address_of(key.public_key)] = Account{};
  }

  node::MempoolOptions options;
  std::map<chain::Address, Account> accounts;
  node::Mempool pool;
  const std::vector<chain::KeyPair>* keys = nullptr;
  uint64_t head = 100;
  uint64_t arrivals = 0;
  std::map<Hash, Tracked> tracked;  ///< accepted and (as far as we know) still held
  std::vector<std::string> given;   ///< bytes given to add(), for kReAdd

  const chain::KeyPair& key(uint8_t i) const { return (*keys)[i % kKeys]; }
  Account& account(const chain::KeyPair& k) { return accounts[chain::address_of(k.public_key)]; }
  bool any_fault() const {
    for (const auto& [a, acc] : accounts) {
      if (acc.fails) return true;
    }
    return false;
  }

  std::set<Hash> held() {
    std::set<Hash> out;
    for (const auto& [h, t] : tracked) {
      if (pool.contains(h)) out.insert(h);
    }
    return out;
  }

  /// The global invariants; drops tracked entries the pool no longer holds.
  void check() {
    size_t count = 0, bytes = 0;
    std::set<std::pair<chain::Address, uint64_t>> slots;
    for (auto it = tracked.begin(); it != tracked.end();) {
      if (!pool.contains(it->first)) {
        it = tracked.erase(it);
        continue;
      }
      ++count;
      bytes += it->second.bytes;
      if (!slots.insert({it->second.sender, it->second.nonce}).second) fail("two transactions with one sender and nonce");
      ++it;
    }
    if (pool.size() != count) {
      fail("size() " + std::to_string(pool.size()) + " but " + std::to_string(count) + " accepted transactions held");
    }
    if (pool.bytes() != bytes) {
      fail("bytes() " + std::to_string(pool.bytes()) + " but the held transactions have " + std::to_string(bytes));
    }
    if (count > options.max_count) fail("more than max_count transactions");
    if (bytes > options.max_bytes) fail("more than max_bytes bytes");
  }

  void add(std::string bytes) {
    if (given.size() < 32) given.push_back(bytes);
    const std::set<Hash> before = held();
    const size_t size_before = pool.size(), bytes_before = pool.bytes();
    auto r = pool.add(bytes, head, kMinGasPrice, kBlockGasLimit);
    static const bool verbose = std::getenv("WARD_FUZZ_VERBOSE") != nullptr;
    if (verbose) {
      const auto* rej = std::get_if<node::Rejection>(&r);
      std::fprintf(stderr, "add(%zu bytes): %s\n", bytes.size(),
                   rej ? (rej->kind + ": " + rej->message).c_str() : "accepted");
    }
    if (const auto* rej = std::get_if<node::Rejection>(&r)) {
      if (!kinds().count(rej->kind)) fail("undocumented rejection kind '" + rej->kind + "'");
      if (rej->message.empty()) fail("rejection without a message");
      if (held() != before || pool.size() != size_before || pool.bytes() != bytes_before) {
        fail("add() refused a transaction (" + rej->kind + ": " + rej->message + ") but changed the pool");
      }
      return;
    }
    const Hash h = std::get<Hash>(r);
    auto stx = chain::decode_signed(bytes);
    if (!stx) fail("add() accepted undecodable bytes");
    if (h != stx.value().hash) fail("add() returned another hash than the transaction's");
    if (!pool.contains(h)) fail("add() accepted a transaction the pool does not contain");
    if (before.count(h)) fail("add() accepted a transaction the pool already held");
    const chain::Transaction& tx = stx.value().tx;
    Tracked t{chain::sender(tx), tx.nonce, tx.gas_price, bytes.size(), arrivals++};
    // Whatever left the pool was the same sender's same nonce (replaced) or cheaper (evicted).
    for (const Hash& old : before) {
      if (pool.contains(old)) continue;
      const Tracked& o = tracked.at(old);
      const bool replaced = o.sender == t.sender && o.nonce == t.nonce;
      if (replaced && t.gas_price <= o.gas_price) fail("a replacement did not pay more");
      if (!replaced && o.gas_price >= t.gas_price) fail("evicted a transaction paying at least as much");
    }
    tracked[h] = t;
  }

  void add_derived(Input& in) {
    const chain::KeyPair& k = key(in.u8());
    const uint8_t which = in.u8();
    const int8_t nonce_delta = static_cast<int8_t>(in.u8());
    const uint8_t price = in.u8();
    const uint8_t gas = in.u8();
    const int8_t expiry_delta = static_cast<int8_t>(in.u8());
    const uint8_t flags = in.u8();
    static const uint64_t kPrices[] = {0, 1, 2, 9, 10, 11, 12, 100, 110, 111, 1000, UINT64_MAX};
    static const uint64_t kGas[] = {0, 1, 21'000, 1'000'000, kBlockGasLimit, kBlockGasLimit + 1, UINT64_MAX};

    std::vector<chain::Transaction> templates = fuzz::template_transactions(head);
    chain::Transaction tx = templates[which % templates.size()];
    const uint64_t next = account(k).view.nonce;
    tx.nonce = nonce_delta < 0 && static_cast<uint64_t>(-nonce_delta) > next ? 0 : next + nonce_delta;
    tx.gas_price = price < 192 ? kPrices[price % std::size(kPrices)] : price - 190;
    tx.gas_limit = kGas[gas % std::size(kGas)];
    tx.expiry_height = static_cast<uint64_t>(static_cast<int64_t>(head) + expiry_delta);
    if (flags & 1) tx.chain_id = "ward-other";
    if (flags & 2) {  // grow the transaction (byte limits)
      const size_t pad = static_cast<size_t>(in.u8()) * 16;
      if (auto* d = std::get_if<chain::DeployAction>(&tx.action)) d->code.append(pad, '\0');
      if (auto* c = std::get_if<chain::CallAction>(&tx.action)) c->args = "\"" + std::string(pad, 'x') + "\"";
      if (auto* u = std::get_if<chain::UpgradeAction>(&tx.action)) u->code.append(pad, '\0');
    }
    std::string bytes = chain::encode_signed(chain::sign_transaction(tx, k));
    if (flags & 4) {  // damage one byte: a bad signature, or undecodable
      const size_t at = in.u16() % bytes.size();
      const uint8_t x = in.u8();
      bytes[at] = static_cast<char>(bytes[at] ^ (x == 0 ? 1 : x));
    }
    if (flags & 8) bytes.resize(in.u16() % (bytes.size() + 1));
    if (flags & 16) bytes.push_back(static_cast<char>(in.u8()));
    add(std::move(bytes));
  }

  void add_resigned(Input& in) {
    const chain::KeyPair& k = key(in.u8());
    const std::string_view raw = in.bytes(in.u16());
    auto tx = chain::decode_transaction(raw);
    if (!tx) {
      add(std::string(raw) + std::string(chain::kSignatureBytes, '\0'));
      return;
    }
    add(chain::encode_signed(chain::sign_transaction(tx.value(), k)));
  }

  /// The block order select() must give, from the model.
  std::vector<Hash> expected_selection(size_t max) {
    std::map<std::pair<chain::Address, uint64_t>, Hash> by_sender;
    for (const auto& [h, t] : tracked) by_sender[{t.sender, t.nonce}] = h;
    auto better = [&](const Hash& a, const Hash& b) {  // a goes before b
      const Tracked &x = tracked.at(a), &y = tracked.at(b);
      if (x.gas_price != y.gas_price) return x.gas_price > y.gas_price;
      return x.arrival < y.arrival;
    };
    std::vector<Hash> heads;
    std::set<chain::Address> senders;
    for (const auto& [slot, h] : by_sender) senders.insert(slot.first);
    for (const auto& s : senders) {
      auto it = accounts.find(s);
      const uint64_t next = it == accounts.end() ? 0 : it->second.view.nonce;
      if (auto f = by_sender.find({s, next}); f != by_sender.end()) heads.push_back(f->second);
    }
    std::vector<Hash> out;
    while (!heads.empty() && out.size() < max) {
      auto best = std::min_element(heads.begin(), heads.end(), better);
      const Hash h = *best;
      heads.erase(best);
      out.push_back(h);
      const Tracked& t = tracked.at(h);
      if (t.nonce == UINT64_MAX) continue;
      if (auto f = by_sender.find({t.sender, t.nonce + 1}); f != by_sender.end()) heads.push_back(f->second);
    }
    return out;
  }

  void select(size_t max) {
    auto got = pool.select(max);
    if (any_fault()) return;  // an account read may fail: an error or a partial view, both allowed
    if (!got) fail("select() failed without a storage fault: " + got.error().message);
    std::vector<Hash> hashes;
    for (const auto& in : got.value()) {
      hashes.push_back(in.hash);
      if (!tracked.count(in.hash)) fail("select() returned a transaction that add() never accepted");
      const size_t n = in.stored.size() - std::min(in.stored.size(), chain::kSignatureBytes);
      if (chain::tx_hash(std::string_view(in.stored).substr(0, n)) != in.hash) fail("selected hash != tx_hash(stored)");
      if (in.sender != chain::sender(in.tx)) fail("selected sender != sender(tx)");
    }
    if (hashes.size() > max) fail("select() returned more than max");
    if (hashes != expected_selection(max)) {
      fail("select(" + std::to_string(max) + ") returned " + std::to_string(hashes.size()) +
           " transactions not in the documented order/set (model: " + std::to_string(expected_selection(max).size()) +
           ")");
    }
  }

  void remove(Input& in) {
    const uint8_t n = in.u8() % 8;
    std::vector<Hash> all;
    for (const auto& [h, t] : tracked) all.push_back(h);
    std::vector<Hash> gone;
    for (uint8_t i = 0; i < n; ++i) {
      const uint8_t pick = in.u8();
      if (all.empty()) continue;
      gone.push_back(all[pick % all.size()]);
    }
    if (n > 0 && (in.u8() & 1)) gone.push_back(Hash{});  // a hash never added
    const std::set<Hash> before = held();
    pool.remove(gone);
    for (const Hash& h : gone) {
      if (pool.contains(h)) fail("remove() left a transaction in the pool");
    }
    for (const Hash& h : before) {
      if (!pool.contains(h) && std::find(gone.begin(), gone.end(), h) == gone.end()) fail("remove() removed another transaction");
    }
  }

  void prune() {
    const std::set<Hash> before = held();
    pool.prune_stale();
    for (const Hash& h : before) {
      const Tracked& t = tracked.at(h);
      auto it = accounts.find(t.sender);
      const bool fails = it != accounts.end() && it->second.fails;
      const uint64_t next = it == accounts.end() ? 0 : it->second.view.nonce;
      const bool stale = !fails && t.nonce < next;
      if (stale == pool.contains(h)) fail(stale ? "prune_stale() kept a stale transaction" : "prune_stale() removed a live transaction");
    }
  }

  void set_account(Input& in) {
    Account& acc = account(key(in.u8()));
    acc.view.nonce += in.u8() % 4;
    const uint8_t b = in.u8();
    static const uint64_t kBalances[] = {0, 1'000, 1'000'000, 10'000'000, 1'000'000'000'000ull, UINT64_MAX};
    acc.view.balance = kBalances[(b & 0x7f) % std::size(kBalances)];
    acc.fails = (b & 0x80) != 0;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  Harness h(in.u8());
  for (int steps = 0; !in.empty() && steps < 64; ++steps) {
    switch (in.u8() % kOpCount) {
      case kAddRaw:
        h.add(std::string(in.bytes(in.u16())));
        break;
      case kAddDerived:
        h.add_derived(in);
        break;
      case kAddResigned:
        h.add_resigned(in);
        break;
      case kSelect:
        h.select(in.u8() % 24);
        break;
      case kRemove:
        h.remove(in);
        break;
      case kPrune:
        h.prune();
        break;
      case kAccount:
        h.set_account(in);
        break;
      case kHead:
        h.head += in.u8();
        break;
      case kReAdd: {
        const uint8_t i = in.u8();
        if (!h.given.empty()) h.add(h.given[i % h.given.size()]);
        break;
      }
      default:
        break;
    }
    h.check();
  }
  h.select(SIZE_MAX);
  h.check();
  return 0;
}
