// Typed collections, closable iterators, payable methods and allocation
// failure in the C++ SDK (tests/golden/cases/collections.golden).
#include <ward/ward.h>

#include <vector>

namespace {
ward::Map<ward::Address, uint64_t> balances("bal");
ward::Map<uint64_t, std::string> notes("note");
}  // namespace

/// Credits `amount` to `who` in a typed map.
WARD_EXPORT uint64_t Credit(ward::Address who, uint64_t amount) {
  uint64_t v = balances.get_or(who, 0) + amount;
  balances.set(who, v);
  return v;
}

/// The balance of `who`, if any.
WARD_VIEW std::optional<uint64_t> BalanceOf(ward::Address who) { return balances.get(who); }

/// Sum of all balances, walking the typed map.
WARD_VIEW uint64_t Total() {
  uint64_t sum = 0;
  for (const auto& [who, amount] : balances.entries()) sum += amount;
  return sum;
}

/// Stores a note under a numeric id.
WARD_EXPORT bool Note(uint64_t id, std::string text) {
  notes.set(id, text);
  return true;
}

/// The notes with ids from `from` on, in numeric order.
WARD_VIEW std::vector<std::string> NotesFrom(uint64_t from) {
  std::vector<std::string> out;
  for (const auto& item : notes.entries_from(from)) out.push_back(item.value);
  return out;
}

/// Opens `n` prefix iterators one after another (each closed by its scope).
WARD_VIEW uint64_t ManyIterators(uint64_t n) {
  uint64_t seen = 0;
  for (uint64_t i = 0; i < n; ++i) {
    for (const auto& e : ward::storage::prefix("bal/")) {
      (void)e;
      ++seen;
      break;
    }
  }
  return seen;
}

/// Opens `n` iterators and keeps them all open (traps past the limit).
WARD_VIEW uint64_t OpenIterators(uint64_t n) {
  std::vector<ward::storage::Iterator> open;
  for (uint64_t i = 0; i < n; ++i) open.push_back(ward::storage::prefix("bal/"));
  return open.size();
}

/// Decodes an entry's value as a typed value: the first balance as u64.
WARD_VIEW uint64_t FirstBalanceRaw() {
  for (const auto& e : ward::storage::prefix("bal/")) return e.value_as<uint64_t>();
  return 0;
}

/// Accepts value: returns what was attached.
WARD_PAYABLE uint64_t Deposit() { return ward::ctx().value(); }

/// Not payable: a call with value reverts before this runs.
WARD_EXPORT uint64_t Plain() { return 1; }

/// Allocates `mib` MiB (more than linear memory can hold traps).
WARD_EXPORT uint64_t Allocate(uint64_t mib) {
  std::vector<char> big(static_cast<size_t>(mib) << 20, 'x');
  volatile char* p = big.data();
  p[big.size() - 1] = 'y';
  return big.size() + static_cast<unsigned char>(p[big.size() / 2]);
}
