// Objects and balances in the state (state/objects.h): ids, default object,
// owner index, permission rule, delete, balances and transfer.
#include <gtest/gtest.h>

#include "state/kv_store.h"
#include "state/objects.h"

namespace ward::state {
namespace {

Address addr(uint8_t last) {
  Address a{};
  a[19] = last;
  return a;
}

class StateObjects : public ::testing::Test {
 protected:
  MemoryStore store;
  Overlay o{store};
  Address contract = addr(0xc0), alice = addr(0xa1), bob = addr(0xb0);
};

TEST_F(StateObjects, IdsFollowTheCounterAndTheDefaultIdIsDerived) {
  auto first = create_object(o, contract, alice);
  auto second = create_object(o, contract, alice);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first.value(), sha256(as_string(contract) + encode_u64(0)));
  EXPECT_EQ(second.value(), sha256(as_string(contract) + encode_u64(1)));
  EXPECT_EQ(default_object_id(contract), sha256("ward-default-object" + as_string(contract)));

  auto def = create_default_object(o, contract);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def.value(), default_object_id(contract));
  auto rec = get_object(o, def.value());
  ASSERT_TRUE(rec.ok() && rec.value());
  EXPECT_EQ(*rec.value(), (ObjectRecord{contract, contract}));
  // Idempotent: a second call keeps the object (and its owner) as it is.
  set_object_owner(o, def.value(), *rec.value(), alice);
  ASSERT_TRUE(create_default_object(o, contract).ok());
  EXPECT_EQ(get_object(o, def.value()).value()->owner, alice);
}

TEST_F(StateObjects, OwnerIndexFollowsOwnerChangesAndDeletes) {
  ObjectId a = create_object(o, contract, alice).value();
  ObjectId b = create_object(o, contract, alice).value();
  ObjectId lower = std::min(a, b), higher = std::max(a, b);
  EXPECT_EQ(first_object_of_owner(o, contract, alice).value(), lower);
  EXPECT_FALSE(first_object_of_owner(o, addr(0xee), alice).value()) << "per contract";

  ObjectRecord rec = *get_object(o, lower).value();
  set_object_owner(o, lower, rec, bob);
  EXPECT_EQ(first_object_of_owner(o, contract, alice).value(), higher);
  EXPECT_EQ(first_object_of_owner(o, contract, bob).value(), lower);

  set_object_field(o, lower, "name", "value");
  set_object_field(o, lower, "n2", "vv");
  EXPECT_EQ(object_fields_bytes(o, lower).value(), 4u + 5u + 2u + 2u);
  ASSERT_TRUE(delete_object(o, lower, *get_object(o, lower).value()).ok());
  EXPECT_FALSE(get_object(o, lower).value());
  EXPECT_FALSE(get_object_field(o, lower, "name").value());
  EXPECT_FALSE(first_object_of_owner(o, contract, bob).value());
  ASSERT_TRUE(o.commit().ok());
  for (const auto& [k, v] : store.contents()) {
    EXPECT_NE(k.substr(0, 2 + 32), object_field_prefix(lower).substr(0, 34)) << "field left behind";
  }
}

TEST_F(StateObjects, PermissionRule) {
  Address self = contract, origin = alice;
  EXPECT_TRUE(may_change_object(ObjectRecord{self, self}, self, origin));
  EXPECT_TRUE(may_change_object(ObjectRecord{self, origin}, self, origin));
  EXPECT_FALSE(may_change_object(ObjectRecord{self, bob}, self, origin));
  EXPECT_FALSE(may_change_object(ObjectRecord{addr(0xee), origin}, self, origin)) << "another contract's object";
  EXPECT_FALSE(may_change_object(ObjectRecord{addr(0xee), self}, self, origin));
}

TEST_F(StateObjects, CorruptRecordIsAnError) {
  ObjectId id{};
  o.put(object_key(id), "short");
  auto r = get_object(o, id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "corrupt object record of 0x" + hex_encode(id));
}

TEST_F(StateObjects, BalancesAndTransfer) {
  EXPECT_EQ(balance(o, alice).value(), 0u);
  ASSERT_TRUE(credit(o, alice, 100).value());
  EXPECT_EQ(balance(o, alice).value(), 100u);
  EXPECT_EQ(o.get(balance_key(alice)).value(), encode_u64(100));

  EXPECT_TRUE(transfer(o, alice, bob, 30).value());
  EXPECT_EQ(balance(o, alice).value(), 70u);
  EXPECT_EQ(balance(o, bob).value(), 30u);

  EXPECT_FALSE(transfer(o, alice, bob, 71).value()) << "short";
  EXPECT_EQ(balance(o, alice).value(), 70u);
  EXPECT_EQ(balance(o, bob).value(), 30u);

  EXPECT_TRUE(transfer(o, alice, alice, 70).value());
  EXPECT_FALSE(transfer(o, alice, alice, 71).value());
  EXPECT_EQ(balance(o, alice).value(), 70u);

  set_balance(o, bob, UINT64_MAX - 10);
  EXPECT_FALSE(transfer(o, alice, bob, 11).value()) << "recipient overflow";
  EXPECT_EQ(balance(o, alice).value(), 70u);
  EXPECT_TRUE(transfer(o, alice, bob, 10).value());
  EXPECT_EQ(balance(o, bob).value(), UINT64_MAX);
  EXPECT_FALSE(credit(o, bob, 1).value());
  EXPECT_EQ(balance(o, bob).value(), UINT64_MAX);

  EXPECT_TRUE(transfer(o, alice, bob, 0).value());
  set_balance(o, alice, 0);
  EXPECT_FALSE(o.get(balance_key(alice)).value()) << "a zero balance has no key";

  o.put(balance_key(alice), "bad");
  EXPECT_FALSE(balance(o, alice).ok());
}

}  // namespace
}  // namespace ward::state
