// ward/host/ward_v1.cpp — the functions of import module `ward_v1`
// (docs/host-abi.md). Each one: checks sizes against runtime::Limits,
// charges its gas (host_table.cpp), bounds-checks every memory range, acts.
#include <algorithm>

#include "host/detail.h"

namespace ward::host::detail {

namespace {

uint32_t arg(const Value* args, int i) { return args[i].as_i32(); }

/// The storage key of the running contract for the key at [ptr, ptr+len).
std::string contract_storage_key(Call& c, uint32_t ptr, uint32_t len) {
  return state::storage_key(c.env().self, c.view(ptr, len));
}

}  // namespace

TrapKind env_string_size(HostCall& hc, Value* results, std::string CallEnv::*field) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  results[0] = Value::i32(static_cast<uint32_t>((c.env().*field).size()));
  return TrapKind::None;
}

TrapKind env_string_read(HostCall& hc, const Value* args, std::string CallEnv::*field) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  const uint32_t ptr = arg(args, 0);
  const std::string& s = c.env().*field;
  WARD_HOST_CHARGE(c, s.size());
  WARD_HOST_TRY(c.check_range(ptr, s.size()));
  if (!s.empty()) std::memcpy(c.at(ptr), s.data(), s.size());
  return TrapKind::None;
}

TrapKind input_size(HostCall& hc, const Value*, Value* results) { return env_string_size(hc, results, &CallEnv::input); }
TrapKind input_read(HostCall& hc, const Value* args, Value*) { return env_string_read(hc, args, &CallEnv::input); }
TrapKind method_size(HostCall& hc, const Value*, Value* results) { return env_string_size(hc, results, &CallEnv::method); }
TrapKind method_read(HostCall& hc, const Value* args, Value*) { return env_string_read(hc, args, &CallEnv::method); }

TrapKind result_write(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg(args, 0), len = arg(args, 1);
  if (len > c.limits().max_result_bytes) {
    return c.too_big("result", len, "max_result_bytes", c.limits().max_result_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  std::string_view text = c.view(ptr, len);
  WARD_HOST_TRY(check_output_json(c, text, "result"));
  c.env().result.assign(text);
  c.env().has_result = true;
  return TrapKind::None;
}

TrapKind revert(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg(args, 0), len = arg(args, 1);
  if (len > c.limits().max_host_arg_bytes) {
    return c.too_big("reason", len, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  if (!valid_utf8(c.view(ptr, len))) return c.fail("reason is not valid UTF-8");
  c.env().revert_reason.assign(c.view(ptr, len));
  c.ctx().message = c.env().revert_reason;
  return TrapKind::Revert;
}

TrapKind storage_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t kptr = arg(args, 0), klen = arg(args, 1), vptr = arg(args, 2), vcap = arg(args, 3);
  if (klen > c.limits().max_storage_key_bytes) {
    return c.too_big("key", klen, "max_storage_key_bytes", c.limits().max_storage_key_bytes);
  }
  WARD_HOST_CHARGE(c, klen);
  WARD_HOST_TRY(c.check_range(kptr, klen));
  WARD_HOST_TRY(c.check_range(vptr, vcap));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  AccessScope scope(c.env());
  auto value = c.env().state->get(contract_storage_key(c, kptr, klen));
  return finish_capped_read(c, value, vptr, vcap, results);
}

TrapKind storage_put(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t kptr = arg(args, 0), klen = arg(args, 1), vptr = arg(args, 2), vlen = arg(args, 3);
  if (klen > c.limits().max_storage_key_bytes) {
    return c.too_big("key", klen, "max_storage_key_bytes", c.limits().max_storage_key_bytes);
  }
  if (vlen > c.limits().max_storage_value_bytes) {
    return c.too_big("value", vlen, "max_storage_value_bytes", c.limits().max_storage_value_bytes);
  }
  WARD_HOST_CHARGE(c, uint64_t{klen} + vlen);
  WARD_HOST_TRY(c.check_range(kptr, klen));
  WARD_HOST_TRY(c.check_range(vptr, vlen));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  const std::string key = contract_storage_key(c, kptr, klen);
  // The pending entry and its undo copy each hold the key.
  WARD_HOST_TRY(check_tx_writes(c, 2 * uint64_t{key.size()} + vlen));
  AccessScope scope(c.env());
  c.env().state->put(key, c.view(vptr, vlen));
  return TrapKind::None;
}

TrapKind storage_delete(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t kptr = arg(args, 0), klen = arg(args, 1);
  if (klen > c.limits().max_storage_key_bytes) {
    return c.too_big("key", klen, "max_storage_key_bytes", c.limits().max_storage_key_bytes);
  }
  WARD_HOST_CHARGE(c, klen);
  WARD_HOST_TRY(c.check_range(kptr, klen));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  const std::string key = contract_storage_key(c, kptr, klen);
  WARD_HOST_TRY(check_tx_writes(c, 2 * uint64_t{key.size()}));
  AccessScope scope(c.env());
  c.env().state->del(key);
  return TrapKind::None;
}

namespace {

TrapKind write_address(HostCall& hc, const Value* args, bool self) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg(args, 0);
  const state::Address& a = self ? c.env().self : c.env().sender;
  WARD_HOST_CHARGE(c, a.size());
  WARD_HOST_TRY(c.check_range(ptr, a.size()));
  std::memcpy(c.at(ptr), a.data(), a.size());
  return TrapKind::None;
}

}  // namespace

TrapKind sender(HostCall& hc, const Value* args, Value*) { return write_address(hc, args, false); }
TrapKind self_address(HostCall& hc, const Value* args, Value*) { return write_address(hc, args, true); }

TrapKind block_height(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  results[0] = Value::i64(c.env().block_height);
  return TrapKind::None;
}

TrapKind block_time(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  results[0] = Value::i64(static_cast<uint64_t>(c.env().block_time));
  return TrapKind::None;
}

TrapKind gas_left(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  results[0] = Value::i64(c.ctx().gas_left);
  return TrapKind::None;
}

TrapKind log(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t nptr = arg(args, 0), nlen = arg(args, 1), dptr = arg(args, 2), dlen = arg(args, 3);
  const runtime::Limits& lim = c.limits();
  if (c.env().events.size() >= lim.max_events) {
    return c.fail("event " + std::to_string(c.env().events.size() + 1) + " exceeds max_events (" +
                  std::to_string(lim.max_events) + ")");
  }
  if (nlen > kMaxEventNameBytes) return c.too_big("name", nlen, "max_event_name_bytes", kMaxEventNameBytes);
  if (dlen > lim.max_host_arg_bytes) return c.too_big("data", dlen, "max_host_arg_bytes", lim.max_host_arg_bytes);
  WARD_HOST_CHARGE(c, uint64_t{nlen} + dlen);
  WARD_HOST_TRY(c.check_range(nptr, nlen));
  WARD_HOST_TRY(c.check_range(dptr, dlen));
  std::string_view name = c.view(nptr, nlen);
  if (name.empty()) return c.fail("event name is empty");
  if (!valid_utf8(name)) return c.fail("event name is not valid UTF-8");
  std::string_view data = c.view(dptr, dlen);
  WARD_HOST_TRY(check_output_json(c, data, "event data"));
  c.env().events.push_back(Event{std::string(name), std::string(data)});
  return TrapKind::None;
}

TrapKind debug_print(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg(args, 0), len = arg(args, 1);
  if (len > c.limits().max_host_arg_bytes) {
    return c.too_big("text", len, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  c.env().debug_line(c.view(ptr, len));
  return TrapKind::None;
}

}  // namespace ward::host::detail
