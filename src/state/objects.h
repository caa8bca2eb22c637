// ward/state/objects.h — objects and native balances in the key/value store
// (docs/host-abi.md, sections "Objects and ownership" and "State layout"):
//
//   o/<32-byte id>                              -> object record: contract (20 bytes) ‖ owner (20 bytes)
//   f/<32-byte id>/<field name>                 -> a field's value
//   i/<20-byte contract>/<20-byte owner>/<id>   -> "" (owner index: object_by_owner is a prefix scan)
//   g/<20-byte contract>                        -> objects the contract created, u64 big-endian (absent = 0)
//   b/<20-byte address>                         -> native balance, u64 big-endian (absent = 0)
//
// Ids: object_create's are sha256(contract ‖ u64be(counter)), counter from
// g/<contract> starting at 0; a contract's default object has id
// sha256("ward-default-object" ‖ contract).
// Thread-safety: helpers acting on the given Overlay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "state/layout.h"
#include "state/overlay.h"
#include "util/result.h"

namespace ward::state {

/// A 32-byte object id.
using ObjectId = Hash;

/// What the state knows of an object.
struct ObjectRecord {
  Address contract{};  ///< the contract that created it; only its code may change it
  Address owner{};     ///< the current owner
  bool operator==(const ObjectRecord&) const = default;
};

// --- keys ---
std::string object_key(const ObjectId& id);
/// Prefix of every field key of the object: "f/<id>/".
std::string object_field_prefix(const ObjectId& id);
std::string object_field_key(const ObjectId& id, std::string_view name);
/// Prefix of the owner index entries of `owner`'s objects of `contract`: "i/<contract>/<owner>/".
std::string owner_index_prefix(const Address& contract, const Address& owner);
std::string owner_index_key(const Address& contract, const Address& owner, const ObjectId& id);
std::string object_counter_key(const Address& contract);
std::string balance_key(const Address& addr);

/// The id of `contract`'s default object: sha256("ward-default-object" ‖ contract).
ObjectId default_object_id(const Address& contract);

/// True when code of contract `self`, in a call signed by `origin`, may
/// change the object: it is an object of `self`, owned by `self` or by `origin`.
bool may_change_object(const ObjectRecord& record, const Address& self, const Address& origin);

/// The object, nullopt when there is none. Errors: the store's, or
/// "corrupt object record of 0x<id>".
Result<std::optional<ObjectRecord>> get_object(Overlay& state, const ObjectId& id);
/// Creates an object of `contract` owned by `owner` with the next id of the
/// contract's counter (which goes up by one); returns the id.
Result<ObjectId> create_object(Overlay& state, const Address& contract, const Address& owner);
/// Creates `contract`'s default object, owned by the contract, unless it
/// exists already; returns its id. Called by deploy.
Result<ObjectId> create_default_object(Overlay& state, const Address& contract);
/// Gives the object (whose current record is `record`) to `new_owner`, moving its owner index entry.
void set_object_owner(Overlay& state, const ObjectId& id, const ObjectRecord& record, const Address& new_owner);
/// Bytes of the object's field names and values (what deleting them touches).
Result<uint64_t> object_fields_bytes(Overlay& state, const ObjectId& id);
/// Deletes the object (whose current record is `record`), its fields and its owner index entry.
Result<void> delete_object(Overlay& state, const ObjectId& id, const ObjectRecord& record);
/// The value of the object's field, nullopt when absent.
Result<std::optional<std::string>> get_object_field(Overlay& state, const ObjectId& id, std::string_view name);
void set_object_field(Overlay& state, const ObjectId& id, std::string_view name, std::string_view value);
/// The lowest id among `contract`'s objects owned by `owner`, nullopt when none.
Result<std::optional<ObjectId>> first_object_of_owner(Overlay& state, const Address& contract, const Address& owner);

// --- native balances ---
/// The balance of `addr` (0 when never set). Errors: the store's, or "corrupt balance of 0x<addr>".
Result<uint64_t> balance(Overlay& state, const Address& addr);
/// Sets the balance (a balance of 0 removes the key).
void set_balance(Overlay& state, const Address& addr, uint64_t amount);
/// Adds `amount` to the balance; false (and nothing changes) when it would pass UINT64_MAX.
Result<bool> credit(Overlay& state, const Address& addr, uint64_t amount);
/// Moves `amount` from `from` to `to`; false (and nothing changes) when
/// `from` holds less or `to`'s balance would pass UINT64_MAX. A transfer to
/// oneself changes nothing and succeeds when the balance covers it.
Result<bool> transfer(Overlay& state, const Address& from, const Address& to, uint64_t amount);

}  // namespace ward::state
