// ward/interp/interp.h — internals of Ward's interpreter backend shared by the
// translator, the executor and instantiation. Not a public interface: the
// public entry point is runtime::make_interp_backend() (runtime/backend.h).
//
// Code format: a function is translated once into a stream of 32-bit words.
// Each instruction starts with its handler address (two words), followed by
// its operands: frame slot indices, immediates, and branch offsets relative
// to the instruction's first word. A frame is an array of 8-byte slots:
// params, then declared locals, then one slot per wasm value-stack position
// (the height is static, so every operand has a fixed slot).
// Thread-safety: an InterpModule is immutable after compile; an
// InterpInstance is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/backend.h"
#include "runtime/instance_state.h"

namespace ward::interp::detail {

/// Internal opcodes, in ops.def order.
enum class IOp : uint16_t {
#define IOP(N) N,
#define IOP_LOAD(N) N, N##_a, N##_k,
#define IOP_STORE(N) N, N##_i, N##_k,
#define IOP_UN(N) N,
#define IOP_BIN(N) N,
#define IOP_BIN_RI(N) N##_ri,
#define IOP_CMP(N) Br##N, Br##N##_ri, Br##N##G, Br##N##_riG,
#include "interp/ops.def"
  Count_
};

inline constexpr uint32_t kIOpCount = static_cast<uint32_t>(IOp::Count_);

/// Handler addresses of the executor, indexed by IOp.
const void* const* handler_table() noexcept;

/// A translated function.
struct FuncCode {
  uint32_t entry = 0;        ///< index of its first code word
  uint32_t num_params = 0;
  uint32_t num_locals = 0;   ///< declared locals (zeroed on entry), not params
  uint32_t frame_slots = 0;  ///< params + locals + maximum value-stack height
  uint32_t num_results = 0;
  uint32_t type_index = 0;
};

/// Translates defined function `defined_index` of `module`, appending its
/// code to `code`. Gas ops, of the costs of `gas`, are emitted when `metering` is set.
Result<void> translate_function(const wasm::Module& module, uint32_t defined_index, bool metering,
                                const wasm::GasSchedule& gas, std::vector<uint32_t>& code, FuncCode& out);

class InterpInstance;

/// One activation record on the explicit call stack.
struct Frame {
  const uint32_t* ip;    ///< where the caller resumes
  uint64_t* fp;          ///< the caller's frame
  InterpInstance* inst;  ///< the caller's instance
  uint64_t slots;        ///< stack budget used up to and including the caller's frame
};

/// Value stack and call-frame stack of one running call (lazily allocated,
/// one mapping for both, recycled through a small per-thread pool).
class Machine {
 public:
  Machine() = default;
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;
  /// Allocates for the limits (idempotent); false on allocation failure.
  bool ensure(const runtime::Limits& limits) noexcept;
  uint64_t* stack = nullptr;
  uint64_t* stack_end = nullptr;
  Frame* frames = nullptr;
  bool in_use = false;

 private:
  size_t m_stack_bytes = 0;  ///< value stack, page-rounded; the frames follow it
  size_t m_bytes = 0;        ///< the whole mapping
};

/// A compiled module.
class InterpModule final : public runtime::CompiledModule,
                           public std::enable_shared_from_this<InterpModule> {
 public:
  const wasm::Module& module() const override { return *m_module; }
  runtime::InstantiateResult do_instantiate(std::span<const runtime::Extern> imports,
                                            runtime::ExecContext& ctx) override;

  std::shared_ptr<const wasm::Module> m_module;
  runtime::Limits m_limits;
  bool m_metering = true;
  const wasm::GasSchedule* m_gas = &wasm::kGasScheduleV1;  ///< the costs charged (CompileOptions::gas_revision)
  std::vector<uint32_t> m_code;
  std::vector<FuncCode> m_funcs;       ///< per defined function
  std::vector<uint32_t> m_type_ids;    ///< canonical id per type index
};

/// A module instance of the interpreter: the state (index spaces, segments)
/// is runtime::InstanceState's; this adds the translated code and the call
/// path.
class InterpInstance final : public runtime::InstanceState {
 public:
  explicit InterpInstance(std::shared_ptr<const InterpModule> mod)
      : runtime::InstanceState(mod->m_module), m_mod(std::move(mod)) {}
  runtime::TrapKind do_invoke(const runtime::FuncInst& func, std::span<const runtime::Value> args,
                              std::span<runtime::Value> results, runtime::ExecContext& ctx) override;

  std::shared_ptr<const InterpModule> m_mod;
  const uint32_t* m_code = nullptr;     ///< m_mod->m_code.data()
  const FuncCode* m_fcode = nullptr;    ///< m_mod->m_funcs.data()
  const uint32_t* m_type_ids = nullptr;
  uint32_t m_num_imported_funcs = 0;
  Machine m_machine;
};

/// Runs `f` of `inst` with its frame at fp (arguments already in place,
/// locals not yet zeroed). Results are left in fp[0..num_results).
runtime::TrapKind execute(InterpInstance& inst, const FuncCode& f, uint64_t* fp, runtime::ExecContext& ctx,
                          Machine& m) noexcept;

}  // namespace ward::interp::detail
