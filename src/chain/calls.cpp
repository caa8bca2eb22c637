// ward/chain/calls.cpp — cross-contract calls: CallEnv::call_contract of
// every call runs the callee in a nested snapshot of the same overlay
// (Executor::run), with the rules of docs/host-abi.md "Cross-contract calls":
// sender = the calling contract, origin = the signer, value moved from the
// caller (undone when the callee fails), gas at most what the caller has
// left, depth at most Limits::max_contract_call_depth, and no contract
// entered twice on one chain (reentrancy is refused). The host function
// `call` charges the callee's gas to the caller. A storage error or an
// exhausted memory in the callee is not handed to the caller as a status:
// the caller's `call` traps with it (ContractCallResult::fault).
#include <algorithm>

#include "chain/internal.h"

namespace ward::chain {
namespace {

int32_t status_code(Status status) {
  switch (status) {
    case Status::Ok: return 0;
    case Status::Reverted: return 1;
    default: return 2;
  }
}

}  // namespace

void Executor::wire_calls(Session& s, Frame& frame, host::CallEnv& env) {
  env.call_contract = [this, &s, &frame](const host::ContractCall& req) -> host::ContractCallResult {
    CallTrace t;
    t.contract = req.target;
    t.method = req.method;
    t.value = req.value;
    const uint64_t left = frame.ctx->gas_left;
    t.gas_limit = req.gas == 0 ? left : std::min(req.gas, left);
    auto refuse = [&](std::string error) {
      t.status = Status::Failed;
      t.error = error;
      frame.trace->calls.push_back(std::move(t));
      return host::ContractCallResult{2, std::move(error), 0, {}};
    };
    // A failure no contract may handle: the host's `call` traps with it.
    auto fault = [&](std::string error) {
      t.status = Status::Failed;
      t.error = error;
      frame.trace->calls.push_back(std::move(t));
      return host::ContractCallResult{2, error, 0, error};
    };

    for (const Frame* f : s.frames) {
      if (f->contract == req.target) return refuse("reentrant call to " + format_address(req.target));
    }
    if (s.frames.size() >= m_limits.max_contract_call_depth) {
      return refuse("call depth exceeds max_contract_call_depth (" + std::to_string(m_limits.max_contract_call_depth) +
                    ")");
    }
    std::string args = req.args.empty() ? std::string("{}") : req.args;
    if (args.size() > m_limits.max_host_arg_bytes) {
      return refuse("args of " + std::to_string(args.size()) + " bytes exceeds max_host_arg_bytes (" +
                    std::to_string(m_limits.max_host_arg_bytes) + ")");
    }
    if (std::string err = detail::check_json_input(args, m_limits); !err.empty()) return refuse(std::move(err));
    auto record = state::get_contract(s.overlay, req.target);
    if (!record) return fault("storage error: " + record.error().message);
    if (!record.value()) return refuse("unknown contract " + format_address(req.target));

    // What the caller emitted so far comes before what the callee emits.
    host::CallEnv& caller = *frame.env;
    for (; frame.events_flushed < caller.events.size(); ++frame.events_flushed) {
      host::Event& e = caller.events[frame.events_flushed];
      s.events.push_back(ReceiptEvent{frame.contract, std::move(e.name), std::move(e.data)});
    }
    for (; frame.debug_flushed < caller.debug_lines.size(); ++frame.debug_flushed) {
      s.debug.push_back(std::move(caller.debug_lines[frame.debug_flushed]));
    }

    const uint64_t gas = t.gas_limit;
    CallReceipt r = run(s, req.target, *record.value(), req.method, std::move(args), frame.contract, req.value, gas, t);
    caller.access.merge(r.access);
    frame.trace->calls.push_back(std::move(t));
    host::ContractCallResult out;
    out.status = status_code(r.status);
    out.gas_used = std::min(r.gas_used, gas);
    // A storage error or an exhausted memory in the callee (or further
    // down) is not an outcome the caller may handle and go on from: the
    // caller traps with it, up to the outermost call, and apply() reports a
    // storage fault ("host error: call: storage error: ...").
    if (!r.ok()) {
      if (r.error == detail::kOutOfMemory) {
        out.fault = std::string(detail::kOutOfMemory);
      } else if (std::string_view f = detail::storage_failure(r.error); !f.empty()) {
        out.fault = std::string(f);
      }
    }
    out.output = r.ok() ? std::move(r.result) : std::move(r.error);
    return out;
  };
}

}  // namespace ward::chain
