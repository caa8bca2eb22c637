// Host object functions: ids, default object, the permission rule (owner may
// change, non-owner traps and changes nothing, a transferred default object
// is out of the contract's reach), owner lookups, fields, delete, gas,
// bounds checks.
#include "host_fixture.h"

#include "state/layout.h"
#include "state/objects.h"

namespace ward::host::testing {
namespace {

constexpr uint32_t kId = 100, kOwner = 200, kName = 300, kVal = 400, kOut = 600;

class ObjectsTest : public HostTest {
 protected:
  ObjectsTest() {
    other[19] = 0x77;
    third[19] = 0x33;
    origin_addr[19] = 0x0a;
    env.origin = origin_addr;
  }
  void poke_addr(uint32_t at, const state::Address& a) { poke(at, state::as_string(a)); }
  void poke_id(uint32_t at, const state::ObjectId& id) { poke(at, state::as_string(id)); }
  state::ObjectId create_owned_by(const state::Address& owner) {
    poke_addr(kOwner, owner);
    EXPECT_EQ(ward("object_create", {kOwner, kOut}), TrapKind::None) << ctx.message;
    state::ObjectId id;
    std::memcpy(id.data(), mem->data() + kOut, 32);
    return id;
  }
  TrapKind set_field(uint32_t id_len, std::string_view name, std::string_view value) {
    poke(kName, name);
    poke(kVal, value);
    return ward("object_set_field", {kId, id_len, kName, name.size(), kVal, value.size()});
  }
  int32_t get_field(uint32_t id_len, std::string_view name, std::string* value) {
    poke(kName, name);
    Value r[1];
    EXPECT_EQ(ward("object_get_field", {kId, id_len, kName, name.size(), kVal, 100}, r), TrapKind::None)
        << ctx.message;
    auto n = static_cast<int32_t>(r[0].as_i32());
    if (n >= 0 && value) *value = peek(kVal, std::min(n, 100));
    return n;
  }
  std::string perm_error(const char* fn, const state::ObjectId& id, const state::Address& owner) {
    return std::string(fn) + ": permission denied: object 0x" + state::hex_encode(id) + " is owned by 0x" +
           state::hex_encode(owner);
  }
  state::Address other{}, third{}, origin_addr{};
};

TEST_P(ObjectsTest, CreateWritesSequentialIdsAndIndexesTheOwner) {
  state::ObjectId a = create_owned_by(env.sender);
  state::ObjectId b = create_owned_by(env.sender);
  EXPECT_EQ(a, state::sha256(state::as_string(env.self) + state::encode_u64(0)));
  EXPECT_EQ(b, state::sha256(state::as_string(env.self) + state::encode_u64(1)));
  Value r[1];
  poke_addr(kOwner, env.sender);
  ASSERT_EQ(ward("object_by_owner", {kOwner, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 1u);
  EXPECT_EQ(peek(kOut, 32), state::as_string(std::min(a, b)));
  poke_addr(kOwner, third);
  ASSERT_EQ(ward("object_by_owner", {kOwner, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);

  poke_id(kId, a);
  ASSERT_EQ(ward("object_exists", {kId, 32}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 1u);
  ASSERT_EQ(ward("object_owner", {kId, 32, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  EXPECT_EQ(peek(kOut, 20), state::as_string(env.sender));
  poke_id(kId, state::ObjectId{});
  ASSERT_EQ(ward("object_exists", {kId, 32}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  ASSERT_EQ(ward("object_owner", {kId, 32, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), static_cast<uint32_t>(-1));
}

TEST_P(ObjectsTest, DefaultObjectIsTheEmptyIdAndBelongsToTheContract) {
  Value r[1];
  ASSERT_EQ(ward("object_exists", {kId, 0}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u) << "not created yet";
  ASSERT_TRUE(state::create_default_object(overlay, env.self).ok());
  ASSERT_EQ(ward("object_exists", {kId, 0}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 1u);
  ASSERT_EQ(ward("object_owner", {kId, 0, kOut}, r), TrapKind::None);
  EXPECT_EQ(peek(kOut, 20), state::as_string(env.self));

  ASSERT_EQ(set_field(0, "name", "\"ward\""), TrapKind::None) << ctx.message;
  std::string v;
  EXPECT_EQ(get_field(0, "name", &v), 6);
  EXPECT_EQ(v, "\"ward\"");
  // The same object through its full id.
  poke_id(kId, state::default_object_id(env.self));
  EXPECT_EQ(get_field(32, "name", &v), 6);
  EXPECT_EQ(get_field(32, "other", &v), -1);
}

TEST_P(ObjectsTest, OriginOwnedObjectCanBeChanged) {
  state::ObjectId id = create_owned_by(origin_addr);
  poke_id(kId, id);
  EXPECT_EQ(set_field(32, "k", "1"), TrapKind::None) << ctx.message;
  poke_addr(kOwner, third);
  EXPECT_EQ(ward("object_set_owner", {kId, 32, kOwner}), TrapKind::None) << ctx.message;
  Value r[1];
  ASSERT_EQ(ward("object_owner", {kId, 32, kOut}, r), TrapKind::None);
  EXPECT_EQ(peek(kOut, 20), state::as_string(third));
  // The index moved with the owner.
  poke_addr(kOwner, origin_addr);
  ASSERT_EQ(ward("object_by_owner", {kOwner, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  poke_addr(kOwner, third);
  ASSERT_EQ(ward("object_by_owner", {kOwner, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 1u);
}

TEST_P(ObjectsTest, NonOwnerTrapsAndChangesNothing) {
  state::ObjectId id = create_owned_by(third);  // neither self nor origin (nor the sender)
  poke_id(kId, id);
  state::WriteBatch before = overlay.to_batch();
  auto writes_before = env.access.writes;

  EXPECT_EQ(set_field(32, "k", "1"), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_set_field", id, third));
  poke_addr(kOwner, origin_addr);
  EXPECT_EQ(ward("object_set_owner", {kId, 32, kOwner}), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_set_owner", id, third));
  EXPECT_EQ(ward("object_delete", {kId, 32}), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_delete", id, third));

  EXPECT_EQ(overlay.to_batch().ops().size(), before.ops().size());
  for (size_t i = 0; i < before.ops().size(); ++i) {
    EXPECT_EQ(overlay.to_batch().ops()[i].key, before.ops()[i].key);
    EXPECT_EQ(overlay.to_batch().ops()[i].value, before.ops()[i].value);
  }
  EXPECT_EQ(env.access.writes, writes_before);
  std::string v;
  EXPECT_EQ(get_field(32, "k", &v), -1) << "reading is allowed";
}

TEST_P(ObjectsTest, SenderAloneGivesNoPermission) {
  env.origin = origin_addr;
  state::ObjectId id = create_owned_by(env.sender);  // owned by the sender, which is not the origin
  poke_id(kId, id);
  EXPECT_EQ(set_field(32, "k", "1"), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_set_field", id, env.sender));
  env.origin.reset();  // origin defaults to the sender
  EXPECT_EQ(set_field(32, "k", "1"), TrapKind::None) << ctx.message;
}

TEST_P(ObjectsTest, TransferredDefaultObjectCanNoLongerBeChanged) {
  ASSERT_TRUE(state::create_default_object(overlay, env.self).ok());
  ASSERT_EQ(set_field(0, "k", "1"), TrapKind::None);
  poke_addr(kOwner, third);
  ASSERT_EQ(ward("object_set_owner", {kId, 0, kOwner}), TrapKind::None) << ctx.message;
  state::ObjectId id = state::default_object_id(env.self);
  EXPECT_EQ(set_field(0, "k", "2"), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_set_field", id, third));
  poke_addr(kOwner, env.self);
  EXPECT_EQ(ward("object_set_owner", {kId, 0, kOwner}), TrapKind::Host) << "cannot take it back";
  EXPECT_EQ(ward("object_delete", {kId, 0}), TrapKind::Host);
  std::string v;
  EXPECT_EQ(get_field(0, "k", &v), 1);
  EXPECT_EQ(v, "1");
}

TEST_P(ObjectsTest, ObjectsOfOtherContractsAreReadOnly) {
  auto id = state::create_object(overlay, other, origin_addr);  // owned by our origin, but not ours
  ASSERT_TRUE(id.ok());
  state::set_object_field(overlay, id.value(), "k", "theirs");
  poke_id(kId, id.value());
  std::string v;
  EXPECT_EQ(get_field(32, "k", &v), 6);
  EXPECT_EQ(v, "theirs");
  EXPECT_EQ(set_field(32, "k", "ours"), TrapKind::Host);
  EXPECT_EQ(ctx.message, perm_error("object_set_field", id.value(), origin_addr));
  EXPECT_EQ(ward("object_delete", {kId, 32}), TrapKind::Host);
  // object_by_owner only looks at the running contract's objects.
  Value r[1];
  poke_addr(kOwner, origin_addr);
  ASSERT_EQ(ward("object_by_owner", {kOwner, kOut}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
}

TEST_P(ObjectsTest, MissingObjectTrapsOnChange) {
  state::ObjectId id{};
  id[0] = 1;
  poke_id(kId, id);
  EXPECT_EQ(set_field(32, "k", "1"), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_set_field: object 0x" + state::hex_encode(id) + " does not exist");
  std::string v;
  EXPECT_EQ(get_field(32, "k", &v), -1);
}

TEST_P(ObjectsTest, DeleteRemovesFieldsAndChargesTheirBytes) {
  state::ObjectId id = create_owned_by(env.self);
  poke_id(kId, id);
  ASSERT_EQ(set_field(32, "ab", "123"), TrapKind::None);
  ASSERT_EQ(set_field(32, "c", "4567"), TrapKind::None);
  uint64_t before = used();
  ASSERT_EQ(ward("object_delete", {kId, 32}), TrapKind::None) << ctx.message;
  EXPECT_EQ(used() - before, cost("ward_v1", "object_delete", 2 + 3 + 1 + 4));
  Value r[1];
  ASSERT_EQ(ward("object_exists", {kId, 32}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  std::string v;
  EXPECT_EQ(get_field(32, "ab", &v), -1);
  int fields = 0;
  ASSERT_TRUE(overlay.scan_prefix(state::object_field_prefix(id), [&](std::string_view, std::string_view) {
    ++fields;
    return true;
  }).ok());
  EXPECT_EQ(fields, 0);
}

TEST_P(ObjectsTest, GasOfFieldFunctions) {
  ASSERT_TRUE(state::create_default_object(overlay, env.self).ok());
  uint64_t before = used();
  ASSERT_EQ(set_field(0, "name", "12345"), TrapKind::None);
  EXPECT_EQ(used() - before, cost("ward_v1", "object_set_field", 4 + 5));
  before = used();
  std::string v;
  ASSERT_EQ(get_field(0, "name", &v), 5);
  EXPECT_EQ(used() - before, cost("ward_v1", "object_get_field", 4 + 5));
  before = used();
  ASSERT_EQ(get_field(0, "none", &v), -1);
  EXPECT_EQ(used() - before, cost("ward_v1", "object_get_field", 4));
}

TEST_P(ObjectsTest, SizeChecksAndBoundsTrap) {
  ASSERT_TRUE(state::create_default_object(overlay, env.self).ok());
  const uint32_t end = static_cast<uint32_t>(mem->size_bytes());
  Value r[1];
  EXPECT_EQ(ward("object_exists", {kId, 5}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_exists: id of 5 bytes: an object id is 32 bytes (0 for the default object)");
  EXPECT_EQ(ward("object_exists", {end - 16, 32}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_exists: out of bounds memory range [" + std::to_string(end - 16) + ", " +
                             std::to_string(end + 16) + ") (memory is 65536 bytes)");
  EXPECT_EQ(ward("object_owner", {kId, 0, end - 10}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_owner", {kId, 31, kOut}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_create", {end - 10, kOut}), TrapKind::Host);
  EXPECT_EQ(ward("object_create", {kOwner, end - 31}), TrapKind::Host);
  EXPECT_EQ(ward("object_by_owner", {end - 19, kOut}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_by_owner", {kOwner, end - 31}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_get_field", {kId, 0, kName, 4, end - 10, 11}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_get_field", {kId, 0, end - 2, 4, kVal, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("object_get_field", {kId, 0, kName, 0, kVal, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_get_field: field name is empty");
  EXPECT_EQ(ward("object_get_field", {kId, 0, kName, 257, kVal, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_get_field: field name of 257 bytes exceeds max_object_field_name_bytes (256)");
  EXPECT_EQ(ward("object_set_field", {kId, 0, kName, 4, end - 2, 4}), TrapKind::Host);
  EXPECT_EQ(ward("object_set_field", {kId, 0, end - 2, 4, kVal, 1}), TrapKind::Host);
  EXPECT_EQ(ward("object_set_field", {kId, 0, kName, 4, kVal, limits.max_storage_value_bytes + 1}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_set_field: value of 1048577 bytes exceeds max_storage_value_bytes (1048576)");
  EXPECT_EQ(ward("object_set_owner", {kId, 0, end - 19}), TrapKind::Host);
  EXPECT_EQ(ward("object_set_owner", {end, 32, kOwner}), TrapKind::Host);
  EXPECT_EQ(ward("object_delete", {end - 1, 32}), TrapKind::Host);
  EXPECT_EQ(ward("object_delete", {kId, 33}), TrapKind::Host);
  Value exists[1];
  ASSERT_EQ(ward("object_exists", {kId, 0}, exists), TrapKind::None);
  EXPECT_EQ(exists[0].as_i32(), 1u) << "nothing was deleted";
  std::string v;
  EXPECT_EQ(get_field(0, "name", &v), -1) << "nothing was written";
}

WARD_INSTANTIATE_BACKENDS(ObjectsTest);

}  // namespace
}  // namespace ward::host::testing
