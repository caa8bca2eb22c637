// ward/host/context.cpp — `ward_v1` functions of the call's context beyond
// ward_v1.cpp: origin, call_value, native balances, and cross-contract calls
// (`call` hands the request to CallEnv::call_contract; docs/host-abi.md).
#include <algorithm>

#include "host/detail.h"
#include "state/objects.h"

namespace ward::host::detail {

TrapKind origin(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0);
  const state::Address& a = c.env().origin_address();
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(ptr, a.size()));
  std::memcpy(c.at(ptr), a.data(), a.size());
  return TrapKind::None;
}

TrapKind call_value(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  results[0] = Value::i64(c.env().value);
  return TrapKind::None;
}

TrapKind balance(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0);
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(ptr, 20));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  AccessScope scope(c.env());
  auto b = state::balance(*c.env().state, load_address(c, ptr));
  if (!b) return c.fail("storage error: " + b.error().message);
  results[0] = Value::i64(b.value());
  return TrapKind::None;
}

TrapKind transfer(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0);
  uint64_t amount = args[1].as_i64();
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(ptr, 20));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  WARD_HOST_TRY(check_tx_writes(c, 2 * kSmallWriteBytes));  // two balances
  AccessScope scope(c.env());
  auto moved = state::transfer(*c.env().state, c.env().self, load_address(c, ptr), amount);
  if (!moved) return c.fail("storage error: " + moved.error().message);
  results[0] = Value::i32(moved.value() ? 0 : 1);
  return TrapKind::None;
}

TrapKind call(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t aptr = arg_u32(args, 0), mptr = arg_u32(args, 1), mlen = arg_u32(args, 2);
  uint32_t jptr = arg_u32(args, 3), jlen = arg_u32(args, 4);
  uint64_t value = args[5].as_i64(), gas = args[6].as_i64();
  if (mlen > kMaxMethodNameBytes) return c.too_big("method", mlen, "max_method_name_bytes", kMaxMethodNameBytes);
  if (jlen > c.limits().max_host_arg_bytes) {
    return c.too_big("args", jlen, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, uint64_t{mlen} + jlen);
  WARD_HOST_TRY(c.check_range(aptr, 20));
  WARD_HOST_TRY(c.check_range(mptr, mlen));
  WARD_HOST_TRY(c.check_range(jptr, jlen));
  // The method name enters the call trace of the receipt.
  if (!valid_utf8(c.view(mptr, mlen))) return c.fail("method name is not valid UTF-8");
  CallEnv& env = c.env();
  if (!env.call_contract) {
    env.call_result = "cross-contract calls are not available here";
    results[0] = Value::i32(2);
    return TrapKind::None;
  }
  ContractCall request;
  request.target = load_address(c, aptr);
  request.method.assign(c.view(mptr, mlen));
  request.args.assign(c.view(jptr, jlen));
  request.value = value;
  uint64_t left = c.ctx().gas_left;
  request.gas = gas == 0 ? left : std::min(gas, left);
  // The callee may run code of any contract: nothing of this call's memory
  // is touched after this point.
  ContractCallResult response = env.call_contract(request);
  if (!response.fault.empty()) {
    // A storage fault or an exhausted memory is not the callee's outcome:
    // no contract may handle it, the whole request fails.
    (void)c.ctx().charge(response.gas_used);
    if (response.fault == "out of memory") env.out_of_memory = true;
    return c.fail(response.fault);
  }
  env.call_result = std::move(response.output);
  if (!c.ctx().charge(response.gas_used)) return TrapKind::OutOfGas;
  int32_t status = response.status;
  results[0] = Value::i32(static_cast<uint32_t>(status == 0 || status == 1 ? status : 2));
  return TrapKind::None;
}

TrapKind call_result_size(HostCall& hc, const Value*, Value* results) {
  return env_string_size(hc, results, &CallEnv::call_result);
}

TrapKind call_result_read(HostCall& hc, const Value* args, Value*) {
  return env_string_read(hc, args, &CallEnv::call_result);
}

}  // namespace ward::host::detail
